/**
 * Settings of the log forwarding task, parsed once like config.ts; errors name the variable
 * and the expected form. docs/forwarding.md has the table.
 */
import { ConfigurationError } from '../errors';
import { secretReference } from '../secret-reference';
import { LOG_TYPES, type LogType } from '../types';

export const FORWARD_TARGETS = ['opensearch', 'https'] as const;
export type ForwardTarget = (typeof FORWARD_TARGETS)[number];

/** The SigV4 signing names: a managed domain (`es`) or a Serverless collection (`aoss`). */
export const OPENSEARCH_SERVICES = ['es', 'aoss'] as const;
export type OpenSearchService = (typeof OPENSEARCH_SERVICES)[number];

/** What one log group is, when its name does not follow the RDS pattern or should be read otherwise. */
export interface LogGroupMapping {
  readonly cluster?: string;
  readonly instance?: string;
  readonly type?: LogType;
}

export interface ForwardConfig {
  readonly region: string;
  /** Where documents that could not be delivered are stored (`forward-failed/…`). */
  readonly archiveBucket: string;
  readonly target: ForwardTarget;
  readonly endpoint: URL;
  readonly openSearchService: OpenSearchService;
  readonly indexPrefix: string;
  /** Secrets Manager secret (name or ARN) of the HTTPS target's auth header; unset: no header. */
  readonly authSecret?: string;
  readonly logGroupMapping: Readonly<Record<string, LogGroupMapping>>;
  readonly batchMaxBytes: number;
  readonly batchMaxDocuments: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const optional = (env: Env, name: string) => env[name]?.trim() || undefined;
/** Index names are lower case; the prefix also may not start with `-`, `_` or `+`. */
const INDEX_PREFIX = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback?: T): T {
  const value = optional(env, name) ?? fallback;
  if (value === undefined || !values.includes(value as T)) {
    throw new ConfigurationError(
      name,
      `one of ${values.join(', ')}`,
      value === undefined ? 'missing' : `got "${value}"`,
    );
  }
  return value as T;
}

function endpoint(env: Env): URL {
  const name = 'FORWARD_ENDPOINT';
  const expected = 'an https:// URL (http:// only for 127.0.0.1 or localhost)';
  const raw = optional(env, name);
  if (!raw) throw new ConfigurationError(name, expected, 'missing');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(name, expected, 'not a URL');
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) throw new ConfigurationError(name, expected, `got ${url.protocol}`);
  if (url.username || url.password) throw new ConfigurationError(name, expected, 'credentials in the URL');
  return url;
}

function positive(env: Env, name: string, fallback: number, max: number): number {
  const raw = optional(env, name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigurationError(name, `a whole number from 1 to ${max}`, `got "${raw}"`);
  }
  return value;
}

function mappingEntry(group: string, value: unknown): LogGroupMapping {
  const name = 'FORWARD_LOG_GROUP_MAPPING';
  const expected = 'a JSON object: log group name → { "cluster"?, "instance"?, "type"? }';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(name, expected, `"${group}" is not an object`);
  }
  const entry = value as Record<string, unknown>;
  for (const [key, item] of Object.entries(entry)) {
    if (!['cluster', 'instance', 'type'].includes(key)) {
      throw new ConfigurationError(name, expected, `"${group}" has an unknown key "${key}"`);
    }
    if (typeof item !== 'string' || !item.trim()) {
      throw new ConfigurationError(name, expected, `"${group}".${key} is not a non-empty string`);
    }
  }
  if (entry.type !== undefined && !(LOG_TYPES as readonly unknown[]).includes(entry.type)) {
    throw new ConfigurationError(name, `a type among ${LOG_TYPES.join(', ')}`, `"${group}".type is "${entry.type}"`);
  }
  return Object.freeze({ ...entry }) as LogGroupMapping;
}

function logGroupMapping(env: Env): Record<string, LogGroupMapping> {
  const raw = optional(env, 'FORWARD_LOG_GROUP_MAPPING');
  if (!raw) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigurationError('FORWARD_LOG_GROUP_MAPPING', 'a JSON object keyed by log group name', 'not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError('FORWARD_LOG_GROUP_MAPPING', 'a JSON object keyed by log group name');
  }
  return Object.fromEntries(Object.entries(value).map(([group, entry]) => [group, mappingEntry(group, entry)]));
}

export function parseForwardConfig(env: Env): ForwardConfig {
  const region = optional(env, 'AWS_REGION');
  if (!region) throw new ConfigurationError('AWS_REGION', 'an AWS region such as ap-northeast-2', 'missing');
  const archiveBucket = optional(env, 'ARCHIVE_BUCKET');
  if (!archiveBucket) throw new ConfigurationError('ARCHIVE_BUCKET', 'an S3 bucket name', 'missing');
  const indexPrefix = optional(env, 'FORWARD_INDEX_PREFIX') ?? 'rds-logs';
  if (!INDEX_PREFIX.test(indexPrefix)) {
    throw new ConfigurationError(
      'FORWARD_INDEX_PREFIX',
      'lower-case letters, digits, ".", "_" or "-", not starting with "_" or "-"',
      `got "${indexPrefix}"`,
    );
  }
  const authSecret = secretReference('FORWARD_AUTH_SECRET', optional(env, 'FORWARD_AUTH_SECRET'));
  return Object.freeze({
    region,
    archiveBucket,
    target: oneOf(env, 'FORWARD_TARGET', FORWARD_TARGETS),
    endpoint: endpoint(env),
    openSearchService: oneOf(env, 'FORWARD_OPENSEARCH_SERVICE', OPENSEARCH_SERVICES, 'es'),
    indexPrefix,
    authSecret,
    logGroupMapping: Object.freeze(logGroupMapping(env)),
    // OpenSearch Service refuses requests above 10 MiB on the smallest instance types, 100 MiB at most.
    batchMaxBytes: positive(env, 'FORWARD_BATCH_MAX_BYTES', 5_242_880, 100 * 1024 * 1024),
    batchMaxDocuments: positive(env, 'FORWARD_BATCH_MAX_DOCUMENTS', 1000, 100_000),
  });
}

let loaded: ForwardConfig | undefined;

export function forwardConfig(): ForwardConfig {
  loaded ??= parseForwardConfig(process.env);
  return loaded;
}
