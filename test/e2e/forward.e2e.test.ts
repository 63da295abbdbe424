import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { tempDir } from '../../sandbox/checks/archive-check';
import { sandboxS3ClientConfig } from '../../sandbox/credentials';
import { type Sandbox, startSandbox } from '../../sandbox/sandbox';
import { loadSeed } from '../../sandbox/seed';

const seed = loadSeed(path.join(__dirname, '../../sandbox/seeds/default.json'));
const sample = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../../events', `${name}.json`), 'utf8'));

let sandbox: Sandbox;
let s3: S3Client;
let forwardedDir: string;

beforeAll(async () => {
  const directory = tempDir('forward');
  forwardedDir = path.join(directory, '..', 'forwarded-e2e');
  sandbox = await startSandbox({ seed, directory, forwardedDirectory: forwardedDir });
  s3 = new S3Client(sandboxS3ClientConfig(sandbox.s3.endpoint, sandbox.rds.region));
});
afterAll(async () => {
  s3.destroy();
  await sandbox.stop();
});
afterEach(() => sandbox.bulk.setFaults({}));

function lambdaContext(): Context {
  return { getRemainingTimeInMillis: () => 60_000, functionName: 'forward-logs' } as unknown as Context;
}

async function invoke(event: unknown) {
  const { handler } = await import('../../tasks/forward-logs');
  return handler(event, lambdaContext());
}

async function failedKeys(): Promise<string[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: sandbox.bucket, Prefix: 'forward-failed/' }));
  return (page.Contents ?? []).map((item) => item.Key ?? '');
}

describe('log forwarding on the sandbox', () => {
  it('forwards a slow query delivery through the signed _bulk endpoint and writes it out', async () => {
    const output = await invoke(sample('awslogs.slowquery'));

    expect(output).toMatchObject({ source: 'awslogs', documents: 3, delivered: 3, failed: 0 });
    const index = 'rds-logs-orders-aurora-slowquery-2026.11.22';
    expect(sandbox.bulk.documents(index)).toHaveLength(3);
    const file = path.join(forwardedDir, `${index}.ndjson`);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('stores everything in S3 while the backend is down, then replays it all once it is back', async () => {
    sandbox.bulk.setFaults({ down: true });

    const stored = await invoke(sample('awslogs.audit'));

    expect(stored).toMatchObject({ documents: 4, delivered: 0, failed: 4 });
    const keys = await failedKeys();
    expect(keys).toHaveLength(1);
    const object = await s3.send(new GetObjectCommand({ Bucket: sandbox.bucket, Key: keys[0] }));
    const lines = gunzipSync(Buffer.from((await object.Body?.transformToByteArray()) ?? []))
      .toString()
      .trim()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line).index)).toEqual(
      Array(4).fill('rds-logs-orders-aurora-audit-2026.11.22'),
    );

    sandbox.bulk.setFaults({});
    const replayed = await invoke({ replay: { prefix: 'forward-failed/' } });

    expect(replayed).toEqual({ source: 'replay', objects: 1, documents: 4, delivered: 4, failed: 0 });
    expect(await failedKeys()).toEqual([]);
    expect(sandbox.bulk.documents('rds-logs-orders-aurora-audit-2026.11.22')).toHaveLength(4);
  });

  it('forwards an RDS event from EventBridge', async () => {
    const event = sample('rds-event.failover');

    await invoke(event);

    expect(sandbox.bulk.documents('rds-logs-orders-aurora-events-2026.11.21').map((doc) => doc.id)).toContain(event.id);
  });

  it('skips the control message', async () => {
    await expect(invoke(sample('awslogs.control'))).resolves.toEqual({ source: 'awslogs', skipped: 'control message' });
  });
});
