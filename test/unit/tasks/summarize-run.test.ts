import type { FileResult, InstancePlan, LogType, PlannedFile, RunContext } from '../../../tasks/common/types';
import { type SummarizeRunInput, summarizeRun } from '../../../tasks/summarize-run';
import { instanceRef, runContext } from '../../helpers/run-context';
import { MemoryRunStore } from '../../helpers/run-store';

const prefix = '_runs/2026/11/20/run-1';

let store: MemoryRunStore;

beforeEach(() => {
  store = new MemoryRunStore();
});

const done = (instanceId: string) => ({ instanceId, clusterId: 'aurora-a', status: 'done' as const });

function plannedFile(name: string, logType: LogType = 'slowquery'): PlannedFile {
  return { name, logType, size: 100, lastWritten: 0, key: `k/${name}.gz`, reason: 'new' };
}

async function givenPlan(instanceId: string, plan: Partial<InstancePlan> = {}) {
  await store.putJson(`${prefix}/plans/${instanceId}.json`, {
    instance: instanceRef({ instanceId }),
    status: 'listed',
    listedAt: '2026-11-20T12:00:00.000Z',
    files: [],
    skipped: [],
    deferred: 0,
    ...plan,
  } satisfies InstancePlan);
}

async function givenResults(instanceId: string, cursor: number, results: FileResult[]) {
  await store.putJson(`${prefix}/results/${instanceId}/${String(cursor).padStart(6, '0')}.json`, results);
}

const archived = (name: string, logType: LogType, sourceBytes: number, archivedBytes: number): FileResult => ({
  name,
  logType,
  key: `k/${name}.gz`,
  status: 'archived',
  reason: 'new',
  sourceBytes,
  archivedBytes,
});
const failed = (name: string, reason = 'download ended after 1 of 100 listed bytes'): FileResult => ({
  name,
  logType: 'slowquery',
  key: `k/${name}.gz`,
  status: 'failed',
  reason,
});

type InstanceOutcomes = NonNullable<SummarizeRunInput['state']['archive']>['instances'];

function event(instances: InstanceOutcomes, run: RunContext = runContext({ reportPrefix: prefix })): SummarizeRunInput {
  return { state: { run, archive: { unavailable: [], instances } } };
}

const report = () => store.read<Record<string, unknown>>(`${prefix}/report.json`);

