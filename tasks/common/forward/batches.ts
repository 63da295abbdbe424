import type { ForwardDocument } from './documents';

export interface BatchLimits {
  readonly maxBytes: number;
  readonly maxDocuments: number;
}

/** Bytes one document takes in a request: its JSON, plus the action line or envelope around it. */
export function encodedSize(item: ForwardDocument): number {
  return Buffer.byteLength(JSON.stringify(item.document)) + Buffer.byteLength(item.index) + item.id.length + 48;
}

/**
 * Split documents into requests within the limits, in order. A document larger than the byte
 * limit on its own (CloudWatch Logs events reach 1 MB) goes alone in its own request rather
 * than being dropped: the backend, not this split, decides whether it is too large.
 */
export function batches(items: readonly ForwardDocument[], limits: BatchLimits): ForwardDocument[][] {
  const result: ForwardDocument[][] = [];
  let current: ForwardDocument[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = encodedSize(item);
    const full = current.length >= limits.maxDocuments || bytes + size > limits.maxBytes;
    if (current.length > 0 && full) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}
