import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack, Tokenization } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  CHECKPOINTS_PREFIX,
  CLOUDWATCH_PREFIX,
  EXPORTS_PREFIX,
  RUNS_PREFIX,
  STAGING_PREFIX,
} from '../../tasks/common/layout';
import { LOG_TYPES, type LogType } from '../../tasks/common/types';
import { ArchiveAlarms } from './archive-alarms';
import { createArchiveBucket } from './archive-bucket';
import {
  ArchiveNotifications,
  type NotificationTaskName,
  notifyEnvironment,
  notifyVariables,
  type SlackSecrets,
} from './archive-notifications';
import { ARCHIVE_DEFAULTS, propsProblems, type RdsLogArchiveProps } from './archive-props';
import { ArchiveSchedule } from './archive-schedule';
import { ATHENA_DEFAULTS, parsedLogTypes } from './athena-props';
import { AthenaTables } from './athena-tables';
import { configuredSecret } from './configured-secret';
import { LogForwarding } from './log-forwarding';
import { unique } from './prop-checks';
import { repoPath } from './repo-paths';
import { pascalCase, TaskFunction, type TaskFunctionProps } from './task-function';
import { TaskGrants } from './task-grants';
import { WildcardAcknowledgements } from './wildcard-acknowledgements';

export type { ArchiveTransitions, RdsLogArchiveProps } from './archive-props';

/** The workflow, loaded as is: the ASL file is the source of truth. */
export const ARCHIVE_DEFINITION_PATH = repoPath('statemachines', 'archive.asl.json');

/** The tasks, named as their files in tasks/; each one's ARN fills `${<PascalName>FunctionArn}` in the ASL. */
export const TASKS = [
  'resolve-run',
  'list-instances',
  'list-log-files',
  'archive-log-files',
  'plan-exports',
  'start-export',
  'check-export',
  'verify-export',
  'plan-trim',
  'trim-stream',
  'summarize-run',
  'notify-run',
] as const;
export type TaskName = (typeof TASKS)[number];
/** Every function of the construct: the state machine's tasks and the notification tasks beside it. */
export type FunctionName = TaskName | NotificationTaskName;

/** The function whose error alarm would notify itself: a Slack outage would alarm into its own relay. */
const UNALARMED: readonly FunctionName[] = ['notify-alarm'];

/** The ASL placeholder a task's function ARN fills, e.g. `ArchiveLogFilesFunctionArn`. */
export function substitutionName(task: TaskName): string {
  return `${pascalCase(task)}FunctionArn`;
}

/** The tasks' configuration, parsed by tasks/common/config.ts; unset variables take the tasks' defaults. */
function taskEnvironment(props: RdsLogArchiveProps, bucket: IBucket): Record<string, string> {
  const logTypes = unique(props.logTypes);
  const logGroups = unique(props.logGroups);
  const parsed = unique(props.parsedOutput);
  return {
    ARCHIVE_BUCKET: bucket.bucketName,
    ...(props.clusters?.length ? { CLUSTERS: unique(props.clusters).join(',') } : {}),
    ...(props.instances?.length ? { INSTANCES: unique(props.instances).join(',') } : {}),
    ...(logTypes.length > 0 ? { LOG_TYPES: logTypes.join(',') } : {}),
    ...(logGroups.length > 0 ? { LOG_GROUPS: logGroups.join(',') } : {}),
    ...(props.trimMode ? { TRIM_MODE: props.trimMode } : {}),
    ...(props.cloudWatchOlderThanDays === undefined
      ? {}
      : { CW_OLDER_THAN_DAYS: Tokenization.stringifyNumber(props.cloudWatchOlderThanDays) }),
    // Always set: logs:Unmask is granted by this flag, so the tasks must not fall back to another default.
    CW_UNMASK: String(props.unmask ?? true),
    ...(parsed.length > 0 ? { PARSED_OUTPUT: parsed.join(',') } : {}),
  };
}

