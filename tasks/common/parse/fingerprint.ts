/**
 * MySQL statement fingerprints, step for step the rules of Percona's `pt-fingerprint` 3.x
 * (QueryRewriter::fingerprint), so that our fingerprints group queries exactly as pt-query-digest does.
 * Perl reads the query as bytes, so its `\s`, `\w` and `lc` are ASCII-only: the classes below spell
 * that out instead of using JavaScript's Unicode-aware `\s` and `toLowerCase`.
 * test/golden/parse/fingerprints.json holds pt-fingerprint's own output for the test corpus.
 */
const S = '[\\t\\n\\v\\f\\r ]';
const NS = '[^\\t\\n\\v\\f\\r ]';

const MYSQLDUMP = /^SELECT \/\*!40001 SQL_NO_CACHE \*\/ \* FROM `/;
const PERCONA_TOOL = /\/\*[A-Za-z0-9_]+\.[A-Za-z0-9_]+:[0-9]\/[0-9]\*\//;
const CALL = new RegExp(`^${S}*(call${S}+${NS}+)\\(`, 'i');
const MULTI_ROW_INSERT = new RegExp(
  `^((?:INSERT|REPLACE)(?: IGNORE)?${S}+INTO[\\s\\S]+?VALUES${S}*\\([\\s\\S]*?\\))${S}*,${S}*\\(`,
  'i',
);
const MULTI_LINE_COMMENT = /\/\*[^!][\s\S]*?\*\//g;
const ONE_LINE_COMMENT = /(?:--|#)[^'"\r\n]*(?=[\r\n]|$)/g;
const USE_DATABASE = new RegExp(`^use ${NS}+(?=\\n?$)`, 'i');
const ESCAPED_QUOTE = /\\["']/g;
const DOUBLE_QUOTED = /"[\s\S]*?"/g;
const SINGLE_QUOTED = /'[\s\S]*?'/g;
const NUMBER = /[0-9+-][0-9a-f.xb+-]*/g;
const NUMBER_PREFIX = /[xb.+-]\?/g;
const LEADING_SPACE = new RegExp(`^${S}+`);
const SPACE_RUN = /[ \n\t\r\f]+/g;
const UPPER_ASCII = /[A-Z]+/g;
const NULL_WORD = /\bnull\b/g;
const VALUE_LIST = /\b(in|values?)(?:[\t\n\v\f\r ,]*\([\t\n\v\f\r ?,]*\))+/g;
const REPEATED_UNION = new RegExp(`\\b(select${S}[^\\n]*?)(?:(${S}union(?:${S}all)?)${S}\\1)+`, 'g');
const LIMIT = /\blimit \?(?:, ?\?| offset \?)?/;
const ORDER_BY = /\border by /i;
const ASCENDING = new RegExp(`([^\\n]+?)${S}+asc`, 'iy');

const NON_ASCII = /[\u0080-\uffff]/;

/** Perl's `lc` on bytes: for pure ASCII text (nearly all SQL) toLowerCase does exactly that, and faster. */
const lowerAscii = (text: string): string =>
  NON_ASCII.test(text) ? text.replace(UPPER_ASCII, (upper) => upper.toLowerCase()) : text.toLowerCase();

/** Drops `ASC` after ORDER BY, as Perl's `s/\G(.+?)\s+ASC/$1/gi` does from the first `order by `. */
function dropAscending(query: string): string {
  const orderBy = ORDER_BY.exec(query);
  if (!orderBy) return query;
  let position = orderBy.index + orderBy[0].length;
  let result = query.slice(0, position);
  for (;;) {
    ASCENDING.lastIndex = position;
    const match = ASCENDING.exec(query);
    if (!match) break;
    result += match[1];
    position += match[0].length;
  }
  return result + query.slice(position);
}

/**
 * Runs `pattern` only when `needle` is in the text: every pattern below needs its needle to match,
 * so skipping changes nothing but the time (most statements have no comment, quote or NULL).
 */
const replaceIf = (text: string, needle: string, pattern: RegExp, replacement: string): string =>
  text.includes(needle) ? text.replace(pattern, replacement) : text;

/** MySQL-style statement fingerprint, agreeing with Percona pt-fingerprint. */
export function fingerprint(sql: string): string {
  let query = sql;
  if (query.startsWith('SELECT /*!40001') && MYSQLDUMP.test(query)) return 'mysqldump';
  const hasComment = query.includes('/*');
  if (hasComment && PERCONA_TOOL.test(query)) return 'percona-toolkit';
  if (query.startsWith('administrator command: ')) return query;
  const call = CALL.exec(query);
  if (call?.[1] !== undefined) return lowerAscii(call[1]);
  const firstRow = MULTI_ROW_INSERT.exec(query);
  if (firstRow?.[1] !== undefined) query = firstRow[1];

  if (hasComment) query = query.replace(MULTI_LINE_COMMENT, '');
  if (query.includes('--') || query.includes('#')) query = query.replace(ONE_LINE_COMMENT, '');
  if (USE_DATABASE.test(query)) return query.replace(USE_DATABASE, 'use ?');

  query = replaceIf(query, '\\', ESCAPED_QUOTE, '');
  query = replaceIf(query, '"', DOUBLE_QUOTED, '?');
  query = replaceIf(query, "'", SINGLE_QUOTED, '?');
  query = query.replace(NUMBER, '?');
  query = replaceIf(query, '?', NUMBER_PREFIX, '?');
  query = query.replace(LEADING_SPACE, '');
  if (query.endsWith('\n')) query = query.slice(0, -1);
  query = lowerAscii(query.replace(SPACE_RUN, ' '));
  query = replaceIf(query, 'null', NULL_WORD, '?');
  query = replaceIf(query, '(', VALUE_LIST, '$1(?+)');
  query = replaceIf(query, 'union', REPEATED_UNION, '$1 /*repeat$2*/');
  query = replaceIf(query, 'limit ?', LIMIT, 'limit ?');
  return dropAscending(query);
}
