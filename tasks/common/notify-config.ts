/**
 * Settings of the notification side (RDS events, run reports, backup checks, metric graphs),
 * parsed once like config.ts; errors name the variable and the expected form. Every part is
 * optional: without a Slack secret nothing is posted and nothing fails.
 */
import { IDENTIFIER } from './config';
import { ConfigurationError } from './errors';
import { secretReference } from './secret-reference';

/** The kinds of RDS event the product recognises (docs/notifications.md has the mapping). */
export const RDS_EVENT_KINDS = ['backup', 'snapshot', 'failover', 'reboot', 'maintenance', 'failure', 'other'] as const;
export type RdsEventKind = (typeof RDS_EVENT_KINDS)[number];

export interface NotifyConfig {
  readonly archiveBucket: string;
  /** Secrets Manager secret (name or ARN) holding the incoming webhook URL; unset: no Slack messages. */
  readonly slackWebhookSecret?: string;
  /** Secrets Manager secret (name or ARN) holding a bot token, for image uploads; unset: no images. */
  readonly slackBotTokenSecret?: string;
  /** The channel images are uploaded to (an id such as C0123456789). */
  readonly slackChannelId?: string;
  /** Base URL of the Slack Web API; the sandbox points it at its stand-in. */
  readonly slackApiUrl?: string;
  /** IANA time zone of the times in messages, e.g. Asia/Seoul. */
  readonly timeZone: string;
  /** RDS event kinds posted to Slack (all are stored). */
  readonly postedKinds: readonly RdsEventKind[];
  /** Clusters and instances whose backups the daily check looks at. */
  readonly clusters: readonly string[];
  readonly instances: readonly string[];
  /** A cluster or instance whose newest automated backup is older than this is reported. */
  readonly backupMaxAgeHours: number;
  /** CloudWatch metric widgets (the console's "source" JSON), with `${cluster}` placeholders. */
  readonly metricWidgets: readonly Record<string, unknown>[];
}

type Env = Readonly<Record<string, string | undefined>>;

const optional = (env: Env, name: string) => env[name]?.trim() || undefined;

function secret(env: Env, name: string): string | undefined {
  return secretReference(name, optional(env, name));
}

function timeZone(env: Env): string {
  const value = optional(env, 'NOTIFY_TIME_ZONE') ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw new ConfigurationError('NOTIFY_TIME_ZONE', 'an IANA time zone such as UTC or Asia/Seoul', `got "${value}"`);
  }
  return value;
}

export const DEFAULT_POSTED_KINDS: readonly RdsEventKind[] = [
  'backup',
  'snapshot',
  'failover',
  'reboot',
  'maintenance',
  'failure',
];

function postedKinds(env: Env): RdsEventKind[] {
  const raw = optional(env, 'RDS_EVENT_KINDS');
  if (!raw) return [...DEFAULT_POSTED_KINDS];
  const values = raw.split(',').map((item) => item.trim());
  for (const value of values) {
    if (!(RDS_EVENT_KINDS as readonly string[]).includes(value)) {
      throw new ConfigurationError(
        'RDS_EVENT_KINDS',
        `a comma-separated subset of ${RDS_EVENT_KINDS.join(', ')}`,
        `got "${value}"`,
      );
    }
  }
  return values as RdsEventKind[];
}

function identifiers(env: Env, name: string): string[] {
  const values = (optional(env, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const value of values) {
    if (!IDENTIFIER.test(value)) throw new ConfigurationError(name, 'comma-separated DB identifiers', `got "${value}"`);
  }
  return values;
}

function widgets(env: Env): Record<string, unknown>[] {
  const raw = optional(env, 'METRIC_WIDGETS');
  if (!raw) return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigurationError('METRIC_WIDGETS', 'a JSON array of metric widget objects', 'not JSON');
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
    throw new ConfigurationError('METRIC_WIDGETS', 'a JSON array of metric widget objects');
  }
  return value as Record<string, unknown>[];
}

export function parseNotifyConfig(env: Env): NotifyConfig {
  const bucket = optional(env, 'ARCHIVE_BUCKET');
  if (!bucket) throw new ConfigurationError('ARCHIVE_BUCKET', 'an S3 bucket name', 'missing');
  const hours = Number(optional(env, 'BACKUP_MAX_AGE_HOURS') ?? '26');
  if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 35) {
    throw new ConfigurationError(
      'BACKUP_MAX_AGE_HOURS',
      'a whole number of hours from 1 to 840',
      `got "${env.BACKUP_MAX_AGE_HOURS}"`,
    );
  }
  const channel = optional(env, 'SLACK_CHANNEL_ID');
  if (channel && !/^[CGD][A-Z0-9]{6,}$/.test(channel)) {
    throw new ConfigurationError('SLACK_CHANNEL_ID', 'a Slack channel id such as C0123456789', `got "${channel}"`);
  }
  return Object.freeze({
    archiveBucket: bucket,
    slackWebhookSecret: secret(env, 'SLACK_WEBHOOK_SECRET'),
    slackBotTokenSecret: secret(env, 'SLACK_BOT_TOKEN_SECRET'),
    slackChannelId: channel,
    slackApiUrl: optional(env, 'SLACK_API_URL'),
    timeZone: timeZone(env),
    postedKinds: postedKinds(env),
    clusters: identifiers(env, 'CLUSTERS'),
    instances: identifiers(env, 'INSTANCES'),
    backupMaxAgeHours: hours,
    metricWidgets: widgets(env),
  });
}

let loaded: NotifyConfig | undefined;

export function notifyConfig(): NotifyConfig {
  loaded ??= parseNotifyConfig(process.env);
  return loaded;
}
