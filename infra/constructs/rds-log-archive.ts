import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { TRIM_MODES, type TrimMode } from '../../tasks/common/cloudwatch-types';
import { IDENTIFIER, LOG_GROUP_FORM, LOG_GROUP_PATTERN, maxOlderThanDays } from '../../tasks/common/config';
import {
  CHECKPOINTS_PREFIX,
  CLOUDWATCH_PREFIX,
  EXPORTS_PREFIX,
  RUNS_PREFIX,
  STAGING_PREFIX,
} from '../../tasks/common/layout';
import { LOG_TYPES } from '../../tasks/common/types';
import { repoPath } from './repo-paths';
import { TaskFunction } from './task-function';

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
] as const;
export type TaskName = (typeof TASKS)[number];

export function substitutionName(task: TaskName): string {
  const pascal = task.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());
  return `${pascal}FunctionArn`;
}

export interface RdsLogArchiveProps {
  /**
   * Aurora or RDS cluster identifiers; every member instance is archived.
   * @default - no clusters
   */
  readonly clusters?: readonly string[];
  /**
   * Standalone DB instance identifiers (an instance of a cluster is filed under its cluster).
   * @default - no instances
   */
  readonly instances?: readonly string[];
  /**
   * Log types to archive: audit, slowquery, error, general, postgresql.
   * @default - all of them
   */
  readonly logTypes?: readonly string[];
  /**
   * CloudWatch Logs groups to export to the bucket and then trim: names, or prefixes ending in `*`
   * (`/aws/rds/cluster/orders-aurora/*`). The tasks' CloudWatch Logs permissions and the bucket
   * policy that lets CloudWatch Logs write the exports are scoped to these groups, so a manual run
   * that names other groups is refused by IAM.
   * @default - no log groups: the CloudWatch Logs branch does nothing
   */
  readonly logGroups?: readonly string[];
  /**
   * How streams are trimmed once their events before the cutoff are in a verified export: `rewrite`
   * (delete the stream and put the later events back), `retention` (shorten the group's retention),
   * `delete-exported` (delete only streams wholly exported) or `none`. A manual run may choose
   * another mode, so the tasks may use the permissions of every mode.
   * @default 'rewrite'
   */
  readonly trimMode?: TrimMode;
  /**
   * Scheduled runs export (and then trim) the UTC day that just became older than this many days.
   * 1 to 13 in `rewrite` mode, whose kept events must stay young enough for PutLogEvents (14 days),
   * otherwise 1 to 3650.
   * @default 7
   */
  readonly cloudWatchOlderThanDays?: number;
  /**
   * Read the events of groups with a data protection policy unmasked, so that rewriting a stream puts
   * back the original text: grants `logs:Unmask` on the groups to Trim Stream, the one task that puts
   * events back. When false, streams of such groups are never rewritten.
   * @default true
   */
  readonly unmask?: boolean;
  /**
   * The archive bucket. An existing bucket keeps its own settings; its lifecycle should abort
   * incomplete multipart uploads, expire noncurrent versions under `_runs/`, and expire `_exports/`
   * and `_cloudwatch/checkpoints/`, as the created one does. With log groups, CloudWatch Logs must be
   * allowed to write the exports: the statements are added to the bucket's policy when the bucket is
   * defined in this app; for a bucket imported by name or ARN they cannot be, and the synth warns
   * with what to add (see docs/cloudwatch.md). A KMS key of the bucket must allow the same principal.
   * @default - a new bucket: private, SSE-S3, TLS only, versioned, retained when the stack goes
   */
  readonly bucket?: IBucket;
  /**
   * The state machine's name; also the name in its own ARN, which the distributed Map needs.
   * @default - `{stackName}-{id}`
   */
  readonly stateMachineName?: string;
}

const STATE_MACHINE_NAME = /^[0-9A-Za-z_-]{1,80}$/;
/** Kept events are put back and PutLogEvents takes events up to 14 days old: the rule of tasks/common/config.ts. */

