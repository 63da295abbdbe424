// Verifies AWS Signature Version 4 the way AWS does: re-sign the request as received
// (same signed headers, X-Amz-Date and body hash) with the expected credentials and
// compare. The path is passed as it came over the wire; the signer's uriEscapePath
// canonicalisation then encodes it once more, which is exactly what a client signing
// that same path did (non-S3 services use this double encoding). Each service words the
// rejections its own way, so the caller may say how (RDS's awsQuery faults by default).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { RdsFault, signatureDoesNotMatch } from './errors';

const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface ReceivedRequest {
  readonly method: string;
  /** The path exactly as received, still percent-encoded, without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Why a request is refused: no signature, an unknown access key, or a signature that does not verify. */
export type SignatureProblem = 'missing' | 'unknown-key' | 'mismatch';

/** Makes the error a service answers for a refused signature. */
export type RejectSignature = (problem: SignatureProblem, message: string) => Error;

const rdsRejection: RejectSignature = (problem, message) => {
  if (problem === 'missing') return new RdsFault('MissingAuthenticationToken', 403, message);
  if (problem === 'unknown-key') return new RdsFault('InvalidClientTokenId', 403, message);
  return signatureDoesNotMatch(message);
};

export interface Expectation {
  readonly region: string;
  readonly service: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly now: Date;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

function signingDate(amzDate: string | undefined, now: Date, reject: RejectSignature): Date {
  const parts = amzDate === undefined ? null : AMZ_DATE.exec(amzDate);
  if (parts === null) throw reject('mismatch', 'The request must carry an X-Amz-Date header like 20261120T100000Z.');
  const [, y, mo, d, h, mi, s] = parts.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (Math.abs(date.getTime() - now.getTime()) > MAX_SKEW_MS) {
    const relation = date < now ? 'is now earlier than' : 'is still later than';
    throw reject(
      'mismatch',
      `Signature expired: ${amzDate} ${relation} the server time ${now.toISOString()} ± 15 min.`,
    );
  }
  return date;
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    result[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return result;
}

/** Resolves when the signature is valid; rejects with the error `reject` makes (RDS's by default). */
export async function verifySignature(
  request: ReceivedRequest,
  expected: Expectation,
  reject: RejectSignature = rdsRejection,
): Promise<void> {
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined) throw reject('missing', 'Missing Authentication Token');
  const match = AUTHORIZATION.exec(authorization.trim());
  if (match === null) {
    throw reject('mismatch', 'The Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.');
  }
  const [, credential = '', signedHeaderList = '', signature = ''] = match;
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = credential.split('/');
  if (accessKeyId !== expected.credentials.accessKeyId) {
    throw reject('unknown-key', 'The security token included in the request is invalid.');
  }
  const amzDate = header(request.headers, 'x-amz-date');
  const date = signingDate(amzDate, expected.now, reject);
  const scope = `${amzDate?.slice(0, 8)}/${expected.region}/${expected.service}/aws4_request`;
  if ([scopeDate, scopeRegion, scopeService, terminator].join('/') !== scope) {
    throw reject(
      'mismatch',
      `Credential should be scoped to ${scope}, not ${credential.slice(credential.indexOf('/') + 1)}.`,
    );
  }
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    throw reject('mismatch', 'The signed headers must include host and x-amz-date.');
  }
  const declaredHash = header(request.headers, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(request.body).digest('hex')) {
    throw reject('mismatch', 'The x-amz-content-sha256 header does not match the body.');
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const signer = new SignatureV4({
    credentials: expected.credentials,
    region: expected.region,
    service: expected.service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const resigned = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: header(request.headers, 'host') ?? '',
      path: request.path,
      query: queryObject(request.query),
      headers,
      body: request.body.length > 0 ? request.body : undefined,
    }),
    { signingDate: date, signableHeaders: new Set(signedHeaders) },
  );
  const computed = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization))?.[1] ?? '';
  if (computed.length !== signature.length || !timingSafeEqual(Buffer.from(computed), Buffer.from(signature))) {
    throw reject(
      'mismatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
}

/** Read a request's body and verify its signature: the first step of every JSON-protocol stand-in. */
export async function readSignedRequest(
  req: IncomingMessage,
  signing: Omit<Expectation, 'now'>,
  reject: RejectSignature,
): Promise<Buffer> {
  const body = Buffer.concat((await req.toArray()) as Buffer[]);
  const [path = '/', rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
  const received = {
    method: req.method ?? 'POST',
    path,
    query: new URLSearchParams(rawQuery),
    headers: req.headers,
    body,
  };
  await verifySignature(received, { ...signing, now: new Date() }, reject);
  return body;
}
