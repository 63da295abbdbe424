import { isServerHeader } from './header';
import { withoutUndefined } from './records';
import { parseIsoLike, parseShortTime } from './time';
import type { GeneralLogRecord, LineParser, LogRecord } from './types';
import { unparsed } from './unparsed';

/** `     3 Connect\t…`, `     3 Init DB\tshop`, `     3 Quit\t`: thread id, command, tab, argument. */
const ENTRY = /^ *(\d+) ([A-Z][A-Za-z_ ]*?) *(?:\t|$)/;

/** The time before the first tab: `261121 23:22:55` (MariaDB, MySQL 5.6) or `2019-03-10T11:35:33.462818Z` (MySQL 5.7+). */
function readTime(field: string): string | undefined {
  return field.includes('T') ? parseIsoLike(field) : parseShortTime(field);
}

/**
 * MySQL and MariaDB general query log. MariaDB writes the time only when the second changes
 * (later lines start with two tabs and carry the previous time); a statement that contains a
 * newline continues on the next line, which has no prefix at all.
 */
export function createGeneralParser(): LineParser {
  let pending: GeneralLogRecord | undefined;
  let lastTime: string | undefined;
  const flush = (): LogRecord[] => {
    const done = pending;
    pending = undefined;
    return done ? [done] : [];
  };
  const continueStatement = (text: string): LogRecord[] => {
    if (!pending) return text === '' ? [] : [unparsed('general', 'continuation line without a preceding entry', text)];
    pending = { ...pending, argument: `${pending.argument}\n${text}` };
    return [];
  };

  return {
    line(text) {
      let time = lastTime;
      let rest: string;
      if (text.startsWith('\t\t')) rest = text.slice(2);
      else {
        const tab = text.indexOf('\t');
        const first = text.charCodeAt(0);
        const parsed = tab > 0 && first >= 48 && first <= 57 ? readTime(text.slice(0, tab)) : undefined;
        if (parsed === undefined) {
          if (isServerHeader(text)) return flush();
          return continueStatement(text);
        }
        time = parsed;
        rest = text.slice(tab + 1);
      }
      const m = ENTRY.exec(rest);
      if (!m)
        return text.startsWith('\t\t')
          ? continueStatement(text)
          : [...flush(), unparsed('general', 'unrecognised general log line', text)];
      const out = flush();
      lastTime = time;
      pending = withoutUndefined<GeneralLogRecord>({
        type: 'general',
        time,
        threadId: Number(m[1]),
        command: m[2] ?? '',
        argument: rest.slice(m[0].length),
      });
      return out;
    },
    end: flush,
  };
}
