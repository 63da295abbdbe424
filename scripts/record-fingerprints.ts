/**
 * `node --require ./sandbox/require-esm-packages.cjs --import tsx scripts/record-fingerprints.ts [--check]`:
 * runs Percona's pt-fingerprint (`/usr/bin/pt-fingerprint`, or PT_FINGERPRINT) on every statement of
 * the MariaDB and PostgreSQL fixtures plus the hand-picked ones in test/fixtures/logs/fingerprint-queries.json,
 * and writes its answers to test/golden/parse/fingerprints.json. The unit tests compare our
 * fingerprint() with that file, so they run without Perl. With `--check` nothing is written: it
 * exits 1 when the file is not what pt-fingerprint gives today.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isUnparsed, type LogRecord, parseText } from '../tasks/common/parse/index';
import type { LogType } from '../tasks/common/types';

const ROOT = path.join(__dirname, '..');
export const FINGERPRINTS_PATH = path.join(ROOT, 'test/golden/parse/fingerprints.json');
const HAND_PICKED_PATH = path.join(ROOT, 'test/fixtures/logs/fingerprint-queries.json');
const SOURCES: readonly { readonly type: LogType; readonly file: string }[] = [
  { type: 'slowquery', file: 'sandbox/fixtures/mariadb/slowquery.log' },
  { type: 'general', file: 'sandbox/fixtures/mariadb/general.log' },
  { type: 'postgresql', file: 'sandbox/fixtures/postgresql/postgresql.log' },
];
const PARALLEL = 8;

export interface FingerprintCase {
  readonly query: string;
  /** pt-fingerprint's answer. */
  readonly fingerprint: string;
  /** Only where ours deliberately differs: our answer and why. */
  readonly ours?: string;
  readonly reason?: string;
}

function statementOf(record: LogRecord): string | undefined {
  if (isUnparsed(record)) return undefined;
  if (record.type === 'slowquery' || record.type === 'postgresql') return record.statement;
  if (record.type === 'general' && record.command === 'Query') return record.argument;
  return undefined;
}

/** Every distinct statement of the corpus, in first-seen order. */
export function corpus(): string[] {
  const queries = new Set<string>();
  for (const { type, file } of SOURCES) {
    for (const record of parseText(type, readFileSync(path.join(ROOT, file), 'utf8'))) {
      const statement = statementOf(record);
      if (statement) queries.add(statement);
    }
  }
  for (const query of JSON.parse(readFileSync(HAND_PICKED_PATH, 'utf8')) as string[]) queries.add(query);
  return [...queries];
}

/**
 * One process per query: pt-fingerprint's file mode splits on `;\n` and drops `#` lines, which would
 * change the input. It exits 1 after printing (its main returns print's result), so success is
 * judged by an empty stderr.
 */
function ptFingerprint(query: string, binary: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, [`--query=${query}`], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (stderr !== '' || (error && typeof error.code !== 'number')) {
        reject(new Error(`pt-fingerprint failed on ${JSON.stringify(query)}: ${stderr || error?.message}`));
        return;
      }
      resolve(stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout);
    });
  });
}

async function record(binary: string): Promise<FingerprintCase[]> {
  const queries = corpus();
  const results: FingerprintCase[] = new Array(queries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < queries.length; i = next++) {
      const query = queries[i] ?? '';
      results[i] = { query, fingerprint: await ptFingerprint(query, binary) };
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return results;
}

/** Deliberate differences survive a re-recording: they are documented by hand in the file. */
function keepDeliberate(fresh: FingerprintCase[], previous: FingerprintCase[]): FingerprintCase[] {
  const deliberate = new Map(previous.filter((c) => c.reason).map((c) => [c.query, c]));
  return fresh.map((c) => {
    const kept = deliberate.get(c.query);
    return kept ? { ...c, ours: kept.ours, reason: kept.reason } : c;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const binary = process.env.PT_FINGERPRINT ?? '/usr/bin/pt-fingerprint';
  let previous: FingerprintCase[] = [];
  try {
    previous = JSON.parse(readFileSync(FINGERPRINTS_PATH, 'utf8')) as FingerprintCase[];
  } catch {
    previous = [];
  }
  const cases = keepDeliberate(await record(binary), previous);
  const text = `${JSON.stringify(cases, null, 2)}\n`;
  if (values.check) {
    if (text === readFileSync(FINGERPRINTS_PATH, 'utf8')) return;
    process.stderr.write('test/golden/parse/fingerprints.json differs from pt-fingerprint: re-run without --check\n');
    process.exit(1);
  }
  writeFileSync(FINGERPRINTS_PATH, text);
  process.stderr.write(`test/golden/parse/fingerprints.json: ${cases.length} queries\n`);
}

if (require.main === module) void main();
