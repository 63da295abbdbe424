import { fingerprint } from './fingerprint';
import { camelCase, headerFields } from './header-fields';
import { withoutUndefined } from './records';
import { parseIsoLike, parseShortTime } from './time';
import type { LogRecord, SlowQueryRecord } from './types';
import { unparsed } from './unparsed';

const USER_HOST = /^# User@Host: ([^[]*)\[([^\]]*)\] @ ([^[]*)\[([^\]]*)\](?:\s+Id:\s+(\d+))?\s*$/;
export const ADMIN_COMMAND = '# administrator command: ';

/** One slow log entry while its lines arrive. */
export interface Entry {
  lines: string[];
  time?: string;
  timestamp?: string;
  user?: string;
  host?: string;
  clientIp?: string;
  threadId?: number;
  database?: string;
  /** MariaDB's `Schema:` names the database of every entry, even when it is empty. */
  schemaSeen?: boolean;
  queryTime?: number;
  lockTime?: number;
  rowsSent?: number;
  rowsExamined?: number;
  rowsAffected?: number;
  bytesSent?: number;
  extra: Record<string, number | string>;
  statement: string[];
  problem?: string;
}

export const newEntry = (): Entry => ({ lines: [], extra: {}, statement: [] });

/** `# Time:` in MySQL 5.7 / 8.0 (`2019-03-10T11:35:33.462818Z`) or MariaDB / MySQL 5.6 (`261121 23:22:57`). */
export function parseTimeLine(line: string): string | undefined {
  const text = line.slice('# Time: '.length).trim();
  return text.includes('T') ? parseIsoLike(text) : parseShortTime(text);
}

export function applyUserHost(entry: Entry, line: string): void {
  const m = USER_HOST.exec(line);
  if (!m) {
    entry.problem ??= 'unrecognised # User@Host line';
    entry.user = '';
    return;
  }
  entry.user = (m[1] ?? '').trim() || (m[2] ?? '').trim();
  const host = (m[3] ?? '').trim();
  if (host) entry.host = host;
  if (m[4]) entry.clientIp = m[4];
  if (m[5]) entry.threadId = Number(m[5]);
}

export function applyHeaderFields(entry: Entry, line: string): void {
  const body = line.slice(2);
  if (body.startsWith('explain: ')) {
    const previous = entry.extra.explain;
    entry.extra.explain = previous === undefined ? body.slice(9) : `${previous}\n${body.slice(9)}`;
    return;
  }
  const fields = headerFields(body);
  if (fields.length === 0) {
    const previous = entry.extra.comment;
    entry.extra.comment = previous === undefined ? body : `${previous}\n${body}`;
  }
  for (const [name, value] of fields) applyField(entry, name, value);
}

/** The fields every server prints get their own property; every other one lands in `extra`. */
function applyField(entry: Entry, name: string, value: number | string): void {
  if (typeof value === 'number') {
    switch (name) {
      case 'Query_time':
        entry.queryTime = value;
        return;
      case 'Lock_time':
        entry.lockTime = value;
        return;
      case 'Rows_sent':
        entry.rowsSent = value;
        return;
      case 'Rows_examined':
        entry.rowsExamined = value;
        return;
      case 'Rows_affected':
        entry.rowsAffected = value;
        return;
      case 'Bytes_sent':
        entry.bytesSent = value;
        return;
      case 'Thread_id':
      case 'Id':
        entry.threadId = value;
        return;
    }
  }
  if (name === 'Schema') {
    entry.schemaSeen = true;
    if (value !== '') entry.database = String(value);
  } else entry.extra[camelCase(name)] = value;
}

/** The record, or an unparsed one holding the entry's lines when a required part is missing. */
export function finish(entry: Entry, lastTime: string | undefined, lastDatabase: string | undefined): LogRecord {
  const raw = entry.lines.join('\n');
  if (entry.problem) return unparsed('slowquery', entry.problem, raw);
  if (entry.user === undefined) return unparsed('slowquery', 'slow query entry without # User@Host', raw);
  if (entry.queryTime === undefined || entry.lockTime === undefined)
    return unparsed('slowquery', 'slow query entry without # Query_time and Lock_time', raw);
  if (entry.statement.length === 0) return unparsed('slowquery', 'slow query entry without a statement', raw);
  const time = entry.time ?? entry.timestamp ?? lastTime;
  if (time === undefined) return unparsed('slowquery', 'slow query entry without # Time or SET timestamp', raw);
  let statement = entry.statement.join('\n');
  if (statement.endsWith(';')) statement = statement.slice(0, -1);
  if (statement.startsWith(ADMIN_COMMAND)) statement = statement.slice(2);
  return withoutUndefined<SlowQueryRecord>({
    type: 'slowquery',
    time,
    user: entry.user,
    host: entry.host,
    clientIp: entry.clientIp,
    threadId: entry.threadId,
    database: entry.database ?? (entry.schemaSeen ? undefined : lastDatabase),
    queryTime: entry.queryTime,
    lockTime: entry.lockTime,
    rowsSent: entry.rowsSent ?? 0,
    rowsExamined: entry.rowsExamined ?? 0,
    rowsAffected: entry.rowsAffected,
    bytesSent: entry.bytesSent,
    extra: Object.keys(entry.extra).length > 0 ? entry.extra : undefined,
    statement,
    fingerprint: fingerprint(statement),
  });
}
