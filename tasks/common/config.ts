import { TRIM_MODES, type TrimMode } from './cloudwatch-types';
import { ConfigurationError } from './errors';
import { LOG_TYPES, type LogType } from './types';

/** Everything a task reads from its environment, parsed once at cold start. */
export interface Config {
  readonly region: string;
  readonly archiveBucket: string;
  readonly clusters: readonly string[];
  readonly instances: readonly string[];
  readonly logTypes: readonly LogType[];
  /** A file whose series may still grow counts as closed once unwritten for this long. */
  readonly activeQuietMinutes: number;
  /** Files archived per instance per run; the rest is caught up by the next run (see docs/scale.md). */
  readonly maxFilesPerInstance: number;
  /** Files one Archive Log Files invocation takes on at most. */
  readonly batchMaxFiles: number;
  /** No new file is started when less than this much Lambda time is left. */
  readonly timeReserveSeconds: number;
  readonly downloadAttempts: number;
  readonly fileConcurrency: number;
  readonly gzipLevel: number;
  /** Base URL of the RDS API; the AWS endpoint of the region unless AWS_ENDPOINT_URL_RDS is set. */
  readonly rdsEndpoint: string;
  readonly s3ForcePathStyle: boolean;
  /** CloudWatch Logs groups to export and trim: names, or prefixes with a trailing `*`. */
  readonly logGroups: readonly string[];
  /** Scheduled runs export the UTC day that just became older than this many days. */
  readonly cloudWatchOlderThanDays: number;
  readonly trimMode: TrimMode;
  /** Streams written to within this many minutes are skipped unless the run forces the trim. */
  readonly trimQuietMinutes: number;
  /** Kept events must stay this far inside the 14-day / retention limit of PutLogEvents. */
  readonly trimMarginMinutes: number;
  /** Streams trimmed per log group per run; the rest waits for the next run. */
  readonly maxStreamsPerGroup: number;
  readonly exportMaxWaitMinutes: number;
  /** How long to keep asking for the account's one export slot while another exporter holds it. */
  readonly exportSlotWaitMinutes: number;
  /** The first wait between export status checks; later waits grow up to five minutes. */
  readonly exportPollSeconds: number;
  /** Read groups with a data protection policy unmasked (needs logs:Unmask); false refuses to trim them. */
  readonly unmask: boolean;
  /** Log types whose archived files also get their parsed records written under `parsed/`. */
  readonly parsedOutput: readonly LogType[];
}

type Env = Readonly<Record<string, string | undefined>>;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
export const IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/;

function required(env: Env, name: string, pattern: RegExp, expected: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigurationError(name, expected, 'missing');
  if (!pattern.test(value)) throw new ConfigurationError(name, expected, `got "${value}"`);
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(name, `a whole number from ${min} to ${max}`, `got "${raw}"`);
  }
  return value;
}

function items(env: Env, name: string): string[] {
  const raw = env[name]?.trim();
  return raw ? raw.split(',').map((item) => item.trim()) : [];
}

function list(env: Env, name: string): string[] {
  const values = items(env, name);
  for (const item of values) {
    if (!IDENTIFIER.test(item)) {
      throw new ConfigurationError(
        name,
        'comma-separated DB identifiers (letter first, then letters, digits, -)',
        `got "${item}"`,
      );
    }
  }
  return values;
}

function logTypes(env: Env): LogType[] {
  const values = items(env, 'LOG_TYPES');
  if (values.length === 0) return [...LOG_TYPES];
  for (const item of values) {
    if (!(LOG_TYPES as readonly string[]).includes(item)) {
      throw new ConfigurationError('LOG_TYPES', `a comma-separated subset of ${LOG_TYPES.join(', ')}`, `got "${item}"`);
    }
  }
  return values as LogType[];
}

/** `all`, or a comma-separated subset of the log types; unset means none. */
function parsedOutput(env: Env): LogType[] {
  const values = items(env, 'PARSED_OUTPUT');
  if (values.length === 1 && values[0] === 'all') return [...LOG_TYPES];
  for (const item of values) {
    if (!(LOG_TYPES as readonly string[]).includes(item)) {
      throw new ConfigurationError(
        'PARSED_OUTPUT',
        `all, or a comma-separated subset of ${LOG_TYPES.join(', ')}`,
        `got "${item}"`,
      );
    }
  }
  return [...new Set(values as LogType[])];
}

function flag(env: Env, name: string, fallback = false): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new ConfigurationError(name, 'true or false', `got "${raw}"`);
}

