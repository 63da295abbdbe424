import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { tempDir } from '../../sandbox/checks/archive-check';
import { sandboxS3ClientConfig } from '../../sandbox/credentials';
import { runArchive, type Sandbox, startSandbox } from '../../sandbox/sandbox';
import { loadSeed } from '../../sandbox/seed';

const seed = loadSeed(path.join(__dirname, '../../sandbox/seeds/default.json'));
const sample = (name: string) =>
  JSON.parse(readFileSync(path.join(__dirname, '../../events', `rds-event.${name}.json`), 'utf8'));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let sandbox: Sandbox;
let s3: S3Client;

beforeAll(async () => {
  sandbox = await startSandbox({ seed, directory: tempDir('notifications') });
  s3 = new S3Client(sandboxS3ClientConfig(sandbox.s3.endpoint, sandbox.rds.region));
});
afterAll(async () => {
  s3.destroy();
  await sandbox.stop();
});

function lambdaContext(): Context {
  return { getRemainingTimeInMillis: () => 60_000, functionName: 'capture-rds-event' } as unknown as Context;
}

async function keysUnder(prefix: string): Promise<string[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: sandbox.bucket, Prefix: prefix }));
  return (page.Contents ?? []).map((item) => item.Key ?? '');
}

describe('notifications on the sandbox', () => {
  it('posts the run report to Slack and uploads one metric graph per cluster and instance', async () => {
    const before = sandbox.slack.messages.length;

    const result = await runArchive({
      input: { scheduledTime: new Date().toISOString() },
      executionName: 'e2e-notify',
    });

    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { notified: { posted: 'posted', graphs: 2 } } });
    const [report] = sandbox.slack.messages.slice(before).filter((message) => message.via === 'webhook');
    expect(report?.text).toMatch(/succeeded/i);
    expect(JSON.stringify(report?.blocks)).toContain('e2e-notify');
    const graphs = sandbox.slack.uploads.filter((upload) => upload.filename.endsWith('.png'));
    expect(graphs.map((upload) => upload.filename).sort()).toEqual([
      expect.stringContaining('billing-pg'),
      expect.stringContaining('orders-aurora'),
    ]);
    for (const graph of graphs) expect(graph.bytes?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('stores an RDS event once, even when EventBridge delivers it twice, and posts it once', async () => {
    const { handler } = await import('../../tasks/capture-rds-event');
    const event = sample('cluster-automated-snapshot');
    const before = sandbox.slack.messages.length;

    const first = await handler(event, lambdaContext());
    const second = await handler(event, lambdaContext());

    expect(first).toMatchObject({ stored: true, kind: 'snapshot', posted: 'posted' });
    // s3rver ignores IfNoneMatch (S3 answers 412), so only the posting can show the redelivery here.
    expect(second).toMatchObject({ key: first.key, posted: 'already posted' });
    expect((await keysUnder(first.key)).filter((key) => key === first.key)).toHaveLength(1);
    const stored = await s3.send(new GetObjectCommand({ Bucket: sandbox.bucket, Key: first.key }));
    expect(JSON.parse((await stored.Body?.transformToString()) ?? '{}')).toEqual(event);
    const posted = sandbox.slack.messages.slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toContain(event.detail.SourceIdentifier);
  });

  it('stores every kind of event and posts only the configured kinds', async () => {
    const { handler } = await import('../../tasks/capture-rds-event');
    const kinds = ['automated-snapshot', 'backup', 'failover', 'failure', 'maintenance', 'reboot', 'other'];

    const outcomes = [];
    for (const kind of kinds) outcomes.push(await handler(sample(kind), lambdaContext()));

    expect(outcomes.filter((outcome) => outcome.posted === 'posted')).toHaveLength(kinds.length - 1);
    expect(outcomes.find((outcome) => outcome.kind === 'other')?.posted).toBe('not a posted kind');
    const stored = (await keysUnder('rds-events/')).filter((key) => key.endsWith('.json'));
    for (const outcome of outcomes) expect(stored).toContain(outcome.key);
  });
});
