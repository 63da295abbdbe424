import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  type LogStream,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { exportStagingPrefix, exportTaskName } from '../../../tasks/common/cloudwatch-layout';
import type { ExportManifest, GroupProgress, LogGroupRef } from '../../../tasks/common/cloudwatch-types';
import { ExportVerificationError, InvalidInputError, TransientAwsError } from '../../../tasks/common/errors';
import { type VerifyExportDeps, verifyExport } from '../../../tasks/verify-export';
import { s3NotFound } from '../../helpers/aws-errors';
import { silenceLogger } from '../../helpers/logger';
import { logsThrottled } from '../../helpers/logs-errors';
import { runContext } from '../../helpers/run-context';

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const logs = new CloudWatchLogsClient({ region: 'eu-west-1', credentials });
const s3 = new S3Client({ region: 'eu-west-1', credentials });
const logsMock = mockClient(logs);
const s3Mock = mockClient(s3);

const BUCKET = 'archive-bucket';
const NOW = Date.parse('2026-11-20T12:00:00Z');
const FROM = Date.parse('2026-11-12T00:00:00Z');
const CUTOFF = Date.parse('2026-11-13T00:00:00Z');
const GROUP = '/aws/rds/cluster/aurora-a/error';
const TASK_NAME = exportTaskName(GROUP, FROM, CUTOFF);
const STAGING = exportStagingPrefix(TASK_NAME);
const TASK_FOLDER = `${STAGING}/task-1/`;
const HOME = 'cloudwatch/aws/rds/cluster/aurora-a/error/2026/11/12/20261112T000000Z_20261113T000000Z/';
const MANIFEST = `${HOME}manifest.json`;
const hours = (count: number) => count * 3_600_000;

/** The archive bucket: keys and sizes, listed two per page so that paging is exercised. */
let bucket: Map<string, number>;
let manifestBody: string | undefined;

function event(group: Partial<LogGroupRef> = {}, status: 'COMPLETED' | 'RUNNING' = 'COMPLETED'): GroupProgress {
  return {
    run: runContext(),
    group: { name: GROUP, dataProtected: false, ...group },
    export: {
      taskName: TASK_NAME,
      taskId: 'task-1',
      status,
      from: FROM,
      cutoff: CUTOFF,
      destinationPrefix: STAGING,
      firstTriedAt: '2026-11-20T11:00:00.000Z',
      waitSeconds: 30,
      slotAttempts: 0,
    },
  };
}

const deps = (): VerifyExportDeps => ({ logs, s3, bucket: BUCKET, now: () => NOW });

/** An export as CloudWatch Logs leaves it, plus the task record Start Export writes. */
function staged(files: Record<string, number>) {
  for (const [key, size] of Object.entries(files)) bucket.set(`${TASK_FOLDER}${key}`, size);
  bucket.set(`${STAGING}/aws-logs-write-test`, 27);
  bucket.set(`${STAGING}/task.json`, 300);
}

/** A stream active inside the range. */
function stream(name: string, overrides: Partial<LogStream> = {}): LogStream {
  return {
    logStreamName: name,
    firstEventTimestamp: FROM - hours(48),
    lastEventTimestamp: FROM + hours(5),
    lastIngestionTime: FROM + hours(5),
    ...overrides,
  };
}

function streams(...list: LogStream[]) {
  logsMock.on(DescribeLogStreamsCommand).callsFake(async (input: { nextToken?: string }) => {
    const start = Number(input.nextToken ?? 0);
    const next = start + 2 < list.length ? String(start + 2) : undefined;
    return { logStreams: list.slice(start, start + 2), nextToken: next };
  });
}

function eventsIn(name: string, count: number) {
  const events = Array.from({ length: count }, (_, index) => ({ timestamp: FROM + index, message: `line ${index}` }));
  logsMock.on(GetLogEventsCommand, { logStreamName: name }).resolves({ events, nextForwardToken: 'f/1' });
}

function fakeBucket() {
  s3Mock.on(ListObjectsV2Command).callsFake(async (input: { Prefix: string; ContinuationToken?: string }) => {
    const keys = [...bucket.keys()].filter((key) => key.startsWith(input.Prefix)).sort();
    const start = Number(input.ContinuationToken ?? 0);
    const truncated = start + 2 < keys.length;
    return {
      Contents: keys.slice(start, start + 2).map((Key) => ({ Key, Size: bucket.get(Key) })),
      IsTruncated: truncated,
      NextContinuationToken: truncated ? String(start + 2) : undefined,
    };
  });
  s3Mock.on(HeadObjectCommand).callsFake(async (input: { Key: string }) => {
    if (!bucket.has(input.Key)) throw s3NotFound();
    return {};
  });
  s3Mock.on(CopyObjectCommand).callsFake(async (input: { Key: string; CopySource: string }) => {
    const source = decodeURIComponent(input.CopySource.slice(BUCKET.length + 1));
    bucket.set(input.Key, bucket.get(source) ?? -1);
    return {};
  });
  s3Mock.on(PutObjectCommand).callsFake(async (input: { Key: string; Body: string }) => {
    bucket.set(input.Key, input.Body.length);
    if (input.Key === MANIFEST) manifestBody = input.Body;
    return {};
  });
  s3Mock.on(DeleteObjectsCommand).callsFake(async (input: { Delete: { Objects: { Key: string }[] } }) => {
    for (const object of input.Delete.Objects) bucket.delete(object.Key);
    return {};
  });
}

