// The bytes of a log file: its seeded content followed by whatever was appended later.
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { SeedFile } from '../seed-format/types';
import { GeneratedContent } from './generated';

function openBase(file: SeedFile): Readable {
  const { content } = file;
  if ('fixture' in content) return createReadStream(content.fixture);
  if ('text' in content) return Readable.from(Buffer.from(content.text), { objectMode: false });
  return new GeneratedContent(content.generate.sizeBytes, content.generate.fixture);
}

/** Streams the file; nothing is read ahead beyond the consumer's pace. */
export function openContent(file: SeedFile): Readable {
  const base = openBase(file);
  const appended = file.appendedText ?? '';
  if (appended === '') return base;
  async function* withAppendix() {
    yield* base;
    yield Buffer.from(appended);
  }
  return Readable.from(withAppendix(), { objectMode: false });
}

/** The size DescribeDBLogFiles reports: what openContent would stream right now. */
export function contentSize(file: SeedFile): number {
  const { content } = file;
  const appended = Buffer.byteLength(file.appendedText ?? '');
  if ('fixture' in content) return statSync(content.fixture).size + appended;
  if ('text' in content) return Buffer.byteLength(content.text) + appended;
  return content.generate.sizeBytes + appended;
}
