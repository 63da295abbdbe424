import {
  type CloudWatchLogsClient,
  CreateLogStreamCommand,
  DeleteLogStreamCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { cloudWatchTaskDeps } from './common/clients';
import { checkpointPrefix, streamResultKey } from './common/cloudwatch-layout';
import type {
  LogEvent,
  LogGroupRef,
  StreamOutcome,
  TrimCheckpoint,
  TrimPlan,
  TrimProgress,
} from './common/cloudwatch-types';
import type { Config } from './common/config';
import { asTaskError, InvalidInputError, RejectedLogEventsError, RunStateError } from './common/errors';
import { makeHandler } from './common/handler';
import {
  eventBytes,
  PUT_LIMITS,
  packBatches,
  putEventsOnce,
  rejectedCounts,
  subtractEvents,
} from './common/log-batches';
import { type ReadEventsRequest, readLogEvents } from './common/log-events';
import { logger } from './common/logger';
import type { RunStore } from './common/run-store';
import type { RunContext } from './common/types';

export interface TrimStreamInput {
  readonly run: RunContext;
  readonly group: LogGroupRef;
  readonly planKey: string;
  readonly stream: string;
}

export interface TrimStreamDeps {
  readonly logs: CloudWatchLogsClient;
  readonly store: RunStore;
  readonly config: Config;
  readonly now: () => number;
  /** Waits for a batch put just before a crash to become readable; injectable so tests do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** PutLogEvents drops events older than this whatever the group's retention, and those over 2 hours ahead. */
const PUT_MAX_AGE_MS = 14 * DAY;
const PUT_MAX_AHEAD_MS = 120 * MINUTE;
const WRITTEN_DURING_TRIM = 'written during trim';
/**
 * Events put are readable a few seconds later (no documented bound). A batch recorded in flight is
 * read back no sooner than this after the record, or the check could miss it and put it twice.
 */
export const READ_AFTER_PUT_MS = 15_000;
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One stream's trim and what each step needs. */
interface Job {
  readonly deps: TrimStreamDeps;
  readonly group: LogGroupRef;
  readonly stream: string;
  readonly cutoff: number;
  readonly eventsKey: string;
  readonly progressKey: string;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();
const isNamed = (error: unknown, name: string) => error instanceof Error && error.name === name;
const outcome = (job: Job, status: StreamOutcome['status'], reason: string, counts: Partial<StreamOutcome> = {}) =>
  ({ stream: job.stream, status, reason, ...counts }) satisfies StreamOutcome;

/** Every event from `request` on, and the forward token after the last page; none when the stream is gone. */
async function readStream(job: Job, request: Omit<ReadEventsRequest, 'logGroupName' | 'logStreamName'>) {
  const events: LogEvent[] = [];
  let token = request.nextToken ?? '';
  try {
    const pages = readLogEvents(job.deps.logs, { logGroupName: job.group.name, logStreamName: job.stream, ...request });
    for await (const page of pages) {
      events.push(...page.events);
      token = page.nextForwardToken;
    }
  } catch (error) {
    if (!isNamed(error, 'ResourceNotFoundException')) throw error;
  }
  return { events, token };
}

/** Whether events arrived after a read: from its forward token, or after the last event it returned. */
async function writtenSince(job: Job, last: { token?: string; timestamp: number }): Promise<boolean> {
  const from = last.token ? { startTime: job.cutoff, nextToken: last.token } : { startTime: last.timestamp + 1 };
  return (await readStream(job, from)).events.length > 0;
}

/** Whether the stream still holds any checkpointed event (by timestamp, so masking does not matter). */
async function holdsAnyOf(job: Job, events: readonly LogEvent[]): Promise<boolean> {
  const timestamps = new Set(events.map((event) => event.timestamp));
  const first = events[0]?.timestamp ?? job.cutoff;
  const last = events.at(-1)?.timestamp ?? job.cutoff;
  const { events: found } = await readStream(job, { startTime: first, endTime: last + 1 });
  return found.some((event) => timestamps.has(event.timestamp));
}

/** Returns false when the stream was already gone. */
async function deleteStream(job: Job): Promise<boolean> {
  const target = { logGroupName: job.group.name, logStreamName: job.stream };
  try {
    await job.deps.logs.send(new DeleteLogStreamCommand(target));
    return true;
  } catch (error) {
    if (isNamed(error, 'ResourceNotFoundException')) return false;
    throw asTaskError(error, `deleting ${job.group.name} ${job.stream}`);
  }
}

async function createStream(job: Job): Promise<void> {
  const target = { logGroupName: job.group.name, logStreamName: job.stream };
  await job.deps.logs.send(new CreateLogStreamCommand(target)).catch((error: unknown) => {
    if (!isNamed(error, 'ResourceAlreadyExistsException')) throw asTaskError(error, `creating ${job.stream}`);
  });
}

async function saveProgress(job: Job, progress: Omit<TrimProgress, 'updatedAt'>): Promise<TrimProgress> {
  const saved = { ...progress, updatedAt: iso(job.deps.now()) };
  await job.deps.store.putJson(job.progressKey, saved);
  return saved;
}

/**
 * Why the kept events (chronological) cannot all be put back, checked before anything is deleted:
 * PutLogEvents would drop some of them and report it only in rejectedLogEventsInfo.
 */
function refusal(job: Job, events: readonly LogEvent[]): string | undefined {
  const now = job.deps.now();
  const { retentionInDays } = job.group;
  const byRetention = retentionInDays !== undefined && retentionInDays * DAY < PUT_MAX_AGE_MS;
  const limitMs = byRetention ? retentionInDays * DAY : PUT_MAX_AGE_MS;
  const margin = job.deps.config.trimMarginMinutes;
  const oldestAllowed = now - limitMs + margin * MINUTE;
  const tooOld = events.filter((event) => event.timestamp < oldestAllowed);
  if (tooOld.length > 0) {
    const limit = byRetention ? `the group's retention of ${retentionInDays} days` : '14 days';
    return `${tooOld.length} kept events (the oldest at ${iso(tooOld[0]?.timestamp ?? 0)}) are older than ${iso(oldestAllowed)}: PutLogEvents takes events up to ${limit} old, less TRIM_MARGIN_MINUTES=${margin}`;
  }
  const tooNew = events.filter((event) => event.timestamp > now + PUT_MAX_AHEAD_MS);
  if (tooNew.length > 0) {
    return `${tooNew.length} kept events (the newest at ${iso(tooNew.at(-1)?.timestamp ?? 0)}) are more than 2 hours after ${iso(now)}: PutLogEvents rejects them`;
  }
  const oversized = events.find((event) => eventBytes(event) > PUT_LIMITS.maxBytes);
  if (oversized) {
    return `the kept event at ${iso(oversized.timestamp)} is ${eventBytes(oversized)} bytes: PutLogEvents takes at most ${PUT_LIMITS.maxBytes}`;
  }
  return undefined;
}

/** The stream is untouched and the checkpoint obsolete: the next run starts over. */
async function abandon(job: Job, result: StreamOutcome): Promise<StreamOutcome> {
  await saveProgress(job, { phase: 'abandoned', batchesDone: 0 });
  return result;
}

/** The part of batch `index` not in the stream yet, after a call whose result was never recorded. */
async function notYetPut(job: Job, batches: readonly LogEvent[][], index: number, markedAt: string) {
  const batch = batches[index] ?? [];
  const waitMs = Date.parse(markedAt) + READ_AFTER_PUT_MS - job.deps.now();
  if (waitMs > 0) await (job.deps.sleep ?? wait)(waitMs);
  const first = batch[0]?.timestamp ?? 0;
  const read = { startTime: first, endTime: (batch.at(-1)?.timestamp ?? 0) + 1, unmask: job.group.dataProtected };
  const { events: inStream } = await readStream(job, read);
  // Earlier batches may end with events of the same millisecond: those are theirs, not this batch's.
  const earlier = batches.slice(0, index).flatMap((done) => done.filter((event) => event.timestamp >= first));
  return packBatches(subtractEvents(batch, subtractEvents(inStream, earlier)));
}

async function putBatch(job: Job, events: readonly LogEvent[], label: string): Promise<void> {
  const request = { logGroupName: job.group.name, logStreamName: job.stream, logEvents: [...events] };
  const response = await putEventsOnce(job.deps.logs, request, `putting ${label} into ${job.stream}`);
  const rejected = rejectedCounts(response.rejectedLogEventsInfo, events.length);
  if (rejected) {
    throw new RejectedLogEventsError(
      `PutLogEvents rejected events of ${label} in ${job.group.name} ${job.stream}: tooOld ${rejected.tooOld}, expired ${rejected.expired}, tooNew ${rejected.tooNew}; all kept events stay in ${job.eventsKey}`,
    );
  }
}

/** Step 4: put the checkpoint back batch by batch, recording each call before and after it. */
async function putBack(job: Job, events: readonly LogEvent[], progress: TrimProgress): Promise<StreamOutcome> {
  const batches = packBatches(events);
  let putCalls = 0;
  for (let index = progress.batchesDone; index < batches.length; index++) {
    const inFlight = progress.batchInFlight === index;
    const parts = inFlight ? await notYetPut(job, batches, index, progress.updatedAt) : [batches[index] ?? []];
    for (const part of parts) {
      await saveProgress(job, { phase: 'recreated', batchesDone: index, batchInFlight: index });
      await putBatch(job, part, `batch ${index + 1} of ${batches.length}`);
      putCalls += 1;
    }
    await saveProgress(job, { phase: 'recreated', batchesDone: index + 1 });
  }
  await saveProgress(job, { phase: 'done', batchesDone: batches.length });
  return outcome(job, 'rewritten', 'kept events put back', { keptEvents: events.length, putCalls });
}

async function recreateAndPutBack(job: Job, events: readonly LogEvent[]): Promise<StreamOutcome> {
  await createStream(job);
  return putBack(job, events, await saveProgress(job, { phase: 'recreated', batchesDone: 0 }));
}

async function deleteAndPutBack(job: Job, events: readonly LogEvent[]): Promise<StreamOutcome> {
  await deleteStream(job);
  await saveProgress(job, { phase: 'deleted', batchesDone: 0 });
  return recreateAndPutBack(job, events);
}

/** Steps 1-2: checkpoint the events at or after the cutoff, unless they could not all be put back. */
async function startRewrite(job: Job): Promise<StreamOutcome> {
  const { config: settings, now } = job.deps;
  if (job.group.dataProtected && !settings.unmask) {
    return outcome(job, 'refused', 'the group has a data protection policy and CW_UNMASK is false');
  }
  const read = await readStream(job, { startTime: job.cutoff, unmask: job.group.dataProtected });
  const kept = read.events;
  const last = { token: read.token, timestamp: kept.at(-1)?.timestamp ?? job.cutoff - 1 };
  if (kept.length === 0) {
    if (await writtenSince(job, last)) return outcome(job, 'skipped', WRITTEN_DURING_TRIM);
    await deleteStream(job);
    return outcome(job, 'deleted', 'no events at or after the cutoff');
  }
  const reason = refusal(job, kept);
  if (reason) return outcome(job, 'refused', reason);
  const checkpoint: TrimCheckpoint = {
    logGroupName: job.group.name,
    stream: job.stream,
    cutoff: iso(job.cutoff),
    createdAt: iso(now()),
    events: kept,
  };
  await job.deps.store.putJson(job.eventsKey, checkpoint);
  await saveProgress(job, { phase: 'checkpointed', batchesDone: 0 });
  if (await writtenSince(job, last)) return abandon(job, outcome(job, 'skipped', WRITTEN_DURING_TRIM));
  return deleteAndPutBack(job, kept);
}

/**
 * Phase `checkpointed` after a crash: the delete may have gone through before its progress was
 * written. A stream holding none of the kept events was deleted (and perhaps recreated by a writer):
 * it must not be deleted again, nor the checkpoint abandoned.
 */
async function resumeCheckpointed(job: Job, events: readonly LogEvent[]): Promise<StreamOutcome> {
  if (!(await holdsAnyOf(job, events))) return recreateAndPutBack(job, events);
  const reason = refusal(job, events);
  if (reason) return abandon(job, outcome(job, 'refused', reason));
  const last = { timestamp: events.at(-1)?.timestamp ?? job.cutoff };
  if (await writtenSince(job, last)) return abandon(job, outcome(job, 'skipped', WRITTEN_DURING_TRIM));
  return deleteAndPutBack(job, events);
}

/** `rewrite` and `resume`: continue from the checkpoint's progress, or start one. */
async function rewrite(job: Job): Promise<StreamOutcome> {
  const progress = await job.deps.store.findJson<TrimProgress>(job.progressKey);
  if (!progress || progress.phase === 'abandoned') return startRewrite(job);
  const checkpoint = await job.deps.store.findJson<TrimCheckpoint>(job.eventsKey);
  if (!checkpoint) {
    throw new RunStateError(`${job.progressKey} says ${progress.phase} but ${job.eventsKey} is missing`);
  }
  const { events } = checkpoint;
  switch (progress.phase) {
    case 'done':
      return outcome(job, 'rewritten', 'already rewritten', { keptEvents: events.length, putCalls: 0 });
    case 'checkpointed':
      return resumeCheckpointed(job, events);
    case 'deleted':
      return recreateAndPutBack(job, events);
    case 'recreated':
      return putBack(job, events, progress);
  }
}

/** `delete`: everything in the stream is before the cutoff and exported, unless a writer just added more. */
async function deleteExported(job: Job): Promise<StreamOutcome> {
  if (await writtenSince(job, { timestamp: job.cutoff - 1 })) return outcome(job, 'skipped', WRITTEN_DURING_TRIM);
  const existed = await deleteStream(job);
  return outcome(job, 'deleted', existed ? 'all events before the cutoff and exported' : 'already deleted');
}

async function trimPlanned(input: TrimStreamInput, deps: TrimStreamDeps): Promise<StreamOutcome> {
  const plan = await deps.store.getJson<TrimPlan>(input.planKey);
  const planned = plan.streams.find((item) => item.name === input.stream);
  if (!planned)
    throw new InvalidInputError('stream', `a stream named in the trim plan ${input.planKey}`, `got "${input.stream}"`);
  const cutoff = Date.parse(plan.cutoff);
  if (Number.isNaN(cutoff)) throw new RunStateError(`${input.planKey}: cutoff "${plan.cutoff}" is not ISO-8601`);
  const prefix = checkpointPrefix(input.group.name, cutoff, input.stream);
  const job: Job = {
    deps,
    group: input.group,
    stream: input.stream,
    cutoff,
    eventsKey: `${prefix}events.json`,
    progressKey: `${prefix}progress.json`,
  };
  if (planned.action === 'delete') return deleteExported(job);
  if (planned.action === 'rewrite' || planned.action === 'resume') return rewrite(job);
  return outcome(job, 'untouched', `planned ${planned.action}: ${planned.reason}`);
}

/**
 * Trim one stream as Plan Trim decided: delete it, or checkpoint its kept events to S3, delete,
 * recreate and put them back exactly once. Idempotent: a re-run after a crash at any step continues
 * from the checkpoint. The outcome is written to the run's report, also when the trim fails.
 */
export async function trimStream(input: TrimStreamInput, deps: TrimStreamDeps): Promise<StreamOutcome> {
  const resultKey = streamResultKey(input.run, input.group.name, input.stream);
  let result: StreamOutcome;
  try {
    result = await trimPlanned(input, deps);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await deps.store
      .putJson(resultKey, { stream: input.stream, status: 'failed', reason })
      .catch((failure: unknown) => {
        logger.warn('cannot record the failed trim', { key: resultKey, error: failure as Error });
      });
    throw error;
  }
  await deps.store.putJson(resultKey, result);
  logger.info('stream trimmed', { group: input.group.name, stream: input.stream, status: result.status });
  return result;
}

export const handler = makeHandler('trim stream', (event: TrimStreamInput) => trimStream(event, cloudWatchTaskDeps()));