/** A log group name (1-512 of letters, digits, _ - / . #), or such a prefix followed by `*`. */
export const LOG_GROUP_PATTERN = /^[\w\-/.#]{1,512}\*?$/;
export const LOG_GROUP_FORM = 'log group names or prefixes ending in * (letters, digits, _ - / . #)';

function logGroups(env: Env): string[] {
  const values = items(env, 'LOG_GROUPS');
  for (const item of values) {
    if (!LOG_GROUP_PATTERN.test(item)) {
      throw new ConfigurationError('LOG_GROUPS', `comma-separated ${LOG_GROUP_FORM}`, `got "${item}"`);
    }
  }
  return values;
}

function trimMode(env: Env): TrimMode {
  const raw = env.TRIM_MODE?.trim();
  if (!raw) return 'rewrite';
  if (!(TRIM_MODES as readonly string[]).includes(raw)) {
    throw new ConfigurationError('TRIM_MODE', `one of ${TRIM_MODES.join(', ')}`, `got "${raw}"`);
  }
  return raw as TrimMode;
}

/** Parse and validate an environment; the error names the variable and the expected form. */
export function parseConfig(env: Env): Config {
  const region = required(env, 'AWS_REGION', REGION, 'an AWS region such as eu-west-1');
  const endpoint = env.AWS_ENDPOINT_URL_RDS?.trim();
  if (endpoint && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new ConfigurationError('AWS_ENDPOINT_URL_RDS', 'an http(s) URL', `got "${endpoint}"`);
  }
  return Object.freeze({
    region,
    archiveBucket: required(env, 'ARCHIVE_BUCKET', BUCKET_NAME, 'an S3 bucket name'),
    clusters: Object.freeze(list(env, 'CLUSTERS')),
    instances: Object.freeze(list(env, 'INSTANCES')),
    logTypes: Object.freeze(logTypes(env)),
    activeQuietMinutes: integer(env, 'ACTIVE_QUIET_MINUTES', 15, 1, 1440),
    maxFilesPerInstance: integer(env, 'MAX_FILES_PER_INSTANCE', 3000, 1, 3000),
    batchMaxFiles: integer(env, 'BATCH_MAX_FILES', 200, 1, 10000),
    timeReserveSeconds: integer(env, 'TIME_RESERVE_SECONDS', 240, 0, 840),
    downloadAttempts: integer(env, 'DOWNLOAD_ATTEMPTS', 5, 1, 10),
    fileConcurrency: integer(env, 'FILE_CONCURRENCY', 2, 1, 16),
    gzipLevel: integer(env, 'GZIP_LEVEL', 6, 1, 9),
    rdsEndpoint: (endpoint || `https://rds.${region}.amazonaws.com`).replace(/\/+$/, ''),
    s3ForcePathStyle: flag(env, 'S3_FORCE_PATH_STYLE'),
    parsedOutput: Object.freeze(parsedOutput(env)),
    ...cloudWatchSettings(env),
  });
}

/** Rewritten streams get their kept events put back, and PutLogEvents drops events older than 14 days. */
export const maxOlderThanDays = (mode: string) => (mode === 'rewrite' ? 13 : 3650);

function cloudWatchSettings(env: Env) {
  const mode = trimMode(env);
  const olderThanDays = integer(env, 'CW_OLDER_THAN_DAYS', 7, 1, maxOlderThanDays(mode));
  return {
    logGroups: Object.freeze(logGroups(env)),
    cloudWatchOlderThanDays: olderThanDays,
    trimMode: mode,
    trimQuietMinutes: integer(env, 'TRIM_QUIET_MINUTES', 30, 0, 1440),
    trimMarginMinutes: integer(env, 'TRIM_MARGIN_MINUTES', 60, 0, 1440),
    maxStreamsPerGroup: integer(env, 'MAX_STREAMS_PER_GROUP', 500, 1, 1000),
    exportMaxWaitMinutes: integer(env, 'EXPORT_MAX_WAIT_MINUTES', 720, 1, 10080),
    exportSlotWaitMinutes: integer(env, 'EXPORT_SLOT_WAIT_MINUTES', 120, 0, 10080),
    exportPollSeconds: integer(env, 'EXPORT_POLL_SECONDS', 30, 1, 300),
    unmask: flag(env, 'CW_UNMASK', true),
  };
}

let loaded: Config | undefined;

/** The process's configuration, parsed on first use (cold start) and frozen. */
export function config(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
