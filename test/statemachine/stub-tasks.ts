import type { LocalTask } from '../../sandbox/local-runner';
import type { GroupProgress, LogGroupRef } from '../../tasks/common/cloudwatch-types';
import type { Config } from '../../tasks/common/config';
import type { InstanceProgress, InstanceRef, RunContext } from '../../tasks/common/types';
import { resolveRun } from '../../tasks/resolve-run';

export const instances: InstanceRef[] = [
  { instanceId: 'orders-aurora-1', clusterId: 'orders-aurora', engine: 'aurora-mysql' },
  { instanceId: 'orders-aurora-2', clusterId: 'orders-aurora', engine: 'aurora-mysql' },
];

interface SummarizedArchive {
  instances: { status: string }[];
  cloudwatch: { failed?: string; groupResults?: { status: string }[] };
}

export const TRIMMED_STREAMS = ['orders-aurora-1', 'orders-aurora-2'];

/** A List Instances stand-in that finds `found`, all of them available. */
export const listingInstances =
  (found: InstanceRef[]): LocalTask =>
  async (input) => ({ run: (input as { run: RunContext }).run, instances: found, unavailable: [] });

/**
 * Stand-ins for the Lambdas, recording their calls; Resolve Run is the real core. The export
 * stand-ins behave like the real tasks' contract: an export is PENDING when started, RUNNING on
 * the first check and COMPLETED on the second.
 */
export function stubTaskSet(settings: Config, overrides: Partial<Record<string, LocalTask>> = {}) {
  const calls: { task: string; input: unknown }[] = [];
  const record =
    (task: string, fn: LocalTask): LocalTask =>
    async (input) => {
      calls.push({ task, input });
      return fn(input);
    };
  const checks = new Map<string, number>();
  const defaults: Record<string, LocalTask> = {
    ResolveRunFunctionArn: async (input) => resolveRun(input as never, settings),
    ListInstancesFunctionArn: listingInstances(instances),
    ListLogFilesFunctionArn: async (input) => {
      const { run, instance } = input as { run: RunContext; instance: InstanceRef };
      return { run, instance, planKey: `plans/${instance.instanceId}`, cursor: 0, total: 3, done: run.dryRun };
    },
    ArchiveLogFilesFunctionArn: async (input) => {
      const progress = input as InstanceProgress;
      const cursor = Math.min(progress.total, progress.cursor + 2);
      return { ...progress, cursor, done: cursor >= progress.total };
    },
    PlanExportsFunctionArn: async (input) => {
      const { cloudwatch } = (input as { run: RunContext }).run;
      const groups: LogGroupRef[] = cloudwatch.skipped
        ? []
        : cloudwatch.logGroups.map((name) => ({ name, retentionInDays: 30, dataProtected: false }));
      return { groups, unavailable: [] };
    },
    StartExportFunctionArn: async (input) => {
      const progress = input as GroupProgress;
      const status = progress.run.dryRun ? 'dry-run' : 'PENDING';
      return {
        ...progress,
        export: { taskName: `task-${progress.group.name}`, taskId: progress.group.name, status, waitSeconds: 30 },
      };
    },
    CheckExportFunctionArn: async (input) => {
      const progress = input as GroupProgress;
      const count = (checks.get(progress.group.name) ?? 0) + 1;
      checks.set(progress.group.name, count);
      return { ...progress, export: { ...progress.export, status: count >= 2 ? 'COMPLETED' : 'RUNNING' } };
    },
    VerifyExportFunctionArn: async (input) => ({
      ...(input as GroupProgress),
      manifestKey: 'cloudwatch/x/manifest.json',
    }),
    PlanTrimFunctionArn: async (input) => ({
      ...(input as GroupProgress),
      trim: { planKey: 'plan.json', mode: 'rewrite', streams: TRIMMED_STREAMS, deferred: 0 },
    }),
    TrimStreamFunctionArn: async (input) => ({
      stream: (input as { stream: string }).stream,
      status: 'rewritten',
      reason: 'kept events put back',
      keptEvents: 3,
    }),
    NotifyRunFunctionArn: async () => ({ notified: { posted: 'not configured', graphs: 0 } }),
    SummarizeRunFunctionArn: async (input) => {
      const { state } = input as { state: { failure?: unknown; archive?: Partial<SummarizedArchive> } };
      const { instances: outcomes = [], cloudwatch } = state.archive ?? {};
      const failed =
        Boolean(state.failure) ||
        Boolean(cloudwatch?.failed) ||
        [...outcomes, ...(cloudwatch?.groupResults ?? [])].some((item) => item.status === 'failed');
      return { status: failed ? 'failed' : 'succeeded', message: failed ? 'something failed' : 'all archived' };
    },
  };
  const tasks = Object.fromEntries(
    Object.entries({ ...defaults, ...overrides }).map(([name, fn]) => [name, record(name, fn as LocalTask)]),
  );
  return { tasks, calls, callsOf: (task: string) => calls.filter((call) => call.task === task) };
}
