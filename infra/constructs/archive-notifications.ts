import { Duration, Tokenization } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { DestinationConfig, IDestination, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RDS_EVENTS_PREFIX, RUNS_PREFIX } from '../../tasks/common/layout';
import type { DeadLetters } from './archive-alarms';
import type { RdsLogArchiveProps } from './archive-props';
import { type ScheduleRetry, TaskSchedule, type TaskScheduleProps } from './archive-schedule';
import type { ConfiguredSecret } from './configured-secret';
import { createDeadLetterQueue } from './dead-letter-queue';
import { NOTIFICATION_DEFAULTS } from './notification-props';
import { unique } from './prop-checks';
import { pascalCase, TaskFunction, type TaskFunctionProps } from './task-function';
import type { TaskGrants } from './task-grants';

/** The notification tasks outside the state machine, named as their files in tasks/. */
export const NOTIFICATION_TASKS = ['capture-rds-event', 'check-backups', 'notify-alarm', 'post-metric-graphs'] as const;
export type NotificationTaskName = (typeof NOTIFICATION_TASKS)[number];

/**
 * Lambda's own retries of a capture that failed (Slack or Secrets Manager unavailable): the most
 * it allows, two more attempts within six hours; the event then goes to the dead-letter queue.
 */
export const RDS_EVENT_RETRY = { retryAttempts: 2, maxEventAge: Duration.hours(6) } as const;
/** A backup check that runs hours late still tells what it would have: retried as a run start is. */
export const BACKUP_CHECK_RETRY: ScheduleRetry = { maxEventAge: Duration.hours(6), retryAttempts: 20 };
/** Graphs posted an hour late show the wrong hours: given up on after an hour. */
export const METRIC_GRAPH_RETRY: ScheduleRetry = { maxEventAge: Duration.hours(1), retryAttempts: 5 };

/** The variables of tasks/common/notify-config.ts the construct sets. */
export type NotifyVariable =
  | 'SLACK_WEBHOOK_SECRET'
  | 'SLACK_BOT_TOKEN_SECRET'
  | 'SLACK_CHANNEL_ID'
  | 'NOTIFY_TIME_ZONE'
  | 'RDS_EVENT_KINDS'
  | 'BACKUP_MAX_AGE_HOURS'
  | 'METRIC_WIDGETS'
  | 'CLUSTERS'
  | 'INSTANCES';

/** The notification settings each function reads, besides ARCHIVE_BUCKET: no function sees more than it uses. */
export const NOTIFY_VARIABLES: Readonly<Record<'notify-run' | NotificationTaskName, readonly NotifyVariable[]>> = {
  'notify-run': [
    'SLACK_WEBHOOK_SECRET',
    'NOTIFY_TIME_ZONE',
    'METRIC_WIDGETS',
    'SLACK_BOT_TOKEN_SECRET',
    'SLACK_CHANNEL_ID',
  ],
  'capture-rds-event': ['SLACK_WEBHOOK_SECRET', 'NOTIFY_TIME_ZONE', 'RDS_EVENT_KINDS'],
  'check-backups': ['CLUSTERS', 'INSTANCES', 'BACKUP_MAX_AGE_HOURS', 'SLACK_WEBHOOK_SECRET', 'NOTIFY_TIME_ZONE'],
  'notify-alarm': ['SLACK_WEBHOOK_SECRET', 'NOTIFY_TIME_ZONE'],
  'post-metric-graphs': ['CLUSTERS', 'INSTANCES', 'METRIC_WIDGETS', 'SLACK_BOT_TOKEN_SECRET', 'SLACK_CHANNEL_ID'],
};

/** The Slack secrets as configured; either may be absent. */
export interface SlackSecrets {
  readonly webhook?: ConfiguredSecret;
  readonly botToken?: ConfiguredSecret;
}

/** Graphs are rendered only with widgets, a bot token and a channel (tasks/common/metric-widgets.ts). */
export function graphsConfigured(props: RdsLogArchiveProps): boolean {
  return (props.metricWidgets ?? []).length > 0 && props.slackBotTokenSecret !== undefined && !!props.slackChannelId;
}

