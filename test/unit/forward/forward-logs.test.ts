import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type BulkStandIn, startBulkStandIn } from '../../../sandbox/bulk-stand-in';
import { FailedStoreError } from '../../../tasks/common/forward/forward-errors';
import { forwardLogs } from '../../../tasks/forward-logs';
import { silenceLogger } from '../../helpers/logger';
import { awslogs, bulkTarget, decodedSample, forwardDepsFor, s3, sample, storedLines } from './helpers';

const s3Mock = mockClient(s3);
let bulk: BulkStandIn;

beforeAll(async () => {
  bulk = await startBulkStandIn();
});
afterAll(() => bulk.stop());
beforeEach(() => {
  s3Mock.reset();
  s3Mock.on(PutObjectCommand).resolves({});
  bulk.setFaults({});
  silenceLogger();
});

const deps = (env: Record<string, string> = {}, sleeps: number[] = []) =>
  forwardDepsFor(bulkTarget(bulk.endpoint), env, sleeps);

function putBodies(): unknown[] {
  return s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Body);
}

describe('forwarding CloudWatch Logs events to OpenSearch', () => {
  it('skips the control message and sends nothing', async () => {
    const before = bulk.calls.length;

    const output = await forwardLogs(sample('awslogs.control'), deps());

    expect(output).toEqual({ source: 'awslogs', skipped: 'control message' });
    expect(bulk.calls.length).toBe(before);
  });

  it('indexes each slow query with its cluster, instance and event id, in a per-day index', async () => {
    const events = decodedSample('slowquery').logEvents;

    const output = await forwardLogs(sample('awslogs.slowquery'), deps());

    expect(output).toMatchObject({ documents: 3, delivered: 3, failed: 0 });
    const stored = bulk.documents('rds-logs-orders-aurora-slowquery-2026.11.22');
    expect(stored.map((doc) => doc.id).sort()).toEqual(events.map((event) => event.id).sort());
    const first = stored.find((doc) => doc.id === events[0]?.id);
    expect(first?.source).toMatchObject({
      '@timestamp': '2026-11-22T01:14:05.036402Z',
      type: 'slowquery',
      cluster: 'orders-aurora',
      instance: 'orders-aurora-1',
      logGroup: '/aws/rds/cluster/orders-aurora/slowquery',
      logStream: 'orders-aurora-1',
      eventId: events[0]?.id,
      queryTime: 2.481913,
      rawMessage: events[0]?.message,
    });
  });

  it('gives the same ids to a redelivered payload, so the backend holds each document once', async () => {
    const index = 'rds-logs-billing-pg-postgresql-2026.11.22';

    await forwardLogs(sample('awslogs.postgresql'), deps());
    const firstIds = bulk.documents(index).map((doc) => doc.id);
    await forwardLogs(sample('awslogs.postgresql'), deps());

    const stored = bulk.documents(index);
    expect(stored.map((doc) => doc.id)).toEqual(firstIds);
    expect(stored).toHaveLength(decodedSample('postgresql').logEvents.length);
    expect(stored.every((doc) => doc.version >= 2)).toBe(true);
  });

  it('numbers the documents of a message that holds several entries', async () => {
    const [single, double] = decodedSample('error').logEvents;

    await forwardLogs(sample('awslogs.error'), deps());

    const ids = bulk.documents('rds-logs-orders-aurora-error-2026.11.22').map((doc) => doc.id);
    expect(ids).toEqual(expect.arrayContaining([single?.id, `${double?.id}-1`, `${double?.id}-2`]));
  });

  it('keeps a message that does not parse as a document with parseError and raw', async () => {
    const json = decodedSample('slowquery');
    json.logEvents = [
      { id: '1'.repeat(56), timestamp: Date.parse('2026-11-22T00:00:00Z'), message: 'garbage, not a slow log' },
    ];

    const output = await forwardLogs(awslogs(json), deps());

    expect(output).toMatchObject({ documents: 1, delivered: 1 });
    const [doc] = bulk.documents().filter((stored) => stored.id === '1'.repeat(56));
    expect(doc?.source).toMatchObject({
      parseError: expect.any(String),
      raw: 'garbage, not a slow log',
      cluster: 'orders-aurora',
      '@timestamp': '2026-11-22T00:00:00.000Z',
    });
  });

  it('follows FORWARD_LOG_GROUP_MAPPING for the cluster in documents and index names', async () => {
    const mapping = { '/aws/rds/cluster/orders-aurora/audit': { cluster: 'orders-prod' } };

    await forwardLogs(sample('awslogs.audit'), deps({ FORWARD_LOG_GROUP_MAPPING: JSON.stringify(mapping) }));

    const stored = bulk.documents('rds-logs-orders-prod-audit-2026.11.22');
    expect(stored).toHaveLength(4);
    expect(stored[0]?.source).toMatchObject({ cluster: 'orders-prod', instance: 'orders-aurora-1' });
  });

  it('sends a document larger than the byte limit alone in its own request', async () => {
    const json = decodedSample('audit');
    const big = `1795310047600000,ip-10-0-1-23,app_user,10.0.3.41,2871,88499,QUERY,shop,'INSERT INTO blobs VALUES (''${'x'.repeat(900_000)}'')',0`;
    json.logEvents.splice(2, 0, {
      id: '9'.repeat(56),
      timestamp: Date.parse('2026-11-22T01:14:07.600Z'),
      message: big,
    });
    const before = bulk.calls.length;

    const output = await forwardLogs(awslogs(json), deps({ FORWARD_BATCH_MAX_BYTES: '100000' }));

    expect(output).toMatchObject({ documents: 5, delivered: 5, failed: 0 });
    const requests = bulk.calls.slice(before).map((call) => call.documents);
    expect(requests).toEqual([2, 1, 2]);
    const stored = bulk.documents().find((doc) => doc.id === '9'.repeat(56));
    expect(JSON.stringify(stored?.source ?? {}).length).toBeGreaterThan(big.length);
  });

  it('splits by FORWARD_BATCH_MAX_DOCUMENTS', async () => {
    const before = bulk.calls.length;

    await forwardLogs(sample('awslogs.audit'), deps({ FORWARD_BATCH_MAX_DOCUMENTS: '3' }));

    expect(bulk.calls.slice(before).map((call) => call.documents)).toEqual([3, 1]);
  });
});

