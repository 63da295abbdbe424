import { fingerprint } from './fingerprint';
import { withoutUndefined } from './records';
import { isoTime, lastValueCache } from './time';
import type { LineParser, LogRecord, PostgresRecord } from './types';
import { unparsed } from './unparsed';

/** `%t` or `%m`: `2026-11-21 23:23:15 UTC` or `2026-11-21 23:23:15.123 UTC`, then the `:` of the prefix. */
const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (UTC|GMT|[+-]\d{2}(?::?\d{2})?):/;
const PID = /:\[(\d+)\]:/;
const REMOTE = /^(.*)\((\d+)\)$/;
const SEVERITY = /^([A-Z][A-Z0-9]*): {1,2}/;
const DURATION = /^duration: (\d+(?:\.\d+)?) ms(?: {2}|$)/;
const STATEMENT = /^(?:statement|(?:execute|parse|bind) [^:]*): /;
/** Lines PostgreSQL writes after a message, about that message. */
const ATTACHED: Record<string, 'detail' | 'hint' | 'context' | 'query' | 'location' | 'statement'> = {
  DETAIL: 'detail',
  HINT: 'hint',
  CONTEXT: 'context',
  QUERY: 'query',
  LOCATION: 'location',
  STATEMENT: 'statement',
};

type Field = 'message' | 'statement' | 'detail' | 'hint' | 'context' | 'query' | 'location';
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Pending {
  record: Mutable<PostgresRecord>;
  /** Where a tab-continued line goes; `message` also feeds `statement` when the statement came from it. */
  last: Field;
  statementInMessage: boolean;
}

function zoneOffsetMinutes(zone: string): number {
  if (zone === 'UTC' || zone === 'GMT') return 0;
  const digits = zone.replace(':', '');
  return (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
}

/** `%r:%u@%d` between the time and `[%p]`: `127.0.0.1(51234):app_user@shop`, `[local]:postgres@shop`, `:@`. */
function readSession(text: string): Pick<PostgresRecord, 'remoteHost' | 'remotePort' | 'user' | 'database'> {
  const colon = text.lastIndexOf(':');
  const remote = text.slice(0, Math.max(colon, 0));
  const userAtDb = text.slice(colon + 1);
  const at = userAtDb.indexOf('@');
  const known = (value: string): string | undefined => (value === '' || value === '[unknown]' ? undefined : value);
  const port = REMOTE.exec(remote);
  return {
    remoteHost: known(port ? (port[1] ?? '') : remote),
    remotePort: port ? Number(port[2]) : undefined,
    user: known(at < 0 ? userAtDb : userAtDb.slice(0, at)),
    database: known(at < 0 ? '' : userAtDb.slice(at + 1)),
  };
}

const readTime = lastValueCache((prefix: string): string | undefined => {
  const t = TIME.exec(prefix);
  if (!t) return undefined;
  return isoTime(
    Number(t[1]),
    Number(t[2]),
    Number(t[3]),
    Number(t[4]),
    Number(t[5]),
    Number(t[6]),
    t[7] ?? '',
    zoneOffsetMinutes(t[8] ?? 'UTC'),
  );
});

function readLine(text: string): { record: Mutable<PostgresRecord>; statementInMessage: boolean } | string {
  const t = TIME.exec(text);
  if (!t) return 'no RDS log_line_prefix (%t:%r:%u@%d:[%p]:)';
  const time = readTime(t[0]);
  if (time === undefined) return 'invalid date or time';
  const afterTime = text.slice(t[0].length);
  const pid = PID.exec(afterTime);
  if (!pid) return 'no [pid] in the log_line_prefix';
  const body = afterTime.slice(pid.index + pid[0].length);
  const severity = SEVERITY.exec(body);
  if (!severity) return 'no SEVERITY: after the log_line_prefix';
  const message = body.slice(severity[0].length);
  const record: Mutable<PostgresRecord> = {
    type: 'postgresql',
    time,
    ...readSession(afterTime.slice(0, pid.index)),
    pid: Number(pid[1]),
    severity: severity[1] ?? '',
    message,
  };
  let rest = message;
  const duration = DURATION.exec(message);
  if (duration) {
    record.durationMs = Number(duration[1]);
    rest = message.slice(duration[0].length);
  }
  const statement = STATEMENT.exec(rest);
  if (statement) record.statement = rest.slice(statement[0].length);
  return { record, statementInMessage: statement !== null };
}

function finish(pending: Pending): PostgresRecord {
  const { record } = pending;
  if (record.statement !== undefined) record.fingerprint = fingerprint(record.statement);
  return withoutUndefined(record);
}

/**
 * PostgreSQL log with the RDS prefix `%t:%r:%u@%d:[%p]:`. DETAIL, HINT, CONTEXT, QUERY, LOCATION and
 * STATEMENT lines of the same process join the message before them; lines that start with a tab
 * continue the line before them.
 */
export function createPostgresParser(): LineParser {
  let pending: Pending | undefined;
  const flush = (): LogRecord[] => {
    const done = pending;
    pending = undefined;
    return done ? [finish(done)] : [];
  };

  return {
    line(text) {
      if (text.startsWith('\t')) {
        if (!pending) return [unparsed('postgresql', 'continuation line without a preceding entry', text)];
        const { record, last } = pending;
        const more = text.slice(1);
        record[last] = `${record[last] ?? ''}\n${more}`;
        if (last === 'message' && pending.statementInMessage) record.statement = `${record.statement ?? ''}\n${more}`;
        return [];
      }
      if (text === '') return [];
      const parsed = readLine(text);
      if (typeof parsed === 'string') return [...flush(), unparsed('postgresql', parsed, text)];
      const field = ATTACHED[parsed.record.severity];
      if (field && pending && pending.record.pid === parsed.record.pid && pending.record[field] === undefined) {
        pending.record[field] = parsed.record.message;
        pending.last = field;
        return [];
      }
      const out = flush();
      pending = { record: parsed.record, last: 'message', statementInMessage: parsed.statementInMessage };
      return out;
    },
    end: flush,
  };
}
