/**
 * `node --require ./sandbox/require-esm-packages.cjs --import tsx scripts/record-golden.ts [--check]`:
 * parses every fixture listed in test/golden/parse/cases.json and writes the records, one JSON per
 * line, to test/golden/parse/<name>.ndjson. Review the diff by eye before committing: a golden file
 * states what the parser must produce, not whatever it produces today. With `--check` nothing is
 * written: it exits 1 when a golden file differs from the parser's output.
 */
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isUnparsed } from '../tasks/common/parse/index';
import { parseStream } from '../tasks/common/parse/stream';
import type { LogType } from '../tasks/common/types';

const ROOT = path.join(__dirname, '..');
const GOLDEN_DIR = path.join(ROOT, 'test/golden/parse');

export interface GoldenCase {
  readonly name: string;
  readonly type: LogType;
  /** Relative to the repository root. */
  readonly file: string;
}

export function goldenCases(): GoldenCase[] {
  return JSON.parse(readFileSync(path.join(GOLDEN_DIR, 'cases.json'), 'utf8')) as GoldenCase[];
}

/** The golden file's text for one fixture, and how many of its records are unparsed. */
export async function goldenText(golden: GoldenCase): Promise<{ text: string; records: number; unparsed: number }> {
  let text = '';
  let records = 0;
  let unparsed = 0;
  for await (const record of parseStream(golden.type, createReadStream(path.join(ROOT, golden.file)))) {
    text += `${JSON.stringify(record)}\n`;
    records++;
    if (isUnparsed(record)) unparsed++;
  }
  return { text, records, unparsed };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  let stale = 0;
  for (const golden of goldenCases()) {
    const target = path.join(GOLDEN_DIR, `${golden.name}.ndjson`);
    const { text, records, unparsed } = await goldenText(golden);
    if (values.check) {
      let current = '';
      try {
        current = readFileSync(target, 'utf8');
      } catch {
        current = '';
      }
      if (current !== text) {
        stale++;
        process.stderr.write(`${golden.name}.ndjson differs from what the parser gives for ${golden.file}\n`);
      }
      continue;
    }
    writeFileSync(target, text);
    process.stderr.write(`${golden.name}.ndjson: ${records} records, ${unparsed} unparsed\n`);
  }
  if (stale > 0) {
    process.stderr.write('re-run without --check, then review the diff\n');
    process.exit(1);
  }
}

if (require.main === module) void main();
