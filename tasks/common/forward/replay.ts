/**
 * Resend documents stored under forward-failed/. What fails again is stored in a new object
 * before the old one is deleted, so a crash between the two leaves a duplicate, never a gap
 * (the ids make a duplicate delivery harmless).
 */
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { InvalidInputError } from '../errors';
import { logger } from '../logger';
import { DEFAULT_REPLAY_OBJECTS, FAILED_PREFIX, MAX_REPLAY_OBJECTS, readFailed } from './failed-store';
import { type ForwardDeps, forwardDocuments } from './forward-documents';

export interface ReplayRequest {
  /** A key prefix under forward-failed/, e.g. `forward-failed/2026/11/22/`. */
  readonly prefix: string;
  /** Objects taken on in this call; the rest wait for the next. @default 100 */
  readonly maxObjects?: number;
}

export interface ReplayOutcome {
  readonly objects: number;
  readonly documents: number;
  readonly delivered: number;
  /** Documents that failed again and were stored in new objects. */
  readonly failed: number;
}

export function parseReplayRequest(input: unknown): ReplayRequest {
  const request = (input ?? {}) as { prefix?: unknown; maxObjects?: unknown };
  const { prefix, maxObjects } = request;
  if (typeof prefix !== 'string' || !prefix.startsWith(FAILED_PREFIX) || prefix.includes('..')) {
    throw new InvalidInputError('replay.prefix', `a key prefix starting with ${FAILED_PREFIX}`);
  }
  if (
    maxObjects !== undefined &&
    (!Number.isInteger(maxObjects) || (maxObjects as number) < 1 || (maxObjects as number) > MAX_REPLAY_OBJECTS)
  ) {
    throw new InvalidInputError('replay.maxObjects', `a whole number from 1 to ${MAX_REPLAY_OBJECTS}`);
  }
  return { prefix, maxObjects: maxObjects as number | undefined };
}

async function listKeys(deps: ForwardDeps, prefix: string, max: number): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await deps.s3.send(
      new ListObjectsV2Command({
        Bucket: deps.bucket,
        Prefix: prefix,
        ContinuationToken: token,
        MaxKeys: Math.min(1000, max - keys.length),
      }),
    );
    for (const item of page.Contents ?? []) if (item.Key?.endsWith('.ndjson.gz')) keys.push(item.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token && keys.length < max);
  return keys.slice(0, max);
}

export async function replayFailed(request: ReplayRequest, deps: ForwardDeps): Promise<ReplayOutcome> {
  const { prefix, maxObjects = DEFAULT_REPLAY_OBJECTS } = parseReplayRequest(request);
  const keys = await listKeys(deps, prefix, maxObjects);
  let documents = 0;
  let delivered = 0;
  let failed = 0;
  for (const key of keys) {
    const items = await readFailed(deps.s3, deps.bucket, key);
    // Throws before the delete when the re-store fails: the old object still holds them.
    const outcome = await forwardDocuments(items, deps);
    await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.bucket, Key: key }));
    documents += outcome.documents;
    delivered += outcome.delivered;
    failed += outcome.failed;
  }
  logger.info('replayed undelivered documents', { prefix, objects: keys.length, documents, delivered, failed });
  return { objects: keys.length, documents, delivered, failed };
}
