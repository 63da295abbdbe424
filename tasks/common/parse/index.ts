import type { LogType } from '../types';
import { createAuditParser } from './audit';
import { createErrorLogParser } from './error-log';
import { createGeneralParser } from './general';
import { createPostgresParser } from './postgresql';
import { createSlowQueryParser } from './slowquery';
import type { LineParser, LogRecord } from './types';

export { fingerprint } from './fingerprint';
export type {
  AuditRecord,
  ErrorLogRecord,
  GeneralLogRecord,
  IsoTime,
  LineParser,
  LogRecord,
  PostgresRecord,
  SlowQueryRecord,
  UnparsedRecord,
} from './types';
export { isUnparsed } from './types';

const PARSERS: Record<LogType, () => LineParser> = {
  audit: createAuditParser,
  slowquery: createSlowQueryParser,
  error: createErrorLogParser,
  general: createGeneralParser,
  postgresql: createPostgresParser,
};

/** A fresh parser for one file or stream; it keeps the state of multi-line entries between calls. */
export function createParser(type: LogType): LineParser {
  return PARSERS[type]();
}

/** Whole text (e.g. one CloudWatch Logs event message) → records. */
export function parseText(type: LogType, text: string): LogRecord[] {
  const parser = createParser(type);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const records: LogRecord[] = [];
  for (const line of lines) records.push(...parser.line(line.endsWith('\r') ? line.slice(0, -1) : line));
  records.push(...parser.end());
  return records;
}
