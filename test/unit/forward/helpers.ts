import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { SANDBOX_CREDENTIALS } from '../../../sandbox/credentials';
import type { DeliveryTarget } from '../../../tasks/common/forward/delivery-target';
import { parseForwardConfig } from '../../../tasks/common/forward/forward-config';
import { openSearchTarget } from '../../../tasks/common/forward/opensearch-target';
import type { ForwardLogsDeps } from '../../../tasks/forward-logs';

type Json = Record<string, unknown>;

/** A fresh copy of events/{name}.json. */
export function sample(name: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '../../../events', `${name}.json`), 'utf8')) as Json;
}

/** The JSON inside an `awslogs` sample. */
export function decodedSample(
  name: string,
): Json & { logEvents: { id: string; timestamp: number; message: string }[] } {
  const data = (sample(`awslogs.${name}`).awslogs as { data: string }).data;
  return JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
}

/** A subscription delivery around `json`, as CloudWatch Logs sends it. */
export function awslogs(json: unknown): { awslogs: { data: string } } {
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(json))).toString('base64') } };
}

export const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

export const NOW = Date.parse('2026-11-22T03:04:05Z');

export function bulkTarget(endpoint: string): DeliveryTarget {
  return openSearchTarget({
    endpoint: new URL(endpoint),
    region: 'us-east-1',
    service: 'es',
    credentials: async () => ({ ...SANDBOX_CREDENTIALS }),
    timeoutMs: 5000,
  });
}

export function forwardDepsFor(
  target: DeliveryTarget,
  env: Record<string, string> = {},
  sleeps: number[] = [],
): ForwardLogsDeps {
  const config = parseForwardConfig({
    AWS_REGION: 'us-east-1',
    ARCHIVE_BUCKET: 'archive-bucket',
    FORWARD_TARGET: 'opensearch',
    FORWARD_ENDPOINT: 'http://127.0.0.1:9',
    ...env,
  });
  let next = 0;
  return {
    config,
    target,
    limits: { maxBytes: config.batchMaxBytes, maxDocuments: config.batchMaxDocuments },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    s3,
    bucket: config.archiveBucket,
    now: () => NOW,
    uuid: () => {
      next += 1;
      return `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`;
    },
  };
}

/** The lines of a gzip NDJSON body PutObject was given. */
export function storedLines(body: unknown): Json[] {
  return gunzipSync(body as Buffer)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json);
}