function validateProps(props: RdsLogArchiveProps, stateMachineName: string): string[] {
  const problems: string[] = [];
  const identifiers = (field: 'clusters' | 'instances') => {
    (props[field] ?? []).forEach((value, index) => {
      if (!Token.isUnresolved(value) && !IDENTIFIER.test(value)) {
        problems.push(`${field}[${index}]: "${value}" is not a DB identifier (letter first, then letters, digits, -)`);
      }
    });
  };
  identifiers('clusters');
  identifiers('instances');
  if ((props.clusters ?? []).length === 0 && (props.instances ?? []).length === 0 && !props.logGroups?.length) {
    // The tasks' IAM policies are scoped to the configured sources, so nothing else could be archived.
    problems.push('clusters, instances, logGroups: configure at least one cluster, instance or log group');
  }
  (props.logTypes ?? []).forEach((value, index) => {
    if (!(LOG_TYPES as readonly string[]).includes(value)) {
      problems.push(`logTypes[${index}]: "${value}" is not one of ${LOG_TYPES.join(', ')}`);
    }
  });
  problems.push(...cloudWatchProblems(props));
  if (!Token.isUnresolved(stateMachineName) && !STATE_MACHINE_NAME.test(stateMachineName)) {
    problems.push(`stateMachineName: "${stateMachineName}" must be 1-80 letters, digits, - or _`);
  }
  return problems;
}

function cloudWatchProblems(props: RdsLogArchiveProps): string[] {
  const problems: string[] = [];
  (props.logGroups ?? []).forEach((value, index) => {
    if (!Token.isUnresolved(value) && !LOG_GROUP_PATTERN.test(value)) {
      problems.push(`logGroups[${index}]: "${value}" is not valid: expected ${LOG_GROUP_FORM}`);
    }
  });
  const mode = props.trimMode ?? 'rewrite';
  if (!(TRIM_MODES as readonly string[]).includes(mode)) {
    problems.push(`trimMode: "${mode}" is not one of ${TRIM_MODES.join(', ')}`);
  }
  const days = props.cloudWatchOlderThanDays;
  if (days !== undefined && !Token.isUnresolved(days)) {
    const max = maxOlderThanDays(mode);
    if (!Number.isInteger(days) || days < 1 || days > max) {
      const why = mode === 'rewrite' ? ' in trimMode rewrite (PutLogEvents takes events up to 14 days old)' : '';
      problems.push(`cloudWatchOlderThanDays: ${days} must be a whole number from 1 to ${max}${why}`);
    }
  }
  return problems;
}

/**
 * The archive workflow: the ASL state machine, its Lambda tasks with only the permissions each one
 * uses, and the archive bucket, which CloudWatch Logs may write the configured groups' exports into.
 */
export class RdsLogArchive extends Construct {
  readonly stateMachine: StateMachine;
  readonly bucket: IBucket;
  readonly functions: Readonly<Record<TaskName, TaskFunction>>;
  /** What fills each `${…}` of the ASL file. */
  readonly definitionSubstitutions: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RdsLogArchiveProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const stateMachineName = props.stateMachineName ?? `${stack.stackName}-${id}`;
    const problems = validateProps(props, stateMachineName);
    if (problems.length > 0)
      throw new Error(`RdsLogArchive ${this.node.path}: invalid props\n- ${problems.join('\n- ')}`);

