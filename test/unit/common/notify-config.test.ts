import type { ConfigurationError } from '../../../tasks/common/errors';
import { DEFAULT_POSTED_KINDS, parseNotifyConfig } from '../../../tasks/common/notify-config';

const BASE = { ARCHIVE_BUCKET: 'archive-bucket' };
/** A widget with the cluster placeholder, as the console's source JSON gives it. */
const CPU_WIDGET = { metrics: [['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', `$${'{cluster}'}`]] };

function errorFor(env: Record<string, string>): ConfigurationError {
  try {
    parseNotifyConfig({ ...BASE, ...env });
  } catch (error) {
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseNotifyConfig', () => {
  it('needs nothing but the bucket: no Slack, UTC, the default kinds, no widgets', () => {
    expect(parseNotifyConfig(BASE)).toEqual({
      archiveBucket: 'archive-bucket',
      slackWebhookSecret: undefined,
      slackBotTokenSecret: undefined,
      slackChannelId: undefined,
      slackApiUrl: undefined,
      timeZone: 'UTC',
      postedKinds: DEFAULT_POSTED_KINDS,
      clusters: [],
      instances: [],
      backupMaxAgeHours: 26,
      metricWidgets: [],
    });
  });

  it('reads every setting when it is set', () => {
    const config = parseNotifyConfig({
      ...BASE,
      SLACK_WEBHOOK_SECRET: 'rds-log-archive/slack-webhook',
      SLACK_BOT_TOKEN_SECRET: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack-bot-AbCdEf',
      SLACK_CHANNEL_ID: 'C0123456789',
      NOTIFY_TIME_ZONE: 'Asia/Seoul',
      RDS_EVENT_KINDS: 'snapshot, failure',
      CLUSTERS: 'orders-aurora',
      INSTANCES: 'billing-pg',
      BACKUP_MAX_AGE_HOURS: '30',
      METRIC_WIDGETS: JSON.stringify([CPU_WIDGET]),
    });

    expect(config).toMatchObject({
      slackChannelId: 'C0123456789',
      timeZone: 'Asia/Seoul',
      postedKinds: ['snapshot', 'failure'],
      clusters: ['orders-aurora'],
      backupMaxAgeHours: 30,
      metricWidgets: [CPU_WIDGET],
    });
  });

  it.each([
    ['NOTIFY_TIME_ZONE', { NOTIFY_TIME_ZONE: 'Mars/Olympus' }, /expected an IANA time zone/],
    ['RDS_EVENT_KINDS', { RDS_EVENT_KINDS: 'snapshot,backups' }, /got "backups"; expected a comma-separated subset/],
    ['BACKUP_MAX_AGE_HOURS', { BACKUP_MAX_AGE_HOURS: '0' }, /expected a whole number of hours/],
    ['SLACK_CHANNEL_ID', { SLACK_CHANNEL_ID: '#general' }, /expected a Slack channel id/],
    [
      'SLACK_WEBHOOK_SECRET',
      { SLACK_WEBHOOK_SECRET: 'https://hooks.slack.com/x' },
      /expected a Secrets Manager secret/,
    ],
    ['METRIC_WIDGETS', { METRIC_WIDGETS: '{not json' }, /expected a JSON array/],
    ['METRIC_WIDGETS', { METRIC_WIDGETS: '[1]' }, /expected a JSON array of metric widget objects/],
    ['CLUSTERS', { CLUSTERS: 'orders_aurora' }, /comma-separated DB identifiers/],
  ])('names %s when it is malformed', (variable, env, message) => {
    const error = errorFor(env);

    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
  });

  it('refuses a webhook URL put directly in place of the secret: the URL is a credential', () => {
    expect(errorFor({ SLACK_WEBHOOK_SECRET: 'https://hooks.slack.com/services/T/B/X' }).variable).toBe(
      'SLACK_WEBHOOK_SECRET',
    );
  });
});
