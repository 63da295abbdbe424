// The `cloudwatch` section: log groups, their streams and events, and the faults of the
// CloudWatch Logs stand-in. Times are hours before the stand-in starts, so a seed never
// goes stale. Faults must name seeded groups and streams: one that could never fire is a
// load-time error rather than a silently green test.
import { child, type FieldReader, item, type RawObject } from './fields';
import {
  EXPORT_FAILURES,
  GROUP_OPERATIONS,
  LOGS_OPERATIONS,
  RETENTION_DAYS,
  type SeedCloudWatch,
  type SeedCloudWatchFaults,
  type SeedCrash,
  type SeedEventSeries,
  type SeedExportOutcome,
  type SeedLogEvent,
  type SeedLogGroup,
  type SeedLogStream,
  type SeedLogWriter,
  STREAM_OPERATIONS,
} from './types';

export const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const LOG_GROUP_FORM = 'a log group name: 1-512 letters, digits or . - _ / #';
export const LOG_STREAM_NAME = /^[^:*]{1,512}$/;
const LOG_STREAM_FORM = 'a log stream name: 1-512 characters other than : and *';
/** A generated series larger than this is almost certainly a typo (and would fill the memory). */
const MAX_GENERATED_EVENTS = 1_000_000;

const defined = <T>(entry: T | undefined): entry is T => entry !== undefined;

function hours(r: FieldReader, path: string, value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  return r.expected(path, 'a number of hours, 0 or more', value);
}

function message(r: FieldReader, path: string, value: unknown): string | undefined {
  return r.string(path, value, 'a non-empty log message');
}

function parseEvent(r: FieldReader, path: string, value: unknown): SeedLogEvent | undefined {
  const raw = r.object(path, value, ['hoursAgo', 'message']);
  if (raw === undefined) return undefined;
  const hoursAgo = hours(r, child(path, 'hoursAgo'), raw.hoursAgo);
  const text = message(r, child(path, 'message'), raw.message);
  return hoursAgo === undefined || text === undefined ? undefined : { hoursAgo, message: text };
}

/** How many events a series makes: one at `fromHoursAgo`, then one every `everyMinutes` up to `toHoursAgo`. */
export const seriesLength = (series: Omit<SeedEventSeries, 'messages'>): number =>
  Math.floor(((series.fromHoursAgo - series.toHoursAgo) * 60) / series.everyMinutes + 1e-9) + 1;

function parseSeries(r: FieldReader, path: string, value: unknown): SeedEventSeries | undefined {
  const raw = r.object(path, value, ['fromHoursAgo', 'toHoursAgo', 'everyMinutes', 'messages']);
  if (raw === undefined) return undefined;
  const fromHoursAgo = hours(r, child(path, 'fromHoursAgo'), raw.fromHoursAgo);
  const toHoursAgo = hours(r, child(path, 'toHoursAgo'), raw.toHoursAgo);
  const everyMinutes =
    typeof raw.everyMinutes === 'number' && Number.isFinite(raw.everyMinutes) && raw.everyMinutes > 0
      ? raw.everyMinutes
      : r.expected(child(path, 'everyMinutes'), 'a number of minutes greater than 0', raw.everyMinutes);
  const messagesPath = child(path, 'messages');
  const listed = r.list(messagesPath, raw.messages);
  if (raw.messages === undefined || (Array.isArray(raw.messages) && raw.messages.length === 0)) {
    r.expected(messagesPath, 'a non-empty array of log messages', raw.messages);
  }
  const messages = listed.map((entry, i) => message(r, item(messagesPath, i), entry));
  if (fromHoursAgo === undefined || toHoursAgo === undefined || everyMinutes === undefined) return undefined;
  if (fromHoursAgo < toHoursAgo) {
    return r.problem(path, `expected fromHoursAgo (${fromHoursAgo}) to be at least toHoursAgo (${toHoursAgo})`);
  }
  const count = seriesLength({ fromHoursAgo, toHoursAgo, everyMinutes });
  if (count > MAX_GENERATED_EVENTS) {
    return r.problem(path, `makes ${count} events, expected at most ${MAX_GENERATED_EVENTS} per stream`);
  }
  if (messages.length === 0 || !messages.every(defined)) return undefined;
  return { fromHoursAgo, toHoursAgo, everyMinutes, messages };
}

function parseStream(r: FieldReader, path: string, value: unknown): SeedLogStream | undefined {
  const raw = r.object(path, value, ['name', 'events', 'generate']);
  if (raw === undefined) return undefined;
  const name = r.string(child(path, 'name'), raw.name, LOG_STREAM_FORM, LOG_STREAM_NAME);
  const eventsPath = child(path, 'events');
  const events = r.list(eventsPath, raw.events).map((entry, i) => parseEvent(r, item(eventsPath, i), entry));
  const generate = raw.generate === undefined ? undefined : parseSeries(r, child(path, 'generate'), raw.generate);
  if (name === undefined || !events.every(defined)) return undefined;
  if (raw.generate !== undefined && generate === undefined) return undefined;
  return generate === undefined ? { name, events } : { name, events, generate };
}

