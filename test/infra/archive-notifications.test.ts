import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NOTIFICATION_TASKS } from '../../infra/constructs/archive-notifications';
import type { RdsLogArchiveProps } from '../../infra/constructs/archive-props';
import { configuredSecret } from '../../infra/constructs/configured-secret';
import type { FunctionName, RdsLogArchive } from '../../infra/constructs/rds-log-archive';
import { pascalCase } from '../../infra/constructs/task-function';
import { secretPolicyArn } from '../../infra/constructs/task-grants';
import { parseNotifyConfig } from '../../tasks/common/notify-config';
import { grantsOf } from './grants';
import { BOT_TOKEN_SECRET_ARN, CHANNEL_ID, METRIC_WIDGETS, WEBHOOK_SECRET_NAME } from './notification-settings';
import { synthConstruct } from './synth-app';

const SOURCES = { clusters: ['orders-aurora'], instances: ['billing-pg'] };
/** Every notification setting, with the webhook secret by name and the bot token secret by complete ARN. */
const CONFIGURED: RdsLogArchiveProps = {
  ...SOURCES,
  slackWebhookSecret: WEBHOOK_SECRET_NAME,
  slackBotTokenSecret: BOT_TOKEN_SECRET_ARN,
  slackChannelId: CHANNEL_ID,
  notifyTimeZone: 'Asia/Seoul',
  rdsEventKinds: ['snapshot', 'failure'],
  rdsEventCategories: ['backup', 'failover'],
  backupCheckSchedule: 'cron(30 8 ? * MON-FRI *)',
  backupMaxAgeHours: 30,
  metricWidgets: METRIC_WIDGETS,
  metricGraphSchedule: 'rate(6 hours)',
};
const WEBHOOK_POLICY_ARN = `secret:${WEBHOOK_SECRET_NAME}-??????`;

type Synthesized = ReturnType<typeof synthConstruct>;
// Each configuration is synthesized once, unbundled, for every test that reads it.
let configured: Synthesized;
let bare: Synthesized;

beforeAll(() => {
  configured = synthConstruct(CONFIGURED);
  bare = synthConstruct(SOURCES);
}, 60_000);

const logicalId = ({ archive }: Synthesized, construct: { node: { defaultChild?: unknown } }) =>
  Stack.of(archive).getLogicalId(construct.node.defaultChild as never);
const arnOf = (synthesized: Synthesized, construct: { node: { defaultChild?: unknown } }) => ({
  'Fn::GetAtt': [logicalId(synthesized, construct), 'Arn'],
});
const grants = ({ archive, template }: Synthesized, task: FunctionName) => grantsOf(archive, template, task);

function functionProperties({ archive, template }: Synthesized, task: FunctionName): Record<string, unknown> {
  const id = Stack.of(archive).getLogicalId(archive.functions[task].node.defaultChild as never);
  return template.findResources('AWS::Lambda::Function')[id]?.Properties;
}

/** A function's variables without the house ones every function has. */
function variablesOf(synthesized: Synthesized, task: FunctionName): Record<string, unknown> {
  const { NODE_OPTIONS, POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, ...own } = (
    functionProperties(synthesized, task).Environment as { Variables: Record<string, unknown> }
  ).Variables;
  return own;
}

/** Variables as Lambda passes them: the bucket reference becomes its name. */
const stringsOf = (variables: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : 'archive-bucket']),
  );

function schedulesOf(template: Template) {
  return Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
    (schedule) => schedule.Properties as Record<string, unknown> & { Target: Record<string, unknown> },
  );
}

/** The schedule that invokes a function. */
function scheduleOf(synthesized: Synthesized, task: FunctionName) {
  const arn = arnOf(synthesized, synthesized.archive.functions[task]);
  return schedulesOf(synthesized.template).find(
    (schedule) => JSON.stringify(schedule.Target.Arn) === JSON.stringify(arn),
  );
}

function ruleOf({ template }: Synthesized) {
  const [rule, ...others] = Object.values(template.findResources('AWS::Events::Rule'));
  expect(others).toEqual([]);
  return rule?.Properties as { EventPattern: Record<string, unknown>; Targets: Record<string, unknown>[] };
}

