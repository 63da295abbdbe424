import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { RunSummary } from '../tasks/summarize-run';

/**
 * One thing that happened in a run, from a Step Functions history event or from the local
 * runner's event log: a state exited (with its output), or an inline Map iteration succeeded.
 */
export type StepEvent =
  | { readonly kind: 'exited'; readonly name: string; readonly output?: unknown; readonly at?: number }
  | { readonly kind: 'iteration'; readonly name: string; readonly at?: number };

/** A Distributed Map's Map Run counts (DescribeMapRun), with the Map state it belongs to when known. */
export interface MapRunCounts {
  readonly stateName?: string;
  readonly status?: string;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly running: number;
  readonly pending: number;
}

/** What a run has done so far: the figures the progress display and `--json` show. */
export interface Progress {
  readonly dryRun: boolean;
  /** State exits per state name ("Archive Log Files", "Instance Done", …). */
  readonly stateCounts: Readonly<Record<string, number>>;
  /** Succeeded inline Map iterations per Map state name ("Trim Each Stream"). */
  readonly iterations: Readonly<Record<string, number>>;
  readonly instances: {
    readonly total?: number;
    readonly listed: number;
    readonly done: number;
    readonly failed: number;
    readonly running: number;
    readonly unavailable: number;
  };
  /** Files planned by List Log Files and archived so far (the cursors of Archive Log Files). */
  readonly files: { readonly planned: number; readonly done: number };
  readonly logGroups: {
    readonly total?: number;
    readonly done: number;
    readonly failed: number;
    readonly running: number;
    readonly unavailable: number;
  };
  readonly exports: {
    readonly started: number;
    readonly checks: number;
    readonly verified: number;
    /** The latest export state seen: the group and its status. */
    readonly latest?: { readonly group: string; readonly status: string };
  };
  readonly streams: { readonly planned: number; readonly done: number; readonly failed: number };
  /** Child executions of the Distributed Maps that failed, timed out or were aborted. */
  readonly failedChildExecutions: number;
  /** Summarize Run's output, also when the execution then ends in Run Failed. */
  readonly summary?: RunSummary;
}

export const INSTANCE_MAP = 'Archive Each Instance';
export const GROUP_MAP = 'Export Each Log Group';

