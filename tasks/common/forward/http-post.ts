import http from 'node:http';
import https from 'node:https';
import { DeliveryRequestError } from './forward-errors';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** Bulk answers list every item; a few MB is plenty, and more is not kept in memory. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 30_000;

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/** Throttling and server errors: the same request may well succeed later. */
export const isRetriableStatus = (status: number) => status === 429 || status >= 500;

/**
 * POST a body and read the answer. No answer (refused, reset, timed out) throws a retriable
 * DeliveryRequestError; every HTTP status is returned for the caller to judge. Errors name the
 * host, never headers or body.
 */
export function post(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<HttpAnswer> {
  const transport = url.protocol === 'https:' ? https : http;
  const agent = agents[url.protocol === 'https:' ? 'https:' : 'http:'];
  return new Promise<HttpAnswer>((resolve, reject) => {
    const failed = (reason: string, cause?: unknown) =>
      reject(new DeliveryRequestError(`POST ${url.host}${url.pathname}: ${reason}`, undefined, true, { cause }));
    const request = transport.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (error) => failed(`answer broken off (${(error as { code?: string }).code})`, error));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => failed((error as { code?: string }).code ?? error.message, error));
    request.end(body);
  });
}
