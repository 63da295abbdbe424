/**
 * Putting kept events back into a stream: packing them into the fewest PutLogEvents calls the
 * limits allow, making each call exactly once, and reading what a call rejected.
 */
import {
  type CloudWatchLogsClient,
  PutLogEventsCommand,
  type PutLogEventsRequest,
  type PutLogEventsResponse,
  type RejectedLogEventsInfo,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogEvent } from './cloudwatch-types';
import { asTaskError, InvalidInputError } from './errors';

/** PutLogEvents' per-call limits (CloudWatch Logs API reference, PutLogEvents). */
export const PUT_LIMITS = {
  /** "The maximum number of log events in a batch is 10,000." */
  maxEvents: 10_000,
  /** "The maximum batch size is 1,048,576 bytes", counted as eventBytes() summed over the batch. */
  maxBytes: 1_048_576,
  /** "…the sum of all event messages in UTF-8, plus 26 bytes for each log event." */
  eventOverheadBytes: 26,
  /**
   * "A batch of log events in a single request may not span more than 24 hours": a span of exactly
   * 24 hours is allowed. Were that read wrong, the call fails outright; no event is dropped silently.
   */
  maxSpanMs: 24 * 3600 * 1000,
} as const;

/** What one event counts against the byte limit: its message in UTF-8 plus the fixed overhead. */
export function eventBytes(event: LogEvent): number {
  return Buffer.byteLength(event.message, 'utf8') + PUT_LIMITS.eventOverheadBytes;
}

/** Stable: events with equal timestamps keep their order, so they are put back as they were read. */
function chronological(events: readonly LogEvent[]): LogEvent[] {
  return [...events].sort((a, b) => a.timestamp - b.timestamp);
}

/** An event too large for any call cannot be put back at all: say which one, before anything is touched. */
function sizeThatFits(event: LogEvent): number {
  const size = eventBytes(event);
  if (size > PUT_LIMITS.maxBytes) {
    throw new InvalidInputError(
      'events',
      `events of at most ${PUT_LIMITS.maxBytes} bytes (UTF-8 message + ${PUT_LIMITS.eventOverheadBytes})`,
      `the event at ${new Date(event.timestamp).toISOString()} (${event.timestamp}) is ${size} bytes`,
    );
  }
  return size;
}

/**
 * The events in chronological order, cut into PutLogEvents calls that each respect every limit.
 *
 * Greedy gives the fewest calls among cuts of the chronological order. A run of consecutive events
 * is a valid call when its count, bytes and span are within the limits; each of these only shrinks
 * when events are dropped from either end, so every sub-run of a valid run is valid. Say an optimal
 * cut ends its k-th call at event o(k) and greedy ends its k-th call at g(k). If g(k-1) >= o(k-1),
 * the run g(k-1)+1 … o(k) is a sub-run of the optimal k-th call, hence valid, so greedy, which takes
 * the longest valid run, reaches g(k) >= o(k). By induction greedy is never behind and needs no
 * more calls. (Regrouping events across time could save calls when the byte limit binds, as in bin
 * packing; calls stay chronological so that the stream reads back in its original order.)
 */
