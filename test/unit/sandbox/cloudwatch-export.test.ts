import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CreateExportTaskCommand,
  type CreateExportTaskCommandInput,
  DescribeExportTasksCommand,
  InvalidParameterException,
  LimitExceededException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { sandboxS3ClientConfig } from '../../../sandbox/credentials';
import { type S3Server, startS3Server } from '../../../sandbox/s3-server';
import { HOUR, type LogsSession, NOW, startLogsSession, stopLogsSession } from './cloudwatch-helpers';
import { seedOf } from './helpers';

const BUCKET = 'rds-log-archive-local';
const GROUP = '/aws/rds/cluster/orders-aurora/error';
const BUSY = '/aws/rds/instance/busy-mysql/error';

const logGroups = [
  {
    name: GROUP,
    streams: [
      {
        name: 'orders-aurora-1',
        events: [
          { hoursAgo: 30, message: 'before the range' },
          { hoursAgo: 20, message: 'at from' },
          { hoursAgo: 15, message: '{mysqlTime} 0 [Note] [MY-010914] [Server] Aborted connection 7.' },
          { hoursAgo: 10, message: 'at to' },
          { hoursAgo: 5, message: 'after the range' },
        ],
      },
      { name: 'orders-aurora-2', events: [{ hoursAgo: 30, message: 'only before the range' }] },
      { name: 'replica-1', events: [{ hoursAgo: 12, message: 'replica event' }] },
    ],
  },
  {
    // 5,001 events six minutes apart.
    name: BUSY,
    streams: [
      {
        name: 'busy-mysql',
        generate: { fromHoursAgo: 510, toHoursAgo: 10, everyMinutes: 6, messages: ['a', 'b', 'c'] },
      },
    ],
  },
];

let s3Server: S3Server;
let s3: S3Client;
let session: LogsSession;

beforeAll(async () => {
  s3Server = await startS3Server({ directory: mkdtempSync(join(tmpdir(), 's3rver-cw-')), buckets: [BUCKET] });
  s3 = new S3Client(sandboxS3ClientConfig(s3Server.endpoint));
});

afterAll(async () => {
  s3.destroy();
  await s3Server.stop();
});

async function start(faults: unknown = {}) {
  session = await startLogsSession(seedOf({ cloudwatch: { logGroups, faults } }), { s3 });
}

afterEach(() => stopLogsSession(session));

let prefixes = 0;
/** A fresh destination prefix per export, since s3rver keeps the bucket across tests. */
const exportOf = (input: Partial<CreateExportTaskCommandInput> = {}): CreateExportTaskCommandInput => ({
  taskName: 'rds-log-archive-test',
  logGroupName: GROUP,
  from: NOW - 20 * HOUR,
  to: NOW - 10 * HOUR,
  destination: BUCKET,
  destinationPrefix: `_exports/test-${++prefixes}`,
  ...input,
});

const describeTask = async (taskId: string) =>
  (await session.logs.send(new DescribeExportTasksCommand({ taskId }))).exportTasks?.[0];

async function keysUnder(prefix: string): Promise<string[]> {
  const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (Contents ?? []).map((object) => object.Key ?? '').sort();
}

async function linesOf(key: string): Promise<string[]> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const text = gunzipSync(await (object.Body?.transformToByteArray() ?? new Uint8Array())).toString('utf8');
  return text.split('\n').filter((line) => line !== '');
}

