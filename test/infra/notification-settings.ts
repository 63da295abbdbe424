/** Notification settings the infra tests share: two secrets in two forms, a channel and two widgets. */

export const WEBHOOK_SECRET_NAME = 'rds-log-archive/slack-webhook';
export const BOT_TOKEN_SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-log-archive/slack-bot-AbCdEf';
export const CHANNEL_ID = 'C0123456789';

/** A widget per placeholder form, as the console's Source tab shows them (docs/notifications.md). */
export const METRIC_WIDGETS = [
  {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the widgets' own placeholder syntax
    title: 'CPU of ${cluster}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the widgets' own placeholder syntax
    metrics: [['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', '${cluster}']],
  },
  {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the widgets' own placeholder syntax
    title: 'Free memory of ${instance}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the widgets' own placeholder syntax
    metrics: [['AWS/RDS', 'FreeableMemory', 'DBInstanceIdentifier', '${instance}']],
  },
];