export function packBatches(events: readonly LogEvent[]): LogEvent[][] {
  const batches: LogEvent[][] = [];
  let batch: LogEvent[] = [];
  let bytes = 0;
  for (const event of chronological(events)) {
    const size = sizeThatFits(event);
    const first = batch[0];
    const full =
      first !== undefined &&
      (batch.length === PUT_LIMITS.maxEvents ||
        bytes + size > PUT_LIMITS.maxBytes ||
        event.timestamp - first.timestamp > PUT_LIMITS.maxSpanMs);
    if (full) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(event);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * The fewest calls, found without the greedy rule: calls[j] = 1 + min(calls[i]) over every i such
 * that events i … j-1 form a valid call. Those i form a window [start, j-1] whose start only moves
 * forward as j grows, so a monotonic queue of window minima makes it linear. Benchmarks compare
 * packBatches against it.
 */
export function minimumPutCalls(events: readonly LogEvent[]): number {
  const sorted = chronological(events);
  const sizes = sorted.map(sizeThatFits);
  const calls: number[] = [0];
  const queue: number[] = [];
  let head = 0;
  let start = 0;
  let bytes = 0;
  for (let j = 1; j <= sorted.length; j++) {
    const candidate = j - 1;
    while (queue.length > head && (calls[queue[queue.length - 1] ?? 0] ?? 0) >= (calls[candidate] ?? 0)) queue.pop();
    queue.push(candidate);
    bytes += sizes[candidate] ?? 0;
    const last = sorted[candidate]?.timestamp ?? 0;
    while (
      j - start > PUT_LIMITS.maxEvents ||
      bytes > PUT_LIMITS.maxBytes ||
      last - (sorted[start]?.timestamp ?? 0) > PUT_LIMITS.maxSpanMs
    ) {
      bytes -= sizes[start] ?? 0;
      start += 1;
    }
    while ((queue[head] ?? 0) < start) head += 1;
    calls.push((calls[queue[head] ?? 0] ?? 0) + 1);
  }
  return calls[sorted.length] ?? 0;
}

const eventKey = (event: LogEvent) => `${event.timestamp}\n${event.message}`;

/**
 * `events` less `present`, as multisets of (timestamp, message): what a stream still lacks. Identical
 * events count one by one, so a stream holding one of two identical events still lacks the other.
 */
export function subtractEvents(events: readonly LogEvent[], present: readonly LogEvent[]): LogEvent[] {
  const available = new Map<string, number>();
  for (const event of present) available.set(eventKey(event), (available.get(eventKey(event)) ?? 0) + 1);
  return events.filter((event) => {
    const count = available.get(eventKey(event)) ?? 0;
    if (count > 0) available.set(eventKey(event), count - 1);
    return count === 0;
  });
}

export interface RejectedCounts {
  readonly tooOld: number;
  readonly expired: number;
  readonly tooNew: number;
}

/**
 * How many events of a call PutLogEvents rejected, or undefined when none was. The API still
 * succeeds for the rest, so this is the only sign of a loss. End indexes are exclusive and the
 * start index inclusive (API reference, RejectedLogEventsInfo).
 */
export function rejectedCounts(info: RejectedLogEventsInfo | undefined, batchSize: number): RejectedCounts | undefined {
  const { tooOldLogEventEndIndex, expiredLogEventEndIndex, tooNewLogEventStartIndex } = info ?? {};
  const none = [tooOldLogEventEndIndex, expiredLogEventEndIndex, tooNewLogEventStartIndex].every(
    (i) => i === undefined,
  );
  if (none) return undefined;
  return {
    tooOld: tooOldLogEventEndIndex ?? 0,
    expired: expiredLogEventEndIndex ?? 0,
    tooNew: tooNewLogEventStartIndex === undefined ? 0 : batchSize - tooNewLogEventStartIndex,
  };
}

/** Thrown in place of the SDK's second attempt at a PutLogEvents call. */
const NOT_RETRIED = 'PutLogEventsNotRetried';

/** Answers that say the service refused the call without applying it. */
const REFUSED_UNAPPLIED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException']);

/**
 * One PutLogEvents call, retried by the SDK only after a throttling answer: the service refused
 * that call without storing anything. Any other failure (a timeout, a 5xx, a reset) may have
 * stored the events, and the service takes duplicates, so it surfaces at once instead (5xx as
 * TransientAwsError) and the caller checks the stream before trying again.
 */
export async function putEventsOnce(
  logs: CloudWatchLogsClient,
  request: PutLogEventsRequest,
  action: string,
): Promise<PutLogEventsResponse> {
  const command = new PutLogEventsCommand(request);
  let lastFailure: unknown;
  // Inside the client's retry loop (finalizeRequest, after the high-priority retry middleware).
  command.middlewareStack.add(
    (next) => async (args) => {
      if (lastFailure !== undefined && !REFUSED_UNAPPLIED.has((lastFailure as Error).name)) {
        throw Object.assign(new Error('PutLogEvents is not retried'), { name: NOT_RETRIED });
      }
      try {
        return await next(args);
      } catch (error) {
        lastFailure = error;
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'putLogEventsOnce' },
  );
  try {
    return await logs.send(command);
  } catch (error) {
    throw asTaskError((error as Error).name === NOT_RETRIED ? lastFailure : error, action);
  }
}
