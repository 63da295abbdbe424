import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type LifecycleRule,
  ObjectLockRetention,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { CHECKPOINTS_PREFIX, EXPORTS_PREFIX, RUNS_PREFIX, STAGING_PREFIX } from '../../tasks/common/layout';
import { ARCHIVE_DEFAULTS, type RdsLogArchiveProps } from './archive-props';

/**
 * The first characters archive keys can start with. Log files are filed under
 * `{cluster or instance}/…`, identifiers that RDS stores in lowercase and that start with a letter,
 * and verified exports under `cloudwatch/…`; the bucket's working prefixes all start with `_`. S3
 * lifecycle filters match prefixes and cannot exclude one, so one transition rule per letter reaches
 * every archive object and none of the working objects.
 */
export const ARCHIVE_KEY_INITIALS: readonly string[] = [...'abcdefghijklmnopqrstuvwxyz'];

/** The bucket's working prefixes, which lifecycle transitions must never touch. */
export const WORKING_PREFIXES = [RUNS_PREFIX, STAGING_PREFIX, EXPORTS_PREFIX, CHECKPOINTS_PREFIX] as const;

/** Server access logs are kept a year: long enough to answer who read an archive and when. */
const ACCESS_LOG_DAYS = 365;

/**
 * The archive bucket with its lifecycle, encryption, optional Object Lock and server access logs.
 * Created under `scope` with the id `Bucket`, which keeps its logical ID from earlier versions: a
 * new ID would replace the bucket (and retain the old one beside it).
 */
export function createArchiveBucket(scope: Construct, props: RdsLogArchiveProps) {
  const lockDays = props.objectLockRetentionDays;
  const lockMode = props.objectLockMode ?? ARCHIVE_DEFAULTS.objectLockMode;
  const accessLogsBucket = createAccessLogsBucket(scope);
  const bucket = new Bucket(scope, 'Bucket', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    ...encryption(scope, props),
    enforceSSL: true,
    // An overwritten or deleted archive object stays recoverable.
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
    serverAccessLogsBucket: accessLogsBucket,
    serverAccessLogsPrefix: 'archive-bucket/',
    ...(lockDays === undefined
      ? {}
      : {
          objectLockEnabled: true,
          objectLockDefaultRetention:
            lockMode === 'COMPLIANCE'
              ? ObjectLockRetention.compliance(Duration.days(lockDays))
              : ObjectLockRetention.governance(Duration.days(lockDays)),
        }),
    lifecycleRules: [...workingObjectRules(), ...transitionRules(props)],
  });
  return { bucket, accessLogsBucket };
}

/**
 * SSE-S3 by default: CloudWatch Logs exports into it with no key policy to maintain. SSE-KMS on
 * request, with S3 Bucket Keys so that S3 asks KMS for a data key per bucket and hour rather than
 * per object.
 */
function encryption(scope: Construct, props: RdsLogArchiveProps) {
  const useKms = props.encryption === 'kms' || (props.encryption === undefined && props.kmsKey !== undefined);
  if (!useKms) return { encryption: BucketEncryption.S3_MANAGED };
  const encryptionKey: IKey =
    props.kmsKey ??
    new Key(scope, 'BucketKey', {
      description: 'rds-log-archive: encrypts the archive bucket',
      enableKeyRotation: true,
      // Deleting the key would make every archived object unreadable: it stays with the bucket.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  return { encryption: BucketEncryption.KMS, encryptionKey, bucketKeyEnabled: true };
}

/**
 * Where S3 writes the archive bucket's access logs. Log delivery supports SSE-S3 only and refuses
 * targets with Object Lock, so this bucket has neither KMS nor a lock, whatever the archive has.
 */
function createAccessLogsBucket(scope: Construct): Bucket {
  return new Bucket(scope, 'AccessLogsBucket', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(ACCESS_LOG_DAYS) }],
  });
}

/** Clean-up of the bucket's working objects; archive objects never expire. */
function workingObjectRules(): LifecycleRule[] {
  return [
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
  ];
}

/**
 * Archive objects move to colder classes as they age; a version replaced by a forced re-archive
 * moves on the same days after it became noncurrent. S3 leaves objects under 128 KB in their class
 * by default (the transition would cost more than it saves).
 */
function transitionRules(props: RdsLogArchiveProps): LifecycleRule[] {
  const instant =
    props.transitions?.glacierInstantRetrievalAfterDays ?? ARCHIVE_DEFAULTS.glacierInstantRetrievalAfterDays;
  const deep = props.transitions?.deepArchiveAfterDays ?? ARCHIVE_DEFAULTS.deepArchiveAfterDays;
  const steps = [
    ...(instant === false ? [] : [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, days: instant }]),
    ...(deep === false ? [] : [{ storageClass: StorageClass.DEEP_ARCHIVE, days: deep }]),
  ];
  if (steps.length === 0) return [];
  const transitions = steps.map(({ storageClass, days }) => ({ storageClass, transitionAfter: Duration.days(days) }));
  return ARCHIVE_KEY_INITIALS.map((initial) => ({
    id: `archive-transitions-${initial}`,
    prefix: initial,
    transitions,
    noncurrentVersionTransitions: transitions,
  }));
}
