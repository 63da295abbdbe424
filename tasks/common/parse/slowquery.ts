import { isServerHeader } from './header';
import {
  ADMIN_COMMAND,
  applyHeaderFields,
  applyUserHost,
  type Entry,
  finish,
  newEntry,
  parseTimeLine,
} from './slowquery-entry';
import { isoFromSeconds } from './time';
import type { LineParser, LogRecord } from './types';
import { unparsed } from './unparsed';

const SET_TIMESTAMP = /^SET timestamp=(\d+);$/;
const HASH = 35;
const SLASH = 47;
const UPPER_T = 84;

/**
 * MySQL, Aurora MySQL and MariaDB slow query log. An entry starts at `# Time:` or `# User@Host:`
 * and ends where the next one starts; MariaDB writes `# Time:` only when the second changes, so an
 * entry without one takes its time from `SET timestamp=N;`.
 */
export function createSlowQueryParser(): LineParser {
  let entry: Entry | undefined;
  let lastTime: string | undefined;
  // The server writes `use db;` only when the database differs from the last one it wrote.
  let lastDatabase: string | undefined;

  const flush = (): LogRecord[] => {
    const done = entry;
    entry = undefined;
    return done ? [finish(done, lastTime, lastDatabase)] : [];
  };

  return {
    line(text) {
      const first = text.charCodeAt(0);
      if (first === HASH && text.startsWith('# Time: ')) {
        const out = flush();
        entry = newEntry();
        entry.lines.push(text);
        const time = parseTimeLine(text);
        if (time === undefined) entry.problem = 'unrecognised # Time line';
        else entry.time = lastTime = time;
        return out;
      }
      const inStatement = entry !== undefined && entry.statement.length > 0;
      if (first === HASH && text.startsWith('# User@Host: ')) {
        const out = entry && (entry.user !== undefined || inStatement) ? flush() : [];
        entry ??= newEntry();
        entry.lines.push(text);
        applyUserHost(entry, text);
        return out;
      }
      if (
        (first === SLASH || first === UPPER_T) &&
        isServerHeader(text) &&
        (!inStatement || entry?.statement.at(-1)?.endsWith(';'))
      ) {
        return flush();
      }
      if (entry === undefined) {
        return text === '' ? [] : [unparsed('slowquery', 'line outside a slow query entry', text)];
      }
      entry.lines.push(text);
      if (!inStatement) {
        if (first === HASH && text.startsWith('# ') && !text.startsWith(ADMIN_COMMAND)) {
          applyHeaderFields(entry, text);
          return [];
        }
        if (text.startsWith('use ') && text.endsWith(';')) {
          entry.database = lastDatabase = text
            .slice(4, -1)
            .trim()
            .replace(/^`(.*)`$/, '$1');
          return [];
        }
        const timestamp = text.startsWith('SET timestamp=') ? SET_TIMESTAMP.exec(text) : null;
        if (timestamp) {
          entry.timestamp = isoFromSeconds(Number(timestamp[1]));
          return [];
        }
        if (text === '') return [];
      }
      entry.statement.push(text);
      return [];
    },
    end: flush,
  };
}