describe('notification functions', () => {
  it('deploys every notification task, with or without Slack settings', () => {
    for (const { archive, template } of [configured, bare]) {
      for (const task of NOTIFICATION_TASKS) expect(archive.functions[task]).toBeDefined();
      template.resourceCountIs('AWS::Lambda::Function', Object.keys(archive.functions).length);
    }
  });

  it('gives each a timeout that covers its Slack retries (five 10 s attempts with waits)', () => {
    const sizing = (task: FunctionName) => {
      const properties = functionProperties(configured, task);
      return [properties.MemorySize, properties.Timeout];
    };

    expect(sizing('notify-run')).toEqual([256, 180]);
    expect(sizing('capture-rds-event')).toEqual([256, 120]);
    expect(sizing('check-backups')).toEqual([256, 120]);
    expect(sizing('notify-alarm')).toEqual([256, 120]);
    expect(sizing('post-metric-graphs')).toEqual([256, 300]);
  });

  it('gives each function exactly the notification settings it reads', () => {
    const bucket = { Ref: logicalId(configured, configured.archive.bucket) };
    const widgets = JSON.stringify(METRIC_WIDGETS);

    expect(variablesOf(configured, 'capture-rds-event')).toEqual({
      ARCHIVE_BUCKET: bucket,
      SLACK_WEBHOOK_SECRET: WEBHOOK_SECRET_NAME,
      NOTIFY_TIME_ZONE: 'Asia/Seoul',
      RDS_EVENT_KINDS: 'snapshot,failure',
    });
    expect(variablesOf(configured, 'check-backups')).toEqual({
      ARCHIVE_BUCKET: bucket,
      CLUSTERS: 'orders-aurora',
      INSTANCES: 'billing-pg',
      BACKUP_MAX_AGE_HOURS: '30',
      SLACK_WEBHOOK_SECRET: WEBHOOK_SECRET_NAME,
      NOTIFY_TIME_ZONE: 'Asia/Seoul',
    });
    expect(variablesOf(configured, 'notify-alarm')).toEqual({
      ARCHIVE_BUCKET: bucket,
      SLACK_WEBHOOK_SECRET: WEBHOOK_SECRET_NAME,
      NOTIFY_TIME_ZONE: 'Asia/Seoul',
    });
    expect(variablesOf(configured, 'post-metric-graphs')).toEqual({
      ARCHIVE_BUCKET: bucket,
      CLUSTERS: 'orders-aurora',
      INSTANCES: 'billing-pg',
      METRIC_WIDGETS: widgets,
      SLACK_BOT_TOKEN_SECRET: BOT_TOKEN_SECRET_ARN,
      SLACK_CHANNEL_ID: CHANNEL_ID,
    });
  });

  it('gives notify-run the task configuration besides its notification settings', () => {
    expect(variablesOf(configured, 'notify-run')).toEqual({
      ARCHIVE_BUCKET: { Ref: logicalId(configured, configured.archive.bucket) },
      CLUSTERS: 'orders-aurora',
      INSTANCES: 'billing-pg',
      CW_UNMASK: 'true',
      SLACK_WEBHOOK_SECRET: WEBHOOK_SECRET_NAME,
      NOTIFY_TIME_ZONE: 'Asia/Seoul',
      METRIC_WIDGETS: JSON.stringify(METRIC_WIDGETS),
      SLACK_BOT_TOKEN_SECRET: BOT_TOKEN_SECRET_ARN,
      SLACK_CHANNEL_ID: CHANNEL_ID,
    });
  });

  it('sets values the tasks parse back into the configured settings', () => {
    const env = (task: FunctionName) => stringsOf(variablesOf(configured, task));

    expect(parseNotifyConfig(env('capture-rds-event'))).toMatchObject({
      slackWebhookSecret: WEBHOOK_SECRET_NAME,
      timeZone: 'Asia/Seoul',
      postedKinds: ['snapshot', 'failure'],
    });
    expect(parseNotifyConfig(env('check-backups'))).toMatchObject({
      clusters: ['orders-aurora'],
      instances: ['billing-pg'],
      backupMaxAgeHours: 30,
    });
    expect(parseNotifyConfig(env('notify-run'))).toMatchObject({
      slackBotTokenSecret: BOT_TOKEN_SECRET_ARN,
      slackChannelId: CHANNEL_ID,
      metricWidgets: METRIC_WIDGETS,
    });
  });

  it('sets no Slack variable without Slack settings, so the tasks post nothing', () => {
    for (const task of ['notify-run', ...NOTIFICATION_TASKS] as const) {
      expect(Object.keys(variablesOf(bare, task)).filter((name) => name.startsWith('SLACK_'))).toEqual([]);
      expect(parseNotifyConfig({ AWS_REGION: 'eu-west-1', ...stringsOf(variablesOf(bare, task)) })).toMatchObject({
        slackWebhookSecret: undefined,
        slackBotTokenSecret: undefined,
      });
    }
  });
});

