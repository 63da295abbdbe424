import { Token } from 'aws-cdk-lib';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { RDS_EVENT_KINDS, type RdsEventKind } from '../../tasks/common/notify-config';
import { describe, isSet, SCHEDULE_FORM, validSchedule, validTimeZone } from './prop-checks';

/** The notification side: RDS events, run reports, the daily backup check, alarms and metric graphs in Slack. */
export interface ArchiveNotificationProps {
  /**
   * The Secrets Manager secret holding the Slack incoming webhook URL: its name, its ARN (complete,
   * or partial without the six-character suffix), or the secret itself. Run reports, RDS events,
   * backup alerts and alarms go to the webhook's channel. A secret encrypted with a customer managed
   * key must be given as the secret with its key (`Secret.fromSecretAttributes`) so that the
   * functions may decrypt it too.
   * @default - none: the notification functions are still deployed, RDS events are still stored,
   * and nothing is posted, no secret is read and nothing fails
   */
  readonly slackWebhookSecret?: ISecret | string;
  /**
   * The secret holding a Slack bot token (`xoxb-…`, scope `files:write`) that uploads the metric
   * graphs, given as for `slackWebhookSecret`. Needs `slackChannelId`.
   * @default - none: no graphs
   */
  readonly slackBotTokenSecret?: ISecret | string;
  /**
   * The id of the channel the graphs are uploaded to, such as `C0123456789`; the bot must be in it.
   * @default - none: no graphs
   */
  readonly slackChannelId?: string;
  /**
   * The IANA time zone of the times in messages and of the backup check and graph schedules, such
   * as `Asia/Seoul`.
   * @default 'UTC'
   */
  readonly notifyTimeZone?: string;
  /**
   * The kinds of RDS event posted to Slack (backup, snapshot, failover, reboot, maintenance,
   * failure, other); every event is stored either way.
   * @default - every kind but 'other'
   */
  readonly rdsEventKinds?: readonly RdsEventKind[];
  /**
   * The EventBridge detail-types of the RDS events the rule sends to the capture function, exactly
   * as RDS sends them.
   * @default - 'RDS DB Instance Event', 'RDS DB Cluster Event', 'RDS DB Snapshot Event', 'RDS DB Cluster Snapshot Event'
   */
  readonly rdsEventDetailTypes?: readonly string[];
  /**
   * Only events with one of these categories (`detail.EventCategories`, lowercase as RDS sends
   * them, such as `backup`, `failover`, `security patching`) are captured.
   * @default - every category
   */
  readonly rdsEventCategories?: readonly string[];
  /**
   * When the backup check runs: an EventBridge Scheduler `cron(…)` or `rate(…)` expression in
   * `notifyTimeZone`. The check runs only when clusters or instances are configured.
   * @default 'cron(0 9 * * ? *)' - every day at 09:00
   */
  readonly backupCheckSchedule?: string;
  /**
   * A configured cluster or instance whose newest automated backup is older than this many hours
   * is reported (1 to 840).
   * @default 26 - a daily backup plus its window
   */
  readonly backupMaxAgeHours?: number;
  /**
   * CloudWatch metric widgets (the JSON of a graph's Source tab), with `${cluster}`, `${instance}`
   * and `${region}` placeholders, rendered for each cluster and instance and uploaded with each run
   * report. Needs `slackBotTokenSecret` and `slackChannelId`. Lambda allows 4 KB for all of a
   * function's variables, so the widgets may take at most 3,000 characters as JSON.
   * @default - none: no graphs
   */
  readonly metricWidgets?: readonly Record<string, unknown>[];
  /**
   * When the metric graphs are also posted on their own: a `cron(…)` or `rate(…)` expression in
   * `notifyTimeZone`. Needs `metricWidgets`.
   * @default - none: graphs go only with the run reports
   */
  readonly metricGraphSchedule?: string;
}

/** What the notification side falls back to, in one place so docs and tests can name them. */
export const NOTIFICATION_DEFAULTS = {
  notifyTimeZone: 'UTC',
  rdsEventDetailTypes: [
    'RDS DB Instance Event',
    'RDS DB Cluster Event',
    'RDS DB Snapshot Event',
    'RDS DB Cluster Snapshot Event',
  ],
  backupCheckSchedule: 'cron(0 9 * * ? *)',
  backupMaxAgeHours: 26,
} as const;

/** The longest widget JSON the functions' environment can take beside their other variables. */
export const MAX_METRIC_WIDGETS_CHARACTERS = 3000;
/** The tasks' own bound (tasks/common/notify-config.ts): five weeks. */
const MAX_BACKUP_AGE_HOURS = 840;

