import { DescribeDBLogFilesCommand, type DescribeDBLogFilesDetails, RDSClient } from '@aws-sdk/client-rds';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { TransientAwsError } from '../../../tasks/common/errors';
import type { InstancePlan, RunContext } from '../../../tasks/common/types';
import { type ListLogFilesDeps, listLogFiles } from '../../../tasks/list-log-files';
import { rdsError, s3NotFound } from '../../helpers/aws-errors';
import { testConfig } from '../../helpers/config';
import { instanceRef, runContext } from '../../helpers/run-context';
import { MemoryRunStore } from '../../helpers/run-store';

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const rds = new RDSClient({ region: 'eu-west-1', credentials });
const s3 = new S3Client({ region: 'eu-west-1', credentials });
const rdsMock = mockClient(rds);
const s3Mock = mockClient(s3);

const NOW = Date.parse('2026-11-20T12:00:00Z');
const instance = instanceRef({ instanceId: 'aurora-a-1', clusterId: 'aurora-a' });
const minutesAgo = (minutes: number) => NOW - minutes * 60_000;

/** A rotated hourly slow log of the given hour on 2026-11-20, written at the end of that hour. */
const slowLog = (hour: number, size = 100): DescribeDBLogFilesDetails => ({
  LogFileName: `slowquery/mysql-slowquery.log.2026-11-20.${String(hour).padStart(2, '0')}`,
  Size: size,
  LastWritten: Date.parse(`2026-11-20T${String(hour).padStart(2, '0')}:59:59Z`),
});
const keyOf = (hour: number) => {
  const hh = String(hour).padStart(2, '0');
  return `aurora-a/slowquery/2026/11/20/${hh}/aurora-a-1/mysql-slowquery.log.2026-11-20.${hh}.gz`;
};

let store: MemoryRunStore;

function deps(env: Record<string, string> = {}): ListLogFilesDeps {
  return { rds, s3, store, config: testConfig(env), now: () => NOW };
}

function listing(...files: DescribeDBLogFilesDetails[]) {
  rdsMock.on(DescribeDBLogFilesCommand).resolves({ DescribeDBLogFiles: files });
}

function archivedWithSize(key: string, size: number) {
  s3Mock.on(HeadObjectCommand, { Key: key }).resolves({ Metadata: { 'source-size': String(size) } });
}

async function plan(run: RunContext = runContext(), env: Record<string, string> = {}) {
  const progress = await listLogFiles({ run, instance }, deps(env));
  return { progress, plan: store.read<InstancePlan>(progress.planKey) as InstancePlan };
}

beforeEach(() => {
  rdsMock.reset();
  s3Mock.reset();
  s3Mock.on(HeadObjectCommand).rejects(s3NotFound());
  store = new MemoryRunStore();
});

