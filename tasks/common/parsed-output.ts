import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { archiveStream, objectMetadata } from './archive-object';
import { PARSED_PREFIX } from './layout';
import { logger } from './logger';
import { isUnparsed } from './parse';
import { parseStream } from './parse/stream';
import type { LogType } from './types';

/** The parsed form of an archived file: `parsed/` before its key, `.ndjson.gz` for `.gz`. */
export function parsedKey(rawKey: string): string {
  return `${PARSED_PREFIX}${rawKey.replace(/\.gz$/, '')}.ndjson.gz`;
}

/** What a file's result tells about its parsed records; nothing when its log type is not parsed. */
export interface ParsedOutputReport {
  /** `present`: an earlier attempt already wrote them from the same archived source. */
  readonly parsed?: 'written' | 'present' | 'failed';
  readonly parsedKey?: string;
  /** Records written, unparsed lines included. */
  readonly parsedRecords?: number;
  /** Lines kept as unparsed records (raw text and the parse error). */
  readonly parseErrors?: number;
  /** Why the parsed records are missing; the raw archive is unaffected. */
  readonly parseNote?: string;
}

export interface ParsedOutputRequest {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly rawKey: string;
  readonly logType: LogType;
  /** The archived object's source (its metadata): the parsed object names the version it came from. */
  readonly source: { readonly sha256: string; readonly lastWritten: string };
  readonly stagingPrefix: string;
  readonly gzipLevel: number;
  readonly signal?: AbortSignal;
}

/** The metadata key naming the archived source a parsed object was made from. */
const PARSED_FROM = 'parsed-from-sha256';
/** Lines are handed to gzip in batches: one chunk per record would mean a hand-over per line. */
const BATCH_CHARACTERS = 64 * 1024;

/** Parses the archived object as it streams in and yields NDJSON in batches, counting as it goes. */
async function* ndjson(body: Readable, logType: LogType, counts: { records: number; errors: number }) {
  let batch = '';
  try {
    for await (const record of parseStream(logType, body)) {
      counts.records += 1;
      if (isUnparsed(record)) counts.errors += 1;
      batch += `${JSON.stringify(record)}\n`;
      if (batch.length >= BATCH_CHARACTERS) {
        yield Buffer.from(batch);
        batch = '';
      }
    }
    if (batch.length > 0) yield Buffer.from(batch);
  } finally {
    body.destroy();
  }
}

/** Whether the parsed object of `rawKey` exists and was made from this version of the source. */
export async function hasCurrentParsedOutput(
  s3: S3Client,
  bucket: string,
  rawKey: string,
  source: { readonly sha256?: string; readonly lastWritten: string },
): Promise<boolean> {
  const present = await objectMetadata(s3, bucket, parsedKey(rawKey));
  if (present === undefined) return false;
  return present[PARSED_FROM] === source.sha256 && present['source-last-written'] === source.lastWritten;
}

/**
 * Reads the archived object back, parses it and stores the records as gzip NDJSON at its parsed
 * key, complete or not at all (archiveStream: one PutObject, or staged and copied). A parsed
 * object already made from the same source is left as it is.
 */
export async function writeParsedOutput(request: ParsedOutputRequest): Promise<ParsedOutputReport> {
  const { s3, bucket, source } = request;
  const key = parsedKey(request.rawKey);
  if (await hasCurrentParsedOutput(s3, bucket, request.rawKey, source)) return { parsed: 'present', parsedKey: key };
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: request.rawKey }), {
    abortSignal: request.signal,
  });
  const counts = { records: 0, errors: 0 };
  await archiveStream(Readable.from(ndjson(object.Body as Readable, request.logType, counts)), {
    s3,
    bucket,
    key,
    stagingPrefix: request.stagingPrefix,
    listedSize: 0,
    gzipLevel: request.gzipLevel,
    metadata: { [PARSED_FROM]: source.sha256, 'source-last-written': source.lastWritten },
  });
  return { parsed: 'written', parsedKey: key, parsedRecords: counts.records, parseErrors: counts.errors };
}

/** writeParsedOutput, with a failure reported on the file rather than thrown: the raw archive stands. */
export async function parsedOutputOf(request: ParsedOutputRequest): Promise<ParsedOutputReport> {
  try {
    return await writeParsedOutput(request);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn('parsed output failed', { key: request.rawKey, error: reason });
    return {
      parsed: 'failed',
      parsedKey: parsedKey(request.rawKey),
      parseNote: `parsed output not written: ${reason}`,
    };
  }
}