const SECRET_NAME = /^[\w/+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
const DETAIL_TYPE = /^RDS( [A-Z][A-Za-z]*)+ Event$/;
const CATEGORY = /^[a-z]+( [a-z]+)*$/;

/** A secret prop given as text that is neither a secret name nor a secret ARN. */
export function secretProblems(field: string, secret: ISecret | string | undefined): string[] {
  if (typeof secret !== 'string' || Token.isUnresolved(secret) || SECRET_NAME.test(secret) || SECRET_ARN.test(secret))
    return [];
  return [
    `${field}: ${describe(secret)} is not a Secrets Manager secret name (letters, digits and / _ + = . @ -) ` +
      'or ARN (arn:aws:secretsmanager:{region}:{account}:secret:{name})',
  ];
}

/** Every problem with the notification props, each naming the prop and the expected form. */
export function notificationProblems(props: ArchiveNotificationProps): string[] {
  return [
    ...slackProblems(props),
    ...rdsEventProblems(props),
    ...backupProblems(props),
    ...graphProblems(props),
    ...(isSet(props.notifyTimeZone) && !validTimeZone(props.notifyTimeZone)
      ? [`notifyTimeZone: ${describe(props.notifyTimeZone)} is not an IANA time zone name such as UTC or Asia/Seoul`]
      : []),
  ];
}

function slackProblems(props: ArchiveNotificationProps): string[] {
  const problems: string[] = [];
  for (const field of ['slackWebhookSecret', 'slackBotTokenSecret'] as const) {
    problems.push(...secretProblems(field, props[field]));
  }
  const channel = props.slackChannelId;
  if (isSet(channel) && !CHANNEL_ID.test(channel)) {
    problems.push(`slackChannelId: ${describe(channel)} is not a Slack channel id such as C0123456789`);
  }
  if (props.slackBotTokenSecret !== undefined && channel === undefined) {
    problems.push('slackBotTokenSecret: set slackChannelId too; the token uploads the graphs to that channel');
  }
  if (channel !== undefined && props.slackBotTokenSecret === undefined) {
    problems.push('slackChannelId: set slackBotTokenSecret too; graphs are uploaded with a bot token');
  }
  return problems;
}

/** Each entry of a list prop that is not of the expected form; an empty list is a problem too. */
function listProblems(
  field: string,
  values: readonly string[] | undefined,
  valid: (value: string) => boolean,
  form: string,
): string[] {
  if (values === undefined) return [];
  if (values.length === 0) return [`${field}: empty; leave it out for the default`];
  return values.flatMap((value, index) =>
    Token.isUnresolved(value) || valid(value) ? [] : [`${field}[${index}]: ${describe(value)} is not ${form}`],
  );
}

function rdsEventProblems(props: ArchiveNotificationProps): string[] {
  return [
    ...listProblems(
      'rdsEventKinds',
      props.rdsEventKinds,
      (kind) => (RDS_EVENT_KINDS as readonly string[]).includes(kind),
      `one of ${RDS_EVENT_KINDS.join(', ')}`,
    ),
    ...listProblems(
      'rdsEventDetailTypes',
      props.rdsEventDetailTypes,
      (type) => DETAIL_TYPE.test(type),
      'an RDS detail-type such as "RDS DB Instance Event" (EventBridge compares it exactly)',
    ),
    ...listProblems(
      'rdsEventCategories',
      props.rdsEventCategories,
      (category) => CATEGORY.test(category),
      'an RDS event category in lowercase, such as "backup" or "security patching" (EventBridge compares it exactly)',
    ),
  ];
}

function backupProblems(props: ArchiveNotificationProps): string[] {
  const problems: string[] = [];
  const schedule = props.backupCheckSchedule;
  if (isSet(schedule) && !validSchedule(schedule)) {
    problems.push(`backupCheckSchedule: ${describe(schedule)} is not valid: expected ${SCHEDULE_FORM}`);
  }
  const hours = props.backupMaxAgeHours;
  if (isSet(hours) && (!Number.isInteger(hours) || hours < 1 || hours > MAX_BACKUP_AGE_HOURS)) {
    problems.push(
      `backupMaxAgeHours: ${describe(hours)} must be a whole number of hours from 1 to ${MAX_BACKUP_AGE_HOURS}`,
    );
  }
  return problems;
}

function graphProblems(props: ArchiveNotificationProps): string[] {
  const problems: string[] = [];
  const widgets = props.metricWidgets ?? [];
  widgets.forEach((widget, index) => {
    if (typeof widget !== 'object' || widget === null || Array.isArray(widget)) {
      problems.push(
        `metricWidgets[${index}]: ${describe(widget)} is not a metric widget object (a graph's Source JSON)`,
      );
    }
  });
  const characters = JSON.stringify(widgets).length;
  if (characters > MAX_METRIC_WIDGETS_CHARACTERS) {
    problems.push(
      `metricWidgets: ${characters} characters as JSON, more than the ${MAX_METRIC_WIDGETS_CHARACTERS} that fit ` +
        "beside the functions' other variables (Lambda allows 4 KB for all of them)",
    );
  }
  if (widgets.length > 0 && (props.slackBotTokenSecret === undefined || props.slackChannelId === undefined)) {
    problems.push(
      'metricWidgets: set slackBotTokenSecret and slackChannelId too; graphs are uploaded with a bot token',
    );
  }
  const schedule = props.metricGraphSchedule;
  if (isSet(schedule) && !validSchedule(schedule)) {
    problems.push(`metricGraphSchedule: ${describe(schedule)} is not valid: expected ${SCHEDULE_FORM}`);
  }
  if (schedule !== undefined && widgets.length === 0) {
    problems.push('metricGraphSchedule: set metricWidgets too; without widgets there is nothing to post');
  }
  return problems;
}