/**
 * The archive workflow: the ASL state machine, its Lambda tasks with only the permissions each one
 * uses, the archive bucket (which CloudWatch Logs may write the configured groups' exports into),
 * the schedule that starts the daily run, and alarms on everything that can go wrong. Beside it, the
 * notification side (ArchiveNotifications): RDS events stored and posted, run reports, the daily
 * backup check, alarms relayed and metric graphs, in Slack once a webhook secret is configured.
 */
export class RdsLogArchive extends Construct {
  readonly stateMachine: StateMachine;
  readonly bucket: IBucket;
  /** Where S3 writes the created bucket's access logs; undefined with a bucket of your own. */
  readonly accessLogsBucket?: IBucket;
  /** Every task function, by task name: the state machine's and the notification side's. */
  readonly functions: Readonly<Record<FunctionName, TaskFunction>>;
  /** The RDS event rule, the backup check and graph schedules, and their dead-letter queues. */
  readonly notifications: ArchiveNotifications;
  /** The forward function and its subscription filters; undefined unless forwardTarget is set. */
  readonly forwarding?: LogForwarding;
  /** The Glue database and tables Athena queries; undefined unless athenaTables is true. */
  readonly athena?: AthenaTables;
  /** What fills each `${…}` of the ASL file. */
  readonly definitionSubstitutions: Readonly<Record<string, string>>;
  /** Starts the scheduled runs. */
  readonly schedule: Schedule;
  /** Scheduled starts that EventBridge Scheduler gave up on. */
  readonly scheduleDeadLetterQueue: Queue;
  /** The topic every alarm notifies. */
  readonly alarmTopic: ITopic;
  readonly alarms: Readonly<Record<string, Alarm>>;
  /** Why each wildcard resource is granted; acknowledges the matching cdk-nag findings. */
  private readonly wildcards: WildcardAcknowledgements;
  private readonly grants: TaskGrants;

