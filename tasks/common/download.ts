import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** Why a download did not start; `retriable` tells whether another attempt may succeed. */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DownloadError';
  }
}

/** Opens the complete body of one DB log file as a stream. */
export interface LogFileSource {
  open(instanceId: string, fileName: string, signal?: AbortSignal): Promise<Readable>;
}

export interface SignedDownloadOptions {
  /** `https://rds.{region}.amazonaws.com` or a stand-in's base URL. */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
}

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

function errorCode(body: string): string {
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? 'UnknownError';
}

async function readSmall(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    if (text.length < 4096) text += String(chunk);
  }
  return text;
}

/**
 * The REST download `GET /v13/downloadCompleteLogFile/{instance}/{file}`, which no SDK wraps:
 * SigV4-signed for service `rds` with the caller's own credentials, body streamed unbuffered.
 */
export function signedDownloadSource(options: SignedDownloadOptions): LogFileSource {
  const url = new URL(options.endpoint);
  const signer = new SignatureV4({
    service: 'rds',
    region: options.region,
    credentials: options.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const transport = url.protocol === 'https:' ? https : http;
  return {
    async open(instanceId, fileName, signal) {
      const path = `/v13/downloadCompleteLogFile/${encodeURIComponent(instanceId)}/${fileName.split('/').map(encodeURIComponent).join('/')}`;
      const signed = await signer.sign(
        new HttpRequest({
          method: 'GET',
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port ? Number(url.port) : undefined,
          path,
          headers: { host: url.host },
        }),
      );
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const request = transport.request(
          {
            protocol: url.protocol,
            hostname: url.hostname,
            port: url.port,
            path,
            method: 'GET',
            headers: signed.headers,
            signal,
            agent: agents[url.protocol as 'http:'],
          },
          resolve,
        );
        request.on('error', (cause) =>
          reject(new DownloadError(`download of ${fileName} failed: ${cause.message}`, undefined, true, { cause })),
        );
        request.end();
      });
      const status = response.statusCode ?? 0;
      if (status === 200) return response;
      const code = errorCode(await readSmall(response).catch(() => ''));
      const retriable = status === 429 || status >= 500 || /Throttl/i.test(code);
      throw new DownloadError(`download of ${fileName} answered ${status} ${code}`, status, retriable);
    },
  };
}