/** Hours since the oldest event of the stream, 0 when it has none. */
const oldestEventAge = (stream: SeedLogStream): number =>
  stream.events.reduce((oldest, event) => Math.max(oldest, event.hoursAgo), stream.generate?.fromHoursAgo ?? 0);

function parseStreams(r: FieldReader, path: string, value: unknown): SeedLogStream[] | undefined {
  const entries = r.list(path, value).map((entry, i) => parseStream(r, item(path, i), entry));
  const seen = new Set<string>();
  entries.forEach((stream, i) => {
    if (stream === undefined) return;
    if (seen.has(stream.name)) r.problem(item(path, i), `log stream "${stream.name}" is listed twice`);
    seen.add(stream.name);
  });
  return entries.every(defined) ? entries : undefined;
}

function parseGroup(r: FieldReader, path: string, value: unknown): SeedLogGroup | undefined {
  const raw = r.object(path, value, ['name', 'retentionInDays', 'dataProtection', 'createdHoursAgo', 'streams']);
  if (raw === undefined) return undefined;
  const name = r.string(child(path, 'name'), raw.name, LOG_GROUP_FORM, LOG_GROUP_NAME);
  const retentionInDays =
    raw.retentionInDays === undefined ? undefined : retention(r, child(path, 'retentionInDays'), raw.retentionInDays);
  const dataProtection =
    raw.dataProtection === undefined ? false : r.boolean(child(path, 'dataProtection'), raw.dataProtection);
  const streams = parseStreams(r, child(path, 'streams'), raw.streams);
  const oldest = (streams ?? []).reduce((age, stream) => Math.max(age, oldestEventAge(stream)), 0);
  let createdHoursAgo: number | undefined = oldest;
  if (raw.createdHoursAgo !== undefined) {
    createdHoursAgo = hours(r, child(path, 'createdHoursAgo'), raw.createdHoursAgo);
    if (createdHoursAgo !== undefined && createdHoursAgo < oldest) {
      createdHoursAgo = r.expected(
        child(path, 'createdHoursAgo'),
        `at least ${oldest} (the age in hours of the group's oldest event)`,
        raw.createdHoursAgo,
      );
    }
  }
  if (name === undefined || dataProtection === undefined || streams === undefined) return undefined;
  if (createdHoursAgo === undefined || (raw.retentionInDays !== undefined && retentionInDays === undefined)) {
    return undefined;
  }
  const group = { name, dataProtection, createdHoursAgo, streams };
  return retentionInDays === undefined ? group : { ...group, retentionInDays };
}

/** One of the retention periods CloudWatch Logs allows. */
function retention(r: FieldReader, path: string, value: unknown): number | undefined {
  if (typeof value === 'number' && (RETENTION_DAYS as readonly number[]).includes(value)) return value;
  return r.expected(path, `a number of days CloudWatch Logs allows (${RETENTION_DAYS.join(', ')})`, value);
}

function parseGroups(r: FieldReader, value: unknown): SeedLogGroup[] {
  const path = 'cloudwatch.logGroups';
  const groups = r.list(path, value).map((entry, i) => parseGroup(r, item(path, i), entry));
  const seen = new Set<string>();
  groups.forEach((group, i) => {
    if (group === undefined) return;
    if (seen.has(group.name)) r.problem(item(path, i), `log group "${group.name}" is listed twice`);
    seen.add(group.name);
  });
  return groups.filter(defined);
}

/** Seeded streams by group name: what the faults may point at. */
type Streams = ReadonlyMap<string, ReadonlySet<string>>;

function seededGroup(r: FieldReader, path: string, value: unknown, streams: Streams): string | undefined {
  const name = r.string(path, value, 'the name of a log group of the seed');
  if (name === undefined || streams.has(name)) return name;
  return r.expected(path, `one of the seed's log groups (${[...streams.keys()].join(', ')})`, name);
}

function seededStream(r: FieldReader, path: string, value: unknown, group: string | undefined, streams: Streams) {
  const name = r.string(path, value, 'the name of a log stream of the seed');
  const names = group === undefined ? undefined : streams.get(group);
  if (name === undefined || names === undefined || names.has(name)) return name;
  return r.expected(path, `one of the streams of "${group}" (${[...names].join(', ')})`, name);
}

function times(r: FieldReader, path: string, value: unknown): number | undefined {
  return value === undefined ? 1 : r.integer(path, value, 1);
}

function parseOutcome(r: FieldReader, path: string, value: unknown, streams: Streams): SeedExportOutcome | undefined {
  const raw = r.object(path, value, ['logGroupName', 'status', 'message', 'times']);
  if (raw === undefined) return undefined;
  const logGroupName = seededGroup(r, child(path, 'logGroupName'), raw.logGroupName, streams);
  const status = r.oneOf(child(path, 'status'), raw.status, EXPORT_FAILURES);
  const text =
    raw.message === undefined
      ? `Export task ${status === 'CANCELLED' ? 'cancelled' : 'failed'} (sandbox seed fault).`
      : message(r, child(path, 'message'), raw.message);
  const count = times(r, child(path, 'times'), raw.times);
  if (logGroupName === undefined || status === undefined || text === undefined || count === undefined) return undefined;
  return { logGroupName, status, message: text, times: count };
}