describe('export tasks', () => {
  it('goes PENDING, RUNNING, then COMPLETED on the poll set by exportPollsToComplete', async () => {
    await start({ exportPollsToComplete: 2 });
    const input = exportOf();
    const { taskId = '' } = await session.logs.send(new CreateExportTaskCommand(input));

    expect(session.standIn.exportTasks()).toEqual([
      { taskId, taskName: 'rds-log-archive-test', logGroupName: GROUP, status: 'PENDING' },
    ]);
    expect((await describeTask(taskId))?.status?.code).toBe('RUNNING');
    const done = await describeTask(taskId);
    expect(done).toEqual({
      taskId,
      taskName: 'rds-log-archive-test',
      logGroupName: GROUP,
      from: input.from,
      to: input.to,
      destination: BUCKET,
      destinationPrefix: input.destinationPrefix,
      status: { code: 'COMPLETED', message: 'Completed successfully.' },
      executionInfo: { creationTime: NOW, completionTime: NOW },
    });
    expect(taskId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('writes the permission check and, per stream with events in [from, to], gzip lines with ISO times', async () => {
    await start();
    const input = exportOf();
    const { taskId = '' } = await session.logs.send(new CreateExportTaskCommand(input));
    await describeTask(taskId);

    const prefix = input.destinationPrefix;
    expect(await keysUnder(`${prefix}/`)).toEqual(
      [
        `${prefix}/${taskId}/orders-aurora-1/000000.gz`,
        `${prefix}/${taskId}/replica-1/000000.gz`,
        `${prefix}/aws-logs-write-test`,
      ].sort(),
    );
    const check = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${prefix}/aws-logs-write-test` }));
    expect(await check.Body?.transformToString()).toBe('Permission Check Successful');
    expect(await linesOf(`${prefix}/${taskId}/orders-aurora-1/000000.gz`)).toEqual([
      '2026-11-19T16:00:00.000Z at from',
      '2026-11-19T21:00:00.000Z 2026-11-19T21:00:00.000000Z 0 [Note] [MY-010914] [Server] Aborted connection 7.',
      '2026-11-20T02:00:00.000Z at to',
    ]);
  });

  it('exports only the streams named by logStreamNamePrefix', async () => {
    await start();
    const input = exportOf({ logStreamNamePrefix: 'replica' });
    const { taskId = '' } = await session.logs.send(new CreateExportTaskCommand(input));
    await describeTask(taskId);

    expect(await keysUnder(`${input.destinationPrefix}/${taskId}/`)).toEqual([
      `${input.destinationPrefix}/${taskId}/replica-1/000000.gz`,
    ]);
  });

  it('splits a stream into objects of at most 5,000 lines', async () => {
    await start();
    const input = exportOf({ logGroupName: BUSY, from: 0, to: NOW });
    const { taskId = '' } = await session.logs.send(new CreateExportTaskCommand(input));
    await describeTask(taskId);

    const folder = `${input.destinationPrefix}/${taskId}/busy-mysql/`;
    expect(await keysUnder(folder)).toEqual([`${folder}000000.gz`, `${folder}000001.gz`]);
    expect(await linesOf(`${folder}000000.gz`)).toHaveLength(5000);
    expect(await linesOf(`${folder}000001.gz`)).toEqual(['2026-11-20T02:00:00.000Z c']);
  });

  it('answers LimitExceededException while a task of the account runs, and accepts one once it is done', async () => {
    await start({ exportPollsToComplete: 2 });
    const { taskId = '' } = await session.logs.send(new CreateExportTaskCommand(exportOf()));
    await describeTask(taskId);

    const busy = await session.logs.send(new CreateExportTaskCommand(exportOf())).catch((e) => e);
    await describeTask(taskId);
    const next = await session.logs.send(new CreateExportTaskCommand(exportOf()));

    expect(busy).toBeInstanceOf(LimitExceededException);
    expect(next.taskId).toEqual(expect.any(String));
  });

  it('answers LimitExceededException while another exporter holds the slot (exportSlotHeldFor)', async () => {
    await start({ exportSlotHeldFor: 2 });
    const attempt = () => session.logs.send(new CreateExportTaskCommand(exportOf()));

    await expect(attempt()).rejects.toBeInstanceOf(LimitExceededException);
    await expect(attempt()).rejects.toBeInstanceOf(LimitExceededException);
    await expect(attempt()).resolves.toMatchObject({ taskId: expect.any(String) });
  });

  it('ends FAILED with the seeded message and writes nothing when an exportOutcomes fault is due', async () => {
    await start({
      exportOutcomes: [{ logGroupName: GROUP, status: 'FAILED', message: 'Access denied by bucket policy.' }],
    });
    const input = exportOf();
    const { taskId = '' } = await session.logs.send(new CreateExportTaskCommand(input));

    const task = await describeTask(taskId);

    expect(task?.status).toEqual({ code: 'FAILED', message: 'Access denied by bucket policy.' });
    expect(await keysUnder(`${input.destinationPrefix}/`)).toEqual([]);
    const retry = await session.logs.send(new CreateExportTaskCommand(exportOf()));
    expect((await describeTask(retry.taskId ?? ''))?.status?.code).toBe('COMPLETED');
  });

  it('filters by status code, newest first, and pages', async () => {
    await start();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { taskId = '' } = await session.logs.send(new CreateExportTaskCommand(exportOf({ taskName: `task-${i}` })));
      await describeTask(taskId);
      ids.push(taskId);
    }

    const first = await session.logs.send(new DescribeExportTasksCommand({ statusCode: 'COMPLETED', limit: 2 }));
    const second = await session.logs.send(
      new DescribeExportTasksCommand({ statusCode: 'COMPLETED', limit: 2, nextToken: first.nextToken }),
    );
    const pending = await session.logs.send(new DescribeExportTasksCommand({ statusCode: 'PENDING' }));

    // The clock stands still, so tasks made in the same millisecond come in task id order.
    const expected = [...ids].sort().reverse();
    expect([...(first.exportTasks ?? []), ...(second.exportTasks ?? [])].map((task) => task.taskId)).toEqual(expected);
    expect(pending.exportTasks).toEqual([]);
  });

  it('describes an unknown task id as an empty list', async () => {
    await start();

    const { exportTasks } = await session.logs.send(new DescribeExportTasksCommand({ taskId: 'no-such-task' }));

    expect(exportTasks).toEqual([]);
  });

  it('refuses from after to, a missing group and a bucket it cannot reach', async () => {
    await start();

    const backwards = await session.logs
      .send(new CreateExportTaskCommand(exportOf({ from: NOW, to: NOW - 1 })))
      .catch((e) => e);
    const ghost = await session.logs
      .send(new CreateExportTaskCommand(exportOf({ logGroupName: '/aws/rds/ghost' })))
      .catch((e) => e);
    const noBucket = await session.logs
      .send(new CreateExportTaskCommand(exportOf({ destination: 'no-such-bucket' })))
      .catch((e) => e);

    expect(backwards).toBeInstanceOf(InvalidParameterException);
    expect(ghost).toBeInstanceOf(ResourceNotFoundException);
    expect(noBucket).toBeInstanceOf(InvalidParameterException);
    expect(noBucket.message).toMatch(/GetBucketAcl call on the given bucket failed/);
    expect(session.standIn.exportTasks()).toEqual([]);
  });
});