describe('notification permissions', () => {
  it('lets notify-run read run records, both Slack secrets and metric widget images', () => {
    expect(grants(configured, 'notify-run')).toEqual({
      's3:ListBucket': ['bucket if s3:prefix _runs/*'],
      's3:GetObject': ['bucket/_runs/*'],
      'secretsmanager:GetSecretValue': [BOT_TOKEN_SECRET_ARN, WEBHOOK_POLICY_ARN],
      'cloudwatch:GetMetricWidgetImage': ['*'],
    });
  });

  it('lets capture-rds-event store events under rds-events/, read the webhook and send failures to its queue', () => {
    const queue = logicalId(configured, configured.archive.notifications.rdsEventDeadLetterQueue);

    expect(grants(configured, 'capture-rds-event')).toEqual({
      's3:ListBucket': ['bucket if s3:prefix rds-events/*'],
      's3:GetObject': ['bucket/rds-events/*'],
      's3:PutObject': ['bucket/rds-events/*'],
      'secretsmanager:GetSecretValue': [WEBHOOK_POLICY_ARN],
      'sqs:SendMessage': [`{${queue}.Arn}`],
    });
  });

  it('lets check-backups describe only the configured databases and their automated snapshots', () => {
    expect(grants(configured, 'check-backups')).toEqual({
      'rds:DescribeDBClusters': ['cluster:orders-aurora'],
      'rds:DescribeDBClusterSnapshots': ['cluster-snapshot:*', 'cluster:orders-aurora'],
      'rds:DescribeDBInstances': ['db:billing-pg'],
      'rds:DescribeDBSnapshots': ['db:billing-pg', 'snapshot:*'],
      'secretsmanager:GetSecretValue': [WEBHOOK_POLICY_ARN],
    });
  });

  it('lets notify-alarm read the webhook secret and nothing else', () => {
    expect(grants(configured, 'notify-alarm')).toEqual({ 'secretsmanager:GetSecretValue': [WEBHOOK_POLICY_ARN] });
  });

  it('lets post-metric-graphs render widgets and read the bot token secret', () => {
    expect(grants(configured, 'post-metric-graphs')).toEqual({
      'cloudwatch:GetMetricWidgetImage': ['*'],
      'secretsmanager:GetSecretValue': [BOT_TOKEN_SECRET_ARN],
    });
  });

  it('grants no secret and no widget image without Slack settings', () => {
    expect(grants(bare, 'notify-run')).toEqual({
      's3:ListBucket': ['bucket if s3:prefix _runs/*'],
      's3:GetObject': ['bucket/_runs/*'],
    });
    expect(grants(bare, 'notify-alarm')).toEqual({});
    expect(grants(bare, 'post-metric-graphs')).toEqual({});
    expect(Object.keys(grants(bare, 'capture-rds-event')).sort()).toEqual([
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'sqs:SendMessage',
    ]);
  });

  it('grants the bot token and widget images only when widgets, token and channel are all set', () => {
    const withoutWidgets = synthConstruct({ ...SOURCES, slackBotTokenSecret: 'bot', slackChannelId: CHANNEL_ID });

    expect(grants(withoutWidgets, 'notify-run')['secretsmanager:GetSecretValue']).toBeUndefined();
    expect(grants(withoutWidgets, 'post-metric-graphs')).toEqual({});
    expect(schedulesOf(withoutWidgets.template)).toHaveLength(2);
  });

  it('decrypts a secret with a customer managed key through Secrets Manager only', () => {
    const withKey = synthConstruct(SOURCES, (scope) => ({
      slackWebhookSecret: new Secret(scope, 'Webhook', { encryptionKey: new Key(scope, 'WebhookKey') }),
    }));
    const secretId = withKey.scope.getLogicalId(withKey.scope.node.findChild('Webhook').node.defaultChild as never);
    const keyId = withKey.scope.getLogicalId(withKey.scope.node.findChild('WebhookKey').node.defaultChild as never);

    expect(grants(withKey, 'notify-alarm')).toEqual({
      'secretsmanager:GetSecretValue': [`{${secretId}}`],
      'kms:Decrypt': [`{${keyId}.Arn} via secretsmanager.{AWS::Region}.amazonaws.com`],
    });
    expect(variablesOf(withKey, 'notify-alarm').SLACK_WEBHOOK_SECRET).toEqual({ Ref: secretId });
  });

  it('describes no database in check-backups and schedules no check without clusters or instances', () => {
    const logsOnly = synthConstruct({ logGroups: ['/aws/rds/instance/billing-pg/postgresql'] });

    expect(Object.keys(grants(logsOnly, 'check-backups'))).toEqual([]);
    expect(logsOnly.archive.notifications.backupCheckSchedule).toBeUndefined();
    expect(schedulesOf(logsOnly.template)).toHaveLength(1);
  });
});

