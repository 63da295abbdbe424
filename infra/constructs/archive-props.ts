import { Token } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { TRIM_MODES, type TrimMode } from '../../tasks/common/cloudwatch-types';
import { IDENTIFIER, LOG_GROUP_FORM, LOG_GROUP_PATTERN, maxOlderThanDays } from '../../tasks/common/config';
import { LOG_TYPES } from '../../tasks/common/types';
import { type AthenaProps, athenaProblems } from './athena-props';
import { type ForwardingProps, forwardingProblems } from './forward-props';
import { type ArchiveNotificationProps, notificationProblems } from './notification-props';
import { describe, isSet, SCHEDULE_FORM, validSchedule, validTimeZone } from './prop-checks';
import { POWERTOOLS_LOG_LEVELS, type PowertoolsLogLevel } from './task-function';

/** How the created bucket encrypts objects at rest. */
export const BUCKET_ENCRYPTIONS = ['s3-managed', 'kms'] as const;
export type BucketEncryptionChoice = (typeof BUCKET_ENCRYPTIONS)[number];

/** S3 Object Lock retention modes: GOVERNANCE can be lifted with a permission, COMPLIANCE by nobody. */
export const OBJECT_LOCK_MODES = ['GOVERNANCE', 'COMPLIANCE'] as const;
export type ObjectLockModeChoice = (typeof OBJECT_LOCK_MODES)[number];

/** When archive objects move to colder storage classes; `false` leaves a class out. */
export interface ArchiveTransitions {
  /**
   * Days after upload when archive objects move to S3 Glacier Instant Retrieval (millisecond reads,
   * about a sixth of Standard's storage price, billed for at least 90 days).
   * @default 30
   */
  readonly glacierInstantRetrievalAfterDays?: number | false;
  /**
   * Days after upload when archive objects move to S3 Glacier Deep Archive (the cheapest class;
   * reads need a restore of up to 48 hours). At least 90 days after the Glacier Instant Retrieval
   * transition, that class's minimum storage duration.
   * @default 180
   */
  readonly deepArchiveAfterDays?: number | false;
}

export interface RdsLogArchiveProps extends ArchiveNotificationProps, ForwardingProps, AthenaProps {
  /**
   * Aurora or RDS cluster identifiers; every member instance is archived. Lowercase, as RDS stores
   * them (IAM compares the ARNs that name them case-sensitively).
   * @default - no clusters
   */
  readonly clusters?: readonly string[];
  /**
   * Standalone DB instance identifiers (an instance of a cluster is filed under its cluster), lowercase.
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
   * The archive bucket. An existing bucket keeps its own settings (encryption, lifecycle, Object
   * Lock, access logs): its lifecycle should abort incomplete multipart uploads, expire noncurrent
   * versions under `_runs/`, and expire `_exports/` and `_cloudwatch/checkpoints/`, as the created
   * one does. With log groups, CloudWatch Logs must be allowed to write the exports: the statements
   * are added to the bucket's policy when the bucket is defined in this app; for a bucket imported by
   * name or ARN they cannot be, and the synth warns with what to add (see docs/cloudwatch.md). A KMS
   * key of the bucket must allow the same principal.
   * @default - a new bucket: private, encrypted, TLS only, versioned, access-logged, retained when the stack goes
   */
  readonly bucket?: IBucket;
  /**
   * How the created bucket encrypts objects: `s3-managed` (SSE-S3, no key to manage) or `kms`
   * (SSE-KMS with `kmsKey`, or a key created with rotation on; S3 Bucket Keys keep the KMS request
   * count low). Only for the bucket the construct creates.
   * @default - 'kms' when kmsKey is given, otherwise 's3-managed'
   */
  readonly encryption?: BucketEncryptionChoice;
  /**
   * The KMS key of the created bucket (implies `encryption: 'kms'`). A key defined in this app gets
   * the statement that lets CloudWatch Logs encrypt exports with it; an imported key needs it added
   * by hand (the synth warns).
   * @default - a new key with rotation, retained with the bucket, when encryption is 'kms'
   */
  readonly kmsKey?: IKey;
  /**
   * When archive objects (the log files under `{cluster or instance}/` and the verified exports
   * under `cloudwatch/`) move to colder storage. The bucket's own working objects under `_runs/`,
   * `_staging/`, `_exports/` and `_cloudwatch/` never move. Only for the bucket the construct creates.
   * @default - Glacier Instant Retrieval after 30 days, Deep Archive after 180 days
   */
  readonly transitions?: ArchiveTransitions;
  /**
   * S3 Object Lock default retention, in days, for every object version written to the created
   * bucket: nobody can delete or overwrite a version before it ends (a delete only adds a delete
   * marker). It covers the bucket's working objects too, so their old versions are kept, and billed,
   * as long. Object Lock cannot be turned off once the bucket has it.
   * @default - no Object Lock
   */
  readonly objectLockRetentionDays?: number;
  /**
   * The Object Lock retention mode: GOVERNANCE (users with s3:BypassGovernanceRetention may still
   * delete) or COMPLIANCE (nobody, not even the root user, until the retention ends).
   * @default 'GOVERNANCE'
   */
  readonly objectLockMode?: ObjectLockModeChoice;
  /**
   * When scheduled runs start: an EventBridge Scheduler `cron(minutes hours day-of-month month
   * day-of-week year)` or `rate(value unit)` expression, in `timeZone`.
   * @default 'cron(0 1 * * ? *)' - every day at 01:00
   */
  readonly schedule?: string;
  /**
   * The IANA time zone of the schedule, such as `Europe/Berlin`; cron expressions follow its
   * daylight saving time.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * Whether the schedule starts runs; when false it is created disabled, for manual runs only.
   * @default true
   */
  readonly scheduleEnabled?: boolean;
  /**
   * How long the task functions' and the state machine's log groups keep logs, in days: one of the
   * values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
   * 1096, 1827, 2192, 2557, 2922, 3288, 3653).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * The task functions' log level (Powertools): DEBUG, INFO, WARN or ERROR.
   * @default 'INFO'
   */
  readonly logLevel?: PowertoolsLogLevel;
  /**
   * The topic the alarms notify. A topic defined elsewhere must let CloudWatch publish to it (and,
   * if encrypted, let CloudWatch use its key).
   * @default - a new topic, encrypted with a key that lets CloudWatch publish, TLS only
   */
  readonly alarmTopic?: ITopic;
  /**
   * An email address subscribed to the alarm topic; the subscription must be confirmed from the
   * message AWS sends.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * The state machine's name; also the name in its own ARN, which the distributed Map needs.
   * @default - `{stackName}-{id}`
   */
  readonly stateMachineName?: string;
}