  constructor(scope: Construct, id: string, props: RdsLogArchiveProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const stateMachineName = props.stateMachineName ?? `${stack.stackName}-${id}`;
    const problems = propsProblems(props, stateMachineName);
    if (problems.length > 0)
      throw new Error(`RdsLogArchive ${this.node.path}: invalid props\n- ${problems.join('\n- ')}`);

    this.wildcards = new WildcardAcknowledgements(this);
    const clusters = unique(props.clusters);
    const instances = unique(props.instances);
    const logGroups = unique(props.logGroups);
    const unmask = props.unmask ?? true;
    const logRetention = (props.logRetentionDays ?? ARCHIVE_DEFAULTS.logRetentionDays) as RetentionDays;
    if (props.bucket) {
      this.bucket = props.bucket;
    } else {
      const created = createArchiveBucket(this, props);
      this.bucket = created.bucket;
      this.accessLogsBucket = created.accessLogsBucket;
    }
    this.grants = new TaskGrants(this, this.bucket, this.wildcards);
    const secrets: SlackSecrets = {
      webhook: configuredSecret(this, 'SlackWebhookSecret', props.slackWebhookSecret),
      botToken: configuredSecret(this, 'SlackBotTokenSecret', props.slackBotTokenSecret),
    };
    const logging = { logRetention, logLevel: props.logLevel ?? ARCHIVE_DEFAULTS.logLevel };
    const taskFunctions = this.createFunctions(
      taskEnvironment(props, this.bucket),
      notifyEnvironment('notify-run', notifyVariables(props, secrets)),
      logging,
    );
    this.notifications = new ArchiveNotifications(this, 'Notifications', {
      settings: props,
      bucket: this.bucket,
      grants: this.grants,
      secrets,
      notifyRun: taskFunctions['notify-run'],
      logging,
    });
    this.functions = { ...taskFunctions, ...this.notifications.functions };
    if (props.forwardTarget !== undefined) {
      this.forwarding = new LogForwarding(this, 'Forwarding', {
        settings: props,
        bucket: this.bucket,
        grants: this.grants,
        authSecret: configuredSecret(this, 'ForwardAuthSecret', props.forwardAuthSecret),
        rdsEventRule: this.notifications.rdsEventRule,
        rdsEventDeadLetterQueue: this.notifications.rdsEventDeadLetterQueue,
        logging,
      });
    }
    if (props.athenaTables) this.athena = this.createAthenaTables(props, clusters, instances);
    this.grantTasks(clusters, instances);
    if (logGroups.length > 0) {
      const logGroupArns = this.logGroupArns(logGroups);
      this.grantCloudWatchTasks(logGroupArns, unmask);
      this.allowExportsIntoBucket(logGroupArns);
    }

    this.definitionSubstitutions = Object.fromEntries(
      TASKS.map((task) => [substitutionName(task), this.functions[task].functionArn]),
    );
    this.stateMachine = this.createStateMachine(stateMachineName, logRetention);
    for (const task of TASKS) {
      const fn = taskFunctions[task];
      fn.grantInvoke(this.stateMachine);
      // grantInvoke also allows the function's versions and aliases (`{arn}:*`).
      this.wildcards.because(`${fn.functionArn}:*`, `the state machine invokes the ${task} task function`);
    }
    this.grantDistributedMap(stateMachineName);

    const scheduled = new ArchiveSchedule(this, 'Schedule', {
      stateMachine: this.stateMachine,
      expression: props.schedule ?? ARCHIVE_DEFAULTS.schedule,
      timeZone: props.timeZone ?? ARCHIVE_DEFAULTS.timeZone,
      enabled: props.scheduleEnabled ?? true,
    });
    this.schedule = scheduled.schedule;
    this.scheduleDeadLetterQueue = scheduled.deadLetterQueue;

    const alarms = new ArchiveAlarms(this, 'Alarms', {
      stateMachine: this.stateMachine,
      functions: {
        ...Object.fromEntries(
          Object.entries(this.functions).filter(([task]) => !UNALARMED.includes(task as FunctionName)),
        ),
        ...(this.forwarding && { 'forward-logs': this.forwarding.function }),
      },
      deadLetterQueues: {
        ScheduleDeadLetters: {
          queue: scheduled.deadLetterQueue,
          description: 'A scheduled archive run could not be started; the start request is in the dead-letter queue',
        },
        ...this.notifications.deadLetterQueues,
        ...(this.forwarding && {
          ForwardDeadLetters: {
            queue: this.forwarding.failedDeliveries,
            description: 'A log delivery could not be forwarded nor stored; it is in the dead-letter queue',
          },
        }),
      },
      topic: props.alarmTopic,
      email: props.alarmEmail,
    });
    this.alarmTopic = alarms.topic;
    this.alarms = alarms.alarms;
    // Relays every alarm to Slack; the email subscription, if any, stays independent of Slack.
    this.alarmTopic.addSubscription(new LambdaSubscription(this.functions['notify-alarm']));
  }

  /**
   * The raw tables cover the archived log types, the parsed ones the parsed types. The first key
   * segment is a cluster or a standalone instance; instances are projected only when the list is
   * complete, which it is not with clusters, whose members are known only at run time.
   */
  private createAthenaTables(
    props: RdsLogArchiveProps,
    clusters: readonly string[],
    instances: readonly string[],
  ): AthenaTables {
    const archived = props.logTypes?.length ? (unique(props.logTypes) as LogType[]) : [...LOG_TYPES];
    const athenaInstances = unique(props.athenaInstances);
    return new AthenaTables(this, 'Athena', {
      bucket: this.bucket,
      databaseName: props.athenaDatabaseName ?? ATHENA_DEFAULTS.databaseName,
      rawLogTypes: archived,
      parsedLogTypes: parsedLogTypes(props.parsedOutput).filter((logType) => archived.includes(logType)),
      clusters: [...clusters, ...instances],
      instances: athenaInstances.length > 0 ? athenaInstances : clusters.length > 0 ? [] : instances,
    });
  }