describe('secrets given by name or ARN', () => {
  const policyArn = (given: string) => {
    const stack = new Stack();
    const imported = configuredSecret(stack, 'Secret', given);
    if (!imported) throw new Error('no secret');
    return { reference: imported.reference, resource: stack.resolve(secretPolicyArn(imported.secret)) };
  };

  it('leaves the suffix Secrets Manager appends open for a name', () => {
    const { reference, resource } = policyArn('slack/webhook');

    expect(reference).toBe('slack/webhook');
    expect(JSON.stringify(resource)).toMatch(/:secret:slack\/webhook-\?\?\?\?\?\?"\]\]\}$/);
  });

  it('takes a complete ARN as is and leaves the suffix of a partial one open', () => {
    const complete = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack/webhook-AbCdEf';
    const partial = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack/webhook';

    expect(policyArn(complete)).toEqual({ reference: complete, resource: complete });
    expect(policyArn(partial)).toEqual({ reference: partial, resource: `${partial}-??????` });
  });

  it('imports nothing when no secret is configured', () => {
    expect(configuredSecret(new Stack(), 'Secret', undefined)).toBeUndefined();
  });
});

describe('RDS event rule', () => {
  it('matches aws.rds events of the default detail-types and the configured categories', () => {
    expect(ruleOf(configured).EventPattern).toEqual({
      source: ['aws.rds'],
      'detail-type': [
        'RDS DB Instance Event',
        'RDS DB Cluster Event',
        'RDS DB Snapshot Event',
        'RDS DB Cluster Snapshot Event',
      ],
      detail: { EventCategories: ['backup', 'failover'] },
    });
  });

  it('matches every category unless categories are configured', () => {
    expect(ruleOf(bare).EventPattern).not.toHaveProperty('detail');
  });

  it('takes the configured detail-types', () => {
    const snapshotsOnly = synthConstruct({ ...SOURCES, rdsEventDetailTypes: ['RDS DB Cluster Snapshot Event'] });

    expect(ruleOf(snapshotsOnly).EventPattern).toEqual({
      source: ['aws.rds'],
      'detail-type': ['RDS DB Cluster Snapshot Event'],
    });
  });

  it('targets capture-rds-event, keeping what EventBridge cannot deliver in the dead-letter queue', () => {
    const { archive } = configured;
    const queue = arnOf(configured, archive.notifications.rdsEventDeadLetterQueue);

    expect(ruleOf(configured).Targets).toEqual([
      expect.objectContaining({
        Arn: arnOf(configured, archive.functions['capture-rds-event']),
        DeadLetterConfig: { Arn: queue },
      }),
    ]);
  });

  it('lets Lambda retry a failed capture twice within six hours, then send it to the dead-letter queue', () => {
    configured.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(configured, configured.archive.functions['capture-rds-event']) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: {
        OnFailure: { Destination: arnOf(configured, configured.archive.notifications.rdsEventDeadLetterQueue) },
      },
    });
  });

  it('keeps uncaptured events two weeks, encrypted, over TLS only, sent only by the rule', () => {
    const queue = configured.archive.notifications.rdsEventDeadLetterQueue;
    const queueId = logicalId(configured, queue);
    const resources = configured.template.toJSON().Resources;

    expect(resources[queueId].Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    configured.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: { 'aws:SourceArn': arnOf(configured, configured.archive.notifications.rdsEventRule) },
            },
          }),
        ]),
      },
    });
  });
});