describe('failed deliveries', () => {
  it('retries throttled items, stores refused ones, and returns normally', async () => {
    const [throttled, refused] = decodedSample('slowquery').logEvents;
    bulk.setFaults({
      items: [
        { idPattern: `^${throttled?.id}$`, status: 429, times: 1 },
        { idPattern: `^${refused?.id}$`, status: 400 },
      ],
    });
    const sleeps: number[] = [];

    const output = await forwardLogs(sample('awslogs.slowquery'), deps({}, sleeps));

    expect(output).toMatchObject({
      documents: 3,
      delivered: 2,
      failed: 1,
      failedKey: 'forward-failed/2026/11/22/03/00000000-0000-4000-8000-000000000001.ndjson.gz',
    });
    expect(sleeps).toEqual([500]);
    const lines = storedLines(putBodies()[0]);
    expect(lines).toEqual([
      {
        index: 'rds-logs-orders-aurora-slowquery-2026.11.22',
        id: refused?.id,
        document: expect.objectContaining({ eventId: refused?.id, user: 'report' }),
        error: expect.stringContaining('mapper_parsing_exception'),
      },
    ]);
  });

  it('stores items still throttled after the last attempt', async () => {
    const [, , last] = decodedSample('slowquery').logEvents;
    bulk.setFaults({ items: [{ idPattern: `^${last?.id}$`, status: 429 }] });
    const sleeps: number[] = [];

    const output = await forwardLogs(sample('awslogs.slowquery'), deps({}, sleeps));

    expect(output).toMatchObject({ delivered: 2, failed: 1 });
    expect(sleeps).toEqual([500, 1000]);
    expect(storedLines(putBodies()[0])[0]).toMatchObject({ id: last?.id, error: expect.stringContaining('429') });
  });

  it('stores every document when the backend is down, losing none', async () => {
    bulk.setFaults({ down: true });
    const sleeps: number[] = [];

    const output = await forwardLogs(sample('awslogs.audit'), deps({}, sleeps));

    expect(output).toMatchObject({ documents: 4, delivered: 0, failed: 4 });
    expect(sleeps).toEqual([500, 1000]);
    const lines = storedLines(putBodies()[0]);
    expect(lines.map((line) => line.id)).toEqual(decodedSample('audit').logEvents.map((event) => event.id));
    expect(lines[0]?.error).toContain('503');
  });

  it('stores every document when the backend cannot be reached', async () => {
    const closed = forwardDepsFor(bulkTarget('http://127.0.0.1:1'));

    const output = await forwardLogs(sample('awslogs.audit'), closed);

    expect(output).toMatchObject({ delivered: 0, failed: 4 });
    expect(storedLines(putBodies()[0])[0]?.error).toContain('ECONNREFUSED');
  });

  it('fails the invocation when the undelivered documents cannot be stored', async () => {
    bulk.setFaults({ down: true });
    s3Mock.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));

    await expect(forwardLogs(sample('awslogs.audit'), deps())).rejects.toThrow(FailedStoreError);
  });
});

