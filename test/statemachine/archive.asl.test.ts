import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type LocalTask, runLocally } from '../../sandbox/local-runner';
import { parseConfig } from '../../tasks/common/config';
import { ConfigurationError, InvalidInputError, RunStateError, TransientAwsError } from '../../tasks/common/errors';
import type { InstanceProgress, InstanceRef, RunContext } from '../../tasks/common/types';
import { instances, stubTaskSet } from './stub-tasks';

const settings = parseConfig({ AWS_REGION: 'us-east-1', ARCHIVE_BUCKET: 'archive-bucket', CLUSTERS: 'orders-aurora' });
const stubTasks = (overrides: Partial<Record<string, LocalTask>> = {}) => stubTaskSet(settings, overrides);
const event = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../../events', name), 'utf8'));

const run = (input: unknown, tasks: Record<string, LocalTask>) =>
  runLocally({ input, executionName: 'test-run', tasks, retryPauseMs: 0 });

describe('archive state machine', () => {
  it('archives every instance in cursor batches and ends with the summary', async () => {
    const stubs = stubTasks();

    const result = await run(event('archive.scheduled.json'), stubs.tasks);

    expect(result).toEqual({
      status: 'SUCCEEDED',
      output: { status: 'succeeded', message: 'all archived', notified: { posted: 'not configured', graphs: 0 } },
    });
    expect(stubs.callsOf('ListLogFilesFunctionArn')).toHaveLength(2);
    const cursors = stubs.callsOf('ArchiveLogFilesFunctionArn').map((call) => (call.input as InstanceProgress).cursor);
    expect(cursors.sort()).toEqual([0, 0, 2, 2]);
    const summary = stubs.callsOf('SummarizeRunFunctionArn')[0]?.input as { state: { archive: unknown } };
    expect(summary.state.archive).toEqual({
      unavailable: [],
      instances: instances.map((item) => ({ instanceId: item.instanceId, clusterId: item.clusterId, status: 'done' })),
      cloudwatch: { groups: [], unavailable: [], groupResults: [] },
    });
  });

  it('passes the run context with the execution id to every task', async () => {
    const stubs = stubTasks();

    await run(event('archive.manual-range.json'), stubs.tasks);

    const later = stubs.calls.filter((call) => call.task !== 'ResolveRunFunctionArn');
    for (const call of later) {
      const input = call.input as { run?: RunContext; state?: { run: RunContext }; executionId?: string };
      const executionId = input.run?.executionId ?? input.state?.run.executionId ?? input.executionId;
      expect(executionId).toContain(':execution:rds-log-archive:test-run');
    }
  });

  it('archives nothing in a dry run', async () => {
    const stubs = stubTasks();

    const result = await run(event('archive.manual-dry-run.json'), stubs.tasks);

    expect(result.status).toBe('SUCCEEDED');
    expect(stubs.callsOf('ListLogFilesFunctionArn')).toHaveLength(2);
    expect(stubs.callsOf('ArchiveLogFilesFunctionArn')).toHaveLength(0);
  });

  it('rejects bad input at the first state, naming the field, and touches nothing', async () => {
    const stubs = stubTasks();

    const result = await run(event('archive.bad-input.from-after-to.json'), stubs.tasks);

    expect(result).toMatchObject({ status: 'FAILED', error: InvalidInputError.name });
    expect(result.cause).toMatch(/^from: /);
    expect(stubs.calls.map((call) => call.task)).toEqual(['ResolveRunFunctionArn', 'NotifyRunFunctionArn']);
  });

  it('fails as "Run Could Not Start" when the configuration is broken', async () => {
    const stubs = stubTasks({
      ResolveRunFunctionArn: async () => {
        throw new ConfigurationError('ARCHIVE_BUCKET', 'an S3 bucket name', 'missing');
      },
    });

    const result = await run(event('archive.scheduled.json'), stubs.tasks);

    expect(result).toMatchObject({ status: 'FAILED', error: ConfigurationError.name });
    expect(stubs.calls.map((call) => call.task)).toEqual(['ResolveRunFunctionArn', 'NotifyRunFunctionArn']);
  });

  it('keeps archiving other instances when one instance fails, then fails the run after the report', async () => {
    const stubs = stubTasks({
      ListLogFilesFunctionArn: async (input) => {
        const { run: runContext, instance } = input as { run: RunContext; instance: InstanceRef };
        if (instance.instanceId === 'orders-aurora-1')
          throw Object.assign(new Error('access denied'), { name: 'AccessDenied' });
        return { run: runContext, instance, planKey: 'plan', cursor: 0, total: 1, done: false };
      },
    });

    const result = await run(event('archive.scheduled.json'), stubs.tasks);

    expect(result).toMatchObject({ status: 'FAILED', error: 'RunFailed', cause: 'something failed' });
    expect(stubs.callsOf('ArchiveLogFilesFunctionArn')).toHaveLength(1);
    const summary = stubs.callsOf('SummarizeRunFunctionArn')[0]?.input as {
      state: { archive: { instances: unknown[] } };
    };
    expect(summary.state.archive.instances).toContainEqual({
      instanceId: 'orders-aurora-1',
      clusterId: 'orders-aurora',
      status: 'failed',
      error: 'AccessDenied',
    });
  });

  it('takes an instance whose plan cannot be read to "Instance Failed" by name', async () => {
    const stubs = stubTasks({
      ArchiveLogFilesFunctionArn: async () => {
        throw new RunStateError('cannot read s3://archive-bucket/plans/x: NoSuchKey');
      },
    });

    const result = await run(event('archive.scheduled.json'), stubs.tasks);

    expect(result).toMatchObject({ status: 'FAILED', error: 'RunFailed' });
    expect(stubs.callsOf('ArchiveLogFilesFunctionArn')).toHaveLength(2);
    const summary = stubs.callsOf('SummarizeRunFunctionArn')[0]?.input as {
      state: { archive: { instances: unknown[] } };
    };
    expect(summary.state.archive.instances).toEqual(
      instances.map((item) => ({
        instanceId: item.instanceId,
        clusterId: item.clusterId,
        status: 'failed',
        error: 'RunStateError',
      })),
    );
  });

  it.each([TransientAwsError.name, 'TimeoutError'])(
    'retries Archive Log Files after %s and resumes from the cursor',
    async (name) => {
      let failures = 1;
      const stubs = stubTasks({
        ArchiveLogFilesFunctionArn: async (input) => {
          const progress = input as InstanceProgress;
          if (failures-- > 0) throw Object.assign(new Error('not this time'), { name });
          return { ...progress, cursor: progress.total, done: true };
        },
      });

      const result = await run(event('archive.scheduled.json'), stubs.tasks);

      expect(result.status).toBe('SUCCEEDED');
      expect(stubs.callsOf('ArchiveLogFilesFunctionArn')).toHaveLength(3);
    },
  );

  it('reports a broken archive branch and fails the run', async () => {
    const stubs = stubTasks({
      ListInstancesFunctionArn: async () => {
        throw Object.assign(new Error('not authorized to DescribeDBClusters'), { name: 'AccessDenied' });
      },
    });

    const result = await run(event('archive.scheduled.json'), stubs.tasks);

    expect(result).toMatchObject({ status: 'FAILED', error: 'RunFailed' });
    const summary = stubs.callsOf('SummarizeRunFunctionArn')[0]?.input as { state: { failure: unknown } };
    expect(summary.state.failure).toEqual({ Error: 'AccessDenied', Cause: 'not authorized to DescribeDBClusters' });
  });

  it('fails as "Run Could Not Report" when the summary cannot be written', async () => {
    const stubs = stubTasks({
      SummarizeRunFunctionArn: async () => {
        throw Object.assign(new Error('bucket gone'), { name: 'NoSuchBucket' });
      },
    });

    const result = await run(event('archive.scheduled.json'), stubs.tasks);

    expect(result).toMatchObject({ status: 'FAILED', error: 'NoSuchBucket', cause: 'bucket gone' });
  });

  it('posts the report after the summary and keeps the run outcome', async () => {
    const stubs = stubTasks();

    const result = await run(event('archive.scheduled.json'), stubs.tasks);

    expect(result.status).toBe('SUCCEEDED');
    const report = stubs.callsOf('NotifyRunFunctionArn');
    expect(report).toHaveLength(1);
    expect(report[0]?.input).toMatchObject({
      summary: { status: 'succeeded', message: 'all archived' },
      executionId: expect.stringContaining(':execution:rds-log-archive:test-run'),
    });
  });

  it('alerts on rejected input before failing, naming the field', async () => {
    const stubs = stubTasks();

    const result = await run(event('archive.bad-input.from-after-to.json'), stubs.tasks);

    expect(result).toMatchObject({ status: 'FAILED', error: InvalidInputError.name });
    expect(stubs.callsOf('NotifyRunFunctionArn')[0]?.input).toMatchObject({
      failure: { Error: InvalidInputError.name, Cause: expect.stringMatching(/^from: /) },
    });
  });

  it.each([
    ['the configuration is broken', 'ResolveRunFunctionArn', ConfigurationError.name],
    ['the report cannot be written', 'SummarizeRunFunctionArn', 'NoSuchBucket'],
  ])('alerts when %s, then fails with the original error', async (_case, task, errorName) => {
    const stubs = stubTasks({
      [task]: async () => {
        throw Object.assign(new Error('broken'), { name: errorName });
      },
    });

    const result = await run(event('archive.scheduled.json'), stubs.tasks);

    expect(result).toMatchObject({ status: 'FAILED', error: errorName, cause: 'broken' });
    expect(stubs.callsOf('NotifyRunFunctionArn').map((call) => call.input)).toContainEqual(
      expect.objectContaining({ failure: { Error: errorName, Cause: 'broken' } }),
    );
  });

  it('keeps the outcome of the run when the notification cannot be posted', async () => {
    const stubs = stubTasks({
      NotifyRunFunctionArn: async () => {
        throw Object.assign(new Error('invalid_payload'), { name: 'SlackPostError' });
      },
    });

    const bad = await run(event('archive.bad-input.from-after-to.json'), stubs.tasks);
    const good = await run(event('archive.scheduled.json'), stubs.tasks);

    expect(bad).toMatchObject({ status: 'FAILED', error: InvalidInputError.name });
    expect(good.status).toBe('SUCCEEDED');
  });
});