  private createStateMachine(stateMachineName: string, logRetention: RetentionDays): StateMachine {
    return new StateMachine(this, 'StateMachine', {
      stateMachineName,
      definitionBody: DefinitionBody.fromFile(ARCHIVE_DEFINITION_PATH),
      definitionSubstitutions: this.definitionSubstitutions,
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'StateMachineLogGroup', {
          // The vendedlogs prefix keeps the account's CloudWatch Logs resource policy from
          // growing with every state machine that logs (it has a small size limit).
          logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
          retention: logRetention,
          // The name is fixed: a retained group would make the next deployment of the stack fail.
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: LogLevel.ALL,
        // State payloads carry file names and run data; the run report in S3 has the details.
        includeExecutionData: false,
      },
    });
  }

  private createFunctions(
    environment: Record<string, string>,
    notifyRunEnvironment: Record<string, string>,
    logging: Pick<TaskFunctionProps, 'logRetention' | 'logLevel'>,
  ): Record<TaskName, TaskFunction> {
    const task = (name: TaskName, memorySize: number, timeout: Duration, description: string) =>
      new TaskFunction(this, substitutionName(name).replace(/Arn$/, ''), {
        task: name,
        memorySize,
        timeout,
        description,
        // Notify Run reads the task configuration too (config() through s3Client()).
        environment: name === 'notify-run' ? { ...environment, ...notifyRunEnvironment } : environment,
        ...logging,
      });
    return {
      // Parses the input only: the smallest size, and a minute is ample.
      'resolve-run': task('resolve-run', 256, Duration.minutes(1), 'Validates the run input and fixes its scope'),
      // A few paginated describe calls; minutes leave room for the SDK's throttling back-off.
      'list-instances': task('list-instances', 256, Duration.minutes(2), 'Lists the instances to archive'),
      // Lists the files and HEADs each candidate in S3 (up to 3,000, 16 at a time): I/O bound.
      'list-log-files': task('list-log-files', 256, Duration.minutes(5), 'Plans the log files of one instance'),
      // gzip is CPU bound and Lambda gives CPU in proportion to memory, so memory buys throughput;
      // the Lambda maximum of 15 minutes lets one batch stream large files (the task stops early).
      'archive-log-files': task('archive-log-files', 1024, Duration.minutes(15), 'Streams log files to S3, gzipped'),
      // Paginated DescribeLogGroups per configured entry; CloudWatch Logs throttles control-plane
      // calls at low rates, so minutes leave room for the back-off.
      'plan-exports': task('plan-exports', 256, Duration.minutes(2), 'Resolves the log groups to export'),
      // Two small S3 reads, then CreateExportTask or a scan of the account's export tasks (pages of 50).
      'start-export': task('start-export', 256, Duration.minutes(2), 'Starts the export of one log group'),
      // One DescribeExportTasks call; the waiting happens in the state machine.
      'check-export': task('check-export', 256, Duration.minutes(1), 'Polls one export task'),
      // Describes the group's streams, reads the ones without objects and copies every exported
      // object server-side (8 at a time, up to 5 GB each): nothing passes through memory, but a
      // large export takes minutes.
      'verify-export': task('verify-export', 256, Duration.minutes(10), 'Verifies an export and moves it into place'),
      // Describes the group's streams and lists its manifests and checkpoints: I/O bound.
      'plan-trim': task('plan-trim', 256, Duration.minutes(5), 'Plans the trim of one log group'),
      // Holds a stream's kept events in memory (read, checkpointed, packed into batches) and may put
      // many batches, each recorded in S3 before and after: the largest size and the Lambda maximum.
      'trim-stream': task('trim-stream', 1024, Duration.minutes(15), 'Trims one log stream'),
      // Reads every result object of the run from S3.
      'summarize-run': task('summarize-run', 256, Duration.minutes(5), 'Writes the run report'),
      // Reads the report and posts it (the webhook's five attempts: 65 s at most), then renders
      // and uploads the metric graphs of each cluster and instance, when configured.
      'notify-run': task('notify-run', 256, Duration.minutes(3), 'Posts the run report to Slack'),
    };
  }

