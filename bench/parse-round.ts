/**
 * One parser measured in a fresh process of its own (bundled by esbuild, as the deployed tasks
 * are): the file streamed through parseStream, every record counted. Its peak resident memory is
 * the parser's alone, and no earlier measurement has warmed or cluttered its heap.
 */
import { createReadStream } from 'node:fs';
import { isUnparsed } from '../tasks/common/parse';
import { parseStream } from '../tasks/common/parse/stream';
import type { LogType } from '../tasks/common/types';

export interface ParseJob {
  readonly type: LogType;
  readonly file: string;
}

export interface ParseRoundResult {
  readonly seconds: number;
  readonly records: number;
  readonly parseErrors: number;
  readonly peakRssMb: number;
  /** The first unparsed line, to tell a generator problem from a parser one at a glance. */
  readonly firstParseError?: { readonly error: string; readonly raw: string };
}

async function measure(job: ParseJob): Promise<ParseRoundResult> {
  let records = 0;
  let parseErrors = 0;
  let firstParseError: ParseRoundResult['firstParseError'];
  const started = process.hrtime.bigint();
  for await (const record of parseStream(job.type, createReadStream(job.file, { highWaterMark: 1024 * 1024 }))) {
    records += 1;
    if (isUnparsed(record)) {
      parseErrors += 1;
      firstParseError ??= { error: record.parseError, raw: record.raw.slice(0, 200) };
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return { seconds, records, parseErrors, peakRssMb, ...(firstParseError && { firstParseError }) };
}

measure(JSON.parse(process.argv[2] ?? '{}') as ParseJob).then(
  (result) => {
    process.send?.(result);
    process.disconnect?.();
  },
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
