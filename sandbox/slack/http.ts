// The HTTP side of the Slack stand-in: reading a request's arguments the ways Slack accepts
// them (query string, form body, JSON body) and answering as Slack does.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request as read: the path without its query, the query, and the whole body. */
export interface SlackRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly authorization?: string;
  readonly body: Buffer;
}

export async function readRequest(req: IncomingMessage): Promise<SlackRequest> {
  const [path = '/', rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
  return {
    method: req.method ?? 'GET',
    path,
    query: new URLSearchParams(rawQuery),
    contentType: String(req.headers['content-type'] ?? '').toLowerCase(),
    ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
    body: Buffer.concat((await req.toArray()) as Buffer[]),
  };
}

/** Arguments whose form-encoded value is JSON text (the Web API client stringifies them). */
const JSON_ARGUMENTS = new Set(['blocks', 'attachments', 'files', 'metadata']);

function decodeJsonArgument(name: string, value: unknown): unknown {
  if (!JSON_ARGUMENTS.has(name) || typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // left as text: the method answers it as an invalid argument
  }
}

/**
 * A Web API call's arguments: the query string, then a JSON or form body (Slack takes both).
 * JSON-valued form fields are decoded. Undefined for a body that is not a JSON object.
 */
export function readArguments(request: SlackRequest): Record<string, unknown> | undefined {
  const args: Record<string, unknown> = Object.fromEntries(request.query);
  if (request.contentType.startsWith('application/json')) {
    try {
      const body: unknown = JSON.parse(request.body.toString('utf8') || '{}');
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
      Object.assign(args, body);
    } catch {
      return undefined;
    }
  } else {
    Object.assign(args, Object.fromEntries(new URLSearchParams(request.body.toString('utf8'))));
  }
  return Object.fromEntries(Object.entries(args).map(([name, value]) => [name, decodeJsonArgument(name, value)]));
}

/** The bytes of an upload: the first file of a multipart body (what the Web API client sends), else the raw body. */
export async function readUploadBytes(request: SlackRequest): Promise<Buffer> {
  if (!request.contentType.startsWith('multipart/form-data')) return request.body;
  const form = await new Request('http://upload.invalid/', {
    method: 'POST',
    headers: { 'content-type': request.contentType },
    body: request.body,
  }).formData();
  for (const [, value] of form) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  throw new Error('the multipart upload holds no file');
}

export function sendJson(res: ServerResponse, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