const manifest = () => JSON.parse(manifestBody ?? 'null') as ExportManifest;
const keysUnder = (prefix: string) => [...bucket.keys()].filter((key) => key.startsWith(prefix)).sort();
const commandNames = () => s3Mock.calls().map((call) => (call.args[0] as object).constructor.name);

beforeAll(silenceLogger);

beforeEach(() => {
  logsMock.reset();
  s3Mock.reset();
  bucket = new Map();
  manifestBody = undefined;
  fakeBucket();
  logsMock.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/0' });
});

describe('verifyExport', () => {
  it('copies every exported object to the stable layout, by stream and file name', async () => {
    staged({ 'aurora-a-1/000000.gz': 100, 'aurora-a-1/000001.gz': 50, 'aurora-a-2/000000.gz': 70 });
    streams(stream('aurora-a-1'), stream('aurora-a-2'));

    const output = await verifyExport(event(), deps());

    expect(output.manifestKey).toBe(MANIFEST);
    expect(keysUnder(HOME)).toEqual([
      `${HOME}aurora-a-1/000000.gz`,
      `${HOME}aurora-a-1/000001.gz`,
      `${HOME}aurora-a-2/000000.gz`,
      MANIFEST,
    ]);
    expect(s3Mock).toHaveReceivedCommandWith(CopyObjectCommand, {
      Bucket: BUCKET,
      Key: `${HOME}aurora-a-1/000001.gz`,
      CopySource: `${BUCKET}/${TASK_FOLDER}aurora-a-1/000001.gz`,
    });
  });

  it('keeps the slashes of stream names and encodes the copy source', async () => {
    staged({ 'app/worker [1]/000000.gz': 10 });
    streams(stream('app/worker [1]'));

    await verifyExport(event(), deps());

    expect(s3Mock).toHaveReceivedCommandWith(CopyObjectCommand, {
      Key: `${HOME}app/worker [1]/000000.gz`,
      CopySource: `${BUCKET}/${STAGING}/task-1/app/worker%20%5B1%5D/000000.gz`,
    });
    expect(manifest().streams).toEqual([
      { name: 'app/worker [1]', objects: [{ key: `${HOME}app/worker [1]/000000.gz`, size: 10 }] },
    ]);
  });

  it('writes the manifest after every copy and before the staging objects are deleted', async () => {
    staged({ 'aurora-a-1/000000.gz': 100, 'aurora-a-2/000000.gz': 70 });
    streams(stream('aurora-a-1'), stream('aurora-a-2'));

    await verifyExport(event(), deps());

    const names = commandNames();
    const put = names.indexOf('PutObjectCommand');
    expect(names.lastIndexOf('CopyObjectCommand')).toBeLessThan(put);
    expect(names.indexOf('DeleteObjectsCommand')).toBeGreaterThan(put);
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it('records the export in the manifest', async () => {
    staged({ 'aurora-a-1/000000.gz': 100 });
    streams(stream('aurora-a-1'));

    await verifyExport(event(), deps());

    expect(manifest()).toEqual({
      logGroupName: GROUP,
      from: '2026-11-12T00:00:00.000Z',
      to: '2026-11-13T00:00:00.000Z',
      exportTaskId: 'task-1',
      taskName: TASK_NAME,
      verifiedAt: '2026-11-20T12:00:00.000Z',
      prefix: HOME,
      streams: [{ name: 'aurora-a-1', objects: [{ key: `${HOME}aurora-a-1/000000.gz`, size: 100 }] }],
      emptyStreams: [],
    });
  });

  it('deletes everything under the staging prefix, the write test and the task record included', async () => {
    staged({ 'aurora-a-1/000000.gz': 100, 'aurora-a-1/000001.gz': 50, 'aurora-a-2/000000.gz': 70 });
    streams(stream('aurora-a-1'), stream('aurora-a-2'));

    await verifyExport(event(), deps());

    expect(keysUnder(`${STAGING}/`)).toEqual([]);
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      Delete: expect.objectContaining({
        Objects: expect.arrayContaining([{ Key: `${STAGING}/aws-logs-write-test` }, { Key: `${STAGING}/task.json` }]),
      }),
    });
  });

  it('pages through the export listing', async () => {
    staged({ 'aurora-a-1/000000.gz': 1, 'aurora-a-1/000001.gz': 2, 'aurora-a-1/000002.gz': 3, 'b/000000.gz': 4 });
    streams(stream('aurora-a-1'), stream('b'));

    await verifyExport(event(), deps());

    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, { Prefix: TASK_FOLDER, ContinuationToken: '2' });
    expect(manifest().streams.flatMap((entry) => entry.objects)).toHaveLength(4);
  });

  it('fails when a stream with events in the range has no objects, and moves or deletes nothing', async () => {
    staged({ 'aurora-a-1/000000.gz': 100 });
    streams(stream('aurora-a-1'), stream('aurora-a-2'));
    eventsIn('aurora-a-2', 3);

    const error = await verifyExport(event(), deps()).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ExportVerificationError);
    expect((error as Error).message).toContain('1 stream(s) with events in');
    expect((error as Error).message).toContain(': aurora-a-2; nothing was moved or deleted');
    expect(s3Mock).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectsCommand);
    expect(keysUnder(`${STAGING}/`)).toHaveLength(3);
  });

  it('names at most ten missing streams and counts the rest', async () => {
    staged({});
    const missing = Array.from({ length: 12 }, (_, index) => `s${String(index).padStart(2, '0')}`);
    streams(...missing.map((name) => stream(name)));
    for (const name of missing) eventsIn(name, 1);

    const error = await verifyExport(event(), deps()).catch((thrown: unknown) => thrown);

    expect((error as Error).message).toContain(`: ${missing.slice(0, 10).join(', ')} and 2 more;`);
    expect((error as Error).message).toContain('12 stream(s)');
  });

  it('records an expected stream without objects and without events in the range as empty', async () => {
    staged({ 'aurora-a-1/000000.gz': 100 });
    streams(stream('aurora-a-1'), stream('quiet'));

    await verifyExport(event(), deps());

    expect(logsMock).toHaveReceivedCommandWith(GetLogEventsCommand, {
      logGroupName: GROUP,
      logStreamName: 'quiet',
      startTime: FROM,
      endTime: CUTOFF,
      startFromHead: true,
    });
    expect(manifest().emptyStreams).toEqual(['quiet']);
  });

  it('does not expect streams that start at the cutoff or end before the range', async () => {
    staged({ 'aurora-a-1/000000.gz': 100 });
    streams(
      stream('aurora-a-1'),
      stream('later', { firstEventTimestamp: CUTOFF, lastEventTimestamp: NOW, lastIngestionTime: NOW }),
      stream('older', { lastEventTimestamp: FROM - 1, lastIngestionTime: FROM - 1 }),
      { logStreamName: 'never-written' },
    );

    await verifyExport(event(), deps());

    expect(logsMock).not.toHaveReceivedCommand(GetLogEventsCommand);
    expect(manifest().emptyStreams).toEqual([]);
  });

  it('expects a stream whose last event timestamp lags behind its last ingestion', async () => {
    staged({});
    streams(stream('lagging', { lastEventTimestamp: FROM - hours(1), lastIngestionTime: FROM + hours(1) }));
    eventsIn('lagging', 1);

    await expect(verifyExport(event(), deps())).rejects.toThrow(ExportVerificationError);
    expect(logsMock).toHaveReceivedCommandWith(GetLogEventsCommand, { logStreamName: 'lagging' });
  });

  it('checks a data-protected group without unmasking: existence is all it needs', async () => {
    staged({});
    streams(stream('quiet'));

    await verifyExport(event({ dataProtected: true }), deps());

    expect(logsMock).toHaveReceivedCommandWith(GetLogEventsCommand, { logStreamName: 'quiet' });
    expect(logsMock.commandCalls(GetLogEventsCommand)[0]?.args[0].input.unmask).toBeUndefined();
  });

  it('returns the existing manifest on a re-run and only clears staging leftovers', async () => {
    bucket.set(MANIFEST, 500);
    bucket.set(`${STAGING}/aws-logs-write-test`, 27);
    streams(stream('aurora-a-1'));

    const output = await verifyExport(event(), deps());

    expect(output).toEqual({ ...event(), manifestKey: MANIFEST });
    expect(s3Mock).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
    expect(logsMock).not.toHaveReceivedCommand(DescribeLogStreamsCommand);
    expect(keysUnder(`${STAGING}/`)).toEqual([]);
  });

  it('turns throttling of DescribeLogStreams into a TransientAwsError before anything is copied', async () => {
    staged({ 'aurora-a-1/000000.gz': 100 });
    logsMock.on(DescribeLogStreamsCommand).rejects(logsThrottled());

    await expect(verifyExport(event(), deps())).rejects.toBeInstanceOf(TransientAwsError);
    expect(s3Mock).not.toHaveReceivedCommand(CopyObjectCommand);
  });

  it('turns a throttled copy into a TransientAwsError and writes no manifest', async () => {
    staged({ 'aurora-a-1/000000.gz': 100 });
    streams(stream('aurora-a-1'));
    s3Mock.on(CopyObjectCommand).rejects(Object.assign(new Error('Slow Down'), { name: 'SlowDown' }));

    await expect(verifyExport(event(), deps())).rejects.toBeInstanceOf(TransientAwsError);
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
    expect(keysUnder(`${STAGING}/`)).toHaveLength(3);
  });

  it('refuses an export that has not completed', async () => {
    const error = await verifyExport(event({}, 'RUNNING'), deps()).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe("export: got status RUNNING; expected status 'COMPLETED' with a taskId");
  });
});
