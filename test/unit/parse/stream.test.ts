import { gzipSync } from 'node:zlib';
import { isUnparsed, type LogRecord } from '../../../tasks/common/parse/index';
import { parseStream } from '../../../tasks/common/parse/stream';
import type { LogType } from '../../../tasks/common/types';

const AUDIT_LINES = [
  '1795303375167647,ip-10-0-1-23,root,localhost,3,0,CONNECT,,,0',
  "20261121 23:22:57,ip-10-0-1-23,root,localhost,5,3,QUERY,,'SELECT \\'Zürich\\'',0",
  '20261121 23:22:58,ip-10-0-1-23,root,localhost,5,0,DISCONNECT,,,0',
];

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(type: LogType, source: AsyncIterable<Buffer>): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for await (const record of parseStream(type, source)) records.push(record);
  return records;
}

describe('parseStream', () => {
  const plain = Buffer.from(`${AUDIT_LINES.join('\n')}\n`);

  it('splits lines across chunk boundaries, even inside a multi-byte character', async () => {
    const whole = await collect('audit', chunks(plain, plain.length));
    const byteByByte = await collect('audit', chunks(plain, 1));
    expect(whole).toHaveLength(3);
    expect(whole[1]).toMatchObject({ object: "SELECT 'Zürich'" });
    expect(byteByByte).toEqual(whole);
  });

  it.each([1, 7, 4096])('inflates gzip, detected by its magic bytes, read %i bytes at a time', async (size) => {
    const records = await collect('audit', chunks(gzipSync(plain), size));
    expect(records).toEqual(await collect('audit', chunks(plain, 64)));
  });

  it('accepts \\r\\n line ends and a last line without one', async () => {
    const crlf = Buffer.from(AUDIT_LINES.join('\r\n'));
    const records = await collect('audit', chunks(crlf, 5));
    expect(records.filter(isUnparsed)).toEqual([]);
    expect(records).toEqual(await collect('audit', chunks(plain, 64)));
  });

  it('yields nothing for an empty source', async () => {
    expect(await collect('error', chunks(Buffer.alloc(0), 1))).toEqual([]);
  });

  it('returns the pending multi-line entry at the end of the input', async () => {
    const text = Buffer.from('2026-11-21 23:22:55 0 [Note] ready.\nVersion: 10.11');
    expect(await collect('error', chunks(text, 3))).toEqual([
      {
        type: 'error',
        time: '2026-11-21T23:22:55.000Z',
        threadId: 0,
        severity: 'Note',
        message: 'ready.\nVersion: 10.11',
      },
    ]);
  });

  const many = Buffer.from(`${AUDIT_LINES.join('\n')}\n`.repeat(2000));

  it.each([
    ['plain', many],
    ['gzip', gzipSync(many)],
  ])('closes a %s source when the reader stops early', async (_kind, bytes) => {
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        yield* chunks(bytes, 64);
      } finally {
        closed = true;
      }
    }
    for await (const record of parseStream('audit', source())) {
      expect(record).toMatchObject({ operation: 'CONNECT' });
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });

  it('fails on a corrupt gzip stream instead of yielding garbage', async () => {
    const corrupt = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not deflate data at all')]);
    await expect(collect('audit', chunks(corrupt, 8))).rejects.toThrow();
  });

  it('passes a read error of the source on', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield gzipSync(plain).subarray(0, 10);
      throw new Error('connection reset');
    }
    await expect(collect('audit', failing())).rejects.toThrow('connection reset');
  });
});
