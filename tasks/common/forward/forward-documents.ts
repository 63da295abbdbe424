import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { logger } from '../logger';
import { type DeliverDeps, deliver } from './deliver';
import type { ForwardDocument } from './documents';
import { failedKey, storeFailed } from './failed-store';

/** What forwarding needs besides its input: the backend, the archive bucket, the clock. */
export interface ForwardDeps extends DeliverDeps {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly now: () => number;
  /** Names stored objects. @default crypto.randomUUID */
  readonly uuid?: () => string;
}

export interface ForwardOutcome {
  readonly documents: number;
  readonly delivered: number;
  /** Documents stored under forward-failed/ for a replay. */
  readonly failed: number;
  readonly failedKey?: string;
}

/**
 * Deliver documents; store what could not be delivered in one object and return normally, so
 * the source does not deliver the same payload again and again while the backend is down.
 * Only a failed store throws (FailedStoreError): then nothing would hold the documents.
 */
export async function forwardDocuments(items: readonly ForwardDocument[], deps: ForwardDeps): Promise<ForwardOutcome> {
  const { delivered, failed } = await deliver(items, deps);
  if (failed.length === 0) return { documents: items.length, delivered, failed: 0 };
  const key = failedKey(deps.now(), (deps.uuid ?? randomUUID)());
  await storeFailed(deps.s3, deps.bucket, failed, key);
  logger.warn('undelivered documents stored for replay', { documents: failed.length, key });
  return { documents: items.length, delivered, failed: failed.length, failedKey: key };
}
