/**
 * Documents that could not be delivered, kept in the archive bucket as gzip NDJSON at
 * `forward-failed/{YYYY}/{MM}/{DD}/{HH}/{uuid}.ndjson.gz`, one
 * `{"index":…,"id":…,"document":{…},"error":"…"}` per line, for replayFailed to resend.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FORWARD_FAILED_PREFIX } from '../layout';
import type { ForwardDocument } from './documents';
import { FailedStoreError } from './forward-errors';

export const FAILED_PREFIX = FORWARD_FAILED_PREFIX;
/** Objects one replay call takes on unless told otherwise, and at most. */
export const DEFAULT_REPLAY_OBJECTS = 100;
export const MAX_REPLAY_OBJECTS = 10_000;

export interface FailedDocument extends ForwardDocument {
  /** Why the last attempt failed: the backend's status and reason, or the request's error. */
  readonly error: string;
}

export function failedKey(now: number, uuid: string): string {
  const time = new Date(now).toISOString();
  return `${FAILED_PREFIX}${time.slice(0, 4)}/${time.slice(5, 7)}/${time.slice(8, 10)}/${time.slice(11, 13)}/${uuid}.ndjson.gz`;
}

/** Write one object holding `items`; resolves to its key. A refused write throws FailedStoreError. */
export async function storeFailed(
  s3: S3Client,
  bucket: string,
  items: readonly FailedDocument[],
  key: string,
): Promise<string> {
  const lines = items.map((item) =>
    JSON.stringify({ index: item.index, id: item.id, document: item.document, error: item.error }),
  );
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: gzipSync(`${lines.join('\n')}\n`),
        ContentType: 'application/x-ndjson',
        ContentEncoding: 'gzip',
        Metadata: { documents: String(items.length) },
      }),
    );
  } catch (error) {
    throw new FailedStoreError(
      `storing ${items.length} undelivered documents at s3://${bucket}/${key} failed: ${(error as Error).name}`,
      { cause: error },
    );
  }
  return key;
}

function parseLine(line: string, key: string, number: number): FailedDocument {
  const value = JSON.parse(line) as Partial<FailedDocument>;
  if (typeof value.index !== 'string' || typeof value.id !== 'string' || typeof value.document !== 'object') {
    throw new Error(`s3 object ${key} line ${number}: expected {"index","id","document","error"}`);
  }
  return { index: value.index, id: value.id, document: value.document ?? {}, error: String(value.error ?? '') };
}

/** The documents of one stored object. */
export async function readFailed(s3: S3Client, bucket: string, key: string): Promise<FailedDocument[]> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from((await answer.Body?.transformToByteArray()) ?? new Uint8Array());
  // Some S3 clients and servers inflate Content-Encoding: gzip on the way; both forms are read.
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => parseLine(line, key, index + 1));
}
