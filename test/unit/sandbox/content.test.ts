import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { contentSize, openContent, type SeedFile } from '../../../sandbox/seed';

const MiB = 1024 * 1024;

async function digest(stream: Readable): Promise<{ bytes: number; sha256: string; largestChunk: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let largestChunk = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    largestChunk = Math.max(largestChunk, chunk.length);
  }
  return { bytes, sha256: hash.digest('hex'), largestChunk };
}

const file = (content: SeedFile['content'], appendedText?: string): SeedFile => ({
  instance: 'orders-aurora-1',
  name: 'audit/audit.log.0.2026-11-20-09-00.0',
  lastWritten: '2026-11-20T10:00:00.000Z',
  content,
  ...(appendedText === undefined ? {} : { appendedText }),
});

function fixture(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'content-')), 'audit.log');
  writeFileSync(path, text);
  return path;
}

describe('generated content', () => {
  it('streams exactly sizeBytes in bounded chunks', async () => {
    const generated = file({ generate: { sizeBytes: 64 * MiB + 7 } });

    const result = await digest(openContent(generated));

    expect(result.bytes).toBe(64 * MiB + 7);
    expect(result.largestChunk).toBeLessThanOrEqual(64 * 1024);
    expect(contentSize(generated)).toBe(64 * MiB + 7);
  });

  it('produces the same bytes on every run (built-in pattern)', async () => {
    const result = await digest(openContent(file({ generate: { sizeBytes: MiB } })));

    // Pinned: benchmarks compare runs, so the pattern must never drift silently.
    expect(result.sha256).toBe('409ac5bcd1f742f32b2c8fc204950a68c9e94d41069fbe815061dca5c5f88a91');
  });

  it('looks like a log: newline-terminated lines with timestamps', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of openContent(file({ generate: { sizeBytes: 4096 } }))) chunks.push(chunk as Buffer);
    const lines = Buffer.concat(chunks).toString().split('\n').slice(0, -1);

    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line).toMatch(/^2026-11-20T09:\d{2}:\d{2}\.\d{3}Z \d+ \[Note\] query_time=/);
  });

  it("repeats the fixture's lines and cuts at sizeBytes", async () => {
    const path = fixture('line one\nline two');
    const chunks: Buffer[] = [];
    for await (const chunk of openContent(file({ generate: { sizeBytes: 40, fixture: path } }))) chunks.push(chunk);

    expect(Buffer.concat(chunks).toString()).toBe('line one\nline two\nline one\nline two\nline');
  });

  it('is identical for the same fixture and size', async () => {
    const path = fixture('a\nbb\nccc\n');
    const generated = file({ generate: { sizeBytes: 3 * MiB + 1, fixture: path } });

    const [first, second] = [await digest(openContent(generated)), await digest(openContent(generated))];

    expect(first.bytes).toBe(3 * MiB + 1);
    expect(second.sha256).toBe(first.sha256);
  });
});

describe('fixture and text content', () => {
  it('serves a fixture file followed by appended text', async () => {
    const seeded = file({ fixture: fixture('first\n') }, 'second\n');
    const chunks: Buffer[] = [];
    for await (const chunk of openContent(seeded)) chunks.push(chunk);

    expect(Buffer.concat(chunks).toString()).toBe('first\nsecond\n');
    expect(contentSize(seeded)).toBe(13);
  });

  it('counts text size in bytes, not characters', () => {
    expect(contentSize(file({ text: 'é\n' }))).toBe(3);
  });

  it('serves empty text as an empty body', async () => {
    expect((await digest(openContent(file({ text: '' })))).bytes).toBe(0);
  });
});
