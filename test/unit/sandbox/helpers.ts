// Shared by the sandbox tests: a real RDS client and a signed download over plain node http,
// the way the archive task calls the stand-in.
import { request } from 'node:http';
import { RDSClient } from '@aws-sdk/client-rds';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RdsStandIn } from '../../../sandbox/rds-stand-in';
import { parseSeed, type Seed } from '../../../sandbox/seed';

/** The Aurora cluster most tests seed, fresh each time: a writer, and a reader that is auto-paused. */
export const ordersCluster = () => ({
  id: 'orders-aurora',
  engine: 'aurora-mysql',
  members: [
    { instance: 'orders-aurora-1', writer: true },
    { instance: 'orders-aurora-2', status: 'paused' },
  ],
});

export const seedOf = (value: unknown, baseDir = __dirname): Seed => parseSeed(value, baseDir);

/** One attempt per call, so each test sees the stand-in's answer rather than the SDK's retries. */
export const rdsClient = (standIn: RdsStandIn, maxAttempts = 1): RDSClient =>
  new RDSClient({ endpoint: standIn.endpoint, region: standIn.region, credentials: standIn.credentials, maxAttempts });

export interface DownloadResult {
  status: number;
  body: Buffer;
  /** False when the connection dropped before the end of the body. */
  complete: boolean;
}

export interface DownloadOptions {
  secretAccessKey?: string;
  region?: string;
  signingDate?: Date;
  /** Sends no Authorization header at all. */
  unsigned?: boolean;
  /** Percent-encodes each path segment before signing (needed for names with spaces). */
  encodePath?: boolean;
}

/** A download request signed the way the archive task signs it (SigV4, service rds). */
export async function signDownload(
  standIn: RdsStandIn,
  instance: string,
  name: string,
  options: DownloadOptions = {},
): Promise<HttpRequest> {
  const endpoint = new URL(standIn.endpoint);
  const rawPath = `/v13/downloadCompleteLogFile/${instance}/${name}`;
  const path = options.encodePath ? rawPath.split('/').map(encodeURIComponent).join('/') : rawPath;
  const unsigned = new HttpRequest({
    method: 'GET',
    protocol: 'http:',
    hostname: endpoint.hostname,
    port: Number(endpoint.port),
    path,
    headers: { host: endpoint.host },
  });
  if (options.unsigned) return unsigned;
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: standIn.credentials.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? standIn.credentials.secretAccessKey,
    },
    region: options.region ?? standIn.region,
    service: 'rds',
    sha256: Hash.bind(null, 'sha256'),
  });
  return (await signer.sign(unsigned, { signingDate: options.signingDate })) as HttpRequest;
}

export async function signedDownload(
  standIn: RdsStandIn,
  instance: string,
  name: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const signed = await signDownload(standIn, instance, name, options);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: signed.hostname, port: signed.port, method: 'GET', path: signed.path, headers: signed.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', () => undefined); // A dropped connection is reported through `complete`.
        res.on('close', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), complete: res.complete }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The `<Code>` of an awsQuery XML error body. */
export const errorCode = (body: Buffer): string | undefined => /<Code>([^<]*)<\/Code>/.exec(body.toString())?.[1];
