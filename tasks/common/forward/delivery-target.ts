import type { ForwardDocument } from './documents';

/** How the backend took one document: an HTTP-like status (2xx delivered) and, if refused, why. */
export interface ItemResult {
  readonly status: number;
  readonly error?: string;
}

/** A backend that takes documents in requests: OpenSearch `_bulk` or an HTTPS endpoint. */
export interface DeliveryTarget {
  /**
   * Send one request; resolves to one result per document, in order. Throws a
   * DeliveryRequestError when the request as a whole was not taken.
   */
  send(items: readonly ForwardDocument[]): Promise<ItemResult[]>;
}