describe('replaying stored documents', () => {
  const OLD_KEY = 'forward-failed/2026/11/22/02/aaaaaaaa-0000-4000-8000-000000000000.ndjson.gz';

  async function storeOneFailure(): Promise<Buffer> {
    const [, refused] = decodedSample('slowquery').logEvents;
    bulk.setFaults({ items: [{ idPattern: `^${refused?.id}$`, status: 400, times: 1 }] });
    await forwardLogs(sample('awslogs.slowquery'), deps());
    const body = putBodies()[0] as Buffer;
    s3Mock.reset();
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock.on(DeleteObjectCommand).resolves({});
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: OLD_KEY }], IsTruncated: false });
    // The part of the SDK's stream body that reading a stored object uses.
    s3Mock.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new Uint8Array(body) } as never });
    return body;
  }

  it('resends a stored document and deletes its object once delivered', async () => {
    await storeOneFailure();
    const [, refused] = decodedSample('slowquery').logEvents;

    const output = await forwardLogs({ replay: { prefix: 'forward-failed/2026/11/22/' } }, deps());

    expect(output).toEqual({ source: 'replay', objects: 1, documents: 1, delivered: 1, failed: 0 });
    expect(bulk.documents().some((doc) => doc.id === refused?.id)).toBe(true);
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: 'archive-bucket', Key: OLD_KEY });
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('stores what fails again in a new object before deleting the old one', async () => {
    await storeOneFailure();
    bulk.setFaults({ down: true });

    const output = await forwardLogs({ replay: { prefix: 'forward-failed/' } }, deps());

    expect(output).toMatchObject({ objects: 1, documents: 1, delivered: 0, failed: 1 });
    const order = s3Mock.calls().map((call) => call.args[0].constructor.name);
    expect(order.indexOf('PutObjectCommand')).toBeLessThan(order.indexOf('DeleteObjectCommand'));
    expect(storedLines(putBodies()[0])).toHaveLength(1);
  });

  it('keeps the old object when the new one cannot be written', async () => {
    await storeOneFailure();
    bulk.setFaults({ down: true });
    s3Mock.on(PutObjectCommand).rejects(new Error('slow down'));

    await expect(forwardLogs({ replay: { prefix: 'forward-failed/' } }, deps())).rejects.toThrow(FailedStoreError);
    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  it('refuses a prefix outside forward-failed/', async () => {
    await expect(forwardLogs({ replay: { prefix: 'rds-events/' } }, deps())).rejects.toThrow(/^replay\.prefix:/);
  });
});

describe('forwarding RDS events', () => {
  it('indexes an RDS event under its cluster with the EventBridge id as document id', async () => {
    const event = sample('rds-event.failover');

    const output = await forwardLogs(event, deps());

    expect(output).toMatchObject({ source: 'rds-event', id: event.id, delivered: 1 });
    const [doc] = bulk.documents('rds-logs-orders-aurora-events-2026.11.21');
    expect(doc).toMatchObject({ id: event.id });
    expect(doc?.source).toMatchObject({
      '@timestamp': '2026-11-21T06:47:52.604Z',
      rdsEventId: 'RDS-EVENT-0071',
      message: 'Completed failover to DB instance: orders-aurora-2',
      cluster: 'orders-aurora',
    });
  });

  it('names the database of an automated snapshot event, not the snapshot', async () => {
    const output = await forwardLogs(sample('rds-event.cluster-automated-snapshot'), deps());

    expect(output).toMatchObject({ delivered: 1 });
    expect(Object.keys(bulk.counts())).toContain('rds-logs-orders-aurora-events-2026.11.21');
  });

  it('refuses an input that is none of the three kinds', async () => {
    await expect(forwardLogs({ hello: 'world' }, deps())).rejects.toThrow(/^event: expected a CloudWatch Logs/);
  });
});