describe('listLogFiles', () => {
  it('pages through DescribeDBLogFiles until no marker is left', async () => {
    rdsMock
      .on(DescribeDBLogFilesCommand, { Marker: undefined })
      .resolves({ DescribeDBLogFiles: [slowLog(8)], Marker: 'page-2' })
      .on(DescribeDBLogFilesCommand, { Marker: 'page-2' })
      .resolves({ DescribeDBLogFiles: [slowLog(9)], Marker: 'page-3' })
      .on(DescribeDBLogFilesCommand, { Marker: 'page-3' })
      .resolves({ DescribeDBLogFiles: [slowLog(10)] });

    const { plan: written } = await plan();

    expect(written.files.map((file) => file.key)).toEqual([keyOf(8), keyOf(9), keyOf(10)]);
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBLogFilesCommand, 3);
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBLogFilesCommand, { DBInstanceIdentifier: 'aurora-a-1' });
  });

  it('plans a file never archived as new, with its key, size and last write', async () => {
    listing(slowLog(9, 4096));

    const { plan: written } = await plan();

    expect(written.files).toEqual([
      {
        name: 'slowquery/mysql-slowquery.log.2026-11-20.09',
        logType: 'slowquery',
        size: 4096,
        lastWritten: Date.parse('2026-11-20T09:59:59Z'),
        key: keyOf(9),
        reason: 'new',
      },
    ]);
    expect(s3Mock).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: 'archive-bucket', Key: keyOf(9) });
  });

  it('skips files still being written', async () => {
    listing(
      { LogFileName: 'slowquery/mysql-slowquery.log', Size: 10, LastWritten: minutesAgo(1) },
      { LogFileName: 'audit/audit.log.0.2026-11-20-11-50.0', Size: 10, LastWritten: minutesAgo(2) },
    );

    const { plan: written } = await plan();

    expect(written.files).toEqual([]);
    expect(written.skipped).toEqual([
      { name: 'slowquery/mysql-slowquery.log', reason: 'still being written' },
      { name: 'audit/audit.log.0.2026-11-20-11-50.0', reason: 'still being written' },
    ]);
  });

  it('plans the newest file of a series once it has been quiet, and older files of the series at once', async () => {
    listing(
      { LogFileName: 'audit/audit.log.0.2026-11-20-10-00.0', Size: 10, LastWritten: minutesAgo(1) },
      { LogFileName: 'audit/audit.log.0.2026-11-20-11-00.0', Size: 10, LastWritten: minutesAgo(20) },
    );

    const { plan: written } = await plan();

    expect(written.files.map((file) => file.name).sort()).toEqual([
      'audit/audit.log.0.2026-11-20-10-00.0',
      'audit/audit.log.0.2026-11-20-11-00.0',
    ]);
  });

  it('records a paused instance in the plan instead of failing', async () => {
    rdsMock.on(DescribeDBLogFilesCommand).rejects(rdsError('DBInstanceNotReadyFault'));

    const { progress, plan: written } = await plan();

    expect(written.status).toBe('paused');
    expect(progress).toMatchObject({ cursor: 0, total: 0, done: true, listing: 'paused' });
  });

  it('records an instance that no longer exists as not found', async () => {
    rdsMock.on(DescribeDBLogFilesCommand).rejects(rdsError('DBInstanceNotFoundFault', 404));

    const { progress, plan: written } = await plan();

    expect(written.status).toBe('not found');
    expect(progress).toMatchObject({ done: true, listing: 'not found' });
  });

  it('skips empty files', async () => {
    listing(slowLog(9, 0));

    const { plan: written } = await plan();

    expect(written.files).toEqual([]);
    expect(written.skipped).toEqual([{ name: slowLog(9).LogFileName, reason: 'empty' }]);
  });

  it('skips files already archived with the same size', async () => {
    listing(slowLog(9, 500));
    archivedWithSize(keyOf(9), 500);

    const { progress, plan: written } = await plan();

    expect(written.skipped).toEqual([{ name: slowLog(9).LogFileName, reason: 'already archived' }]);
    expect(progress).toMatchObject({ total: 0, done: true });
  });

  it('plans again an archived file whose parsed records are missing, when they are wanted', async () => {
    listing(slowLog(9, 500));
    archivedWithSize(keyOf(9), 500);

    const { plan: written } = await plan(runContext(), { PARSED_OUTPUT: 'slowquery' });

    expect(written.files).toEqual([expect.objectContaining({ key: keyOf(9), reason: 'parsed records missing' })]);
  });

  it('skips an archived file whose parsed records were made from the same source', async () => {
    listing(slowLog(9, 500));
    const metadata = {
      'source-size': '500',
      'source-sha256': 'abc',
      'source-last-written': '2026-11-20T10:00:00.000Z',
    };
    s3Mock.on(HeadObjectCommand, { Key: keyOf(9) }).resolves({ Metadata: metadata });
    s3Mock
      .on(HeadObjectCommand, { Key: `parsed/${keyOf(9).replace(/\.gz$/, '.ndjson.gz')}` })
      .resolves({ Metadata: { 'parsed-from-sha256': 'abc', 'source-last-written': '2026-11-20T10:00:00.000Z' } });

    const { plan: written } = await plan(runContext(), { PARSED_OUTPUT: 'slowquery' });

    expect(written.skipped).toEqual([{ name: slowLog(9).LogFileName, reason: 'already archived' }]);
  });

  it('plans again a file that grew since it was archived', async () => {
    listing(slowLog(9, 500));
    archivedWithSize(keyOf(9), 300);

    const { plan: written } = await plan();

    expect(written.files).toEqual([
      expect.objectContaining({ key: keyOf(9), size: 500, reason: 'grew since archived' }),
    ]);
  });

  it('turns throttling of the archive check into a TransientAwsError', async () => {
    listing(slowLog(9));
    s3Mock.on(HeadObjectCommand).rejects(Object.assign(new Error('Slow Down'), { name: 'SlowDown' }));

    await expect(listLogFiles({ run: runContext(), instance }, deps())).rejects.toBeInstanceOf(TransientAwsError);
  });

  it('in a manual range, asks RDS for files since the start and plans only files last written inside it', async () => {
    const run = runContext({
      mode: 'manual',
      scheduledTime: undefined,
      from: '2026-11-20T09:00:00.000Z',
      to: '2026-11-20T10:30:00.000Z',
    });
    listing(slowLog(8), slowLog(9), slowLog(10), slowLog(11));

    const { plan: written } = await plan(run);

    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBLogFilesCommand, {
      FileLastWritten: Date.parse('2026-11-20T09:00:00Z'),
    });
    expect(written.files.map((file) => file.name)).toEqual([slowLog(9).LogFileName]);
    expect(written.skipped).toEqual([
      { name: slowLog(8).LogFileName, reason: 'last write before the range' },
      { name: slowLog(10).LogFileName, reason: 'last write after the range' },
      { name: slowLog(11).LogFileName, reason: 'last write after the range' },
    ]);
  });

  it('does not filter the listing by last write in a scheduled run', async () => {
    listing(slowLog(9));

    await plan();

    expect(rdsMock.commandCalls(DescribeDBLogFilesCommand)[0]?.args[0].input.FileLastWritten).toBeUndefined();
  });

  it('skips log types the run did not select', async () => {
    listing(slowLog(9), { LogFileName: 'audit/server_audit.log.1', Size: 10, LastWritten: minutesAgo(60) });

    const { plan: written } = await plan(runContext({ logTypes: ['audit'] }));

    expect(written.files.map((file) => file.name)).toEqual(['audit/server_audit.log.1']);
    expect(written.skipped).toEqual([{ name: slowLog(9).LogFileName, reason: 'log type not selected' }]);
  });

  it('skips unrecognised and unsafe file names without touching S3 for them', async () => {
    listing(
      { LogFileName: 'trace/alert.log', Size: 10, LastWritten: minutesAgo(60) },
      { LogFileName: 'audit/../../x', Size: 10, LastWritten: minutesAgo(60) },
    );

    const { plan: written } = await plan();

    expect(written.skipped.map((file) => file.reason)).toEqual([
      'unrecognised or unsafe file name',
      'unrecognised or unsafe file name',
    ]);
    expect(s3Mock).not.toHaveReceivedCommand(HeadObjectCommand);
  });

  it('marks a dry run done once the plan is written, whatever it holds', async () => {
    listing(slowLog(8), slowLog(9));

    const { progress } = await plan(runContext({ dryRun: true }));

    expect(progress).toMatchObject({ cursor: 0, total: 2, done: true });
  });

  it('leaves a real run with planned files not done', async () => {
    listing(slowLog(8), slowLog(9));

    const { progress } = await plan();

    expect(progress).toMatchObject({ cursor: 0, total: 2, done: false });
  });

  it('caps the plan at MAX_FILES_PER_INSTANCE, oldest first, and counts the rest as deferred', async () => {
    listing(slowLog(11), slowLog(7), slowLog(9), slowLog(8), slowLog(10));

    const { progress, plan: written } = await plan(runContext(), { MAX_FILES_PER_INSTANCE: '2' });

    expect(written.files.map((file) => file.key)).toEqual([keyOf(7), keyOf(8)]);
    expect(written.deferred).toBe(3);
    expect(progress.total).toBe(2);
  });

  it('writes the plan to {reportPrefix}/plans/{instance}.json and hands on its key', async () => {
    listing(slowLog(9));
    const run = runContext({ reportPrefix: '_runs/2026/11/20/run-7' });

    const progress = await listLogFiles({ run, instance }, deps());

    expect(progress.planKey).toBe('_runs/2026/11/20/run-7/plans/aurora-a-1.json');
    expect(store.read<InstancePlan>(progress.planKey)).toMatchObject({
      instance,
      status: 'listed',
      listedAt: new Date(NOW).toISOString(),
      deferred: 0,
    });
  });

  it('turns throttling of DescribeDBLogFiles into a TransientAwsError', async () => {
    rdsMock.on(DescribeDBLogFilesCommand).rejects(rdsError('ThrottlingException'));

    const error = await listLogFiles({ run: runContext(), instance }, deps()).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(TransientAwsError);
    expect((error as Error).message).toBe('listing log files of aurora-a-1: ThrottlingException');
    expect(store.objects.size).toBe(0);
  });
});
