import {
  CloudWatchLogsClient,
  CreateExportTaskCommand,
  DescribeExportTasksCommand,
  type ExportTask,
  LimitExceededException,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { exportStagingPrefix, exportTaskName, manifestKey } from '../../../tasks/common/cloudwatch-layout';
import type { ExportState, GroupProgress } from '../../../tasks/common/cloudwatch-types';
import { ExportSlotBusyError, InvalidInputError, TransientAwsError } from '../../../tasks/common/errors';
import type { RunContext } from '../../../tasks/common/types';
import {
  type ExportTaskRecord,
  type StartExportDeps,
  slotBackoffSeconds,
  startExport,
  taskRecordKey,
} from '../../../tasks/start-export';
import { testConfig } from '../../helpers/config';
import { silenceLogger } from '../../helpers/logger';
import { runContext } from '../../helpers/run-context';
import { MemoryRunStore } from '../../helpers/run-store';

const logs = new CloudWatchLogsClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const logsMock = mockClient(logs);

const NOW = Date.parse('2026-11-20T12:00:00Z');
const GROUP = '/aws/rds/cluster/aurora-a/error';
const FROM = Date.parse('2026-11-12T00:00:00Z');
const CUTOFF = Date.parse('2026-11-13T00:00:00Z');
const TASK_NAME = exportTaskName(GROUP, FROM, CUTOFF);
const minutesAgo = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

let store: MemoryRunStore;

function deps(random = () => 0.5, env: Record<string, string> = {}): StartExportDeps {
  return { logs, store, config: testConfig(env), now: () => NOW, random };
}

function progress(run: RunContext = runContext(), previous?: Partial<ExportState>): GroupProgress {
  const base = { run, group: { name: GROUP, dataProtected: false } };
  if (!previous) return base;
  return {
    ...base,
    export: {
      taskName: TASK_NAME,
      status: 'slot-busy',
      from: FROM,
      cutoff: CUTOFF,
      destinationPrefix: exportStagingPrefix(TASK_NAME),
      firstTriedAt: minutesAgo(5),
      waitSeconds: 30,
      slotAttempts: 1,
      ...previous,
    },
  };
}

const ownTask = (status: string, extra: Partial<ExportTask> = {}): ExportTask => ({
  taskId: 'task-own',
  taskName: TASK_NAME,
  logGroupName: GROUP,
  destination: 'archive-bucket',
  destinationPrefix: exportStagingPrefix(TASK_NAME),
  status: { code: status as never },
  ...extra,
});

const record = (taskId: string): ExportTaskRecord => ({ taskId, taskName: TASK_NAME, createdAt: minutesAgo(60) });

function withCutoff(cutoff: string, overrides: Partial<RunContext> = {}): RunContext {
  const run = runContext(overrides);
  return { ...run, cloudwatch: { ...run.cloudwatch, cutoff } };
}

beforeEach(() => {
  logsMock.reset();
  logsMock.on(DescribeExportTasksCommand).resolves({ exportTasks: [] });
  logsMock.on(CreateExportTaskCommand).resolves({ taskId: 'task-new' });
  store = new MemoryRunStore();
  silenceLogger();
});

afterEach(() => jest.restoreAllMocks());

describe('startExport', () => {
  it('starts an export of the range into the staging prefix, ending one millisecond before the cutoff', async () => {
    const output = await startExport(progress(), deps());

    expect(logsMock).toHaveReceivedCommandWith(CreateExportTaskCommand, {
      taskName: TASK_NAME,
      logGroupName: GROUP,
      from: FROM,
      to: CUTOFF - 1,
      destination: 'archive-bucket',
      destinationPrefix: `_exports/${TASK_NAME}`,
    });
    expect(output.export).toEqual({
      taskName: TASK_NAME,
      taskId: 'task-new',
      status: 'PENDING',
      from: FROM,
      cutoff: CUTOFF,
      destinationPrefix: `_exports/${TASK_NAME}`,
      firstTriedAt: new Date(NOW).toISOString(),
      startedAt: new Date(NOW).toISOString(),
      waitSeconds: 30,
      slotAttempts: 0,
    });
  });

  it('records the new task beside its staging prefix so that a re-run finds it', async () => {
    await startExport(progress(), deps());

    expect(store.read(`_exports/${TASK_NAME}/task.json`)).toEqual({
      taskId: 'task-new',
      taskName: TASK_NAME,
      createdAt: new Date(NOW).toISOString(),
    });
  });

  it('waits EXPORT_POLL_SECONDS before the first check', async () => {
    const output = await startExport(
      progress(),
      deps(() => 0.5, { EXPORT_POLL_SECONDS: '45' }),
    );

    expect(output.export?.waitSeconds).toBe(45);
  });

  it('reuses the recorded task while it runs instead of starting another', async () => {
    await store.putJson(taskRecordKey(TASK_NAME), record('task-own'));
    logsMock.on(DescribeExportTasksCommand, { taskId: 'task-own' }).resolves({ exportTasks: [ownTask('RUNNING')] });

    const output = await startExport(progress(), deps());

    expect(output.export).toMatchObject({
      taskId: 'task-own',
      status: 'RUNNING',
      startedAt: new Date(NOW).toISOString(),
    });
    expect(logsMock).not.toHaveReceivedCommand(CreateExportTaskCommand);
  });

  it('hands on a recorded task that already completed as COMPLETED', async () => {
    await store.putJson(taskRecordKey(TASK_NAME), record('task-own'));
    logsMock.on(DescribeExportTasksCommand, { taskId: 'task-own' }).resolves({ exportTasks: [ownTask('COMPLETED')] });

    const output = await startExport(progress(), deps());

    expect(output.export).toMatchObject({ taskId: 'task-own', status: 'COMPLETED' });
    expect(logsMock).not.toHaveReceivedCommand(CreateExportTaskCommand);
  });

  it('finds its task by name among the running ones, through every page, when the record was lost', async () => {
    logsMock
      .on(DescribeExportTasksCommand, { statusCode: 'RUNNING', nextToken: undefined })
      .resolves({
        exportTasks: [ownTask('RUNNING', { taskId: 'someone-else', taskName: 'other-exporter' })],
        nextToken: 'page-2',
      })
      .on(DescribeExportTasksCommand, { statusCode: 'RUNNING', nextToken: 'page-2' })
      .resolves({ exportTasks: [ownTask('RUNNING')] });

    const output = await startExport(progress(), deps());

    expect(output.export).toMatchObject({ taskId: 'task-own', status: 'RUNNING', waitSeconds: 30 });
    expect(logsMock).toHaveReceivedCommandWith(DescribeExportTasksCommand, { statusCode: 'PENDING' });
    expect(logsMock).toHaveReceivedCommandWith(DescribeExportTasksCommand, {
      statusCode: 'RUNNING',
      nextToken: 'page-2',
    });
    expect(logsMock).not.toHaveReceivedCommand(CreateExportTaskCommand);
    expect(store.read<ExportTaskRecord>(taskRecordKey(TASK_NAME))?.taskId).toBe('task-own');
  });

  it('finds a completed task by name when the record was lost', async () => {
    logsMock
      .on(DescribeExportTasksCommand, { statusCode: 'COMPLETED' })
      .resolves({ exportTasks: [ownTask('COMPLETED')] });

    const output = await startExport(progress(), deps());

    expect(output.export).toMatchObject({ taskId: 'task-own', status: 'COMPLETED' });
    expect(logsMock).not.toHaveReceivedCommand(CreateExportTaskCommand);
  });

  it('does not take a task of the same name that exports another group or to another bucket', async () => {
    logsMock.on(DescribeExportTasksCommand, { statusCode: 'RUNNING' }).resolves({
      exportTasks: [
        ownTask('RUNNING', { taskId: 'other-group', logGroupName: '/other' }),
        ownTask('RUNNING', { taskId: 'other-bucket', destination: 'old-bucket' }),
      ],
    });

    const output = await startExport(progress(), deps());

    expect(output.export?.taskId).toBe('task-new');
  });

  it('leaves an earlier FAILED task behind and starts a new one', async () => {
    await store.putJson(taskRecordKey(TASK_NAME), record('task-failed'));
    logsMock
      .on(DescribeExportTasksCommand, { taskId: 'task-failed' })
      .resolves({ exportTasks: [ownTask('FAILED', { taskId: 'task-failed' })] });

    const output = await startExport(progress(), deps());

    expect(output.export).toMatchObject({ taskId: 'task-new', status: 'PENDING' });
    expect(logsMock).toHaveReceivedCommandTimes(CreateExportTaskCommand, 1);
    expect(logsMock).not.toHaveReceivedCommandWith(DescribeExportTasksCommand, { statusCode: 'FAILED' });
    expect(store.read<ExportTaskRecord>(taskRecordKey(TASK_NAME))?.taskId).toBe('task-new');
  });

  it('answers COMPLETED with the verified task when the manifest of the range exists, touching nothing', async () => {
    await store.putJson(manifestKey(GROUP, FROM, CUTOFF), { exportTaskId: 'task-verified' });

    const output = await startExport(progress(), deps());

    expect(output.export).toMatchObject({ status: 'COMPLETED', taskId: 'task-verified' });
    expect(logsMock.calls()).toHaveLength(0);
  });

  it('makes no call in a dry run', async () => {
    const output = await startExport(progress(runContext({ dryRun: true })), deps());

    expect(output.export).toMatchObject({ status: 'dry-run', taskName: TASK_NAME, from: FROM, cutoff: CUTOFF });
    expect(logsMock.calls()).toHaveLength(0);
    expect(store.objects.size).toBe(0);
  });

  it('refuses a cutoff less than 12 hours ago, naming the field and the expected range', async () => {
    const run = withCutoff(new Date(NOW - 11 * 3_600_000).toISOString());

    const error = await startExport(progress(run), deps()).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toContain('cutoff');
    expect((error as Error).message).toContain('the export `to`');
    expect((error as Error).message).toContain('expected a range ending at least 12 hours before now');
    expect(logsMock.calls()).toHaveLength(0);
  });

  it('accepts a cutoff exactly 12 hours ago', async () => {
    const cutoff = NOW - 12 * 3_600_000;

    await startExport(progress(withCutoff(new Date(cutoff).toISOString())), deps());

    expect(logsMock).toHaveReceivedCommandWith(CreateExportTaskCommand, { to: cutoff - 1 });
  });

  it('refuses a range that is not a time', async () => {
    const run = withCutoff('yesterday');

    await expect(startExport(progress(run), deps())).rejects.toThrow('run.cloudwatch.cutoff');
  });

  it('answers slot-busy with a jittered wait while another exporter holds the slot', async () => {
    logsMock.on(CreateExportTaskCommand).rejects(new LimitExceededException({ message: 'busy', $metadata: {} }));

    const output = await startExport(
      progress(),
      deps(() => 0.5),
    );

    expect(output.export).toMatchObject({
      status: 'slot-busy',
      slotAttempts: 1,
      waitSeconds: 23,
      firstTriedAt: new Date(NOW).toISOString(),
    });
    expect(output.export?.taskId).toBeUndefined();
    expect(store.objects.size).toBe(0);
  });

  it('keeps the first attempt time and counts attempts across slot-busy rounds', async () => {
    logsMock.on(CreateExportTaskCommand).rejects(new LimitExceededException({ message: 'busy', $metadata: {} }));

    const output = await startExport(
      progress(runContext(), { firstTriedAt: minutesAgo(30), slotAttempts: 2 }),
      deps(() => 0.999),
    );

    expect(output.export).toMatchObject({ status: 'slot-busy', slotAttempts: 3, firstTriedAt: minutesAgo(30) });
    expect(output.export?.waitSeconds).toBe(120);
  });

  it('gives up with ExportSlotBusyError once the slot stayed busy past EXPORT_SLOT_WAIT_MINUTES', async () => {
    logsMock.on(CreateExportTaskCommand).rejects(new LimitExceededException({ message: 'busy', $metadata: {} }));

    const error = await startExport(
      progress(runContext(), { firstTriedAt: minutesAgo(121), slotAttempts: 20 }),
      deps(),
    ).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ExportSlotBusyError);
    expect((error as Error).message).toContain('121 minutes');
    expect((error as Error).message).toContain(GROUP);
  });

  it('starts the export once the slot frees up, after slot-busy rounds', async () => {
    const output = await startExport(progress(runContext(), { firstTriedAt: minutesAgo(30), slotAttempts: 4 }), deps());

    expect(output.export).toMatchObject({ status: 'PENDING', taskId: 'task-new', firstTriedAt: minutesAgo(30) });
  });

  it('turns throttling of CreateExportTask into a TransientAwsError', async () => {
    logsMock
      .on(CreateExportTaskCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));

    await expect(startExport(progress(), deps())).rejects.toBeInstanceOf(TransientAwsError);
    expect(store.objects.size).toBe(0);
  });

  it('turns throttling of the task scan into a TransientAwsError', async () => {
    logsMock
      .on(DescribeExportTasksCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));

    await expect(startExport(progress(), deps())).rejects.toBeInstanceOf(TransientAwsError);
    expect(logsMock).not.toHaveReceivedCommand(CreateExportTaskCommand);
  });
});

describe('slotBackoffSeconds', () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [4, 240],
    [5, 300],
    [12, 300],
  ])('waits at most the ceiling for attempt %i (%i s)', (attempt, ceiling) => {
    expect(slotBackoffSeconds(attempt, () => 0.999_999)).toBe(ceiling);
  });

  it.each([
    [1, 15],
    [3, 60],
    [9, 150],
  ])('waits at least half the ceiling for attempt %i (%i s), which bounds the attempts', (attempt, floor) => {
    expect(slotBackoffSeconds(attempt, () => 0)).toBe(floor);
  });

  it('spreads waits over the upper half of the range (equal jitter)', () => {
    expect(slotBackoffSeconds(3, () => 0.25)).toBe(75);
  });
});