    const clusters = [...new Set(props.clusters ?? [])];
    const instances = [...new Set(props.instances ?? [])];
    const logGroups = [...new Set(props.logGroups ?? [])];
    const unmask = props.unmask ?? true;
    this.bucket = props.bucket ?? this.createBucket();
    this.functions = this.createFunctions({
      ARCHIVE_BUCKET: this.bucket.bucketName,
      ...(clusters.length > 0 ? { CLUSTERS: clusters.join(',') } : {}),
      ...(instances.length > 0 ? { INSTANCES: instances.join(',') } : {}),
      ...(props.logTypes && props.logTypes.length > 0 ? { LOG_TYPES: [...new Set(props.logTypes)].join(',') } : {}),
      ...(logGroups.length > 0 ? { LOG_GROUPS: logGroups.join(',') } : {}),
      ...(props.trimMode ? { TRIM_MODE: props.trimMode } : {}),
      ...(props.cloudWatchOlderThanDays === undefined
        ? {}
        : { CW_OLDER_THAN_DAYS: Tokenization.stringifyNumber(props.cloudWatchOlderThanDays) }),
      // Always set: logs:Unmask is granted by this flag, so the tasks must not fall back to another default.
      CW_UNMASK: String(unmask),
    });
    this.grantTasks(clusters, instances);
    if (logGroups.length > 0) {
      const logGroupArns = this.logGroupArns(logGroups);
      this.grantCloudWatchTasks(logGroupArns, unmask);
      this.allowExportsIntoBucket(logGroupArns);
    }

