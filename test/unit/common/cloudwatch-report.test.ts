import { streamResultKey, trimPlanKey } from '../../../tasks/common/cloudwatch-layout';
import {
  type CloudWatchBranchResult,
  cloudWatchFailed,
  cloudWatchMessage,
  cloudWatchReport,
} from '../../../tasks/common/cloudwatch-report';
import type { StreamOutcome, TrimPlan } from '../../../tasks/common/cloudwatch-types';
import { runContext } from '../../helpers/run-context';
import { MemoryRunStore } from '../../helpers/run-store';

const GROUP = '/aws/rds/cluster/aurora-a/error';
const run = runContext();

function planWith(streams: TrimPlan['streams']): TrimPlan {
  return {
    group: { name: GROUP, dataProtected: false, retentionInDays: 30 },
    mode: 'rewrite',
    cutoff: run.cloudwatch.cutoff,
    manifestKey: 'cloudwatch/aws/rds/cluster/aurora-a/error/2026/11/12/x/manifest.json',
    streams,
  };
}

async function storeWith(plan: TrimPlan, outcomes: StreamOutcome[]) {
  const store = new MemoryRunStore();
  await store.putJson(trimPlanKey(run, GROUP), plan);
  for (const outcome of outcomes) await store.putJson(streamResultKey(run, GROUP, outcome.stream), outcome);
  return store;
}

const done: CloudWatchBranchResult = { groupResults: [{ logGroupName: GROUP, status: 'done' }], unavailable: [] };

describe('cloudWatchReport', () => {
  it('reports every stream: results of the trimmed ones, the plan reason of the others', async () => {
    const store = await storeWith(
      planWith([
        { name: 'a-1', action: 'rewrite', reason: 'events on both sides of the cutoff' },
        { name: 'a-2', action: 'delete', reason: 'all events before the cutoff' },
        { name: 'a-3', action: 'leave', reason: 'no events before the cutoff' },
        { name: 'a-4', action: 'skip', reason: 'written to 3 minutes ago' },
      ]),
      [
        { stream: 'a-1', status: 'rewritten', reason: 'kept events put back', keptEvents: 40, putCalls: 1 },
        { stream: 'a-2', status: 'deleted', reason: 'all events exported' },
      ],
    );

    const report = await cloudWatchReport(store, run, done);

    expect(report.groups).toEqual([
      expect.objectContaining({
        logGroupName: GROUP,
        status: 'done',
        manifestKey: expect.stringMatching(/manifest\.json$/),
        streams: { rewritten: 1, deleted: 1, untouched: 1, skipped: 1 },
        keptEvents: 40,
      }),
    ]);
    expect(report.groups[0]?.outcomes).toContainEqual({
      stream: 'a-4',
      status: 'skipped',
      reason: 'written to 3 minutes ago',
    });
    expect(report.totals).toEqual({
      logGroups: 1,
      failedGroups: 0,
      trimmedStreams: 2,
      skippedStreams: 1,
      failedStreams: 0,
    });
    expect(cloudWatchFailed(report)).toBe(false);
    expect(cloudWatchMessage(report, false)).toBe('1/1 log groups exported, 2 streams trimmed, 1 skipped, 0 failed');
  });

  it('fails the run for a refused or failed stream', async () => {
    const store = await storeWith(planWith([{ name: 'a-1', action: 'rewrite', reason: 'mixed' }]), [
      { stream: 'a-1', status: 'refused', reason: 'a kept event is 13.9 days old' },
    ]);

    const report = await cloudWatchReport(store, run, done);

    expect(report.totals.failedStreams).toBe(1);
    expect(cloudWatchFailed(report)).toBe(true);
  });

  it('fails the run for a failed group and names its error', async () => {
    const branch = { groupResults: [{ logGroupName: GROUP, status: 'failed' as const, error: 'ExportFailedError' }] };

    const report = await cloudWatchReport(new MemoryRunStore(), run, branch);

    expect(report.groups[0]).toMatchObject({ status: 'failed', error: 'ExportFailedError', streams: {} });
    expect(cloudWatchFailed(report)).toBe(true);
  });

  it('fails the run when the log groups could not be listed', async () => {
    const report = await cloudWatchReport(new MemoryRunStore(), run, { failed: 'AccessDeniedException' });

    expect(cloudWatchFailed(report)).toBe(true);
    expect(cloudWatchMessage(report, false)).toBe('log groups not listed (AccessDeniedException)');
  });

  it('says why the branch did nothing, and does not fail the run for it', async () => {
    const skipped = runContext({ cloudwatch: { ...run.cloudwatch, skipped: 'no log groups configured or named' } });

    const report = await cloudWatchReport(new MemoryRunStore(), skipped, { groups: [], groupResults: [] });

    expect(cloudWatchFailed(report)).toBe(false);
    expect(cloudWatchMessage(report, false)).toBe('CloudWatch export skipped: no log groups configured or named');
  });

  it('describes a dry run by the groups it would export', async () => {
    const report = await cloudWatchReport(new MemoryRunStore(), runContext({ dryRun: true }), done);

    expect(cloudWatchMessage(report, true)).toBe('dry run: 1 log groups would be exported');
  });
});