/** The settings the construct falls back to, in one place so docs and tests can name them. */
export const ARCHIVE_DEFAULTS = {
  schedule: 'cron(0 1 * * ? *)',
  timeZone: 'UTC',
  glacierInstantRetrievalAfterDays: 30,
  deepArchiveAfterDays: 180,
  logRetentionDays: 30,
  logLevel: 'INFO',
  objectLockMode: 'GOVERNANCE',
} as const;

/** The retention periods CloudWatch Logs accepts (RetentionDays without INFINITE). */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (value): value is number => typeof value === 'number' && value !== RetentionDays.INFINITE,
);

const STATE_MACHINE_NAME = /^[0-9A-Za-z_-]{1,80}$/;
/** RDS stores identifiers in lowercase, and archive keys start with them (the lifecycle rules rely on it). */
const LOWERCASE_IDENTIFIER = /^[a-z][a-z0-9-]{0,62}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A hundred years: the longest Object Lock default retention, and a bound for transitions. */
const MAX_DAYS = 36_500;
/** Glacier Instant Retrieval bills every object for at least 90 days. */
const GLACIER_IR_MINIMUM_DAYS = 90;

/**
 * Every problem with the props, each naming the prop and the expected form; empty when they are
 * valid. Checked before anything is created, so one synth reports them all.
 */
export function propsProblems(props: RdsLogArchiveProps, stateMachineName: string): string[] {
  return [
    ...sourceProblems(props),
    ...cloudWatchProblems(props),
    ...bucketProblems(props),
    ...scheduleProblems(props),
    ...operationsProblems(props),
    ...notificationProblems(props),
    ...forwardingProblems(props),
    ...athenaProblems(props),
    ...(isSet(stateMachineName) && !STATE_MACHINE_NAME.test(stateMachineName)
      ? [`stateMachineName: "${stateMachineName}" must be 1-80 letters, digits, - or _`]
      : []),
  ];
}

function sourceProblems(props: RdsLogArchiveProps): string[] {
  const problems: string[] = [];
  for (const field of ['clusters', 'instances'] as const) {
    (props[field] ?? []).forEach((value, index) => {
      if (Token.isUnresolved(value)) return;
      if (!IDENTIFIER.test(value)) {
        problems.push(`${field}[${index}]: "${value}" is not a DB identifier (letter first, then letters, digits, -)`);
      } else if (!LOWERCASE_IDENTIFIER.test(value)) {
        problems.push(`${field}[${index}]: "${value}" must be lowercase, as RDS stores it ("${value.toLowerCase()}")`);
      }
    });
  }
  if ((props.clusters ?? []).length === 0 && (props.instances ?? []).length === 0 && !props.logGroups?.length) {
    // The tasks' IAM policies are scoped to the configured sources, so nothing else could be archived.
    problems.push('clusters, instances, logGroups: configure at least one cluster, instance or log group');
  }
  (props.logTypes ?? []).forEach((value, index) => {
    if (!(LOG_TYPES as readonly string[]).includes(value)) {
      problems.push(`logTypes[${index}]: "${value}" is not one of ${LOG_TYPES.join(', ')}`);
    }
  });
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
  if (isSet(days)) {
    const max = maxOlderThanDays(mode);
    if (!Number.isInteger(days) || days < 1 || days > max) {
      const why = mode === 'rewrite' ? ' in trimMode rewrite (PutLogEvents takes events up to 14 days old)' : '';
      problems.push(`cloudWatchOlderThanDays: ${days} must be a whole number from 1 to ${max}${why}`);
    }
  }
  return problems;
}