    this.definitionSubstitutions = Object.fromEntries(
      TASKS.map((task) => [substitutionName(task), this.functions[task].functionArn]),
    );
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      definitionBody: DefinitionBody.fromFile(ARCHIVE_DEFINITION_PATH),
      definitionSubstitutions: this.definitionSubstitutions,
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'StateMachineLogGroup', {
          // The vendedlogs prefix keeps the account's CloudWatch Logs resource policy from
          // growing with every state machine that logs (it has a small size limit).
          logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
          retention: RetentionDays.ONE_MONTH,
          // The name is fixed: a retained group would make the next deployment of the stack fail.
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: LogLevel.ALL,
        // State payloads carry file names and run data; the run report in S3 has the details.
        includeExecutionData: false,
      },
    });
    for (const task of TASKS) this.functions[task].grantInvoke(this.stateMachine);
    this.grantDistributedMap(stateMachineName);
  }

  private createBucket(): Bucket {
    return new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3: CloudWatch Logs exports into it with no key policy to maintain (an SSE-KMS key would
      // have to allow the export service principal too).
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // An overwritten or deleted archive object stays recoverable.
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'abort-incomplete-multipart-uploads',
          // A task aborts its upload when it fails, but not when Lambda ends it at the timeout.
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: 'expire-staging',
          prefix: STAGING_PREFIX,
          // The task deletes each staging object once it is copied to its archive key; one left by a
          // task killed mid-file is useless after a day. In a versioned bucket the delete only hides
          // the bytes, so noncurrent versions go too.
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'expire-run-records',
          prefix: RUNS_PREFIX,
          // Overwritten plans and results are not needed; 90 days keeps reports for the usual look-backs.
          noncurrentVersionExpiration: Duration.days(1),
          expiration: Duration.days(90),
        },
        {
          id: 'remove-run-delete-markers',
          prefix: RUNS_PREFIX,
          // S3 refuses this flag in the rule above, beside `expiration`.
          expiredObjectDeleteMarker: true,
        },
        {
          id: 'expire-exports',
          prefix: EXPORTS_PREFIX,
          // Verify Export moves a verified export to `cloudwatch/` and deletes it here; one that failed
          // verification stays for a week of inspection. The deleted copies stay as long, in case a
          // move has to be checked against them.
          expiration: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(7),
        },
        {
          id: 'remove-export-delete-markers',
          prefix: EXPORTS_PREFIX,
          expiredObjectDeleteMarker: true,
        },
        {
          id: 'expire-checkpoints',
          prefix: CHECKPOINTS_PREFIX,
          // A stream's rewrite checkpoint is resumed by the next runs; a month covers any outage worth
          // resuming after. progress.json is overwritten around every PutLogEvents call, so the
          // overwritten versions go after a day.
          expiration: Duration.days(30),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'remove-checkpoint-delete-markers',
          prefix: CHECKPOINTS_PREFIX,
          expiredObjectDeleteMarker: true,
        },
      ],
    });
  }

  private createFunctions(environment: Record<string, string>): Record<TaskName, TaskFunction> {
    const task = (name: TaskName, memorySize: number, timeout: Duration, description: string) =>
      new TaskFunction(this, substitutionName(name).replace(/Arn$/, ''), {
        task: name,
        memorySize,
        timeout,
        description,
        environment,
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
    };
  }

  /** Allows `actions` on `resources` to one task; nothing when there is no resource to allow. */
  private allow(grantee: TaskFunction, actions: string[], resources: string[], conditions?: Record<string, unknown>) {
    if (resources.length > 0) grantee.addToRolePolicy(new PolicyStatement({ actions, resources, conditions }));
  }

  /**
   * s3:ListBucket under the given prefixes only. S3 also asks for it before answering 404 for a
   * missing key (403 otherwise), with the key as `s3:prefix`: the tasks' existence checks under
   * these prefixes need it too.
   */
  private allowListing(grantee: TaskFunction, prefixes: readonly string[]) {
    this.allow(grantee, ['s3:ListBucket'], [this.bucket.bucketArn], {
      StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) },
    });
  }

  private grantTasks(clusters: readonly string[], instances: readonly string[]): void {
    const stack = Stack.of(this);
    const rdsArn = (resource: 'cluster' | 'db', name: string) =>
      stack.formatArn({ service: 'rds', resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const clusterArns = clusters.map((cluster) => rdsArn('cluster', cluster));
    // A cluster's members are known only at run time and change with failovers, scaling and
    // replacements, so configuring a cluster brings every DB instance of the account and region into
    // scope (`db:*`); without clusters, only the configured instances.
    const instanceArns =
      clusters.length > 0 ? [rdsArn('db', '*')] : instances.map((instance) => rdsArn('db', instance));
    const objects = (pattern: string) => this.bucket.arnForObjects(pattern);
    const runRecords = objects(`${RUNS_PREFIX}*`);
    const { functions } = this;
    const allow = this.allow.bind(this);
    // Without s3:ListBucket, HEAD on a missing key answers 403 instead of 404, and the tasks read
    // 404 as "not archived yet": every new file would fail instead of being planned.
    const headMissingKeys = (grantee: TaskFunction) => allow(grantee, ['s3:ListBucket'], [this.bucket.bucketArn]);

    // resolve-run calls nothing.

    allow(functions['list-instances'], ['rds:DescribeDBClusters'], clusterArns);
    allow(functions['list-instances'], ['rds:DescribeDBInstances'], instanceArns);

    allow(functions['list-log-files'], ['rds:DescribeDBLogFiles'], instanceArns);
    headMissingKeys(functions['list-log-files']);
    // Reads what is archived (HEAD is s3:GetObject); writes only the instance's plan.
    allow(functions['list-log-files'], ['s3:GetObject'], [objects('*')]);
    allow(functions['list-log-files'], ['s3:PutObject'], [runRecords]);

    allow(functions['archive-log-files'], ['rds:DownloadCompleteDBLogFile'], instanceArns);
    headMissingKeys(functions['archive-log-files']);
    // Multipart uploads and CopyObject's target are s3:PutObject, CopyObject's source is s3:GetObject.
    allow(functions['archive-log-files'], ['s3:GetObject', 's3:PutObject'], [objects('*')]);
    // It deletes and aborts only its staging objects: the archive task can never delete an archived file.
    allow(
      functions['archive-log-files'],
      ['s3:DeleteObject', 's3:AbortMultipartUpload'],
      [objects(`${STAGING_PREFIX}*`)],
    );

    this.allowListing(functions['summarize-run'], [RUNS_PREFIX]);
    allow(functions['summarize-run'], ['s3:GetObject', 's3:PutObject'], [runRecords]);

    this.grantKey([functions['list-log-files'], functions['archive-log-files'], functions['summarize-run']]);
  }

  /** The tasks that read or write objects need the bucket's KMS key too, when it has one. */
  private grantKey(s3Users: readonly IGrantable[]): void {
    const encryptionKey = this.bucket.encryptionKey;
    if (encryptionKey) for (const grantee of s3Users) encryptionKey.grantEncryptDecrypt(grantee);
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
    return logGroups.flatMap((entry) => (entry.endsWith('*') ? [arn(entry)] : [arn(entry), arn(`${entry}:*`)]));
  }

  /**
   * The CloudWatch Logs branch. A manual run may pick any trim mode, so each task may do what every
   * mode needs, but only on the configured groups and only under its own prefixes of the bucket.
   */
  private grantCloudWatchTasks(logGroupArns: string[], unmask: boolean): void {
    const { functions } = this;
    const allow = this.allow.bind(this);
    const objects = (pattern: string) => this.bucket.arnForObjects(pattern);
    const manifests = objects(`${CLOUDWATCH_PREFIX}*/manifest.json`);
    const checkpoints = objects(`${CHECKPOINTS_PREFIX}*`);
    const runRecords = objects(`${RUNS_PREFIX}*`);
    const staged = objects(`${EXPORTS_PREFIX}*`);
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
    this.allowListing(functions['start-export'], [CLOUDWATCH_PREFIX, EXPORTS_PREFIX]);
    allow(functions['start-export'], ['s3:GetObject'], [manifests]);
    allow(functions['start-export'], ['s3:GetObject', 's3:PutObject'], [staged]);

    allow(functions['check-export'], ['logs:DescribeExportTasks'], describeOnly);

    allow(functions['verify-export'], ['logs:DescribeLogStreams', 'logs:GetLogEvents'], logGroupArns);
    this.allowListing(functions['verify-export'], [EXPORTS_PREFIX, CLOUDWATCH_PREFIX]);
    // Copies the export (source s3:GetObject, target s3:PutObject) and writes the manifest; HEAD on
    // the manifest is s3:GetObject.
    allow(functions['verify-export'], ['s3:GetObject'], [staged, manifests]);
    allow(functions['verify-export'], ['s3:PutObject'], [objects(`${CLOUDWATCH_PREFIX}*`)]);
    // It deletes only the staged export: nothing verified under cloudwatch/ can ever be deleted.
    allow(functions['verify-export'], ['s3:DeleteObject'], [staged]);

    allow(functions['plan-trim'], ['logs:DescribeLogStreams', 'logs:PutRetentionPolicy'], logGroupArns);
    // Lists the group's manifests (their keys are the coverage) and checkpoints, reads the
    // checkpoints' progress, writes the plan.
    this.allowListing(functions['plan-trim'], [CLOUDWATCH_PREFIX, CHECKPOINTS_PREFIX]);
    allow(functions['plan-trim'], ['s3:GetObject'], [objects(`${CHECKPOINTS_PREFIX}*/progress.json`)]);
    allow(functions['plan-trim'], ['s3:PutObject'], [runRecords]);

    allow(
      functions['trim-stream'],
      ['logs:CreateLogStream', 'logs:DeleteLogStream', 'logs:PutLogEvents', ...readKeptEvents],
      logGroupArns,
    );
    // Reads the plan, writes the stream's outcome; reads and writes the checkpoint.
    this.allowListing(functions['trim-stream'], [CHECKPOINTS_PREFIX, RUNS_PREFIX]);
    allow(functions['trim-stream'], ['s3:GetObject', 's3:PutObject'], [checkpoints, runRecords]);

    this.grantKey([
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
    role.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [arn('execution', `${stateMachineName}:*`)],
      }),
    );
    // Redriving a failed run redrives its Map Run, which restarts the failed child executions
    // (`execution:{name}/{mapRunLabel}:{id}`).
    role.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:RedriveExecution'],
        resources: [arn('execution', `${stateMachineName}/*`)],
      }),
    );
  }
}