/** Every notification variable the props set; an unset one takes the tasks' default. */
export function notifyVariables(
  props: RdsLogArchiveProps,
  secrets: SlackSecrets,
): Partial<Record<NotifyVariable, string>> {
  const clusters = unique(props.clusters);
  const instances = unique(props.instances);
  const widgets = props.metricWidgets ?? [];
  const hours = props.backupMaxAgeHours;
  const entries: [NotifyVariable, string | undefined][] = [
    ['SLACK_WEBHOOK_SECRET', secrets.webhook?.reference],
    ['SLACK_BOT_TOKEN_SECRET', secrets.botToken?.reference],
    ['SLACK_CHANNEL_ID', props.slackChannelId],
    ['NOTIFY_TIME_ZONE', props.notifyTimeZone],
    ['RDS_EVENT_KINDS', props.rdsEventKinds && unique(props.rdsEventKinds).join(',')],
    ['BACKUP_MAX_AGE_HOURS', hours === undefined ? undefined : Tokenization.stringifyNumber(hours)],
    ['METRIC_WIDGETS', widgets.length > 0 ? JSON.stringify(widgets) : undefined],
    ['CLUSTERS', clusters.length > 0 ? clusters.join(',') : undefined],
    ['INSTANCES', instances.length > 0 ? instances.join(',') : undefined],
  ];
  return Object.fromEntries(entries.filter((entry): entry is [NotifyVariable, string] => entry[1] !== undefined));
}

/** The variables of `task` among `variables`. */
export function notifyEnvironment(
  task: keyof typeof NOTIFY_VARIABLES,
  variables: Partial<Record<NotifyVariable, string>>,
): Record<string, string> {
  return Object.fromEntries(
    NOTIFY_VARIABLES[task].flatMap((name) => (variables[name] === undefined ? [] : [[name, variables[name]]])),
  );
}

/**
 * Lambda's on-failure destination allowed exactly sqs:SendMessage, all Lambda uses (SqsDestination
 * also grants sqs:GetQueueAttributes and sqs:GetQueueUrl).
 */
class QueueDestination implements IDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    return { destination: this.queue.queueArn };
  }
}

export interface ArchiveNotificationsProps {
  readonly settings: RdsLogArchiveProps;
  readonly bucket: IBucket;
  readonly grants: TaskGrants;
  readonly secrets: SlackSecrets;
  /** The state machine's notification task; its permissions are granted here with the others'. */
  readonly notifyRun: TaskFunction;
  readonly logging: Pick<TaskFunctionProps, 'logRetention' | 'logLevel'>;
}

/**
 * The notification side around the workflow: RDS events captured from EventBridge, the daily
 * backup check, alarms relayed to Slack and metric graphs on a schedule, each function with only
 * the permissions it uses. Without a Slack secret everything is still deployed and nothing posts.
 */
export class ArchiveNotifications extends Construct {
  readonly functions: Readonly<Record<NotificationTaskName, TaskFunction>>;
  /** Sends RDS events to capture-rds-event. */
  readonly rdsEventRule: Rule;
  /** RDS events that could not be captured: EventBridge could not deliver them, or every attempt failed. */
  readonly rdsEventDeadLetterQueue: Queue;
  /** Runs the backup check; undefined without clusters and instances, when there is nothing to check. */
  readonly backupCheckSchedule?: TaskSchedule;
  /** Posts the metric graphs; undefined unless `metricGraphSchedule` is set. */
  readonly metricGraphSchedule?: TaskSchedule;
  private readonly grants: TaskGrants;

