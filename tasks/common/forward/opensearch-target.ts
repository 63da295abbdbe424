/**
 * OpenSearch `_bulk`, SigV4-signed for a managed domain (`es`) or a Serverless collection
 * (`aoss`, which also wants the body's SHA-256 in `x-amz-content-sha256`). Every document is an
 * `index` action with its own `_id`: a redelivery or a replay overwrites the same document.
 * docs/forwarding.md explains why Serverless time series collections do not fit.
 */
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { DeliveryTarget, ItemResult } from './delivery-target';
import type { ForwardDocument } from './documents';
import type { OpenSearchService } from './forward-config';
import { DeliveryRequestError } from './forward-errors';
import { isRetriableStatus, post } from './http-post';

export interface OpenSearchTargetOptions {
  /** The domain or collection endpoint, e.g. `https://search-logs-abc.ap-northeast-2.es.amazonaws.com`. */
  readonly endpoint: URL;
  readonly region: string;
  readonly service: OpenSearchService;
  readonly credentials: AwsCredentialIdentityProvider;
  readonly timeoutMs?: number;
}

interface BulkItem {
  readonly status?: number;
  readonly error?: { readonly type?: string; readonly reason?: string } | string;
}

export function bulkBody(items: readonly ForwardDocument[]): Buffer {
  const lines = items.flatMap((item) => [
    JSON.stringify({ index: { _index: item.index, _id: item.id } }),
    JSON.stringify(item.document),
  ]);
  return Buffer.from(`${lines.join('\n')}\n`);
}

function describe(error: BulkItem['error']): string | undefined {
  if (error === undefined) return undefined;
  if (typeof error === 'string') return error.slice(0, 500);
  return `${error.type ?? 'error'}: ${(error.reason ?? '').slice(0, 500)}`;
}

/** The per-item outcome of a 200 answer; an answer that does not list every item counts as a failed request. */
function itemResults(text: string, count: number): ItemResult[] {
  let answer: { items?: unknown };
  try {
    answer = JSON.parse(text) as { items?: unknown };
  } catch {
    throw new DeliveryRequestError('_bulk answered 200 with a body that is not JSON', 200, true);
  }
  if (!Array.isArray(answer.items) || answer.items.length !== count) {
    throw new DeliveryRequestError(
      `_bulk answered for ${String((answer.items as unknown[])?.length)} of ${count} items`,
      200,
      true,
    );
  }
  return answer.items.map((entry) => {
    const item = (Object.values(entry as Record<string, BulkItem>)[0] ?? {}) as BulkItem;
    const status = item.status ?? 500;
    return status < 300 ? { status } : { status, error: `${status} ${describe(item.error) ?? 'refused'}` };
  });
}

export function openSearchTarget(options: OpenSearchTargetOptions): DeliveryTarget {
  const url = new URL(`${options.endpoint.pathname.replace(/\/$/, '')}/_bulk`, options.endpoint);
  const signer = new SignatureV4({
    service: options.service,
    region: options.region,
    credentials: options.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  return {
    async send(items) {
      const body = bulkBody(items);
      const headers: Record<string, string> = { host: url.host, 'content-type': 'application/x-ndjson' };
      if (options.service === 'aoss') headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
      const signed = await signer.sign(
        new HttpRequest({
          method: 'POST',
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port ? Number(url.port) : undefined,
          path: url.pathname,
          headers,
          body,
        }),
      );
      const answer = await post(url, signed.headers, body, options.timeoutMs);
      if (answer.status === 200) return itemResults(answer.body, items.length);
      throw new DeliveryRequestError(
        `_bulk answered ${answer.status}: ${answer.body.slice(0, 300)}`,
        answer.status,
        isRetriableStatus(answer.status),
      );
    },
  };
}
