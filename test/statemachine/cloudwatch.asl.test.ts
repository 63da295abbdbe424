import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadDefinition } from '../../sandbox/local-definition';
import { type LocalTask, runLocally } from '../../sandbox/local-runner';
import type { GroupProgress } from '../../tasks/common/cloudwatch-types';
import { parseConfig } from '../../tasks/common/config';
import {
  ExportFailedError,
  ExportSlotBusyError,
  ExportVerificationError,
  RejectedLogEventsError,
  TransientAwsError,
} from '../../tasks/common/errors';
import { stubTaskSet, TRIMMED_STREAMS } from './stub-tasks';

const GROUPS = ['/aws/rds/cluster/orders-aurora/error', '/aws/rds/instance/billing-postgres/postgresql'];
const settings = parseConfig({
  AWS_REGION: 'us-east-1',
  ARCHIVE_BUCKET: 'archive-bucket',
  CLUSTERS: 'orders-aurora',
  LOG_GROUPS: GROUPS.join(','),
});
const event = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../../events', name), 'utf8'));
const scheduled = () => event('archive.scheduled.json');
const stubTasks = (overrides: Partial<Record<string, LocalTask>> = {}) => stubTaskSet(settings, overrides);
const run = (input: unknown, tasks: Record<string, LocalTask>) =>
  runLocally({ input, executionName: 'cw-run', tasks, retryPauseMs: 0 });

const groupOf = (call: { input: unknown }) => (call.input as GroupProgress).group.name;
const named = (name: string, message = 'test') => Object.assign(new Error(message), { name });
type Summarized = { state: { archive: { cloudwatch: { groupResults?: unknown[]; failed?: string } } } };
const summaryOf = (stubs: ReturnType<typeof stubTasks>) =>
  (stubs.callsOf('SummarizeRunFunctionArn')[0]?.input as Summarized | undefined)?.state.archive.cloudwatch;

