/**
 * A generic HTTPS endpoint: one POST of JSON lines (`application/x-ndjson`), one line per
 * document, `{"index":…,"id":…,"document":{…}}`, with an optional auth header read from
 * Secrets Manager. The endpoint takes or refuses the request as a whole.
 */
import type { DeliveryTarget } from './delivery-target';
import type { ForwardDocument } from './documents';
import { DeliveryRequestError } from './forward-errors';
import { isRetriableStatus, post } from './http-post';

export interface AuthHeader {
  readonly name: string;
  readonly value: string;
}

export interface HttpsTargetOptions {
  readonly endpoint: URL;
  /** Read for every request (the secret helper caches it); undefined: no auth header. */
  readonly authHeader?: () => Promise<AuthHeader>;
  readonly timeoutMs?: number;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * The secret's text: a JSON object `{"header":"X-Api-Key","value":"…"}`, or a plain string
 * used as the `Authorization` value. Errors never quote the value.
 */
export function parseAuthSecret(secretId: string, text: string): AuthHeader {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return { name: 'Authorization', value: trimmed };
  let json: { header?: unknown; value?: unknown };
  try {
    json = JSON.parse(trimmed) as { header?: unknown; value?: unknown };
  } catch {
    throw new DeliveryRequestError(`secret "${secretId}": starts with "{" but is not JSON`, undefined, false);
  }
  const { header = 'Authorization', value } = json;
  if (typeof header !== 'string' || !HEADER_NAME.test(header) || typeof value !== 'string' || !value) {
    throw new DeliveryRequestError(
      `secret "${secretId}": expected {"header": "<HTTP header name>", "value": "<non-empty string>"}`,
      undefined,
      false,
    );
  }
  return { name: header, value };
}

export function ndjsonBody(items: readonly ForwardDocument[]): Buffer {
  const lines = items.map((item) => JSON.stringify({ index: item.index, id: item.id, document: item.document }));
  return Buffer.from(`${lines.join('\n')}\n`);
}

export function httpsTarget(options: HttpsTargetOptions): DeliveryTarget {
  return {
    async send(items) {
      const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
      if (options.authHeader) {
        const auth = await options.authHeader();
        headers[auth.name.toLowerCase()] = auth.value;
      }
      const answer = await post(options.endpoint, headers, ndjsonBody(items), options.timeoutMs);
      if (answer.status >= 200 && answer.status < 300) return items.map(() => ({ status: answer.status }));
      throw new DeliveryRequestError(
        `${options.endpoint.host} answered ${answer.status}: ${answer.body.slice(0, 300)}`,
        answer.status,
        isRetriableStatus(answer.status),
      );
    },
  };
}
