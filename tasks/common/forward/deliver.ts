/**
 * Send documents in batches and retry what may succeed later: a failed request (no answer,
 * 429, 5xx) is sent again as a whole, throttled or failed items (429, 5xx) of a bulk answer
 * are sent again alone. What still fails, and what the backend refused for good, is returned
 * for the caller to store: nothing is dropped here.
 */
import { isTransient } from '../errors';
import { logger } from '../logger';
import { type BatchLimits, batches } from './batches';
import type { DeliveryTarget } from './delivery-target';
import type { ForwardDocument } from './documents';
import type { FailedDocument } from './failed-store';
import { DeliveryRequestError } from './forward-errors';
import { isRetriableStatus } from './http-post';

export interface DeliverDeps {
  readonly target: DeliveryTarget;
  readonly limits: BatchLimits;
  readonly sleep: (ms: number) => Promise<void>;
  /** Attempts per request and per retried item. @default 3 */
  readonly maxAttempts?: number;
}

export interface DeliveryOutcome {
  readonly delivered: number;
  readonly failed: readonly FailedDocument[];
}

export const DEFAULT_MAX_ATTEMPTS = 3;
const BACKOFF_MS = 500;

const retriable = (error: unknown) => (error instanceof DeliveryRequestError ? error.retriable : isTransient(error));

/** One batch, with its retries: resolves to the documents delivered and those that failed. */
async function deliverBatch(batch: readonly ForwardDocument[], deps: DeliverDeps): Promise<DeliveryOutcome> {
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const failed: FailedDocument[] = [];
  let delivered = 0;
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const last = attempt >= maxAttempts;
    let results: Awaited<ReturnType<DeliveryTarget['send']>>;
    try {
      results = await deps.target.send(pending);
    } catch (error) {
      if (last || !retriable(error)) {
        const reason = (error as Error).message;
        logger.warn('forward request failed', { documents: pending.length, attempt, error: reason });
        failed.push(...pending.map((item) => ({ ...item, error: reason })));
        break;
      }
      await deps.sleep(BACKOFF_MS * 2 ** (attempt - 1));
      continue;
    }
    const again: ForwardDocument[] = [];
    results.forEach((result, position) => {
      const item = pending[position] as ForwardDocument;
      if (result.status < 300) delivered += 1;
      else if (!last && isRetriableStatus(result.status)) again.push(item);
      else failed.push({ ...item, error: result.error ?? `status ${result.status}` });
    });
    pending = again;
    if (pending.length > 0) await deps.sleep(BACKOFF_MS * 2 ** (attempt - 1));
  }
  return { delivered, failed };
}

export async function deliver(items: readonly ForwardDocument[], deps: DeliverDeps): Promise<DeliveryOutcome> {
  let delivered = 0;
  const failed: FailedDocument[] = [];
  for (const batch of batches(items, deps.limits)) {
    const outcome = await deliverBatch(batch, deps);
    delivered += outcome.delivered;
    failed.push(...outcome.failed);
  }
  return { delivered, failed };
}
