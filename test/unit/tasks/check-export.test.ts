import {
  CloudWatchLogsClient,
  DescribeExportTasksCommand,
  type ExportTaskStatusCode,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type CheckExportDeps, checkExport } from '../../../tasks/check-export';
import type { ExportState, GroupProgress } from '../../../tasks/common/cloudwatch-types';
import { ExportFailedError, InvalidInputError, TransientAwsError } from '../../../tasks/common/errors';
import { testConfig } from '../../helpers/config';
import { runContext } from '../../helpers/run-context';

const logs = new CloudWatchLogsClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const logsMock = mockClient(logs);

const NOW = Date.parse('2026-11-20T12:00:00Z');
const GROUP = '/aws/rds/cluster/aurora-a/error';
const minutesAgo = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

function deps(env: Record<string, string> = {}): CheckExportDeps {
  return { logs, config: testConfig(env), now: () => NOW };
}

function progress(state: Partial<ExportState> = {}): GroupProgress {
  return {
    run: runContext(),
    group: { name: GROUP, dataProtected: false },
    export: {
      taskName: 'rds-log-archive-abc',
      taskId: 'task-1',
      status: 'PENDING',
      from: Date.parse('2026-11-12T00:00:00Z'),
      cutoff: Date.parse('2026-11-13T00:00:00Z'),
      destinationPrefix: '_exports/rds-log-archive-abc',
      firstTriedAt: minutesAgo(10),
      startedAt: minutesAgo(10),
      waitSeconds: 30,
      slotAttempts: 0,
      ...state,
    },
  };
}

function taskStatus(code: ExportTaskStatusCode, message?: string) {
  logsMock
    .on(DescribeExportTasksCommand, { taskId: 'task-1' })
    .resolves({ exportTasks: [{ taskId: 'task-1', status: { code, message } }] });
}

beforeEach(() => {
  logsMock.reset();
});

describe('checkExport', () => {
  it('hands on a COMPLETED task with its status message', async () => {
    taskStatus('COMPLETED', 'Completed successfully');

    const output = await checkExport(progress(), deps());

    expect(output.export).toMatchObject({
      status: 'COMPLETED',
      statusMessage: 'Completed successfully',
      taskId: 'task-1',
    });
    expect(logsMock).toHaveReceivedCommandWith(DescribeExportTasksCommand, { taskId: 'task-1' });
  });

  it.each(['FAILED', 'CANCELLED'] as const)(
    'stops the group with ExportFailedError when the task ended %s',
    async (code) => {
      taskStatus(code, 'GetBucketAcl call on the given bucket failed');

      const error = await checkExport(progress(), deps()).catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(ExportFailedError);
      expect((error as Error).message).toContain(code);
      expect((error as Error).message).toContain('GetBucketAcl call on the given bucket failed');
      expect((error as Error).message).toContain(GROUP);
    },
  );

  it.each(['PENDING', 'RUNNING', 'PENDING_CANCEL'] as const)(
    'waits half as long again while the task is %s',
    async (code) => {
      taskStatus(code);

      const output = await checkExport(progress({ waitSeconds: 30 }), deps());

      expect(output.export).toMatchObject({ status: code, waitSeconds: 45 });
    },
  );

  it('caps the wait between checks at five minutes', async () => {
    taskStatus('RUNNING');

    const output = await checkExport(progress({ waitSeconds: 250 }), deps());

    expect(output.export?.waitSeconds).toBe(300);
  });

  it('keeps the rest of the progress unchanged', async () => {
    taskStatus('RUNNING');
    const input = progress();

    const output = await checkExport(input, deps());

    expect(output).toEqual({ ...input, export: { ...input.export, status: 'RUNNING', waitSeconds: 45 } });
  });

  it('gives up with ExportFailedError once the task ran past EXPORT_MAX_WAIT_MINUTES, saying it keeps running', async () => {
    taskStatus('RUNNING');

    const error = await checkExport(
      progress({ startedAt: minutesAgo(61) }),
      deps({ EXPORT_MAX_WAIT_MINUTES: '60' }),
    ).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ExportFailedError);
    expect((error as Error).message).toContain('still RUNNING after 61 minutes');
    expect((error as Error).message).toContain('the export task keeps running in AWS, the next run will find it');
  });

  it('keeps waiting at exactly EXPORT_MAX_WAIT_MINUTES', async () => {
    taskStatus('RUNNING');

    const output = await checkExport(progress({ startedAt: minutesAgo(60) }), deps({ EXPORT_MAX_WAIT_MINUTES: '60' }));

    expect(output.export?.status).toBe('RUNNING');
  });

  it('completes a task that finished after the maximum wait', async () => {
    taskStatus('COMPLETED');

    const output = await checkExport(progress({ startedAt: minutesAgo(600) }), deps({ EXPORT_MAX_WAIT_MINUTES: '60' }));

    expect(output.export?.status).toBe('COMPLETED');
  });

  it('fails the group when AWS no longer lists the task', async () => {
    logsMock.on(DescribeExportTasksCommand).resolves({ exportTasks: [] });

    await expect(checkExport(progress(), deps())).rejects.toThrow(
      new ExportFailedError(`export task task-1 of ${GROUP} no longer exists; nothing is trimmed`),
    );
  });

  it('fails the group when AWS answers that the task does not exist', async () => {
    logsMock
      .on(DescribeExportTasksCommand)
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: { httpStatusCode: 400 } }));

    await expect(checkExport(progress(), deps())).rejects.toBeInstanceOf(ExportFailedError);
  });

  it('refuses a progress without a task id, naming the field', async () => {
    await expect(checkExport(progress({ taskId: undefined }), deps())).rejects.toThrow(
      new InvalidInputError('export.taskId', 'the export task id set by Start Export'),
    );
    expect(logsMock.calls()).toHaveLength(0);
  });

  it('turns throttling into a TransientAwsError', async () => {
    logsMock
      .on(DescribeExportTasksCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));

    await expect(checkExport(progress(), deps())).rejects.toBeInstanceOf(TransientAwsError);
  });
});