describe('CloudWatch Logs branch', () => {
  it('exports, polls until COMPLETED, verifies, plans and trims every stream of every group', async () => {
    const stubs = stubTasks();

    const result = await run(scheduled(), stubs.tasks);

    expect(result.status).toBe('SUCCEEDED');
    expect(stubs.callsOf('CheckExportFunctionArn').map(groupOf)).toEqual([GROUPS[0], GROUPS[0], GROUPS[1], GROUPS[1]]);
    expect(stubs.callsOf('VerifyExportFunctionArn').map(groupOf)).toEqual(GROUPS);
    const trimmed = stubs.callsOf('TrimStreamFunctionArn').map((call) => (call.input as { stream: string }).stream);
    expect(trimmed.sort()).toEqual([...TRIMMED_STREAMS, ...TRIMMED_STREAMS].sort());
    expect(summaryOf(stubs)?.groupResults).toEqual(GROUPS.map((logGroupName) => ({ logGroupName, status: 'done' })));
  });

  it('runs one group at a time: an account has one export slot', async () => {
    const stubs = stubTasks();
    const definition = loadDefinition() as {
      States: Record<string, { Branches: { States: Record<string, unknown> }[] }>;
    };

    await run(scheduled(), stubs.tasks);

    const exportMap = definition.States['Archive Logs']?.Branches[1]?.States['Export Each Log Group'];
    expect(exportMap).toMatchObject({ MaxConcurrency: 1 });
    const groupCalls = stubs.calls.filter((call) => (call.input as GroupProgress).group !== undefined).map(groupOf);
    const lastOfFirst = groupCalls.lastIndexOf(GROUPS[0] ?? '');
    const firstOfSecond = groupCalls.indexOf(GROUPS[1] ?? '');
    expect(lastOfFirst).toBeLessThan(firstOfSecond);
  });

  it('waits for the export slot and starts again while another exporter holds it', async () => {
    let busy = 2;
    const base = stubTasks();
    const stubs = stubTasks({
      StartExportFunctionArn: async (input) => {
        const progress = input as GroupProgress;
        if (busy-- > 0) return { ...progress, export: { taskName: 't', status: 'slot-busy', waitSeconds: 17 } };
        return base.tasks.StartExportFunctionArn?.(input);
      },
    });

    const result = await run(scheduled(), stubs.tasks);

    expect(result.status).toBe('SUCCEEDED');
    expect(stubs.callsOf('StartExportFunctionArn').map(groupOf)).toEqual([GROUPS[0], GROUPS[0], GROUPS[0], GROUPS[1]]);
    expect(summaryOf(stubs)?.groupResults).toEqual(GROUPS.map((logGroupName) => ({ logGroupName, status: 'done' })));
  });

  it.each([
    ['the slot stays busy too long', 'StartExportFunctionArn', ExportSlotBusyError.name],
    ['the export ends FAILED', 'CheckExportFunctionArn', ExportFailedError.name],
    ['the export misses a stream', 'VerifyExportFunctionArn', ExportVerificationError.name],
  ])('fails the group and deletes nothing when %s', async (_case, task, errorName) => {
    const base = stubTaskSet(settings);
    const stubs = stubTasks({
      [task]: async (input) => {
        if (groupOf({ input }) === GROUPS[0]) throw named(errorName);
        return base.tasks[task]?.(input);
      },
    });

    const result = await run(scheduled(), stubs.tasks);

    expect(result).toMatchObject({ status: 'FAILED', error: 'RunFailed' });
    expect(stubs.callsOf('PlanTrimFunctionArn').map(groupOf)).toEqual([GROUPS[1]]);
    expect(stubs.callsOf('TrimStreamFunctionArn').every((call) => groupOf(call) === GROUPS[1])).toBe(true);
    expect(summaryOf(stubs)?.groupResults).toEqual([
      { logGroupName: GROUPS[0], status: 'failed', error: errorName },
      { logGroupName: GROUPS[1], status: 'done' },
    ]);
  });

  it('retries a check after a transient AWS error and keeps polling', async () => {
    let failures = 1;
    const base = stubTaskSet(settings);
    const stubs = stubTasks({
      CheckExportFunctionArn: async (input) => {
        if (failures-- > 0) throw named(TransientAwsError.name);
        return base.tasks.CheckExportFunctionArn?.(input);
      },
    });

    const result = await run(scheduled(), stubs.tasks);

    expect(result.status).toBe('SUCCEEDED');
    expect(stubs.callsOf('CheckExportFunctionArn')).toHaveLength(5);
  });

  it('goes on with the other streams when PutLogEvents rejects events of one', async () => {
    const stubs = stubTasks({
      TrimStreamFunctionArn: async (input) => {
        const { stream } = input as { stream: string };
        if (stream === TRIMMED_STREAMS[0]) throw named(RejectedLogEventsError.name, '3 events too old');
        return { stream, status: 'rewritten', reason: 'kept events put back' };
      },
    });

    const result = await run(scheduled(), stubs.tasks);

    expect(result.status).toBe('SUCCEEDED');
    expect(stubs.callsOf('TrimStreamFunctionArn')).toHaveLength(4);
    expect(summaryOf(stubs)?.groupResults).toEqual(GROUPS.map((logGroupName) => ({ logGroupName, status: 'done' })));
  });

  it('starts no export and trims nothing in a dry run', async () => {
    const stubs = stubTasks();

    const result = await run({ from: '2026-11-01', to: '2026-11-02', dryRun: true }, stubs.tasks);

    expect(result.status).toBe('SUCCEEDED');
    expect(stubs.callsOf('StartExportFunctionArn')).toHaveLength(2);
    for (const task of [
      'CheckExportFunctionArn',
      'VerifyExportFunctionArn',
      'PlanTrimFunctionArn',
      'TrimStreamFunctionArn',
    ])
      expect(stubs.callsOf(task)).toHaveLength(0);
  });

  it('keeps archiving files when the log groups cannot be listed, and reports it', async () => {
    const stubs = stubTasks({
      PlanExportsFunctionArn: async () => {
        throw named('AccessDeniedException', 'not authorized to DescribeLogGroups');
      },
    });

    await run(scheduled(), stubs.tasks);

    expect(stubs.callsOf('ArchiveLogFilesFunctionArn').length).toBeGreaterThan(0);
    expect(summaryOf(stubs)).toEqual({ failed: 'AccessDeniedException' });
  });

  it('exports the named groups of a manual run with its trim mode', async () => {
    const stubs = stubTasks();

    const result = await run(event('archive.manual-cloudwatch.json'), stubs.tasks);

    expect(result.status).toBe('SUCCEEDED');
    const planned = stubs.callsOf('PlanTrimFunctionArn')[0]?.input as GroupProgress;
    expect(planned.run.cloudwatch).toMatchObject({
      logGroups: ['/aws/rds/cluster/orders-aurora/*'],
      from: '2026-11-01T00:00:00.000Z',
      cutoff: '2026-11-08T00:00:00.000Z',
      trimMode: 'delete-exported',
    });
    expect(planned.run.clusters).toEqual([]);
  });

  it('rejects an unknown trim mode at the first state, naming the field', async () => {
    const stubs = stubTasks();

    const result = await run(event('archive.bad-input.unknown-trim-mode.json'), stubs.tasks);

    expect(result).toMatchObject({ status: 'FAILED', error: 'InvalidInputError' });
    expect(result.cause).toMatch(/^trimMode: /);
    expect(stubs.calls.map((call) => call.task)).toEqual(['ResolveRunFunctionArn', 'NotifyRunFunctionArn']);
  });
});
