import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { LogType } from '../types';
import { createParser } from './index';
import type { LogRecord } from './types';

type ByteSource = NodeJS.ReadableStream | AsyncIterable<Buffer | Uint8Array | string>;

const isGzip = (chunk: Buffer): boolean => chunk[0] === 0x1f && chunk[1] === 0x8b;
const toBuffer = (chunk: Buffer | Uint8Array | string): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);

/** The source's bytes, inflated when the first two bytes are the gzip magic number. */
async function* bytes(source: ByteSource): AsyncGenerator<Buffer> {
  const iterator = (source as AsyncIterable<Buffer | Uint8Array | string>)[Symbol.asyncIterator]();
  // The magic number needs two bytes, and a source may hand them over one at a time.
  let head: Buffer = Buffer.alloc(0);
  for (let next = await iterator.next(); ; next = await iterator.next()) {
    if (!next.done) head = head.length === 0 ? toBuffer(next.value) : Buffer.concat([head, toBuffer(next.value)]);
    if (next.done || head.length >= 2) break;
  }
  if (head.length === 0) return;
  const rest = async function* (): AsyncGenerator<Buffer> {
    try {
      yield head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield toBuffer(next.value);
    } finally {
      // A reader that stops early must still close the source (a file handle, an S3 body).
      await iterator.return?.();
    }
  };
  if (!isGzip(head)) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip();
  // pipeline destroys both ends on an error or an early stop; iterating gunzip rethrows the error.
  pipeline(Readable.from(rest()), gunzip, () => {});
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/** Reads a byte stream (gzip detected by its magic bytes and inflated), splits lines (\n or \r\n), parses. */
export async function* parseStream(type: LogType, source: ByteSource): AsyncGenerator<LogRecord> {
  const parser = createParser(type);
  const decoder = new StringDecoder('utf8');
  let partial = '';
  for await (const chunk of bytes(source)) {
    const text = partial + decoder.write(chunk);
    let start = 0;
    // The carried-over part has no newline: searching from its end keeps a very long line linear.
    for (let newline = text.indexOf('\n', partial.length); newline >= 0; newline = text.indexOf('\n', start)) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      const records = parser.line(text.slice(start, end));
      start = newline + 1;
      for (const record of records) yield record;
    }
    partial = text.slice(start);
  }
  partial += decoder.end();
  if (partial !== '') {
    for (const record of parser.line(partial.endsWith('\r') ? partial.slice(0, -1) : partial)) yield record;
  }
  for (const record of parser.end()) yield record;
}
