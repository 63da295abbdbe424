import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { s3Client, secretsClient } from './common/clients';
import { asTaskError } from './common/errors';
import { makeHandler } from './common/handler';
import { logger } from './common/logger';
import { type NotifyConfig, notifyConfig, type RdsEventKind } from './common/notify-config';
import { classify, eventKey, parseRdsEvent, postedMarkerKey, type RdsEvent } from './common/rds-events';
import { formatRdsEvent } from './common/slack-format';
import { type SlackNotifier, slackNotifier } from './common/slack-webhook';

export interface CaptureRdsEventDeps {
  readonly s3: S3Client;
  readonly notifier: SlackNotifier;
  readonly config: NotifyConfig;
  readonly now: () => number;
}

export interface CaptureRdsEventOutput {
  readonly key: string;
  /** False when an earlier delivery of the same event stored it already. */
  readonly stored: boolean;
  readonly kind: RdsEventKind;
  readonly posted: 'posted' | 'not configured' | 'not a posted kind' | 'already posted';
}

const httpStatus = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** Create `key` unless it exists: true when this call wrote it, false on 412 (exists) or 409 (being written). */
async function putOnce(s3: S3Client, bucket: string, key: string, body: string, kind: RdsEventKind) {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        Metadata: { 'event-kind': kind },
        IfNoneMatch: '*',
      }),
    );
    return true;
  } catch (error) {
    if (httpStatus(error) === 412 || httpStatus(error) === 409) return false;
    throw asTaskError(error, `writing s3://${bucket}/${key}`);
  }
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (httpStatus(error) === 404 || (error as Error).name === 'NotFound') return false;
    throw asTaskError(error, `reading s3://${bucket}/${key}`);
  }
}

async function post(event: RdsEvent, kind: RdsEventKind, key: string, deps: CaptureRdsEventDeps) {
  try {
    return await deps.notifier.post(formatRdsEvent(event, kind, deps.config.timeZone));
  } catch (error) {
    // The event is stored; failing the invocation makes Lambda deliver it again, and the
    // redelivery skips the store (IfNoneMatch) and posts.
    logger.warn('rds event stored but not posted; the invocation fails so that it is retried', {
      key,
      kind,
      eventId: event.id,
    });
    throw error;
  }
}

/**
 * Store an RDS event in the archive bucket, once, then post it to Slack if its kind is one of
 * the posted kinds and no earlier delivery posted it. The record comes first: a Slack or
 * secret failure fails the invocation (to be retried) but never loses the event.
 */
export async function captureRdsEvent(input: unknown, deps: CaptureRdsEventDeps): Promise<CaptureRdsEventOutput> {
  const event = parseRdsEvent(input);
  const kind = classify(event);
  const key = eventKey(event);
  const bucket = deps.config.archiveBucket;
  const stored = await putOnce(deps.s3, bucket, key, JSON.stringify(event), kind);
  if (!deps.config.postedKinds.includes(kind)) return { key, stored, kind, posted: 'not a posted kind' };
  const marker = postedMarkerKey(key);
  // Checked also after a store that looked new: a store that does not enforce IfNoneMatch
  // (some S3-compatible ones) would otherwise post a redelivered event twice.
  if (await exists(deps.s3, bucket, marker)) return { key, stored, kind, posted: 'already posted' };
  const posted = await post(event, kind, key, deps);
  if (posted === 'posted') {
    const body = JSON.stringify({ postedAt: new Date(deps.now()).toISOString() });
    // Losing the marker costs at most a second message if the same event is delivered again.
    await putOnce(deps.s3, bucket, marker, body, kind).catch((error: unknown) =>
      logger.warn('posted rds event but could not record it', { marker, error: error as Error }),
    );
  }
  return { key, stored, kind, posted };
}

export const handler = makeHandler('capture rds event', (event: unknown) => {
  const config = notifyConfig();
  return captureRdsEvent(event, {
    s3: s3Client(),
    notifier: slackNotifier({ secrets: secretsClient(), config }),
    config,
    now: Date.now,
  });
});
