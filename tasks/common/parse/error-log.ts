import { withoutUndefined } from './records';
import { parseIsoLike, parseShortTime } from './time';
import type { ErrorLogRecord, LineParser, LogRecord } from './types';
import { unparsed } from './unparsed';

/** MySQL 5.7 / 8.0: `2019-03-10T11:35:33.462818Z 0 [Warning] [MY-010055] [Server] …`. */
const ISO_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))\s+/;
/** MariaDB and MySQL 5.6: `2026-11-21 23:22:55 0 [Note] …`. */
const SPACED_PREFIX = /^(\d{4}-\d{2}-\d{2} +\d{1,2}:\d{2}:\d{2})\s+/;
/** MySQL 5.5 and plugins: `261121 23:22:55 server_audit: …`, `190310  1:35:33 [Note] …`. */
const SHORT_PREFIX = /^(\d{6} +\d{1,2}:\d{2}:\d{2})\s+/;
const THREAD = /^(\d+) +/;
const SEVERITY = /^\[([A-Za-z]+)\] ?/;
const ERROR_CODE = /^\[(MY-\d+)\] ?/;
const SUBSYSTEM = /^\[([A-Za-z_]+)\] ?/;

function readTime(line: string): { time: string | undefined; rest: string } | undefined {
  const iso = ISO_PREFIX.exec(line);
  if (iso) return { time: parseIsoLike(iso[1] ?? ''), rest: line.slice(iso[0].length) };
  const spaced = SPACED_PREFIX.exec(line);
  if (spaced) return { time: parseIsoLike((spaced[1] ?? '').replace(/ +/, ' ')), rest: line.slice(spaced[0].length) };
  const short = SHORT_PREFIX.exec(line);
  if (short) return { time: parseShortTime(short[1] ?? ''), rest: line.slice(short[0].length) };
  return undefined;
}

/** `0 [Warning] [MY-010055] [Server] message`, each part but the message optional. */
function readEntry(time: string, rest: string): ErrorLogRecord {
  let text = rest;
  const take = (pattern: RegExp): string | undefined => {
    const m = pattern.exec(text);
    if (!m) return undefined;
    text = text.slice(m[0].length);
    return m[1];
  };
  const thread = take(THREAD);
  const severity = take(SEVERITY);
  const errorCode = severity === undefined ? undefined : take(ERROR_CODE);
  const subsystem = errorCode === undefined ? undefined : take(SUBSYSTEM);
  return withoutUndefined({
    type: 'error',
    time,
    threadId: thread === undefined ? undefined : Number(thread),
    severity: severity ?? 'Note',
    errorCode,
    subsystem,
    message: text,
  });
}

/**
 * MySQL and MariaDB error log. A line that starts with a time starts an entry; a line without one
 * (MariaDB's `Version: …` after `ready for connections`, stack traces) continues the entry before it.
 */
export function createErrorLogParser(): LineParser {
  let pending: ErrorLogRecord | undefined;
  const flush = (): LogRecord[] => {
    const done = pending;
    pending = undefined;
    return done ? [done] : [];
  };
  return {
    line(text) {
      if (text === '') return [];
      const start = text.charCodeAt(0) >= 48 && text.charCodeAt(0) <= 57 ? readTime(text) : undefined;
      if (start === undefined) {
        if (!pending) return [unparsed('error', 'continuation line without a preceding entry', text)];
        pending = { ...pending, message: `${pending.message}\n${text}` };
        return [];
      }
      const out = flush();
      if (start.time === undefined) return [...out, unparsed('error', 'invalid date or time', text)];
      pending = readEntry(start.time, start.rest);
      return out;
    },
    end: flush,
  };
}