  constructor(scope: Construct, id: string, props: ArchiveNotificationsProps) {
    super(scope, id);
    this.grants = props.grants;
    const { settings } = props;
    const variables = notifyVariables(settings, props.secrets);
    this.functions = this.createFunctions(variables, props.bucket.bucketName, props.logging);
    this.rdsEventDeadLetterQueue = createDeadLetterQueue(
      this,
      'RdsEventDeadLetterQueue',
      "the on-failure destination of the capture function and the dead-letter queue of the RDS event rule's target",
    );
    this.rdsEventRule = this.captureRdsEvents(settings);
    this.grant(props);

    const timeZone = settings.notifyTimeZone ?? NOTIFICATION_DEFAULTS.notifyTimeZone;
    if ((settings.clusters ?? []).length > 0 || (settings.instances ?? []).length > 0) {
      this.backupCheckSchedule = this.schedule('BackupCheckSchedule', 'check-backups', {
        expression: settings.backupCheckSchedule ?? NOTIFICATION_DEFAULTS.backupCheckSchedule,
        timeZone,
        description: 'Runs the daily rds-log-archive backup check',
        retry: BACKUP_CHECK_RETRY,
      });
    }
    if (settings.metricGraphSchedule !== undefined && graphsConfigured(settings)) {
      this.metricGraphSchedule = this.schedule('MetricGraphSchedule', 'post-metric-graphs', {
        expression: settings.metricGraphSchedule,
        timeZone,
        description: 'Posts the rds-log-archive metric graphs to Slack',
        retry: METRIC_GRAPH_RETRY,
      });
    }
  }

  /** The dead-letter queues the alarms watch, by alarm name. */
  get deadLetterQueues(): Record<string, DeadLetters> {
    return {
      RdsEventDeadLetters: {
        queue: this.rdsEventDeadLetterQueue,
        description: 'An RDS event could not be captured; it is in the dead-letter queue',
      },
      ...(this.backupCheckSchedule && {
        BackupCheckScheduleDeadLetters: {
          queue: this.backupCheckSchedule.deadLetterQueue,
          description: 'A scheduled backup check could not be started; the request is in the dead-letter queue',
        },
      }),
      ...(this.metricGraphSchedule && {
        MetricGraphScheduleDeadLetters: {
          queue: this.metricGraphSchedule.deadLetterQueue,
          description: 'Scheduled metric graphs could not be started; the request is in the dead-letter queue',
        },
      }),
    };
  }

  private createFunctions(
    variables: Partial<Record<NotifyVariable, string>>,
    bucketName: string,
    logging: ArchiveNotificationsProps['logging'],
  ): Record<NotificationTaskName, TaskFunction> {
    const task = (name: NotificationTaskName, memorySize: number, timeout: Duration, description: string) =>
      new TaskFunction(this, `${pascalCase(name)}Function`, {
        task: name,
        memorySize,
        timeout,
        description,
        environment: { ARCHIVE_BUCKET: bucketName, ...notifyEnvironment(name, variables) },
        ...logging,
      });
    return {
      // Two small S3 writes, a HEAD and one webhook post of up to five 10 s attempts with 1-8 s waits
      // between them (docs/notifications.md): 90 s at least, and a margin for the S3 calls.
      'capture-rds-event': task('capture-rds-event', 256, Duration.minutes(2), 'Stores an RDS event and posts it'),
      // Paginated describe calls per configured cluster and instance, then one webhook post.
      'check-backups': task('check-backups', 256, Duration.minutes(2), 'Checks the age of the newest RDS backups'),
      // One webhook post per SNS record, with the post's retries.
      'notify-alarm': task('notify-alarm', 256, Duration.minutes(2), 'Relays an alarm notification to Slack'),
      // Renders every widget for each cluster and instance in turn (PNGs of tens of KB each, held
      // until uploaded) and uploads them: minutes for many databases.
      'post-metric-graphs': task('post-metric-graphs', 256, Duration.minutes(5), 'Posts metric graphs to Slack'),
    };
  }

  /**
   * EventBridge invokes the function asynchronously: Lambda retries a failed capture and then sends
   * it to the dead-letter queue, where an event EventBridge itself could not deliver goes too.
   */
  private captureRdsEvents(settings: RdsLogArchiveProps): Rule {
    const capture = this.functions['capture-rds-event'];
    capture.configureAsyncInvoke({ ...RDS_EVENT_RETRY, onFailure: new QueueDestination(this.rdsEventDeadLetterQueue) });
    const categories = unique(settings.rdsEventCategories);
    return new Rule(this, 'RdsEventRule', {
      description: 'Sends RDS events to the rds-log-archive capture function',
      eventPattern: {
        source: ['aws.rds'],
        detailType: unique(settings.rdsEventDetailTypes ?? NOTIFICATION_DEFAULTS.rdsEventDetailTypes),
        ...(categories.length > 0 ? { detail: { EventCategories: categories } } : {}),
      },
      targets: [new LambdaFunction(capture, { deadLetterQueue: this.rdsEventDeadLetterQueue })],
    });
  }

