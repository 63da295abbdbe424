import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { DownloadError, type LogFileSource, signedDownloadSource } from '../../../tasks/common/download';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let respond: (response: ServerResponse) => void;
let received: Received[];
const server = createServer((request, response) => {
  received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
  respond(response);
});
let endpoint: string;
let source: LogFileSource;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  source = signedDownloadSource({ endpoint, region: 'eu-west-1', credentials: async () => credentials });
});

beforeEach(() => {
  received = [];
  respond = (response) => response.end('log line\n');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString();
}

async function downloadError(fileName = 'error/postgresql.log.2026-11-20-09'): Promise<DownloadError> {
  const error = await source.open('pg-1', fileName).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DownloadError)) throw new Error(`expected a DownloadError, got ${String(error)}`);
  return error;
}

/** The Authorization header a correct SigV4 signer computes for what the server received. */
async function expectedAuthorization(request: Received): Promise<string> {
  const authorization = String(request.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name])]));
  const signer = new SignatureV4({
    service: 'rds',
    region: 'eu-west-1',
    credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    new HttpRequest({ method: request.method, hostname: '127.0.0.1', path: request.url, headers }),
    { signingDate },
  );
  return String(signed.headers.authorization);
}

describe('signedDownloadSource', () => {
  it('asks for the complete file at /v13/downloadCompleteLogFile/{instance}/{file}', async () => {
    await readAll(await source.open('aurora-a-1', 'audit/audit.log.0.2026-11-20-09-45.1'));

    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe('GET');
    expect(received[0]?.url).toBe('/v13/downloadCompleteLogFile/aurora-a-1/audit/audit.log.0.2026-11-20-09-45.1');
  });

  it('signs the request with SigV4 for service rds in the configured region', async () => {
    await readAll(await source.open('aurora-a-1', 'slowquery/mysql-slowquery.log.2026-11-20.09'));
    const request = received[0] as Received;

    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/rds\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(request.headers.authorization).toBe(await expectedAuthorization(request));
  });

  it('streams the body of a 200 answer', async () => {
    const lines = Array.from({ length: 5000 }, (_, index) => `2026-11-20 09:00:00 UTC line ${index}\n`);
    respond = (response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (const line of lines) response.write(line);
      response.end();
    };

    const body = await readAll(await source.open('pg-1', 'error/postgresql.log.2026-11-20-09'));

    expect(body).toBe(lines.join(''));
  });

  it('reports a 404 as a DownloadError that is not worth retrying', async () => {
    respond = (response) => {
      response.writeHead(404);
      response.end('<ErrorResponse><Error><Code>DBLogFileNotFoundFault</Code></Error></ErrorResponse>');
    };

    const error = await downloadError();

    expect(error.status).toBe(404);
    expect(error.retriable).toBe(false);
    expect(error.message).toContain('DBLogFileNotFoundFault');
  });

  it('reports a 400 Throttling answer as worth retrying', async () => {
    respond = (response) => {
      response.writeHead(400);
      response.end(
        '<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>',
      );
    };

    const error = await downloadError();

    expect(error.status).toBe(400);
    expect(error.retriable).toBe(true);
  });

  it('reports another 400 as not worth retrying', async () => {
    respond = (response) => {
      response.writeHead(400);
      response.end('<ErrorResponse><Error><Code>InvalidParameterValue</Code></Error></ErrorResponse>');
    };

    const error = await downloadError();

    expect(error.retriable).toBe(false);
  });

  it('reports a 503 as worth retrying', async () => {
    respond = (response) => {
      response.writeHead(503);
      response.end();
    };

    const error = await downloadError();

    expect(error.status).toBe(503);
    expect(error.retriable).toBe(true);
  });

  it('reports a refused connection as worth retrying', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = signedDownloadSource({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'eu-west-1',
      credentials: async () => credentials,
    });

    const error = await unreachable.open('pg-1', 'error/postgresql.log').catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).status).toBeUndefined();
    expect((error as DownloadError).retriable).toBe(true);
  });
});
