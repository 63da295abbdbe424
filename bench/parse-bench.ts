/**
 * `npm run bench:parse -- [--size-mb N] [--json]`: generate an N MiB log of each kind (seeded, so
 * every run parses the same bytes), stream it through its parser in a fresh Node process, and
 * report MB/s and records/s; on the slow query logs also time Percona pt-query-digest and
 * compare the number of entries it read with ours. Files are made one at a time and removed.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LogType } from '../tasks/common/types';
import { bundleRunner } from './bundle-runner';
import { type Flavor, generateLog } from './log-generator';
import type { ParseJob, ParseRoundResult } from './parse-round';
import { PT_MISSING, type PtQueryDigest, ptVersion, runPtQueryDigest } from './pt-query-digest';

const MiB = 1024 * 1024;
const { values: args } = parseArgs({
  options: { 'size-mb': { type: 'string', default: '200' }, json: { type: 'boolean', default: false } },
});
const say = (line: string) => process.stderr.write(`${line}\n`);
const sizeMb = Number(args['size-mb']);
if (!Number.isInteger(sizeMb) || sizeMb < 1) {
  say(`--size-mb: expected a whole number of MiB, at least 1 (got "${args['size-mb']}")`);
  process.exit(2);
}

interface BenchCase {
  readonly name: string;
  readonly type: LogType;
  readonly flavor?: Flavor;
  readonly format: string;
}

const CASES: readonly BenchCase[] = [
  { name: 'slowquery', type: 'slowquery', flavor: 'mysql8', format: 'MySQL 8 / Aurora MySQL 3 slow query log' },
  { name: 'slowquery-mariadb', type: 'slowquery', flavor: 'mariadb', format: 'MariaDB 10.11 slow query log' },
  { name: 'audit', type: 'audit', format: 'Aurora MySQL advanced auditing (epoch microseconds)' },
  { name: 'error', type: 'error', format: 'MySQL 8 error log' },
  { name: 'general', type: 'general', format: 'MySQL 8 general query log' },
  { name: 'postgresql', type: 'postgresql', format: "PostgreSQL, RDS log_line_prefix '%t:%r:%u@%d:[%p]:'" },
];

interface CaseResult {
  readonly name: string;
  readonly type: LogType;
  readonly format: string;
  readonly sizeMb: number;
  /** Entries the generator wrote: what a parser should find. */
  readonly entries: number;
  readonly records: number;
  readonly parseErrors: number;
  readonly seconds: number;
  readonly mbPerSec: number;
  readonly recordsPerSec: number;
  readonly peakRssMb: number;
  readonly firstParseError?: ParseRoundResult['firstParseError'];
  readonly ptQueryDigest?: PtQueryDigest;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function runRound(runner: string, job: ParseJob): Promise<ParseRoundResult> {
  const child = fork(runner, [JSON.stringify(job)], { execArgv: [] });
  return new Promise((resolve, reject) => {
    child.once('message', (value) => resolve(value as ParseRoundResult));
    child.once('exit', (code) => reject(new Error(`parsing ${job.type} exited with ${code}`)));
  });
}

async function measureCase(runner: string, directory: string, bench: BenchCase, pt?: string): Promise<CaseResult> {
  const file = path.join(directory, `${bench.name}.log`);
  try {
    say(`${bench.name}: generating ${sizeMb} MiB (${bench.format})…`);
    const generated = await generateLog(file, bench.type, sizeMb * MiB, { flavor: bench.flavor });
    const megabytes = generated.bytes / MiB;
    say(`${bench.name}: parsing…`);
    const round = await runRound(runner, { type: bench.type, file });
    let ptQueryDigest: PtQueryDigest | undefined;
    if (bench.type === 'slowquery') {
      if (pt) say(`${bench.name}: pt-query-digest --no-report, then --output json…`);
      ptQueryDigest = pt ? await runPtQueryDigest(file, generated.bytes, pt) : PT_MISSING;
    }
    return {
      name: bench.name,
      type: bench.type,
      format: bench.format,
      sizeMb: round2(megabytes),
      entries: generated.entries,
      records: round.records,
      parseErrors: round.parseErrors,
      seconds: round2(round.seconds),
      mbPerSec: round2(megabytes / round.seconds),
      recordsPerSec: Math.round(round.records / round.seconds),
      peakRssMb: round2(round.peakRssMb),
      ...(round.firstParseError && { firstParseError: round.firstParseError }),
      ...(ptQueryDigest && { ptQueryDigest }),
    };
  } finally {
    rmSync(file, { force: true });
  }
}

function ptCell(pt: PtQueryDigest | undefined): [string, string, string] {
  if (!pt) return ['', '', ''];
  if (!pt.available) return ['not installed', '', ''];
  return [pt.noReport.mbPerSec.toFixed(2), pt.json.mbPerSec.toFixed(2), String(pt.json.queries)];
}

function table(results: readonly CaseResult[]): string {
  const header = [
    'log',
    'MiB',
    'MB/s',
    'records/s',
    'records',
    'entries',
    'errors',
    'peak MB',
    'pt MB/s',
    'pt json MB/s',
    'pt entries',
  ];
  const rows = results.map((result) => [
    result.name,
    result.sizeMb.toFixed(0),
    result.mbPerSec.toFixed(2),
    String(result.recordsPerSec),
    String(result.records),
    String(result.entries),
    String(result.parseErrors),
    result.peakRssMb.toFixed(0),
    ...ptCell(result.ptQueryDigest),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function main() {
  const directory = mkdtempSync(path.join(tmpdir(), 'rds-log-archive-parse-bench-'));
  try {
    const runner = await bundleRunner('parse-round', directory);
    const pt = ptVersion();
    if (!pt) say('pt-query-digest is not installed (apt-get install percona-toolkit): measuring ours only');
    const results: CaseResult[] = [];
    for (const bench of CASES) results.push(await measureCase(runner, directory, bench, pt));
    const figures = {
      sizeMb,
      mode: 'one fresh node process per parser, esbuild bundle, file read in 1 MiB chunks, records counted',
      node: process.version,
      cpus: availableParallelism(),
      cpu: cpus()[0]?.model,
      ptQueryDigest: pt ? { available: true, version: pt } : PT_MISSING,
      results,
    };
    if (args.json) {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      return;
    }
    process.stdout.write(`${table(results)}\n`);
    for (const result of results) {
      if (result.firstParseError) {
        process.stdout.write(`${result.name}: first parse error: ${JSON.stringify(result.firstParseError)}\n`);
      }
    }
    if (!pt) process.stdout.write('pt-query-digest: not installed (apt-get install percona-toolkit)\n');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  say(`error: ${error.stack ?? error.message}`);
  process.exit(1);
});