  private schedule(
    id: string,
    task: NotificationTaskName,
    options: Omit<TaskScheduleProps, 'fn' | 'task'>,
  ): TaskSchedule {
    const fn = this.functions[task];
    const schedule = new TaskSchedule(this, id, { fn, task, ...options });
    // The scheduler's role may also invoke the function's versions and aliases (`{arn}:*`, grantInvoke).
    this.grants.wildcards.because(`${fn.functionArn}:*`, `EventBridge Scheduler invokes the ${task} task function`);
    return schedule;
  }

  private grant(props: ArchiveNotificationsProps): void {
    const { functions, grants } = this;
    const { secrets, settings } = props;
    const graphs = graphsConfigured(settings);
    const botToken = graphs ? secrets.botToken?.secret : undefined;
    const webhook = secrets.webhook?.secret;
    // GetMetricWidgetImage takes no resource: IAM accepts only `*` for it.
    const renderGraphs = graphs ? ['*'] : [];

    const notifyRun = props.notifyRun;
    grants.allowListing(notifyRun, [RUNS_PREFIX]);
    grants.allow(
      notifyRun,
      ['s3:GetObject'],
      [grants.objects(`${RUNS_PREFIX}*`, 'run records, keyed by date and execution at run time')],
    );
    grants.readSecrets(notifyRun, [webhook, botToken]);
    grants.allow(notifyRun, ['cloudwatch:GetMetricWidgetImage'], renderGraphs);
    grants.grantKey([notifyRun], ['kms:Decrypt']);

    const capture = functions['capture-rds-event'];
    const events = grants.objects(
      `${RDS_EVENTS_PREFIX}*`,
      'RDS events and their posted markers, keyed by day, source and event id at run time',
    );
    // HEAD on the posted marker is s3:GetObject, and answers 404 rather than 403 only with s3:ListBucket.
    grants.allowListing(capture, [RDS_EVENTS_PREFIX]);
    grants.allow(capture, ['s3:PutObject', 's3:GetObject'], [events]);
    grants.readSecrets(capture, [webhook]);
    grants.grantKey([capture]);

    this.grantBackupCheck(settings, webhook);

    grants.readSecrets(functions['notify-alarm'], [webhook]);

    grants.allow(functions['post-metric-graphs'], ['cloudwatch:GetMetricWidgetImage'], renderGraphs);
    grants.readSecrets(functions['post-metric-graphs'], [botToken]);
  }

  /**
   * Describes the configured clusters and instances and their automated snapshots. Snapshot
   * names are RDS's (`rds:orders-aurora-2026-11-21-15-30`), known only at run time; listing them
   * filtered by cluster or instance is authorized on both the database and the snapshots.
   */
  private grantBackupCheck(settings: RdsLogArchiveProps, webhook: ISecret | undefined): void {
    const { grants } = this;
    const check = this.functions['check-backups'];
    const clusterArns = unique(settings.clusters).map((cluster) => grants.rdsArn('cluster', cluster));
    const instanceArns = unique(settings.instances).map((instance) => grants.rdsArn('db', instance));
    const snapshots = (resource: 'cluster-snapshot' | 'snapshot', of: string) =>
      grants.wildcards.because(
        grants.rdsArn(resource, '*'),
        `the automated snapshots of the configured ${of}, named by RDS`,
      );
    grants.allow(check, ['rds:DescribeDBClusters'], clusterArns);
    if (clusterArns.length > 0) {
      grants.allow(
        check,
        ['rds:DescribeDBClusterSnapshots'],
        [...clusterArns, snapshots('cluster-snapshot', 'clusters')],
      );
    }
    grants.allow(check, ['rds:DescribeDBInstances'], instanceArns);
    if (instanceArns.length > 0) {
      grants.allow(check, ['rds:DescribeDBSnapshots'], [...instanceArns, snapshots('snapshot', 'instances')]);
    }
    grants.readSecrets(check, [webhook]);
  }
}