  private grantTasks(clusters: readonly string[], instances: readonly string[]): void {
    const rdsArn = this.grants.rdsArn.bind(this.grants);
    const clusterArns = clusters.map((cluster) => rdsArn('cluster', cluster));
    // A cluster's members are known only at run time and change with failovers, scaling and
    // replacements, so configuring a cluster brings every DB instance of the account and region into
    // scope (`db:*`); without clusters, only the configured instances.
    const instanceArns =
      clusters.length > 0
        ? [this.wildcards.because(rdsArn('db', '*'), 'the members of the configured clusters, known only at run time')]
        : instances.map((instance) => rdsArn('db', instance));
    const objects = this.objectPatterns();
    const runRecords = objects.runRecords;
    const { functions } = this;
    const allow = this.grants.allow.bind(this.grants);
    // Without s3:ListBucket, HEAD on a missing key answers 403 instead of 404, and the tasks read
    // 404 as "not archived yet": every new file would fail instead of being planned.
    const headMissingKeys = (grantee: TaskFunction) => allow(grantee, ['s3:ListBucket'], [this.bucket.bucketArn]);

    // resolve-run calls nothing.

    allow(functions['list-instances'], ['rds:DescribeDBClusters'], clusterArns);
    allow(functions['list-instances'], ['rds:DescribeDBInstances'], instanceArns);

    allow(functions['list-log-files'], ['rds:DescribeDBLogFiles'], instanceArns);
    headMissingKeys(functions['list-log-files']);
    // Reads what is archived (HEAD is s3:GetObject); writes only the instance's plan.
    allow(functions['list-log-files'], ['s3:GetObject'], [objects.anywhere]);
    allow(functions['list-log-files'], ['s3:PutObject'], [runRecords]);

    allow(functions['archive-log-files'], ['rds:DownloadCompleteDBLogFile'], instanceArns);
    headMissingKeys(functions['archive-log-files']);
    // Multipart uploads and CopyObject's target are s3:PutObject, CopyObject's source is s3:GetObject.
    // The parse pass (PARSED_OUTPUT) reads the archived object back and writes under parsed/: the same grant.
    allow(functions['archive-log-files'], ['s3:GetObject', 's3:PutObject'], [objects.anywhere]);
    // It deletes and aborts only its staging objects: the archive task can never delete an archived file.
    allow(functions['archive-log-files'], ['s3:DeleteObject', 's3:AbortMultipartUpload'], [objects.staging]);

    this.grants.allowListing(functions['summarize-run'], [RUNS_PREFIX]);
    allow(functions['summarize-run'], ['s3:GetObject', 's3:PutObject'], [runRecords]);

    this.grants.grantKey([functions['list-log-files'], functions['archive-log-files'], functions['summarize-run']]);
  }

  /**
   * The object ARN patterns the tasks are granted, each with why its keys can only be matched by
   * a wildcard: they are named at run time, under a prefix that bounds what the task may touch.
   */
  private objectPatterns() {
    const pattern = this.grants.objects.bind(this.grants);
    return {
      anywhere: pattern(
        '*',
        'archive keys ({cluster}/{logType}/{YYYY}/{MM}/{DD}/{HH}/{instance}/{file}.gz, and the same under parsed/ ' +
          'as .ndjson.gz) are named per file at run time: List Log Files checks (HEAD) which exist, Archive Log ' +
          'Files copies each from its staging object and reads it back to parse it',
      ),
      runRecords: pattern(`${RUNS_PREFIX}*`, 'run records, keyed by date and execution at run time'),
      staging: pattern(`${STAGING_PREFIX}*`, 'staging objects, one per file being archived, named at run time'),
      exports: pattern(`${EXPORTS_PREFIX}*`, 'staged CloudWatch Logs exports, keyed by the export task id'),
      verified: pattern(`${CLOUDWATCH_PREFIX}*`, 'verified exports, keyed by log group, date and range'),
      manifests: pattern(`${CLOUDWATCH_PREFIX}*/manifest.json`, 'the manifest of each verified export range'),
      checkpoints: pattern(`${CHECKPOINTS_PREFIX}*`, 'rewrite checkpoints, keyed by log group, cutoff and stream'),
      progress: pattern(`${CHECKPOINTS_PREFIX}*/progress.json`, 'the progress record of each rewrite checkpoint'),
    };
  }