function parseWriter(r: FieldReader, path: string, value: unknown, streams: Streams): SeedLogWriter | undefined {
  const raw = r.object(path, value, ['logGroupName', 'logStreamName', 'after', 'times', 'message']);
  if (raw === undefined) return undefined;
  const logGroupName = seededGroup(r, child(path, 'logGroupName'), raw.logGroupName, streams);
  const logStreamName = seededStream(r, child(path, 'logStreamName'), raw.logStreamName, logGroupName, streams);
  const after = r.oneOf(child(path, 'after'), raw.after, GROUP_OPERATIONS);
  const count = times(r, child(path, 'times'), raw.times);
  const text = message(r, child(path, 'message'), raw.message);
  if (logGroupName === undefined || logStreamName === undefined || after === undefined) return undefined;
  if (count === undefined || text === undefined) return undefined;
  return { logGroupName, logStreamName, after, times: count, message: text };
}

type CrashTarget = Pick<SeedCrash, 'logGroupName' | 'logStreamName'>;

/** The optional group and stream a crash is narrowed to; undefined when they are wrong. */
function crashTarget(r: FieldReader, path: string, raw: RawObject, operation: string | undefined, streams: Streams) {
  const takes = (operations: readonly string[]) => operation === undefined || operations.includes(operation);
  const target: { -readonly [K in keyof CrashTarget]: CrashTarget[K] } = {};
  let valid = true;
  if (raw.logGroupName !== undefined) {
    if (takes(GROUP_OPERATIONS))
      target.logGroupName = seededGroup(r, child(path, 'logGroupName'), raw.logGroupName, streams);
    else r.problem(child(path, 'logGroupName'), `does not apply to ${operation}`);
    valid &&= target.logGroupName !== undefined;
  }
  if (raw.logStreamName !== undefined) {
    const streamPath = child(path, 'logStreamName');
    if (!takes(STREAM_OPERATIONS)) r.problem(streamPath, `does not apply to ${operation}`);
    else if (raw.logGroupName === undefined) r.problem(streamPath, 'needs logGroupName beside it');
    else target.logStreamName = seededStream(r, streamPath, raw.logStreamName, target.logGroupName, streams);
    valid &&= target.logStreamName !== undefined;
  }
  return valid ? target : undefined;
}

function parseCrash(r: FieldReader, path: string, value: unknown, streams: Streams): SeedCrash | undefined {
  const raw = r.object(path, value, ['operation', 'when', 'times', 'logGroupName', 'logStreamName']);
  if (raw === undefined) return undefined;
  const operation = r.oneOf(child(path, 'operation'), raw.operation, LOGS_OPERATIONS);
  const when = r.oneOf(child(path, 'when'), raw.when, ['before', 'after'] as const);
  const count = times(r, child(path, 'times'), raw.times);
  const target = crashTarget(r, path, raw, operation, streams);
  if (operation === undefined || when === undefined || count === undefined || target === undefined) return undefined;
  return { operation, when, times: count, ...target };
}

const FAULT_KEYS = [
  'throttleRate',
  'exportSlotHeldFor',
  'exportPollsToComplete',
  'exportOutcomes',
  'writers',
  'crashes',
];

function parseFaults(r: FieldReader, value: unknown, streams: Streams): SeedCloudWatchFaults {
  const path = 'cloudwatch.faults';
  const raw = value === undefined ? {} : (r.object(path, value, FAULT_KEYS) ?? {});
  const entries = <T>(
    key: string,
    parse: (r: FieldReader, path: string, value: unknown, s: Streams) => T | undefined,
  ) =>
    r
      .list(child(path, key), raw[key])
      .map((entry, i) => parse(r, item(child(path, key), i), entry, streams))
      .filter(defined);
  const throttleRate = raw.throttleRate === undefined ? 0 : r.fraction(child(path, 'throttleRate'), raw.throttleRate);
  const held =
    raw.exportSlotHeldFor === undefined ? 0 : r.integer(child(path, 'exportSlotHeldFor'), raw.exportSlotHeldFor, 0);
  const polls =
    raw.exportPollsToComplete === undefined
      ? 1
      : r.integer(child(path, 'exportPollsToComplete'), raw.exportPollsToComplete, 1);
  return {
    throttleRate: throttleRate ?? 0,
    exportSlotHeldFor: held ?? 0,
    exportPollsToComplete: polls ?? 1,
    exportOutcomes: entries('exportOutcomes', parseOutcome),
    writers: entries('writers', parseWriter),
    crashes: entries('crashes', parseCrash),
  };
}

/** The `cloudwatch` section of a seed; problems go to `r` with their paths. */
export function parseCloudWatch(r: FieldReader, value: unknown): SeedCloudWatch {
  const raw = r.object('cloudwatch', value, ['logGroups', 'faults']) ?? {};
  const logGroups = parseGroups(r, raw.logGroups);
  const streams = new Map(logGroups.map((group) => [group.name, new Set(group.streams.map((s) => s.name))]));
  return { logGroups, faults: parseFaults(r, raw.faults, streams) };
}
