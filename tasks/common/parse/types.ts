import type { LogType } from '../types';

/**
 * Times are ISO-8601 UTC strings. They have milliseconds (`2026-11-21T23:22:57.000Z`) unless the
 * source wrote microseconds, which are then kept (`2019-03-10T11:35:33.462818Z`).
 */
export type IsoTime = string;

/** A line (or a multi-line entry) that no parser recognised. Nothing is dropped: the text is kept as written. */
export interface UnparsedRecord {
  readonly type: LogType;
  readonly parseError: string;
  readonly raw: string;
}

export interface SlowQueryRecord {
  readonly type: 'slowquery';
  readonly time: IsoTime;
  readonly user: string;
  readonly host?: string;
  readonly clientIp?: string;
  readonly threadId?: number;
  readonly database?: string;
  /** Seconds. */
  readonly queryTime: number;
  /** Seconds. */
  readonly lockTime: number;
  readonly rowsSent: number;
  readonly rowsExamined: number;
  readonly rowsAffected?: number;
  readonly bytesSent?: number;
  /** Every other `# Name: value` field the server printed, camelCased (`fullScan: 'Yes'`, `mergePasses: 0`). */
  readonly extra?: Readonly<Record<string, number | string>>;
  /** The statement without the `;` the slow log appends; `administrator command: Quit` for those entries. */
  readonly statement: string;
  readonly fingerprint: string;
}

export interface AuditRecord {
  readonly type: 'audit';
  readonly time: IsoTime;
  /** Epoch microseconds, when the source has them (Aurora advanced auditing). */
  readonly timeMicros?: number;
  readonly serverHost: string;
  readonly user: string;
  readonly host: string;
  readonly connectionId: number;
  readonly queryId: number;
  readonly operation: string;
  readonly database?: string;
  /** The table name, or the statement (unquoted and unescaped) for QUERY events. */
  readonly object?: string;
  readonly retcode?: number;
}

export interface ErrorLogRecord {
  readonly type: 'error';
  readonly time: IsoTime;
  readonly threadId?: number;
  /** `Note`, `Warning`, `ERROR`, `System`, … as written; `Note` for timed lines the server wrote without a level. */
  readonly severity: string;
  /** MySQL 8 `MY-010055`. */
  readonly errorCode?: string;
  /** MySQL 8 `Server`, `InnoDB`, `Repl`, … */
  readonly subsystem?: string;
  /** Continuation lines are joined with `\n`. */
  readonly message: string;
}

export interface GeneralLogRecord {
  readonly type: 'general';
  /** Absent only when the file starts with lines that carry no time. */
  readonly time?: IsoTime;
  readonly threadId: number;
  /** `Connect`, `Query`, `Init DB`, `Quit`, … */
  readonly command: string;
  /** Statements that continue on later lines are joined with `\n`. */
  readonly argument: string;
}

export interface PostgresRecord {
  readonly type: 'postgresql';
  readonly time: IsoTime;
  /** Client address, or `[local]` for a Unix socket; absent for background processes. */
  readonly remoteHost?: string;
  readonly remotePort?: number;
  readonly user?: string;
  readonly database?: string;
  readonly pid: number;
  /** `LOG`, `ERROR`, `FATAL`, `WARNING`, … */
  readonly severity: string;
  /** The text after `SEVERITY:  `, tab-continued lines joined with `\n`. */
  readonly message: string;
  readonly durationMs?: number;
  /** From `statement:` / `execute …:` in the message, or from a following STATEMENT line. */
  readonly statement?: string;
  readonly fingerprint?: string;
  /** Following DETAIL, HINT, CONTEXT, QUERY and LOCATION lines of the same process. */
  readonly detail?: string;
  readonly hint?: string;
  readonly context?: string;
  readonly query?: string;
  readonly location?: string;
}

export type LogRecord =
  | SlowQueryRecord
  | AuditRecord
  | ErrorLogRecord
  | GeneralLogRecord
  | PostgresRecord
  | UnparsedRecord;

export interface LineParser {
  /** Feed one line (without its newline); returns records completed by it (multi-line entries complete later). */
  line(text: string): LogRecord[];
  /** No more input: returns what is still pending. */
  end(): LogRecord[];
}

export function isUnparsed(record: LogRecord): record is UnparsedRecord {
  return 'parseError' in record;
}
