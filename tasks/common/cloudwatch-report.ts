/**
 * The CloudWatch branch's part of the run report: per log group, the export and each stream's
 * outcome (deleted, rewritten with counts, untouched, skipped and why), read from the trim plan
 * and the stream results the tasks wrote to S3.
 */
import { groupReportPrefix, trimPlanKey } from './cloudwatch-layout';
import type { PlannedStream, StreamOutcome, StreamOutcomeStatus, TrimPlan } from './cloudwatch-types';
import { mapInOrder } from './concurrency';
import type { RunStore } from './run-store';
import type { RunContext } from './types';

/** What the branch hands to Summarize Run (the Parallel state's second result). */
export interface CloudWatchBranchResult {
  readonly groups?: readonly { readonly name: string }[];
  readonly unavailable?: readonly { readonly name: string; readonly reason: string }[];
  readonly groupResults?: readonly { logGroupName: string; status: 'done' | 'failed'; error?: string }[];
  /** Set when Plan Exports failed: the error name. */
  readonly failed?: string;
}

export interface GroupReport {
  readonly logGroupName: string;
  readonly status: 'done' | 'failed';
  readonly error?: string;
  readonly manifestKey?: string;
  readonly retention?: TrimPlan['retention'];
  readonly streams: Readonly<Partial<Record<StreamOutcomeStatus, number>>>;
  readonly keptEvents: number;
  readonly outcomes: readonly StreamOutcome[];
}

export interface CloudWatchReport {
  readonly skipped?: string;
  readonly failed?: string;
  readonly unavailable: readonly { name: string; reason: string }[];
  readonly groups: readonly GroupReport[];
  readonly totals: {
    readonly logGroups: number;
    readonly failedGroups: number;
    readonly trimmedStreams: number;
    readonly skippedStreams: number;
    readonly failedStreams: number;
  };
}

/** Outcomes listed per group in the report; the rest is counted. */
const LISTED_STREAMS = 200;

/** A stream the plan left alone has no result object: its outcome comes from the plan. */
function plannedOutcome(planned: PlannedStream): StreamOutcome[] {
  if (planned.action !== 'leave' && planned.action !== 'skip') return [];
  const status = planned.action === 'leave' ? 'untouched' : 'skipped';
  return [{ stream: planned.name, status, reason: planned.reason }];
}

async function groupReport(
  store: RunStore,
  run: RunContext,
  result: NonNullable<CloudWatchBranchResult['groupResults']>[number],
): Promise<GroupReport> {
  const plan = await store.findJson<TrimPlan>(trimPlanKey(run, result.logGroupName));
  const resultKeys = await store.listKeys(`${groupReportPrefix(run, result.logGroupName)}streams/`);
  const results = await mapInOrder(resultKeys, 8, (key) => store.getJson<StreamOutcome>(key));
  const reported = new Set(results.map((outcome) => outcome.stream));
  const fromPlan = (plan?.streams ?? []).filter((stream) => !reported.has(stream.name)).flatMap(plannedOutcome);
  const outcomes = [...results, ...fromPlan];
  const streams: Partial<Record<StreamOutcomeStatus, number>> = {};
  for (const outcome of outcomes) streams[outcome.status] = (streams[outcome.status] ?? 0) + 1;
  return {
    logGroupName: result.logGroupName,
    status: result.status,
    ...(result.error ? { error: result.error } : {}),
    ...(plan?.manifestKey ? { manifestKey: plan.manifestKey } : {}),
    ...(plan?.retention ? { retention: plan.retention } : {}),
    streams,
    keptEvents: results.reduce((sum, outcome) => sum + (outcome.keptEvents ?? 0), 0),
    outcomes: outcomes.slice(0, LISTED_STREAMS),
  };
}

export async function cloudWatchReport(
  store: RunStore,
  run: RunContext,
  branch: CloudWatchBranchResult | undefined,
): Promise<CloudWatchReport> {
  const groups = await mapInOrder(branch?.groupResults ?? [], 4, (result) => groupReport(store, run, result));
  const count = (statuses: StreamOutcomeStatus[]) =>
    groups.reduce((sum, group) => sum + statuses.reduce((s, status) => s + (group.streams[status] ?? 0), 0), 0);
  return {
    ...(run.cloudwatch.skipped ? { skipped: run.cloudwatch.skipped } : {}),
    ...(branch?.failed ? { failed: branch.failed } : {}),
    unavailable: branch?.unavailable ?? [],
    groups,
    totals: {
      logGroups: groups.length,
      failedGroups: groups.filter((group) => group.status === 'failed').length,
      trimmedStreams: count(['deleted', 'rewritten']),
      skippedStreams: count(['skipped']),
      failedStreams: count(['failed', 'refused']),
    },
  };
}

/** Whether the branch's outcome makes the run fail. */
export const cloudWatchFailed = (report: CloudWatchReport) =>
  Boolean(report.failed) || report.totals.failedGroups > 0 || report.totals.failedStreams > 0;

/** One clause of the run's message, or nothing when the branch had no work. */
export function cloudWatchMessage(report: CloudWatchReport, dryRun: boolean): string | undefined {
  if (report.failed) return `log groups not listed (${report.failed})`;
  if (report.skipped) return `CloudWatch export skipped: ${report.skipped}`;
  const { logGroups, failedGroups, trimmedStreams, skippedStreams, failedStreams } = report.totals;
  if (logGroups === 0 && report.unavailable.length === 0) return undefined;
  if (dryRun) return `dry run: ${logGroups} log groups would be exported`;
  return `${logGroups - failedGroups}/${logGroups} log groups exported, ${trimmedStreams} streams trimmed, ${skippedStreams} skipped, ${failedStreams} failed`;
}
