// PutLogEvents with the service's limits. A batch that breaks a limit is refused whole
// (InvalidParameterException); events too old, past the group's retention or too far in the
// future are dropped one by one and only reported in rejectedLogEventsInfo, while the call
// succeeds. Nothing is deduplicated: a repeated call stores its events again.
import { LOG_GROUP_NAME } from '../seed-format/cloudwatch';
import type { Operation } from './context';
import { invalidParameter, validationError } from './errors';
import { eventSize } from './log-stream';
import { type Input, requiredString } from './params';
import type { LogGroup } from './world';

export const MAX_BATCH_EVENTS = 10_000;
export const MAX_BATCH_BYTES = 1_048_576;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_SPAN_MS = DAY_MS;
const TOO_OLD_MS = 14 * DAY_MS;
const TOO_NEW_MS = 2 * HOUR_MS;

interface InputEvent {
  readonly timestamp: number;
  readonly message: string;
}

function readEvent(value: unknown, index: number): InputEvent {
  const member = `logEvents.${index + 1}.member`;
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Input;
  if (raw.timestamp === undefined || raw.timestamp === null) {
    throw validationError(`${member}.timestamp`, undefined, 'Member must not be null');
  }
  if (typeof raw.timestamp !== 'number' || !Number.isInteger(raw.timestamp) || raw.timestamp < 0) {
    throw validationError(`${member}.timestamp`, raw.timestamp, 'Member must have value greater than or equal to 0');
  }
  if (typeof raw.message !== 'string' || raw.message.length === 0) {
    throw validationError(`${member}.message`, raw.message, 'Member must have length greater than or equal to 1');
  }
  return { timestamp: raw.timestamp, message: raw.message };
}

function readEvents(input: Input): InputEvent[] {
  const value = input.logEvents;
  if (value === undefined || value === null) throw validationError('logEvents', undefined, 'Member must not be null');
  if (!Array.isArray(value)) throw validationError('logEvents', value, 'Member must be a list');
  const shown = `${value.length} log events`;
  if (value.length < 1) throw validationError('logEvents', shown, 'Member must have length greater than or equal to 1');
  if (value.length > MAX_BATCH_EVENTS) {
    throw validationError('logEvents', shown, `Member must have length less than or equal to ${MAX_BATCH_EVENTS}`);
  }
  return value.map(readEvent);
}

/** The batch-wide limits, in the order the service reports them. */
function checkBatch(events: readonly InputEvent[]): void {
  const bytes = events.reduce((sum, event) => sum + eventSize(event.message), 0);
  if (bytes > MAX_BATCH_BYTES)
    throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  if (events.some((event, i) => i > 0 && event.timestamp < (events[i - 1] as InputEvent).timestamp)) {
    throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
  }
  const [first, last] = [events[0], events[events.length - 1]];
  if (first !== undefined && last !== undefined && last.timestamp - first.timestamp > MAX_SPAN_MS) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
}

interface Rejections {
  /** Exclusive: events [0, tooOldLogEventEndIndex) are older than 14 days. */
  readonly tooOldLogEventEndIndex?: number;
  /** Exclusive: events [0, expiredLogEventEndIndex) are older than the group's retention. */
  readonly expiredLogEventEndIndex?: number;
  /** Inclusive: events from tooNewLogEventStartIndex on are more than 2 hours in the future. */
  readonly tooNewLogEventStartIndex?: number;
}

/** The rejected ranges of a chronological batch, as AWS indexes them, and the range it keeps. */
export function rejections(events: readonly InputEvent[], group: LogGroup, now: number) {
  const countBefore = (time: number) => events.filter((event) => event.timestamp < time).length;
  const tooOld = countBefore(now - TOO_OLD_MS);
  const expired = group.retentionInDays === undefined ? 0 : countBefore(now - group.retentionInDays * DAY_MS);
  const firstTooNew = events.findIndex((event) => event.timestamp > now + TOO_NEW_MS);
  const tooNew = firstTooNew === -1 ? events.length : firstTooNew;
  const info: Rejections = {
    ...(tooOld > 0 ? { tooOldLogEventEndIndex: tooOld } : {}),
    ...(expired > 0 ? { expiredLogEventEndIndex: expired } : {}),
    ...(tooNew < events.length ? { tooNewLogEventStartIndex: tooNew } : {}),
  };
  return { info: Object.keys(info).length > 0 ? info : undefined, keep: [Math.max(tooOld, expired), tooNew] as const };
}

export const putLogEvents: Operation = (ctx, input) => {
  const groupName = requiredString(input, 'logGroupName', LOG_GROUP_NAME);
  const streamName = requiredString(input, 'logStreamName');
  const events = readEvents(input);
  const group = ctx.world.existingGroup(groupName);
  const stream = ctx.world.existingStream(group, streamName);
  checkBatch(events);
  const now = ctx.now();
  const { info, keep } = rejections(events, group, now);
  for (const event of events.slice(keep[0], Math.max(keep[0], keep[1]))) ctx.world.ingest(stream, event, now);
  // Sequence tokens have been ignored since 2023; callers get one anyway.
  const nextSequenceToken = String(stream.events.length).padStart(56, '0');
  return { nextSequenceToken, rejectedLogEventsInfo: info };
};
