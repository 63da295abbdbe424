/**
 * Percona pt-query-digest on the same slow log, for comparison: `--no-report` is its parse and
 * aggregation alone; `--output json` adds the report, whose global query_count says how many
 * entries it read.
 */
import { spawn, spawnSync } from 'node:child_process';

const MiB = 1024 * 1024;

export type PtQueryDigest =
  | { readonly available: false; readonly install: string }
  | {
      readonly available: true;
      readonly version: string;
      readonly noReport: { readonly seconds: number; readonly mbPerSec: number };
      readonly json: {
        readonly seconds: number;
        readonly mbPerSec: number;
        readonly queries: number;
        readonly classes: number;
      };
    };

export const PT_MISSING: PtQueryDigest = { available: false, install: 'apt-get install percona-toolkit' };

/** `pt-query-digest --version`, or undefined when it is not installed. */
export function ptVersion(): string | undefined {
  const result = spawnSync('pt-query-digest', ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim().replace(/^pt-query-digest\s+/, '');
}

/** Run it once; resolve with its stdout and the wall-clock seconds, reject on a non-zero exit. */
function timed(args: readonly string[], keepOutput: boolean): Promise<{ seconds: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('pt-query-digest', args, { stdio: ['ignore', keepOutput ? 'pipe' : 'ignore', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve({ seconds, stdout: Buffer.concat(out).toString('utf8') });
      else
        reject(
          new Error(`pt-query-digest ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString().slice(0, 500)}`),
        );
    });
  });
}

/** Time both runs on `file` (`bytes` long); the JSON run's global counts say what it read. */
export async function runPtQueryDigest(file: string, bytes: number, version: string): Promise<PtQueryDigest> {
  const noReport = await timed(['--no-report', file], false);
  const json = await timed(['--output', 'json', file], true);
  const report = JSON.parse(json.stdout) as { global?: { query_count?: number; unique_query_count?: number } };
  const round2 = (value: number) => Math.round(value * 100) / 100;
  const rate = (seconds: number) => round2(bytes / MiB / seconds);
  return {
    available: true,
    version,
    noReport: { seconds: round2(noReport.seconds), mbPerSec: rate(noReport.seconds) },
    json: {
      seconds: round2(json.seconds),
      mbPerSec: rate(json.seconds),
      queries: report.global?.query_count ?? 0,
      classes: report.global?.unique_query_count ?? 0,
    },
  };
}
