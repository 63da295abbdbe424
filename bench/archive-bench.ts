/**
 * `npm run bench:archive -- --size-mb N [--rounds R] [--json]`: stream a generated N MiB log
 * file from the loopback download endpoint through the real archive task into s3rver, and
 * compare with the same bytes through the same gzip settings and no network.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchServers, RoundJob, RoundResult } from './bench-round';
import { BENCH_BUCKET, BENCH_FILE, BENCH_FIXTURE, BENCH_INSTANCE } from './bench-servers';
import { bundleRunner } from './bundle-runner';

const MiB = 1024 * 1024;
const { values: args } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '256' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const say = (line: string) => process.stderr.write(`${line}\n`);
function wholeNumberArg(name: 'size-mb' | 'rounds', what: string): number {
  const value = Number(args[name]);
  if (Number.isInteger(value) && value >= 1) return value;
  say(`--${name}: expected ${what}, at least 1 (got "${args[name]}")`);
  process.exit(2);
}
const sizeMb = wholeNumberArg('size-mb', 'a whole number of MiB');
const rounds = wholeNumberArg('rounds', 'a whole number');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** Start `node …` and wait for the one message it sends; a failure carries the child's exit code. */
function forkForMessage<T>(modulePath: string, argv: string[], execArgv: string[], what: string) {
  const child = fork(modulePath, argv, { execArgv });
  const message = new Promise<T>((resolve, reject) => {
    child.once('message', (value) => resolve(value as T));
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
  });
  return { child, message };
}

const TSX_EXEC_ARGV = [
  '--require',
  require.resolve('../sandbox/require-esm-packages.cjs'),
  '--openssl-legacy-provider',
  '--import',
  'tsx',
];

/** One server per process, as in AWS: a busy s3rver must not hold up the download stream. */
async function startServers(): Promise<{ servers: BenchServers; stop: () => void }> {
  const serverModule = path.join(__dirname, 'bench-servers.ts');
  const start = <T>(role: 's3' | 'rds') =>
    forkForMessage<T>(serverModule, [role, String(sizeMb * MiB)], TSX_EXEC_ARGV, `benchmark ${role} server`);
  const s3 = start<{ endpoint: string }>('s3');
  const rds = start<Omit<BenchServers, 's3' | 'rds'> & { endpoint: string }>('rds');
  const stop = () => {
    for (const { child } of [s3, rds]) if (child.connected) child.disconnect();
  };
  try {
    const [s3Server, { endpoint, ...rest }] = await Promise.all([s3.message, rds.message]);
    return { servers: { ...rest, s3: s3Server.endpoint, rds: endpoint }, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

async function main() {
  const buildDirectory = mkdtempSync(path.join(tmpdir(), 'rds-log-archive-bench-build-'));
  const { servers, stop } = await startServers();
  try {
    const runner = await bundleRunner('bench-round', buildDirectory);
    const runRound = (job: RoundJob) =>
      forkForMessage<RoundResult>(runner, [JSON.stringify(job)], [], `benchmark ${job.kind} round`).message;
    // This machine's speed drifts between seconds; alternating the two measurements and taking
    // medians compares them under the same conditions.
    const gzipRuns: RoundResult[] = [];
    const archiveRuns: RoundResult[] = [];
    for (let round = 1; round <= rounds; round++) {
      say(`round ${round}/${rounds}: gzip only, ${sizeMb} MiB…`);
      gzipRuns.push(await runRound({ kind: 'gzip', sizeMb, fixture: BENCH_FIXTURE }));
      say(`round ${round}/${rounds}: archive task, ${sizeMb} MiB download → gzip → s3rver…`);
      archiveRuns.push(
        await runRound({
          kind: 'archive',
          sizeMb,
          round,
          servers,
          bucket: BENCH_BUCKET,
          instanceId: BENCH_INSTANCE,
          fileName: BENCH_FILE,
        }),
      );
    }
    const gzipSeconds = median(gzipRuns.map((run) => run.seconds));
    const archiveSeconds = median(archiveRuns.map((run) => run.seconds));
    const round2 = (value: number) => Math.round(value * 100) / 100;
    const figures = {
      sizeMb,
      seconds: round2(archiveSeconds),
      mbPerSec: round2(sizeMb / archiveSeconds),
      // The archive process's peak over all rounds: what a Lambda function reports as max memory used.
      peakRssMb: round2(Math.max(...archiveRuns.map((run) => run.peakRssMb))),
      gzipOnlyMbPerSec: round2(sizeMb / gzipSeconds),
      // Three decimals: a ratio near a target should not round onto it.
      ratio: Math.round((gzipSeconds / archiveSeconds) * 1000) / 1000,
      compressedMb: round2((archiveRuns[0]?.archivedBytes ?? 0) / MiB),
      gzipOnlyPeakRssMb: round2(Math.max(...gzipRuns.map((run) => run.peakRssMb))),
      gzipLevel: archiveRuns[0]?.gzipLevel,
      rounds,
      node: process.version,
    };
    if (gzipRuns.some((run) => run.gzipLevel !== figures.gzipLevel)) throw new Error('gzip levels differ');
    if (args.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    else say(JSON.stringify(figures, null, 2));
  } finally {
    stop();
    rmSync(buildDirectory, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  say(`error: ${error.message}`);
  process.exit(1);
});
