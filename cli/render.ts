import { formatBytes } from '../tasks/common/run-report-format';
import type { RunSummary } from '../tasks/summarize-run';
import type { Progress } from './progress';

/** The CLI shows bytes as the run report does. */
export { formatBytes };

const count = (value: number) => value.toLocaleString('en-US');
const outOf = (done: number, total: number | undefined) => `${count(done)}/${total === undefined ? '…' : count(total)}`;

/** `45s`, `12m 04s`, `2h 05m`: how long a run has been going. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const pad = (value: number) => String(value).padStart(2, '0');
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${pad(Math.floor(seconds / 60) % 60)}m`;
}

const joined = (parts: readonly (string | false | undefined)[]) => parts.filter(Boolean).join(' · ');

function instancesText(progress: Progress): string {
  const { instances } = progress;
  return joined([
    `${outOf(instances.done, instances.total)} done`,
    instances.failed > 0 && `${count(instances.failed)} failed`,
    instances.running > 0 && `${count(instances.running)} running`,
    instances.unavailable > 0 && `${count(instances.unavailable)} unavailable`,
  ]);
}

function filesText(progress: Progress): string {
  const { files } = progress;
  if (progress.dryRun) return `${count(files.planned)} would be archived (dry run)`;
  return `${outOf(files.done, files.planned)} archived`;
}

function groupsText(progress: Progress): string {
  const { logGroups } = progress;
  return joined([
    `${outOf(logGroups.done, logGroups.total)} done`,
    logGroups.failed > 0 && `${count(logGroups.failed)} failed`,
    logGroups.unavailable > 0 && `${count(logGroups.unavailable)} unavailable`,
  ]);
}

function exportsText(progress: Progress): string {
  const { exports, logGroups } = progress;
  if (progress.dryRun) return 'none (dry run)';
  const finished = logGroups.total !== undefined && logGroups.done + logGroups.failed >= logGroups.total;
  return joined([
    `${count(exports.started)} started`,
    `${count(exports.verified)} verified`,
    `${count(exports.checks)} status checks`,
    !finished && exports.latest && `latest: ${exports.latest.group} ${exports.latest.status}`,
  ]);
}

function streamsText(progress: Progress): string {
  const { streams } = progress;
  return joined([
    `${outOf(streams.done, streams.planned)} trimmed`,
    streams.failed > 0 && `${count(streams.failed)} failed`,
  ]);
}

/** The figures of a progress, labelled, in display order. */
function progressRows(progress: Progress): [string, string][] {
  const rows: [string, string][] = [
    ['instances', instancesText(progress)],
    ['files', filesText(progress)],
    ['log groups', groupsText(progress)],
    ['exports', exportsText(progress)],
    ['streams', streamsText(progress)],
  ];
  if (progress.failedChildExecutions > 0) {
    rows.push(['map runs', `${count(progress.failedChildExecutions)} child executions failed (see the console)`]);
  }
  return rows;
}

/** The block a terminal shows and redraws: a heading, then one labelled line per kind of work. */
export function progressBlock(progress: Progress, heading: string): string[] {
  return [heading, ...progressRows(progress).map(([label, value]) => `  ${label.padEnd(11)}${value}`)];
}

/** The one line a log or a pipe gets, printed when a figure changes. */
export function progressLine(progress: Progress): string {
  return progressRows(progress)
    .map(([label, value]) => `${label} ${value}`)
    .join(' | ');
}

/** The run summary (the execution output) for people. */
export function summaryLines(summary: RunSummary): string[] {
  const files = summary.dryRun
    ? `files ${count(summary.plannedFiles)} would be archived`
    : `files ${count(summary.archivedFiles)} archived (${formatBytes(summary.archivedBytes)}, ${formatBytes(summary.compressedBytes)} gzipped)`;
  return [
    `${summary.status}: ${summary.message}`,
    `  ${joined([
      `instances ${count(summary.instances)}`,
      files,
      `${count(summary.skippedFiles)} skipped`,
      `${count(summary.failedFiles)} failed`,
      summary.failedInstances > 0 && `${count(summary.failedInstances)} instances failed`,
      summary.unavailable > 0 && `${count(summary.unavailable)} unavailable`,
    ])}`,
    `  ${joined([
      `log groups ${count(summary.logGroups)}`,
      summary.failedLogGroups > 0 && `${count(summary.failedLogGroups)} failed`,
      `streams ${count(summary.trimmedStreams)} trimmed, ${count(summary.skippedStreams)} skipped, ${count(summary.failedStreams)} failed`,
    ])}`,
    `  report ${summary.reportKey}`,
  ];
}