  /**
   * The configured groups as IAM resources: a name gives the group and its streams (`{name}:*`), a
   * `prefix*` every group and stream under it. Group-level actions (CreateExportTask,
   * PutRetentionPolicy, DescribeLogStreams) are authorized against the group ARN with or without
   * the trailing `:*` depending on the action, so both forms are listed.
   */
  private logGroupArns(logGroups: readonly string[]): string[] {
    const stack = Stack.of(this);
    const arn = (resourceName: string) =>
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const why = (entry: string) =>
      entry.endsWith('*')
        ? this.wildcards.because(arn(entry), `the log groups under the configured prefix ${entry}`)
        : this.wildcards.because(arn(`${entry}:*`), `the log streams of the configured group ${entry}`);
    return logGroups.flatMap((entry) => (entry.endsWith('*') ? [why(entry)] : [arn(entry), why(entry)]));
  }

  /**
   * The CloudWatch Logs branch. A manual run may pick any trim mode, so each task may do what every
   * mode needs, but only on the configured groups and only under its own prefixes of the bucket.
   */
  private grantCloudWatchTasks(logGroupArns: string[], unmask: boolean): void {
    const { functions } = this;
    const allow = this.grants.allow.bind(this.grants);
    const objects = this.objectPatterns();
    const manifests = objects.manifests;
    const checkpoints = objects.checkpoints;
    const runRecords = objects.runRecords;
    const staged = objects.exports;
    // DescribeLogGroups and DescribeExportTasks support no resource-level permissions: `*` is the
    // only resource IAM accepts for them. Both only describe.
    const describeOnly = ['*'];
    // Putting a data-protected group's kept events back needs them unmasked: logs:Unmask besides
    // logs:GetLogEvents. Verify Export only asks whether events exist, which masked events answer too.
    const readKeptEvents = unmask ? ['logs:GetLogEvents', 'logs:Unmask'] : ['logs:GetLogEvents'];

    allow(functions['plan-exports'], ['logs:DescribeLogGroups'], describeOnly);

    allow(functions['start-export'], ['logs:CreateExportTask'], logGroupArns);
    allow(functions['start-export'], ['logs:DescribeExportTasks'], describeOnly);
    // Reads the range's manifest (verified earlier?) and reads or writes the task record beside the
    // export. CreateExportTask also wants its caller to be allowed to write where the export goes.
    this.grants.allowListing(functions['start-export'], [CLOUDWATCH_PREFIX, EXPORTS_PREFIX]);
    allow(functions['start-export'], ['s3:GetObject'], [manifests]);
    allow(functions['start-export'], ['s3:GetObject', 's3:PutObject'], [staged]);

    allow(functions['check-export'], ['logs:DescribeExportTasks'], describeOnly);

    allow(functions['verify-export'], ['logs:DescribeLogStreams', 'logs:GetLogEvents'], logGroupArns);
    this.grants.allowListing(functions['verify-export'], [EXPORTS_PREFIX, CLOUDWATCH_PREFIX]);
    // Copies the export (source s3:GetObject, target s3:PutObject) and writes the manifest; HEAD on
    // the manifest is s3:GetObject.
    allow(functions['verify-export'], ['s3:GetObject'], [staged, manifests]);
    allow(functions['verify-export'], ['s3:PutObject'], [objects.verified]);
    // It deletes only the staged export: nothing verified under cloudwatch/ can ever be deleted.
    allow(functions['verify-export'], ['s3:DeleteObject'], [staged]);

    allow(functions['plan-trim'], ['logs:DescribeLogStreams', 'logs:PutRetentionPolicy'], logGroupArns);
    // Lists the group's manifests (their keys are the coverage) and checkpoints, reads the
    // checkpoints' progress, writes the plan.
    this.grants.allowListing(functions['plan-trim'], [CLOUDWATCH_PREFIX, CHECKPOINTS_PREFIX]);
    allow(functions['plan-trim'], ['s3:GetObject'], [objects.progress]);
    allow(functions['plan-trim'], ['s3:PutObject'], [runRecords]);

    allow(
      functions['trim-stream'],
      ['logs:CreateLogStream', 'logs:DeleteLogStream', 'logs:PutLogEvents', ...readKeptEvents],
      logGroupArns,
    );
    // Reads the plan, writes the stream's outcome; reads and writes the checkpoint.
    this.grants.allowListing(functions['trim-stream'], [CHECKPOINTS_PREFIX, RUNS_PREFIX]);
    allow(functions['trim-stream'], ['s3:GetObject', 's3:PutObject'], [checkpoints, runRecords]);

    this.grants.grantKey([
      functions['start-export'],
      functions['verify-export'],
      functions['plan-trim'],
      functions['trim-stream'],
    ]);
  }

