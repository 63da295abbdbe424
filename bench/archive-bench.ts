/**
 * `npm run bench:archive -- --size-mb N [--json]`: stream a generated N MiB log file from the
 * loopback download endpoint through the real archive task into s3rver, and compare with the
 * same bytes through the same gzip settings and no network, measured in the same run.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { GeneratedContent } from '../sandbox/content/generated';
import { sandboxS3ClientConfig } from '../sandbox/s3-server';
import { archiveLogFiles } from '../tasks/archive-log-files';
import { gzipOptions } from '../tasks/common/archive-object';
import { parseConfig } from '../tasks/common/config';
import { signedDownloadSource } from '../tasks/common/download';
import { s3RunStore } from '../tasks/common/run-store';
import type { InstancePlan, InstanceProgress, RunContext } from '../tasks/common/types';
import { BENCH_BUCKET, BENCH_FILE, BENCH_FIXTURE, BENCH_INSTANCE } from './bench-servers';

const MiB = 1024 * 1024;
const { values: args } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '256' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const sizeMb = Number(args['size-mb']);
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write('--rounds: expected a whole number, at least 1\n');
  process.exit(2);
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
if (!Number.isInteger(sizeMb) || sizeMb < 1) {
  process.stderr.write('--size-mb: expected a whole number of MiB, at least 1\n');
  process.exit(2);
}
const say = (line: string) => process.stderr.write(`${line}\n`);

interface Servers {
  s3: string;
  rds: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

function startServer<T>(role: 's3' | 'rds'): Promise<{ server: T; stop: () => void }> {
  const child = fork(path.join(__dirname, 'bench-servers.ts'), [role, String(sizeMb * MiB)], {
    execArgv: [
      '--require',
      require.resolve('../sandbox/require-esm-packages.cjs'),
      '--openssl-legacy-provider',
      '--import',
      'tsx',
    ],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (server) => resolve({ server: server as T, stop: () => child.disconnect() }));
    child.once('exit', (code) => reject(new Error(`benchmark ${role} server exited with ${code}`)));
  });
}

async function startServers(): Promise<{ servers: Servers; stop: () => void }> {
  const s3 = await startServer<{ endpoint: string }>('s3');
  const rds = await startServer<Omit<Servers, 's3' | 'rds'> & { endpoint: string }>('rds');
  const { endpoint, ...rest } = rds.server;
  return {
    servers: { ...rest, s3: s3.server.endpoint, rds: endpoint },
    stop: () => {
      s3.stop();
      rds.stop();
    },
  };
}

async function gzipOnlySeconds(gzipLevel: number): Promise<number> {
  const started = process.hrtime.bigint();
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  await pipeline(new GeneratedContent(sizeMb * MiB, BENCH_FIXTURE), createGzip(gzipOptions(gzipLevel)), sink);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function archiveSeconds(servers: Servers, round: number): Promise<{ seconds: number; archivedBytes: number }> {
  const config = parseConfig({
    AWS_REGION: servers.region,
    ARCHIVE_BUCKET: BENCH_BUCKET,
    AWS_ENDPOINT_URL_RDS: servers.rds,
  });
  const s3 = new S3Client(sandboxS3ClientConfig(servers.s3, servers.region));
  const store = s3RunStore(s3, BENCH_BUCKET);
  const prefix = `_runs/bench-${round}`;
  const run = { runId: `bench-${round}`, reportPrefix: prefix, dryRun: false } as RunContext;
  const instance = { instanceId: BENCH_INSTANCE, clusterId: 'bench-aurora', engine: 'aurora-mysql' };
  const plan: InstancePlan = {
    instance,
    status: 'listed',
    listedAt: new Date().toISOString(),
    skipped: [],
    deferred: 0,
    files: [
      {
        name: BENCH_FILE,
        logType: 'audit',
        size: sizeMb * MiB,
        lastWritten: Date.parse('2026-11-20T09:59:00Z'),
        key: `bench-aurora/audit/2026/11/20/09/${BENCH_INSTANCE}/round-${round}/${BENCH_FILE.slice('audit/'.length)}.gz`,
        reason: 'new',
      },
    ],
  };
  await store.putJson(`${prefix}/plans/bench.json`, plan);
  const progress: InstanceProgress = {
    run,
    instance,
    planKey: `${prefix}/plans/bench.json`,
    cursor: 0,
    total: 1,
    done: false,
  };
  const deps = {
    s3,
    store,
    config,
    source: signedDownloadSource({
      endpoint: servers.rds,
      region: servers.region,
      credentials: async () => servers.credentials,
    }),
    sleep: async () => undefined,
  };
  const started = process.hrtime.bigint();
  await archiveLogFiles(progress, deps, { remainingMs: () => 900_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [result] = await store.getJson<{ status: string; sourceBytes: number; archivedBytes: number }[]>(
    `${prefix}/results/${BENCH_INSTANCE}/000000.json`,
  );
  if (result?.status !== 'archived' || result.sourceBytes !== sizeMb * MiB) {
    throw new Error(`archive did not complete: ${JSON.stringify(result)}`);
  }
  return { seconds, archivedBytes: result.archivedBytes };
}

async function main() {
  const { servers, stop } = await startServers();
  try {
    const gzipLevel = parseConfig({ AWS_REGION: 'us-east-1', ARCHIVE_BUCKET: BENCH_BUCKET }).gzipLevel;
    // This machine's speed drifts between seconds; alternating the two measurements and taking
    // medians compares them under the same conditions.
    const gzipRuns: number[] = [];
    const archiveRuns: number[] = [];
    let archivedBytes = 0;
    for (let index = 1; index <= rounds; index++) {
      say(`round ${index}/${rounds}: gzip only, ${sizeMb} MiB at level ${gzipLevel}…`);
      gzipRuns.push(await gzipOnlySeconds(gzipLevel));
      say(`round ${index}/${rounds}: archive task, ${sizeMb} MiB download → gzip → s3rver…`);
      const archive = await archiveSeconds(servers, index);
      archiveRuns.push(archive.seconds);
      archivedBytes = archive.archivedBytes;
    }
    const gzipSeconds = median(gzipRuns);
    const archive = { seconds: median(archiveRuns), archivedBytes };
    const round = (value: number) => Math.round(value * 100) / 100;
    const figures = {
      sizeMb,
      seconds: round(archive.seconds),
      mbPerSec: round(sizeMb / archive.seconds),
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
      gzipOnlyMbPerSec: round(sizeMb / gzipSeconds),
      // Three decimals: a ratio near a target should not round onto it.
      ratio: Math.round((gzipSeconds / archive.seconds) * 1000) / 1000,
      compressedMb: round(archive.archivedBytes / MiB),
      gzipLevel,
      rounds,
      node: process.version,
    };
    if (args.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    else say(JSON.stringify(figures, null, 2));
  } finally {
    stop();
  }
}

main().catch((error: Error) => {
  say(`error: ${error.message}`);
  process.exit(1);
});
