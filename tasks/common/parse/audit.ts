import { withoutUndefined } from './records';
import { isoFromMicros, parseCompactTime } from './time';
import type { AuditRecord, LineParser, LogRecord } from './types';
import { unparsed } from './unparsed';

/** A quoted object may hold newlines; past this size an unclosed quote is taken as a broken line. */
const MAX_RECORD_CHARS = 1 << 20;
const EPOCH_MICROS = /^\d{16}$/;
const RECORD_START = /^(?:\d{16}|\d{8} \d{2}:\d{2}:\d{2}),/;
const INTEGER = /^\d+$/;
const UNESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

type Attempt = AuditRecord | { readonly error: string } | 'incomplete';

/** `'…'` with backslash escapes, from `start` (the opening quote); the end index is after the closing quote. */
function readQuoted(text: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  let from = start + 1;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1] ?? '';
      value += text.slice(from, i) + (UNESCAPES[next] ?? `\\${next}`);
      i++;
      from = i + 1;
    } else if (ch === "'") {
      return { value: value + text.slice(from, i), end: i + 1 };
    }
  }
  return undefined;
}

function readTime(field: string): { time?: string; timeMicros?: number } {
  if (EPOCH_MICROS.test(field)) {
    const micros = Number(field);
    return { time: isoFromMicros(micros), timeMicros: micros };
  }
  return { time: parseCompactTime(field) };
}

/**
 * `time,serverhost,username,host,connectionid,queryid,operation,database,object,retcode`, where the
 * object is either bare (a table name) or a single-quoted statement with backslash escapes.
 */
function parseRecord(text: string): Attempt {
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < 8; i++) {
    const comma = text.indexOf(',', at);
    if (comma < 0) return { error: 'fewer than 10 comma-separated fields' };
    fields.push(text.slice(at, comma));
    at = comma + 1;
  }
  let object: string;
  if (text[at] === "'") {
    const quoted = readQuoted(text, at);
    if (!quoted) return 'incomplete';
    object = quoted.value;
    at = quoted.end;
    if (at < text.length && text[at] !== ',') return { error: 'text after the quoted object' };
    at++;
  } else {
    const comma = text.indexOf(',', at);
    if (comma < 0) return { error: 'fewer than 10 comma-separated fields' };
    object = text.slice(at, comma);
    at = comma + 1;
  }
  const retcode = at > text.length ? '' : text.slice(at);
  const [
    timeField = '',
    serverHost = '',
    user = '',
    host = '',
    connectionId = '',
    queryId = '',
    operation = '',
    database = '',
  ] = fields;
  const { time, timeMicros } = readTime(timeField);
  if (time === undefined) return { error: 'first field is neither epoch microseconds nor YYYYMMDD HH:MM:SS' };
  if (!INTEGER.test(connectionId) || !INTEGER.test(queryId)) return { error: 'connection or query id is not a number' };
  if (retcode.includes(',')) return { error: 'more than 10 comma-separated fields' };
  if (retcode !== '' && !/^-?\d+$/.test(retcode)) return { error: 'retcode is not a number' };
  if (!/^[A-Z_]+$/.test(operation)) return { error: 'operation is not an upper-case word' };
  return withoutUndefined<AuditRecord>({
    type: 'audit',
    time,
    timeMicros,
    serverHost,
    user,
    host,
    connectionId: Number(connectionId),
    queryId: Number(queryId),
    operation,
    database: database || undefined,
    object: object || undefined,
    retcode: retcode === '' ? undefined : Number(retcode),
  });
}

/**
 * Aurora MySQL advanced auditing (first field epoch microseconds) and the MariaDB audit plugin
 * (`YYYYMMDD HH:MM:SS`), told apart per line. A quoted object with a raw newline spans lines:
 * the parser joins them until the quote closes.
 */
export function createAuditParser(): LineParser {
  let pending: string | undefined;

  const attempt = (text: string): LogRecord[] => {
    const result = parseRecord(text);
    if (result === 'incomplete') {
      if (text.length > MAX_RECORD_CHARS) return [unparsed('audit', 'quoted object never closes', text)];
      pending = text;
      return [];
    }
    return 'error' in result ? [unparsed('audit', result.error, text)] : [result];
  };

  return {
    line(text) {
      if (pending !== undefined) {
        const joined = pending;
        pending = undefined;
        if (!RECORD_START.test(text)) {
          const more = `${joined}\n${text}`;
          // Without a quote on this line the object cannot have closed: skip re-reading the record.
          if (text.includes("'") || more.length > MAX_RECORD_CHARS) return attempt(more);
          pending = more;
          return [];
        }
        return [unparsed('audit', 'quoted object never closes', joined), ...attempt(text)];
      }
      return text === '' ? [] : attempt(text);
    },
    end() {
      const joined = pending;
      pending = undefined;
      return joined === undefined ? [] : [unparsed('audit', 'quoted object never closes', joined)];
    },
  };
}