function bucketProblems(props: RdsLogArchiveProps): string[] {
  const problems: string[] = [];
  if (props.bucket) {
    const createdOnly = ['encryption', 'kmsKey', 'transitions', 'objectLockRetentionDays', 'objectLockMode'] as const;
    for (const field of createdOnly.filter((name) => props[name] !== undefined)) {
      problems.push(`${field}: applies only to the bucket the construct creates; set it on the given bucket instead`);
    }
  }
  if (props.encryption !== undefined && !(BUCKET_ENCRYPTIONS as readonly string[]).includes(props.encryption)) {
    problems.push(`encryption: ${describe(props.encryption)} is not one of ${BUCKET_ENCRYPTIONS.join(', ')}`);
  }
  if (props.kmsKey && props.encryption === 's3-managed') {
    problems.push('encryption: "s3-managed" contradicts kmsKey; use "kms" or leave kmsKey out');
  }
  problems.push(...transitionProblems(props.transitions ?? {}));
  const lockDays = props.objectLockRetentionDays;
  if (isSet(lockDays) && (!Number.isInteger(lockDays) || lockDays < 1 || lockDays > MAX_DAYS)) {
    problems.push(`objectLockRetentionDays: ${lockDays} must be a whole number of days from 1 to ${MAX_DAYS}`);
  }
  if (props.objectLockMode !== undefined) {
    if (!(OBJECT_LOCK_MODES as readonly string[]).includes(props.objectLockMode)) {
      problems.push(`objectLockMode: ${describe(props.objectLockMode)} is not one of ${OBJECT_LOCK_MODES.join(', ')}`);
    } else if (lockDays === undefined) {
      problems.push('objectLockMode: set objectLockRetentionDays too; the mode alone locks nothing');
    }
  }
  return problems;
}

function transitionProblems(transitions: ArchiveTransitions): string[] {
  const problems: string[] = [];
  const days = (field: keyof ArchiveTransitions) => {
    const value = transitions[field];
    if (value === false || value === undefined || Token.isUnresolved(value)) return value;
    if (!Number.isInteger(value) || value < 0 || value > MAX_DAYS) {
      problems.push(`transitions.${field}: ${describe(value)} must be a whole number of days from 0, or false`);
    }
    return value;
  };
  const instant = days('glacierInstantRetrievalAfterDays') ?? ARCHIVE_DEFAULTS.glacierInstantRetrievalAfterDays;
  const deep = days('deepArchiveAfterDays') ?? ARCHIVE_DEFAULTS.deepArchiveAfterDays;
  if (problems.length === 0 && instant !== false && deep !== false && isSet(instant) && isSet(deep)) {
    if (deep < instant + GLACIER_IR_MINIMUM_DAYS) {
      problems.push(
        `transitions.deepArchiveAfterDays: ${deep} must be at least ${instant + GLACIER_IR_MINIMUM_DAYS}, ` +
          `${GLACIER_IR_MINIMUM_DAYS} days after glacierInstantRetrievalAfterDays (${instant}): Glacier Instant ` +
          `Retrieval bills ${GLACIER_IR_MINIMUM_DAYS} days at least`,
      );
    }
  }
  return problems;
}

function scheduleProblems(props: RdsLogArchiveProps): string[] {
  const problems: string[] = [];
  const schedule = props.schedule;
  if (isSet(schedule) && !validSchedule(schedule)) {
    problems.push(`schedule: ${describe(schedule)} is not valid: expected ${SCHEDULE_FORM}`);
  }
  const zone = props.timeZone;
  if (isSet(zone) && !validTimeZone(zone)) {
    problems.push(`timeZone: ${describe(zone)} is not an IANA time zone name such as UTC or Europe/Berlin`);
  }
  return problems;
}

function operationsProblems(props: RdsLogArchiveProps): string[] {
  const problems: string[] = [];
  const retention = props.logRetentionDays;
  if (isSet(retention) && !LOG_RETENTION_DAYS.includes(retention)) {
    problems.push(`logRetentionDays: ${describe(retention)} is not one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  if (props.logLevel !== undefined && !(POWERTOOLS_LOG_LEVELS as readonly string[]).includes(props.logLevel)) {
    problems.push(`logLevel: ${describe(props.logLevel)} is not one of ${POWERTOOLS_LOG_LEVELS.join(', ')}`);
  }
  const email = props.alarmEmail;
  if (isSet(email) && !EMAIL.test(email)) {
    problems.push(`alarmEmail: ${describe(email)} is not an email address such as ops@example.com`);
  }
  return problems;
}
