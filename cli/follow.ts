import type { RunSummary } from '../tasks/summarize-run';
import { EXIT, type ExitCode } from './errors';
import type { RunSnapshot } from './history';
import type { Output } from './output';
import { type Progress, tallyProgress } from './progress';
import { formatDuration, progressBlock, progressLine } from './render';

/** Execution statuses that may still change. */
const ACTIVE = new Set(['RUNNING', 'PENDING_REDRIVE']);

/** How long `--wait` pauses between polls (each poll reads the history and the Map Runs). */
export const POLL_MS = 10_000;

/** What a progress heading says besides the figures. */
export interface ProgressHeading {
  readonly name: string;
  readonly status: string;
  readonly elapsedMs: number;
}

const CLEAR_BLOCK = (lines: number) => `\x1b[${lines}A\x1b[0J`;

/**
 * Shows progress: a terminal gets one block redrawn in place; a pipe or a log file gets a line
 * each time a figure changes (never a line per poll, so logs stay short).
 */
export class ProgressDisplay {
  private drawn = 0;
  private lastLine?: string;

  constructor(private readonly output: Output) {}

  show(progress: Progress, heading: ProgressHeading): void {
    const elapsed = formatDuration(heading.elapsedMs);
    if (this.output.isTTY) {
      const width = Math.max(20, (this.output.columns ?? 120) - 1);
      const lines = progressBlock(progress, `${heading.name}  ${heading.status}  ${elapsed}`).map((line) =>
        line.slice(0, width),
      );
      this.output.write(`${this.drawn > 0 ? CLEAR_BLOCK(this.drawn) : ''}${lines.join('\n')}\n`);
      this.drawn = lines.length;
      return;
    }
    const line = `${heading.status} | ${progressLine(progress)}`;
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.output.write(`[${elapsed}] ${line}\n`);
  }
}

export interface FollowOptions {
  /** One poll: the execution, its events and Map Runs (RunReader.snapshot in use). */
  readonly read: () => Promise<RunSnapshot>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly display: ProgressDisplay;
  readonly pollMs: number;
}

export interface FollowResult {
  readonly snapshot: RunSnapshot;
  readonly progress: Progress;
}

/** Poll until the execution ends, showing progress after each poll; returns the last snapshot. */
export async function follow(options: FollowOptions): Promise<FollowResult> {
  for (;;) {
    const snapshot = await options.read();
    const progress = tallyProgress(snapshot.events, snapshot.mapRuns);
    const { execution } = snapshot;
    const started = execution.startDate?.getTime() ?? options.now();
    const ended = execution.stopDate?.getTime() ?? options.now();
    options.display.show(progress, {
      name: execution.name ?? '',
      status: execution.status,
      elapsedMs: ended - started,
    });
    if (!ACTIVE.has(execution.status)) return { snapshot, progress };
    await options.sleep(options.pollMs);
  }
}

/**
 * The exit code a run's outcome gives: 0 while it runs or when it succeeded, 1 when the
 * execution ended otherwise or its summary says `failed`.
 */
export function runExitCode(status: string, summary: RunSummary | undefined): ExitCode {
  if (ACTIVE.has(status)) return EXIT.ok;
  return status === 'SUCCEEDED' && summary?.status !== 'failed' ? EXIT.ok : EXIT.runFailed;
}
