// GetLogEvents: a page of one stream's events, forward from a position or backward from one.
// Tokens are `f/…` and `b/…` around an encoded position between two events; at the end of
// the stream (or of the time range) the token passed in comes back unchanged, which is how
// callers know they are done. A page holds at most `limit` events and 1 MB.
import { LOG_GROUP_NAME } from '../seed-format/cloudwatch';
import type { Operation } from './context';
import { invalidToken } from './errors';
import { eventSize, type LogStream, type Position, type StoredEvent } from './log-stream';
import { decodeToken, encodeToken } from './paging';
import { optionalBoolean, optionalInteger, optionalString, optionalTime, requiredString } from './params';

export const MAX_PAGE_EVENTS = 10_000;
export const MAX_PAGE_BYTES = 1_048_576;
const HEAD: Position = { timestamp: -1, seq: 0 };
const TAIL: Position = { timestamp: Number.MAX_SAFE_INTEGER, seq: 0 };

type Direction = 'f' | 'b';

/** `f/` reads the events after the position, `b/` the events before it. */
interface Cursor {
  readonly direction: Direction;
  readonly position: Position;
}

interface Bounds {
  /** Inclusive. */
  readonly start: number | undefined;
  /** Exclusive. */
  readonly end: number | undefined;
}

const tokenOf = (cursor: Cursor, scope: string): string =>
  `${cursor.direction}/${encodeToken(scope, [cursor.position.timestamp, cursor.position.seq])}`;

function cursorOf(token: string, scope: string): Cursor {
  const direction = token.slice(0, 2) === 'f/' ? 'f' : token.slice(0, 2) === 'b/' ? 'b' : undefined;
  if (direction === undefined) throw invalidToken();
  const payload = decodeToken(token.slice(2), scope);
  if (!Array.isArray(payload) || payload.length !== 2 || !payload.every(Number.isInteger)) throw invalidToken();
  const [timestamp, seq] = payload as [number, number];
  return { direction, position: { timestamp, seq } };
}

function readForward(stream: LogStream, after: Position, bounds: Bounds, limit: number): StoredEvent[] {
  const events = stream.events;
  const page: StoredEvent[] = [];
  let bytes = 0;
  for (let i = Math.max(stream.firstAfter(after), stream.firstFrom(bounds.start ?? 0)); i < events.length; i++) {
    const event = events[i] as StoredEvent;
    if (page.length === limit || (bounds.end !== undefined && event.timestamp >= bounds.end)) break;
    if (page.length > 0 && bytes + eventSize(event.message) > MAX_PAGE_BYTES) break;
    page.push(event);
    bytes += eventSize(event.message);
  }
  return page;
}

function readBackward(stream: LogStream, before: Position, bounds: Bounds, limit: number): StoredEvent[] {
  const events = stream.events;
  const page: StoredEvent[] = [];
  let bytes = 0;
  // Sequence numbers are whole, so "at or after `before`" is "after (before.timestamp, before.seq - 1)".
  let end = stream.firstAfter({ timestamp: before.timestamp, seq: before.seq - 1 });
  if (bounds.end !== undefined) end = Math.min(end, stream.firstFrom(bounds.end));
  for (let i = end - 1; i >= 0; i--) {
    const event = events[i] as StoredEvent;
    if (page.length === limit || (bounds.start !== undefined && event.timestamp < bounds.start)) break;
    if (page.length > 0 && bytes + eventSize(event.message) > MAX_PAGE_BYTES) break;
    page.push(event);
    bytes += eventSize(event.message);
  }
  return page.reverse();
}

/** The tokens after a page: around the events read, or (nothing read) unchanged in the direction read. */
function nextCursors(cursor: Cursor, page: readonly StoredEvent[]): { forward: Cursor; backward: Cursor } {
  const [first, last] = [page[0], page[page.length - 1]];
  if (first !== undefined && last !== undefined) {
    return { forward: { direction: 'f', position: last }, backward: { direction: 'b', position: first } };
  }
  const { timestamp, seq } = cursor.position;
  return cursor.direction === 'f'
    ? { forward: cursor, backward: { direction: 'b', position: { timestamp, seq: seq + 1 } } }
    : { forward: { direction: 'f', position: { timestamp, seq: seq - 1 } }, backward: cursor };
}

/** What a data protection policy does to a message read without `unmask`. */
export const masked = (message: string): string => message.replace(/\d/g, '*');

export const getLogEvents: Operation = (ctx, input) => {
  const group = ctx.world.existingGroup(requiredString(input, 'logGroupName', LOG_GROUP_NAME));
  const stream = ctx.world.existingStream(group, requiredString(input, 'logStreamName'));
  const bounds = { start: optionalTime(input, 'startTime'), end: optionalTime(input, 'endTime') };
  const limit = optionalInteger(input, 'limit', 1, MAX_PAGE_EVENTS) ?? MAX_PAGE_EVENTS;
  const startFromHead = optionalBoolean(input, 'startFromHead') ?? false;
  const unmask = optionalBoolean(input, 'unmask') ?? false;
  const token = optionalString(input, 'nextToken');
  const scope = `${group.name}\n${stream.name}`;
  const cursor: Cursor =
    token !== undefined
      ? cursorOf(token, scope)
      : { direction: startFromHead ? 'f' : 'b', position: startFromHead ? HEAD : TAIL };
  const page =
    cursor.direction === 'f'
      ? readForward(stream, cursor.position, bounds, limit)
      : readBackward(stream, cursor.position, bounds, limit);
  const next = nextCursors(cursor, page);
  const hide = group.dataProtection && !unmask;
  return {
    events: page.map((event) => ({
      timestamp: event.timestamp,
      message: hide ? masked(event.message) : event.message,
      ingestionTime: event.ingestionTime,
    })),
    // The token passed in, byte for byte, when nothing more was read in its direction.
    nextForwardToken: page.length === 0 && cursor.direction === 'f' && token ? token : tokenOf(next.forward, scope),
    nextBackwardToken: page.length === 0 && cursor.direction === 'b' && token ? token : tokenOf(next.backward, scope),
  };
};
