import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { isUnparsed, type LogRecord, parseText } from '../../../tasks/common/parse/index';
import { parseStream } from '../../../tasks/common/parse/stream';
import type { LogType } from '../../../tasks/common/types';

const ROOT = path.join(__dirname, '../../..');
const GOLDEN_DIR = path.join(ROOT, 'test/golden/parse');
const cases = JSON.parse(readFileSync(path.join(GOLDEN_DIR, 'cases.json'), 'utf8')) as {
  name: string;
  type: LogType;
  file: string;
}[];

const golden = (name: string): LogRecord[] =>
  readFileSync(path.join(GOLDEN_DIR, `${name}.ndjson`), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogRecord);

async function collect(type: LogType, file: string): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for await (const record of parseStream(type, createReadStream(path.join(ROOT, file), { highWaterMark: 4096 }))) {
    records.push(record);
  }
  return records;
}

describe('golden records of every fixture', () => {
  it.each(cases)('parses $file into test/golden/parse/$name.ndjson', async ({ name, type, file }) => {
    expect(await collect(type, file)).toEqual(golden(name));
  });

  it.each(cases)('gives the same records for $name from parseText as from parseStream', ({ name, type, file }) => {
    expect(parseText(type, readFileSync(path.join(ROOT, file), 'utf8'))).toEqual(golden(name));
  });

  it('parses every line of the real server fixtures', () => {
    const real = cases.filter((c) => c.file.startsWith('sandbox/fixtures/'));
    expect(real).toHaveLength(6);
    for (const { name } of real) expect(golden(name).filter(isUnparsed)).toEqual([]);
  });

  it('keeps every junk line of the junk fixture as an unparsed record', () => {
    const records = golden('audit-junk-lines');
    expect(records.filter(isUnparsed).map((r) => r.raw.slice(0, 24))).toEqual([
      'this line is not an audi',
      '20261121 23:22:57,ip-10-',
      '20261199 23:22:57,ip-10-',
      '20261121 23:22:57,ip-10-',
      '20261121 23:22:57,ip-10-',
      '\u0001binary\u007f garbage',
      '20261121 23:22:58,ip-10-',
      '20261121 23:22:59,ip-10-',
    ]);
    expect(records.filter((r) => !isUnparsed(r))).toHaveLength(3);
  });
});