describe('summarizeRun', () => {
  it('totals archived files and bytes per instance and log type', async () => {
    await givenPlan('db-1', { files: [plannedFile('a'), plannedFile('b'), plannedFile('c', 'audit')] });
    await givenResults('db-1', 0, [archived('a', 'slowquery', 100, 20), archived('b', 'slowquery', 300, 50)]);
    await givenResults('db-1', 2, [archived('c', 'audit', 1000, 90)]);
    await givenPlan('db-2', { files: [plannedFile('d')] });
    await givenResults('db-2', 0, [archived('d', 'slowquery', 7, 5)]);

    const summary = await summarizeRun(event([done('db-1'), done('db-2')]), store);

    expect(summary).toMatchObject({
      status: 'succeeded',
      archivedFiles: 4,
      archivedBytes: 1407,
      compressedBytes: 165,
      plannedFiles: 4,
    });
    expect(report()?.archived).toEqual({
      'db-1': { slowquery: { files: 2, bytes: 400 }, audit: { files: 1, bytes: 1000 } },
      'db-2': { slowquery: { files: 1, bytes: 7 } },
    });
  });

  it('counts skipped files by reason, from the plans and from the results', async () => {
    await givenPlan('db-1', {
      files: [plannedFile('a')],
      skipped: [
        { name: 'x', reason: 'still being written' },
        { name: 'y', reason: 'already archived' },
        { name: 'z', reason: 'still being written' },
      ],
    });
    await givenResults('db-1', 0, [{ ...failed('a'), status: 'skipped', reason: 'already archived' }]);

    const summary = await summarizeRun(event([done('db-1')]), store);

    expect(report()?.skippedByReason).toEqual({ 'still being written': 2, 'already archived': 2 });
    expect(summary.skippedFiles).toBe(4);
    expect(summary.status).toBe('succeeded');
  });

  it('counts a paused instance among the skipped', async () => {
    await givenPlan('db-1', { status: 'paused' });

    await summarizeRun(event([done('db-1')]), store);

    expect(report()?.skippedByReason).toEqual({ 'instance paused': 1 });
  });

  it('lists failed files and fails the run', async () => {
    await givenPlan('db-1', { files: [plannedFile('a'), plannedFile('b')] });
    await givenResults('db-1', 0, [archived('a', 'slowquery', 1, 1), failed('b', 'file gone before download')]);

    const summary = await summarizeRun(event([done('db-1')]), store);

    expect(summary.status).toBe('failed');
    expect(summary.failedFiles).toBe(1);
    expect(summary.message).toBe('1 files archived, 0 skipped, 1 failed, 0 instances failed');
    expect(report()?.failedFiles).toEqual([{ instanceId: 'db-1', name: 'b', reason: 'file gone before download' }]);
  });

  it('fails the run when an instance failed, and keeps that instance in the report', async () => {
    await givenPlan('db-1');
    const broken = {
      instanceId: 'db-2',
      clusterId: 'aurora-a',
      status: 'failed' as const,
      error: 'AccessDenied',
      cause: 'not authorized',
    };

    const summary = await summarizeRun(event([done('db-1'), broken]), store);

    expect(summary).toMatchObject({ status: 'failed', failedInstances: 1, instances: 2 });
    expect(report()?.failedInstances).toEqual([broken]);
  });

  it('fails the run with the caught error when the archive branch broke', async () => {
    const run = runContext({ reportPrefix: prefix });
    const input: SummarizeRunInput = {
      state: { run, failure: { Error: 'States.DataLimitExceeded', Cause: 'The state output exceeded 256 KiB' } },
    };

    const summary = await summarizeRun(input, store);

    expect(summary.status).toBe('failed');
    expect(summary.message).toBe('run failed: States.DataLimitExceeded: The state output exceeded 256 KiB');
    expect(summary.instances).toBe(0);
    expect(report()?.failure).toEqual(input.state.failure);
  });

  it('describes a dry run by the files it would archive', async () => {
    await givenPlan('db-1', { files: [plannedFile('a'), plannedFile('b'), plannedFile('c')] });

    const summary = await summarizeRun(
      event([done('db-1')], runContext({ reportPrefix: prefix, dryRun: true })),
      store,
    );

    expect(summary).toMatchObject({ status: 'succeeded', dryRun: true, archivedFiles: 0, plannedFiles: 3 });
    expect(summary.message).toBe('dry run: 3 files would be archived, 0 skipped, 0 failed, 0 instances failed');
  });

  it('writes the report to {reportPrefix}/report.json and returns its key', async () => {
    await givenPlan('db-1');
    const run = runContext({ reportPrefix: prefix });

    const summary = await summarizeRun(
      {
        state: {
          run,
          archive: { unavailable: [{ kind: 'cluster', id: 'gone', reason: 'not found' }], instances: [done('db-1')] },
        },
      },
      store,
    );

    expect(summary.reportKey).toBe(`${prefix}/report.json`);
    expect(summary.unavailable).toBe(1);
    expect(report()).toMatchObject({
      run,
      status: 'succeeded',
      message: summary.message,
      unavailable: [{ kind: 'cluster', id: 'gone', reason: 'not found' }],
    });
  });

  it('lists at most 200 failed files by name and counts the rest', async () => {
    const results = Array.from({ length: 205 }, (_, index) => failed(`file-${index}`));
    await givenPlan('db-1');
    await givenResults('db-1', 0, results);

    const summary = await summarizeRun(event([done('db-1')]), store);

    expect(summary.failedFiles).toBe(205);
    expect(report()?.failedFiles).toHaveLength(200);
    expect(report()?.failedFilesNotListed).toBe(5);
  });

  it('adds the CloudWatch branch to the report and fails the run when a log group failed', async () => {
    const run = runContext({ reportPrefix: prefix });
    const cloudwatch = {
      groups: [{ name: '/aws/rds/cluster/aurora-a/error' }],
      unavailable: [],
      groupResults: [
        {
          logGroupName: '/aws/rds/cluster/aurora-a/error',
          status: 'failed' as const,
          error: 'ExportVerificationError',
        },
      ],
    };

    const summary = await summarizeRun(
      { state: { run, archive: { unavailable: [], instances: [], cloudwatch } } },
      store,
    );

    expect(summary).toMatchObject({ status: 'failed', logGroups: 1, failedLogGroups: 1, trimmedStreams: 0 });
    expect(summary.message).toMatch(/; 0\/1 log groups exported/);
    expect(report()?.cloudwatch).toMatchObject({
      groups: [{ logGroupName: '/aws/rds/cluster/aurora-a/error', status: 'failed', error: 'ExportVerificationError' }],
    });
  });
});
