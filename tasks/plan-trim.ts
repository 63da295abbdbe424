import { type CloudWatchLogsClient, type LogStream, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { cloudWatchTaskDeps } from './common/clients';
import {
  checkpointPrefix,
  checkpointsOf,
  groupHome,
  manifestKey,
  parseRangeId,
  trimPlanKey,
} from './common/cloudwatch-layout';
import type { GroupProgress, PlannedStream, TrimPlan, TrimProgress, TrimWork } from './common/cloudwatch-types';
import type { Config } from './common/config';
import { asTaskError, InvalidInputError } from './common/errors';
import { makeHandler } from './common/handler';
import { describeLogStreams, latestActivity } from './common/log-streams';
import type { RunStore } from './common/run-store';

export interface PlanTrimDeps {
  readonly logs: CloudWatchLogsClient;
  readonly store: RunStore;
  readonly config: Config;
  readonly now: () => number;
}

/** A half-open span of event timestamps [from, to), epoch ms. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** The retention values PutRetentionPolicy accepts, in days. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const DAY_MS = 86_400_000;
const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** Sorted, disjoint spans; touching spans ([a, b) and [b, c)) become one. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const merged: Span[] = [];
  for (const span of [...spans].sort((a, b) => a.from - b.from)) {
    const last = merged.at(-1);
    if (last && span.from <= last.to) merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, span.to) };
    else merged.push(span);
  }
  return merged;
}

/** Where coverage starting at `from` ends: `from` itself when no span holds it. */
export function coveredUntil(union: readonly Span[], from: number): number {
  return union.find((span) => span.from <= from && from < span.to)?.to ?? from;
}

/** The uncovered part of [from, to), from its first to its last uncovered instant; undefined when none. */
export function uncoveredSpan(union: readonly Span[], from: number, to: number): Span | undefined {
  const start = coveredUntil(union, from);
  if (start >= to) return undefined;
  const end = union.find((span) => span.from < to && to <= span.to)?.from ?? to;
  return { from: start, to: end };
}

/** The event time spans of the group's verified exports, from the folder names of its manifests. */
export async function verifiedSpans(store: RunStore, logGroupName: string): Promise<Span[]> {
  const spans: Span[] = [];
  for (const key of await store.listKeys(groupHome(logGroupName))) {
    const range = parseRangeId(key.split('/').at(-2) ?? '');
    // Exact key match: a nested group (`/a` and `/a/b`) shares the prefix but not the keys.
    if (range && manifestKey(logGroupName, range.from, range.cutoff) === key) {
      spans.push({ from: range.from, to: range.cutoff });
    }
  }
  return mergeSpans(spans);
}

/** Streams with a rewrite checkpoint that is not finished, with the reason to resume it. */
async function unfinishedCheckpoints(store: RunStore, logGroupName: string, cutoff: number) {
  const prefix = checkpointsOf(logGroupName, cutoff);
  const folders = new Set((await store.listKeys(prefix)).map((key) => key.slice(prefix.length).split('/')[0] ?? ''));
  const unfinished = new Map<string, string>();
  for (const folder of folders) {
    const stream = decodeFolder(folder);
    if (stream === undefined || checkpointPrefix(logGroupName, cutoff, stream) !== `${prefix}${folder}/`) continue;
    const progress = await store.findJson<TrimProgress>(`${prefix}${folder}/progress.json`);
    if (progress?.phase === 'done' || progress?.phase === 'abandoned') continue;
    const where = progress ? `stopped at phase ${progress.phase}` : 'left a checkpoint without progress';
    unfinished.set(stream, `an earlier rewrite ${where}: its kept events are put back first`);
  }
  return unfinished;
}

function decodeFolder(folder: string): string | undefined {
  try {
    return folder ? decodeURIComponent(folder) : undefined;
  } catch {
    return undefined;
  }
}

interface Context {
  readonly event: GroupProgress;
  readonly deps: PlanTrimDeps;
  readonly cutoff: number;
  readonly union: readonly Span[];
}

type Decision = Pick<PlannedStream, 'action' | 'reason'>;

/** Why a stream with events before the cutoff may not be trimmed yet; undefined when it may. */
function hold(stream: LogStream, first: number, { event, deps, cutoff, union }: Context): Decision | undefined {
  const quietMs = deps.config.trimQuietMinutes * 60_000;
  const ingested = stream.lastIngestionTime ?? 0;
  if (!event.run.cloudwatch.force && ingested > deps.now() - quietMs) {
    const minutes = Math.floor((deps.now() - ingested) / 60_000);
    return {
      action: 'skip',
      reason: `written to ${minutes} min ago, within TRIM_QUIET_MINUTES (${deps.config.trimQuietMinutes}); a forced run trims it`,
    };
  }
  const gap = uncoveredSpan(union, first, cutoff);
  if (gap) {
    const span = `${iso(gap.from)} to ${iso(gap.to)}`;
    return {
      action: 'skip',
      reason: `events from ${span} are in no verified export; export them with a manual run from ${span}`,
    };
  }
  return undefined;
}

function decide(stream: LogStream, context: Context): Decision {
  const { event, deps, cutoff } = context;
  const mode = event.run.cloudwatch.trimMode;
  const first = stream.firstEventTimestamp;
  if (mode === 'none') return { action: 'leave', reason: 'trim mode none' };
  if (first === undefined || first >= cutoff) return { action: 'leave', reason: 'no events before the cutoff' };
  if (mode === 'retention')
    return { action: 'leave', reason: 'trim mode retention: the retention policy expires them' };
  const before = latestActivity(stream) < cutoff;
  if (mode === 'delete-exported' && !before) return { action: 'leave', reason: 'has events after the cutoff' };
  const held = hold(stream, first, context);
  if (held) return held;
  if (before) return { action: 'delete', reason: 'every event is before the cutoff and in a verified export' };
  if (event.group.dataProtected && !deps.config.unmask) {
    return {
      action: 'skip',
      reason: 'group has a data protection policy; set CW_UNMASK=true and allow logs:Unmask',
    };
  }
  return { action: 'rewrite', reason: 'events before the cutoff are in a verified export; later ones are put back' };
}

function planStreams(streams: readonly LogStream[], unfinished: ReadonlyMap<string, string>, context: Context) {
  const planned: PlannedStream[] = streams.map((stream) => ({
    name: stream.logStreamName ?? '',
    ...(!stream.logStreamName
      ? // Nothing can be trimmed, nor checked, in a stream that cannot be named.
        { action: 'skip' as const, reason: 'DescribeLogStreams gave no stream name' }
      : unfinished.has(stream.logStreamName)
        ? { action: 'resume' as const, reason: unfinished.get(stream.logStreamName) ?? '' }
        : decide(stream, context)),
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
  }));
  const present = new Set(planned.map((stream) => stream.name));
  for (const [name, reason] of unfinished) {
    if (!present.has(name)) planned.push({ name, action: 'resume', reason: `${reason} (the stream is gone)` });
  }
  return planned;
}

/** Resume first, then the oldest events; the streams past `cap` are marked for a later run. */
function applyCap(planned: readonly PlannedStream[], cap: number) {
  const rank = (stream: PlannedStream) => (stream.action === 'resume' ? -1 : (stream.firstEventTimestamp ?? 0));
  const todo = planned.filter((stream) => ['delete', 'rewrite', 'resume'].includes(stream.action));
  const chosen = todo.sort((a, b) => rank(a) - rank(b)).slice(0, cap);
  const left = new Set(todo.slice(cap));
  const streams = planned.map((stream) =>
    left.has(stream)
      ? {
          ...stream,
          action: 'skip' as const,
          reason: `to ${stream.action} in a later run (MAX_STREAMS_PER_GROUP ${cap})`,
        }
      : stream,
  );
  return { streams, chosen: chosen.map((stream) => stream.name), deferred: left.size };
}

/**
 * The retention that expires only exported events: at least CW_OLDER_THAN_DAYS, and long enough
 * that nothing newer than the end of every stream's verified coverage expires.
 */
export function retentionDays(olderThanDays: number, now: number, coveredTo: number): number | undefined {
  const needed = Math.max(olderThanDays, Math.ceil((now - coveredTo) / DAY_MS));
  return RETENTION_DAYS.find((days) => days >= needed);
}

async function planRetention(streams: readonly LogStream[], context: Context): Promise<TrimPlan['retention']> {
  const { event, deps, cutoff, union } = context;
  const before = event.group.retentionInDays;
  const firsts = streams.flatMap((stream) => (stream.firstEventTimestamp === undefined ? [] : [stream]));
  const uncovered = firsts.filter((stream) => uncoveredSpan(union, stream.firstEventTimestamp ?? 0, cutoff));
  if (uncovered.length > 0) {
    const names = uncovered.slice(0, 3).map((stream) => stream.logStreamName);
    return {
      before,
      after: before,
      reason: `not set: ${uncovered.length} stream(s) have events before the cutoff in no verified export (${names.join(', ')})`,
    };
  }
  const coveredTo = Math.min(...firsts.map((stream) => coveredUntil(union, stream.firstEventTimestamp ?? 0)));
  const days = retentionDays(deps.config.cloudWatchOlderThanDays, deps.now(), coveredTo);
  if (days === undefined) return { before, after: before, reason: 'not set: no allowed retention is long enough' };
  if (before !== undefined && before <= days) {
    const olderThan = deps.config.cloudWatchOlderThanDays;
    const warning =
      before < olderThan
        ? `; shorter than CW_OLDER_THAN_DAYS (${olderThan}): events may expire before they are exported`
        : '';
    return { before, after: before, reason: `left at ${before} days: never lengthened (would be ${days})${warning}` };
  }
  if (event.run.dryRun) return { before, after: before, reason: `dry run: would set ${days} days` };
  await deps.logs
    .send(new PutRetentionPolicyCommand({ logGroupName: event.group.name, retentionInDays: days }))
    .catch((error: unknown) => {
      throw asTaskError(error, `setting the retention of ${event.group.name}`);
    });
  return { before, after: days, reason: `set to ${days} days: older events are in verified exports` };
}

/**
 * Decide, per stream of the group, what Trim Stream does with it and why, and write that plan
 * to the run's report prefix; only events already in a verified export are ever given up.
 */
export async function planTrim(event: GroupProgress, deps: PlanTrimDeps): Promise<GroupProgress & { trim: TrimWork }> {
  const { run, group } = event;
  if (!event.manifestKey && !run.dryRun) {
    throw new InvalidInputError('manifestKey', 'the manifest key Verify Export returns', 'missing');
  }
  const cutoff = Date.parse(run.cloudwatch.cutoff);
  const mode = run.cloudwatch.trimMode;
  const context: Context = { event, deps, cutoff, union: await verifiedSpans(deps.store, group.name) };
  const streams = await describeLogStreams(deps.logs, group.name);
  const unfinished = await unfinishedCheckpoints(deps.store, group.name, cutoff);
  const capped = applyCap(planStreams(streams, unfinished, context), deps.config.maxStreamsPerGroup);
  const retention = mode === 'retention' ? await planRetention(streams, context) : undefined;
  const plan: TrimPlan = {
    group,
    mode,
    cutoff: run.cloudwatch.cutoff,
    manifestKey: event.manifestKey,
    streams: capped.streams,
    retention,
  };
  const planKey = trimPlanKey(run, group.name);
  await deps.store.putJson(planKey, plan);
  const trim: TrimWork = run.dryRun
    ? { planKey, mode, streams: [], deferred: 0 }
    : { planKey, mode, streams: capped.chosen, deferred: capped.deferred };
  return { ...event, trim };
}

export const handler = makeHandler('plan trim', (event: GroupProgress) => planTrim(event, cloudWatchTaskDeps()));