describe('notification schedules', () => {
  it('runs the backup check at the configured time in the notification time zone, with its retry policy', () => {
    const schedule = scheduleOf(configured, 'check-backups');

    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(30 8 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Asia/Seoul',
      State: 'ENABLED',
      Target: {
        RetryPolicy: { MaximumEventAgeInSeconds: 6 * 3600, MaximumRetryAttempts: 20 },
        DeadLetterConfig: {
          Arn: arnOf(configured, configured.archive.notifications.backupCheckSchedule?.deadLetterQueue as never),
        },
      },
    });
  });

  it('runs the backup check every day at 09:00 UTC by default', () => {
    expect(scheduleOf(bare, 'check-backups')).toMatchObject({
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    });
  });

  it('passes the scheduled time and the invocation id, which the task logs as its correlation id', () => {
    for (const task of ['check-backups', 'post-metric-graphs'] as const) {
      expect(JSON.parse(scheduleOf(configured, task)?.Target.Input as string)).toEqual({
        scheduledTime: '<aws.scheduler.scheduled-time>',
        executionId: '<aws.scheduler.execution-id>',
      });
    }
  });

  it('posts the metric graphs on their schedule, given up on after an hour', () => {
    expect(scheduleOf(configured, 'post-metric-graphs')).toMatchObject({
      ScheduleExpression: 'rate(6 hours)',
      ScheduleExpressionTimezone: 'Asia/Seoul',
      Target: { RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 5 } },
    });
  });

  it('schedules no metric graphs unless a graph schedule is configured', () => {
    expect(scheduleOf(bare, 'post-metric-graphs')).toBeUndefined();
    expect(bare.archive.notifications.metricGraphSchedule).toBeUndefined();
  });

  it('lets each schedule role invoke only its function and send only to its own dead-letter queue', () => {
    const { archive, template } = configured;
    for (const [task, schedule] of [
      ['check-backups', archive.notifications.backupCheckSchedule],
      ['post-metric-graphs', archive.notifications.metricGraphSchedule],
    ] as const) {
      const roleArn = scheduleOf(configured, task)?.Target.RoleArn as { 'Fn::GetAtt': [string, string] };
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleArn['Fn::GetAtt'][0]}"`))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
      const fn = arnOf(configured, archive.functions[task]);

      expect(statements).toEqual([
        { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: [fn, { 'Fn::Join': ['', [fn, ':*']] }] },
        { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: arnOf(configured, schedule?.deadLetterQueue as never) },
      ]);
    }
  });
});

describe('alarm relay', () => {
  it('subscribes notify-alarm to the alarm topic and lets the topic invoke it', () => {
    const { archive, template } = configured;
    const fn = arnOf(configured, archive.functions['notify-alarm']);
    const topic = { Ref: logicalId(configured, archive.alarmTopic as never) };

    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', Endpoint: fn, TopicArn: topic });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: fn,
      Principal: 'sns.amazonaws.com',
      SourceArn: topic,
    });
  });

  it('leaves notify-alarm out of the error alarms, so a Slack outage does not alarm into its own relay', () => {
    const { archive, template } = configured;
    const alarmed = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) =>
      JSON.stringify(alarm.Properties.Dimensions),
    );

    expect(archive.alarms.NotifyAlarmErrors).toBeUndefined();
    expect(alarmed.join()).not.toContain(`"${logicalId(configured, archive.functions['notify-alarm'])}"`);
    for (const task of ['notify-run', 'capture-rds-event', 'check-backups', 'post-metric-graphs'])
      expect(Object.keys(archive.alarms)).toContain(`${pascalCase(task)}Errors`);
  });

  it('alarms on every notification dead-letter queue', () => {
    const alarmsOn = (archive: RdsLogArchive) =>
      Object.keys(archive.alarms).filter((name) => name.endsWith('DeadLetters'));

    expect(alarmsOn(configured.archive).sort()).toEqual([
      'BackupCheckScheduleDeadLetters',
      'MetricGraphScheduleDeadLetters',
      'RdsEventDeadLetters',
      'ScheduleDeadLetters',
    ]);
    expect(alarmsOn(bare.archive).sort()).toEqual([
      'BackupCheckScheduleDeadLetters',
      'RdsEventDeadLetters',
      'ScheduleDeadLetters',
    ]);
  });
});