type Json = Record<string, unknown>;
const object = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const length = (value: unknown): number | undefined => (Array.isArray(value) ? value.length : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function parseJson(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The state exits and Map iterations of a Step Functions history (any execution: parent or child). */
export function stepEventsFromHistory(events: readonly HistoryEvent[]): StepEvent[] {
  return events.flatMap((event): StepEvent[] => {
    const at = event.timestamp?.getTime();
    const exited = event.stateExitedEventDetails;
    if (exited?.name && event.type?.endsWith('StateExited')) {
      return [{ kind: 'exited', name: exited.name, output: parseJson(exited.output), at }];
    }
    const iteration = event.mapIterationSucceededEventDetails;
    if (iteration?.name && event.type === 'MapIterationSucceeded')
      return [{ kind: 'iteration', name: iteration.name, at }];
    return [];
  });
}

/** The same from one event of the local runner (aws-local-stepfunctions' event log). */
export function stepEventFromLocal(event: {
  readonly type: string;
  readonly timestamp?: number;
  readonly state?: { readonly name: string; readonly output?: unknown };
  readonly parentState?: { readonly name: string };
}): StepEvent | undefined {
  if (event.type === 'StateExited' && event.state) {
    return { kind: 'exited', name: event.state.name, output: event.state.output, at: event.timestamp };
  }
  if (event.type === 'MapIterationSucceeded' && event.parentState) {
    return { kind: 'iteration', name: event.parentState.name, at: event.timestamp };
  }
  return undefined;
}

const increment = (counts: Record<string, number>, name: string) => {
  counts[name] = (counts[name] ?? 0) + 1;
};

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

/** Tally a run's progress from its step events and Map Run counts. Pure: the same events, the same figures. */
export function tallyProgress(events: readonly StepEvent[], mapRuns: readonly MapRunCounts[] = []): Progress {
  const stateCounts: Record<string, number> = {};
  const iterations: Record<string, number> = {};
  const planned = new Map<string, number>();
  const archived = new Map<string, number>();
  const exportsStarted = new Set<string>();
  let latest: { group: string; status: string; at: number } | undefined;
  let instancesTotal: number | undefined;
  let groupsTotal: number | undefined;
  let unavailableInstances = 0;
  let unavailableGroups = 0;
  let streamsPlanned = 0;
  let streamsDone = 0;
  let dryRun = false;
  let summary: RunSummary | undefined;
  for (const event of events) {
    if (event.kind === 'iteration') {
      increment(iterations, event.name);
      continue;
    }
    increment(stateCounts, event.name);
    const output = object(event.output);
    if (object(output.run).dryRun === true) dryRun = true;
    const instanceId = text(object(output.instance).instanceId) ?? '';
    switch (event.name) {
      case 'List Instances':
        instancesTotal = length(output.instances) ?? instancesTotal;
        unavailableInstances = length(output.unavailable) ?? unavailableInstances;
        break;
      case 'List Log Files':
        planned.set(instanceId, Number(output.total) || 0);
        break;
      case 'Archive Log Files':
        archived.set(instanceId, Math.max(archived.get(instanceId) ?? 0, Number(output.cursor) || 0));
        break;
      case 'Plan Exports':
        groupsTotal = length(object(output.cloudwatch).groups) ?? groupsTotal;
        unavailableGroups = length(object(output.cloudwatch).unavailable) ?? unavailableGroups;
        break;
      case 'Start Export':
      case 'Check Export': {
        const group = text(object(output.group).name) ?? '';
        const status = text(object(output.export).status) ?? '';
        if (status === 'dry-run') dryRun = true;
        if (status && status !== 'slot-busy' && status !== 'dry-run') exportsStarted.add(group);
        if (!latest || (event.at ?? 0) >= latest.at) latest = { group, status, at: event.at ?? 0 };
        break;
      }
      case 'Plan Trim':
        streamsPlanned += length(object(output.trim).streams) ?? 0;
        break;
      case 'Trim Stream':
        if (text(output.status) && output.status !== 'failed') streamsDone += 1;
        break;
      case 'Summarize Run':
        if (text(output.status)) summary = output as unknown as RunSummary;
        break;
    }
  }
  const mapRun = (stateName: string) => mapRuns.filter((run) => run.stateName === stateName);
  const running = (stateName: string) => sum(mapRun(stateName).map((run) => run.running + run.pending));
  const mapTotal = (stateName: string) =>
    mapRun(stateName).length > 0 ? sum(mapRun(stateName).map((run) => run.total)) : undefined;
  return {
    dryRun: dryRun || summary?.dryRun === true,
    stateCounts,
    iterations,
    instances: {
      total: instancesTotal ?? mapTotal(INSTANCE_MAP),
      listed: stateCounts['List Log Files'] ?? 0,
      done: stateCounts['Instance Done'] ?? 0,
      failed: stateCounts['Instance Failed'] ?? 0,
      running: running(INSTANCE_MAP),
      unavailable: unavailableInstances,
    },
    files: { planned: sum(planned.values()), done: sum(archived.values()) },
    logGroups: {
      total: groupsTotal ?? mapTotal(GROUP_MAP),
      done: stateCounts['Log Group Done'] ?? 0,
      failed: stateCounts['Log Group Failed'] ?? 0,
      running: running(GROUP_MAP),
      unavailable: unavailableGroups,
    },
    exports: {
      started: exportsStarted.size,
      checks: stateCounts['Check Export'] ?? 0,
      verified: stateCounts['Verify Export'] ?? 0,
      ...(latest && { latest: { group: latest.group, status: latest.status } }),
    },
    streams: { planned: streamsPlanned, done: streamsDone, failed: stateCounts['Stream Trim Failed'] ?? 0 },
    failedChildExecutions: sum(mapRuns.map((run) => run.failed)),
    ...(summary && { summary }),
  };
}
