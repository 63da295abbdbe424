import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { type BulkStandIn, startBulkStandIn } from '../../../sandbox/bulk-stand-in';
import { httpsTarget, parseAuthSecret } from '../../../tasks/common/forward/https-target';
import { logger } from '../../../tasks/common/logger';
import { forgetCachedSecrets, readSecret } from '../../../tasks/common/secrets';
import { forwardLogs } from '../../../tasks/forward-logs';
import { decodedSample, forwardDepsFor, s3, sample, storedLines } from './helpers';

const API_KEY = 'ingest-key-7f3a9c1e-do-not-log';
const SECRET_ID = 'rds-log-archive/forward-auth';
const secrets = new SecretsManagerClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const secretsMock = mockClient(secrets);
const s3Mock = mockClient(s3);
let ingest: BulkStandIn;
let logged: unknown[][];

beforeAll(async () => {
  ingest = await startBulkStandIn({ ingestAuth: { header: 'X-Api-Key', value: API_KEY } });
});
afterAll(() => ingest.stop());
beforeEach(() => {
  forgetCachedSecrets();
  secretsMock.reset();
  s3Mock.reset();
  s3Mock.on(PutObjectCommand).resolves({});
  ingest.setFaults({});
  logged = [];
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
  }
});

function deps(secretString: string) {
  secretsMock.on(GetSecretValueCommand, { SecretId: SECRET_ID }).resolves({ SecretString: secretString });
  const target = httpsTarget({
    endpoint: new URL(ingest.ingestUrl),
    authHeader: async () => parseAuthSecret(SECRET_ID, await readSecret(secrets, SECRET_ID)),
    timeoutMs: 5000,
  });
  return forwardDepsFor(target, { FORWARD_TARGET: 'https', FORWARD_AUTH_SECRET: SECRET_ID });
}

const everythingLogged = () => JSON.stringify(logged, (_, value) => (value instanceof Error ? value.message : value));

describe('forwarding to an HTTPS endpoint', () => {
  it('posts JSON lines with the auth header the secret names', async () => {
    const output = await forwardLogs(
      sample('awslogs.postgresql'),
      deps(JSON.stringify({ header: 'X-Api-Key', value: API_KEY })),
    );

    expect(output).toMatchObject({ documents: 4, delivered: 4, failed: 0 });
    expect(ingest.documents('rds-logs-billing-pg-postgresql-2026.11.22').map((doc) => doc.id)).toEqual(
      decodedSample('postgresql').logEvents.map((event) => event.id),
    );
    expect(ingest.calls.at(-1)).toMatchObject({ path: '/ingest', status: 200, documents: 4 });
  });

  it('stores everything when the endpoint refuses the credentials, and never logs the secret', async () => {
    const output = await forwardLogs(
      sample('awslogs.audit'),
      deps(JSON.stringify({ header: 'X-Api-Key', value: 'wrong-key-also-secret' })),
    );

    expect(output).toMatchObject({ documents: 4, delivered: 0, failed: 4 });
    expect(storedLines(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.Body)[0]?.error).toContain('401');
    expect(logged.length).toBeGreaterThan(0);
    expect(everythingLogged()).not.toContain('wrong-key-also-secret');
    expect(everythingLogged()).not.toContain(API_KEY);
  });

  it('retries a 503 and delivers once the endpoint is back', async () => {
    ingest.setFaults({ items: [{ every: 1, status: 503, times: 1 }] });
    const secret = JSON.stringify({ header: 'X-Api-Key', value: API_KEY });

    const output = await forwardLogs(sample('awslogs.audit'), deps(secret));

    expect(output).toMatchObject({ delivered: 4, failed: 0 });
    expect(ingest.calls.slice(-2).map((call) => call.status)).toEqual([503, 200]);
    expect(everythingLogged()).not.toContain(API_KEY);
  });

  it('uses a plain secret string as the Authorization value', () => {
    expect(parseAuthSecret(SECRET_ID, ' Bearer abc.def \n')).toEqual({
      name: 'Authorization',
      value: 'Bearer abc.def',
    });
  });

  it('names the secret but not its value when the JSON form is wrong', () => {
    expect(() => parseAuthSecret(SECRET_ID, '{"header":"X Bad","value":"s3cr3t-value"}')).toThrow(
      /^secret "rds-log-archive\/forward-auth": expected/,
    );
    expect(() => parseAuthSecret(SECRET_ID, '{"value": "s3cr3t-value"')).not.toThrow(/s3cr3t-value/);
  });
});