  /**
   * Lets CloudWatch Logs write the configured groups' exports under `_exports/`, and nothing else:
   * the statements AWS documents for export buckets, conditioned on this account and the groups.
   * A bucket imported by name or ARN has no policy this app can change, so the synth warns instead.
   */
  private allowExportsIntoBucket(logGroupArns: string[]): void {
    const stack = Stack.of(this);
    const principal = new ServicePrincipal(`logs.${stack.region}.amazonaws.com`);
    const fromTheGroups = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': logGroupArns },
    };
    const statements = [
      new PolicyStatement({
        principals: [principal],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: fromTheGroups,
      }),
      new PolicyStatement({
        principals: [principal],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${EXPORTS_PREFIX}*`)],
        conditions: {
          ...fromTheGroups,
          StringEquals: { ...fromTheGroups.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      }),
    ];
    const added = statements.map((statement) => this.bucket.addToResourcePolicy(statement).statementAdded);
    if (!added.every(Boolean)) {
      Annotations.of(this).addWarningV2(
        'rds-log-archive:exportBucketPolicy',
        'CloudWatch Logs cannot export into the imported bucket until its policy allows the service principal ' +
          'logs.{region}.amazonaws.com s3:GetBucketAcl on the bucket and s3:PutObject on _exports/* with ' +
          's3:x-amz-acl bucket-owner-full-control, conditioned on aws:SourceAccount and aws:SourceArn (the log ' +
          'groups): see docs/cloudwatch.md',
      );
    }
    // An SSE-KMS bucket: CloudWatch Logs encrypts the export with the bucket's key, so the key policy
    // must allow the same principal (in a key policy, `*` is the key itself).
    const key = this.bucket.encryptionKey;
    if (key) {
      const keyAdded = key.addToResourcePolicy(
        new PolicyStatement({
          principals: [principal],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
          conditions: fromTheGroups,
        }),
        true,
      ).statementAdded;
      if (!keyAdded) {
        Annotations.of(this).addWarningV2(
          'rds-log-archive:exportKeyPolicy',
          'CloudWatch Logs cannot encrypt exports with the imported key until its policy allows the service ' +
            'principal logs.{region}.amazonaws.com kms:GenerateDataKey and kms:Decrypt',
        );
      }
    }
  }

  /**
   * Each item of the distributed Map runs as a child execution of this state machine. The ARNs are
   * built from the fixed name, not taken from the resource: a reference from the role's policy to
   * the state machine, which depends on that policy, would be a circular dependency.
   */
  private grantDistributedMap(stateMachineName: string): void {
    const stack = Stack.of(this);
    const arn = (resource: 'stateMachine' | 'execution', resourceName: string) =>
      stack.formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const role = this.stateMachine;
    role.addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [arn('stateMachine', stateMachineName)] }),
    );
    const executions = this.wildcards.because(
      arn('execution', `${stateMachineName}:*`),
      'the executions of this state machine (the distributed Map runs each item as one), named at run time',
    );
    role.addToRolePolicy(
      new PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executions] }),
    );
    // Redriving a failed run redrives its Map Run, which restarts the failed child executions
    // (`execution:{name}/{mapRunLabel}:{id}`).
    role.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:RedriveExecution'],
        resources: [
          this.wildcards.because(
            arn('execution', `${stateMachineName}/*`),
            'the child executions of the Map Runs of this state machine, restarted when a run is redriven',
          ),
        ],
      }),
    );
  }
}
