import type { InstancePlan } from '../tasks/common/types';
import type { StepEvent } from './progress';
import { formatBytes } from './render';

/** Files listed by name per instance; the rest is counted (as in the run report). */
export const LISTED_FILES = 200;
/** Files a person sees per instance in the text output. */
const SHOWN_FILES = 10;

/** What a dry run would archive on one instance, from the plan List Log Files wrote. */
export interface PlannedInstance {
  readonly instanceId: string;
  readonly clusterId: string;
  readonly status: string;
  readonly files: readonly {
    readonly name: string;
    readonly size: number;
    readonly reason: string;
    readonly key: string;
  }[];
  readonly filesNotListed: number;
  readonly bytes: number;
  readonly skipped: number;
  readonly deferred: number;
}

/** What a dry run would do: files per instance, log groups to export, or why the CloudWatch branch is skipped. */
export interface DryRunPlan {
  readonly instances: readonly PlannedInstance[];
  readonly logGroups: readonly string[];
  readonly cloudwatchSkipped?: string;
}

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});

function exits(events: readonly StepEvent[], name: string): Json[] {
  return events.flatMap((event) => (event.kind === 'exited' && event.name === name ? [object(event.output)] : []));
}

function plannedInstance(plan: InstancePlan): PlannedInstance {
  return {
    instanceId: plan.instance.instanceId,
    clusterId: plan.instance.clusterId,
    status: plan.status,
    files: plan.files
      .slice(0, LISTED_FILES)
      .map((file) => ({ name: file.name, size: file.size, reason: file.reason, key: file.key })),
    filesNotListed: Math.max(0, plan.files.length - LISTED_FILES),
    bytes: plan.files.reduce((total, file) => total + file.size, 0),
    skipped: plan.skipped.length,
    deferred: plan.deferred,
  };
}

/** Read the plans a (dry) run's List Log Files steps wrote, and the log groups Plan Exports chose. */
export async function dryRunPlan(
  events: readonly StepEvent[],
  readJson: (key: string) => Promise<unknown>,
): Promise<DryRunPlan> {
  const planKeys = exits(events, 'List Log Files')
    .map((output) => output.planKey)
    .filter((key): key is string => typeof key === 'string');
  const instances: PlannedInstance[] = [];
  for (const key of planKeys) instances.push(plannedInstance((await readJson(key)) as InstancePlan));
  const logGroups = exits(events, 'Plan Exports').flatMap((output) =>
    ((object(output.cloudwatch).groups as { name?: string }[] | undefined) ?? []).map((group) => group.name ?? ''),
  );
  const skipped = exits(events, 'Resolve Run')
    .map((output) => object(object(object(output.run).cloudwatch)).skipped)
    .find((reason): reason is string => typeof reason === 'string');
  return { instances, logGroups, ...(skipped && { cloudwatchSkipped: skipped }) };
}

/** The dry run's plan for people: each instance's files (the first few), the log groups. */
export function dryRunLines(plan: DryRunPlan): string[] {
  const lines = ['would archive:'];
  for (const instance of plan.instances) {
    const total = instance.files.length + instance.filesNotListed;
    lines.push(
      `  ${instance.instanceId} (${instance.clusterId}): ${instance.status === 'listed' ? `${total} files, ${formatBytes(instance.bytes)}` : instance.status}; ${instance.skipped} skipped${instance.deferred > 0 ? `, ${instance.deferred} left for the next run` : ''}`,
    );
    for (const file of instance.files.slice(0, SHOWN_FILES)) {
      lines.push(`    ${file.name}  ${formatBytes(file.size)}  ${file.reason}`);
    }
    if (total > SHOWN_FILES) lines.push(`    … and ${total - SHOWN_FILES} more (--json lists up to ${LISTED_FILES})`);
  }
  if (plan.instances.length === 0) lines.push('  no instances');
  lines.push(
    plan.cloudwatchSkipped
      ? `would export no log groups: ${plan.cloudwatchSkipped}`
      : `would export and trim ${plan.logGroups.length} log groups${plan.logGroups.length ? `: ${plan.logGroups.join(', ')}` : ''}`,
  );
  return lines;
}
