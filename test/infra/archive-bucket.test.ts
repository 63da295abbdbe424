import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ARCHIVE_KEY_INITIALS, WORKING_PREFIXES } from '../../infra/constructs/archive-bucket';
import type { FunctionName, RdsLogArchive } from '../../infra/constructs/rds-log-archive';
import { checkpointPrefix, exportHome, exportStagingPrefix, manifestKey } from '../../tasks/common/cloudwatch-layout';
import { archiveKey, parseLogFileName } from '../../tasks/common/log-files';
import { functionStatements, type Statement } from './grants';
import { synthConstruct } from './synth-app';

const usesKms = (statement: Statement) => JSON.stringify(statement.Action).includes('kms:');

interface Rule {
  readonly Id: string;
  readonly Prefix?: string;
  readonly Transitions?: { StorageClass: string; TransitionInDays: number }[];
  readonly NoncurrentVersionTransitions?: { StorageClass: string; TransitionInDays: number }[];
}

const SOURCES = { clusters: ['orders-aurora'], logGroups: ['/aws/rds/cluster/orders-aurora/postgresql'] };
const DAY = 86_400_000;
const GIVEN_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const NOV_20 = Date.UTC(2026, 10, 20);

/** The archive bucket's resource, told apart from the access logs bucket by its logical ID. */
function archiveBucket(template: Template, archive: RdsLogArchive) {
  const id = Stack.of(archive).getLogicalId(archive.bucket.node.defaultChild as never);
  return template.findResources('AWS::S3::Bucket')[id] as { Properties: Record<string, unknown> };
}

const rulesOf = (template: Template, archive: RdsLogArchive) =>
  (archiveBucket(template, archive).Properties.LifecycleConfiguration as { Rules: Rule[] }).Rules;

/** Keys as the tasks write them: archived log files, verified exports and the working objects. */
function sampleKeys() {
  const file = (name: string) => {
    const parsed = parseLogFileName(name);
    if (!parsed) throw new Error(`not a log file name: ${name}`);
    return archiveKey('orders-aurora', 'orders-aurora-1', { name, size: 1, lastWritten: NOV_20 }, parsed);
  };
  return {
    archive: [
      file('audit/audit.log.0.2026-11-20-09-00.0'),
      file('error/postgresql.log.2026-11-20-09'),
      `${exportHome('/aws/rds/cluster/orders-aurora/postgresql', NOV_20 - DAY, NOV_20)}000000.gz`,
      manifestKey('/aws/rds/cluster/orders-aurora/postgresql', NOV_20 - DAY, NOV_20),
      'zeta-9/slowquery/2026/11/20/09/zeta-9/mysql-slowquery.log.gz',
    ],
    working: [
      '_runs/2026/11/20/exec-1/report.json',
      '_staging/orders-aurora/audit.log.gz',
      `${exportStagingPrefix('task-1')}/id/stream/000000.gz`,
      `${checkpointPrefix('/aws/rds/cluster/orders-aurora/postgresql', NOV_20, 'stream')}progress.json`,
    ],
  };
}

describe('archive bucket defaults', () => {
  let archive: RdsLogArchive;
  let template: Template;

  beforeAll(() => {
    ({ archive, template } = synthConstruct(SOURCES));
  }, 30_000);

  it('encrypts with S3-managed keys', () => {
    expect(archiveBucket(template, archive).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    template.resourceCountIs('AWS::KMS::Key', 1); // the alarm topic's key only
  });

  it('moves archive objects to Glacier Instant Retrieval after 30 days and Deep Archive after 180', () => {
    const transitions = rulesOf(template, archive).filter((rule) => rule.Transitions);
    const expected = [
      { StorageClass: 'GLACIER_IR', TransitionInDays: 30 },
      { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 180 },
    ];

    expect(transitions).toHaveLength(ARCHIVE_KEY_INITIALS.length);
    for (const rule of transitions) {
      expect(rule.Transitions).toEqual(expected);
      expect(rule.NoncurrentVersionTransitions).toEqual(expected);
    }
  });

  it('reaches every archive key and no working object with its transition rules', () => {
    const prefixes = rulesOf(template, archive)
      .filter((rule) => rule.Transitions)
      .map((rule) => rule.Prefix ?? '');
    const moved = (key: string) => prefixes.filter((prefix) => key.startsWith(prefix));
    const { archive: archiveKeys, working } = sampleKeys();

    for (const key of archiveKeys) expect([key, moved(key)]).toEqual([key, [key[0]]]);
    for (const key of working) expect([key, moved(key)]).toEqual([key, []]);
    for (const prefix of WORKING_PREFIXES) expect(moved(prefix)).toEqual([]);
  });

  it('writes server access logs to a bucket of their own, kept a year, encrypted, TLS only', () => {
    const { Properties } = archiveBucket(template, archive);
    const logsId = Stack.of(archive).getLogicalId(archive.accessLogsBucket?.node.defaultChild as never);

    expect(Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'archive-bucket/',
    });
    expect(template.findResources('AWS::S3::Bucket')[logsId]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LifecycleConfiguration: { Rules: [{ ExpirationInDays: 365, Status: 'Enabled' }] },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('has no Object Lock', () => {
    expect(archiveBucket(template, archive).Properties.ObjectLockEnabled).toBeUndefined();
  });
});

describe('archive bucket options', () => {
  it('encrypts with a created, rotated, retained KMS key and S3 Bucket Keys when encryption is kms', () => {
    const { archive, template } = synthConstruct({ ...SOURCES, encryption: 'kms' });
    const key = archive.bucket.encryptionKey;
    const keyId = Stack.of(archive).getLogicalId(key?.node.defaultChild as never);

    expect(archiveBucket(template, archive).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        },
      ],
    });
    expect(template.findResources('AWS::KMS::Key')[keyId]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { EnableKeyRotation: true },
    });
  });

  it('lets the object tasks use the key with exactly kms:Decrypt and kms:GenerateDataKey, and readers only decrypt', () => {
    const { archive, template } = synthConstruct({ ...SOURCES, encryption: 'kms' });
    const keyArn = {
      'Fn::GetAtt': [Stack.of(archive).getLogicalId(archive.bucket.encryptionKey?.node.defaultChild as never), 'Arn'],
    };
    const kmsGrants = Object.fromEntries(
      (Object.keys(archive.functions) as FunctionName[])
        .map((task) => [task, functionStatements(archive, template, task).filter(usesKms)] as const)
        .filter(([, statements]) => statements.length > 0),
    );

    expect(Object.keys(kmsGrants).sort()).toEqual(
      [
        'archive-log-files',
        'capture-rds-event',
        'list-log-files',
        'notify-run',
        'plan-trim',
        'start-export',
        'summarize-run',
        'trim-stream',
        'verify-export',
      ].sort(),
    );
    for (const [task, statements] of Object.entries(kmsGrants)) {
      // Notify Run only reads the run report.
      const actions = task === 'notify-run' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey'];
      expect(statements).toEqual([{ Effect: 'Allow', Action: actions, Resource: keyArn }]);
    }
  });

  it('lets CloudWatch Logs encrypt exports with the created key', () => {
    const { template } = synthConstruct({ ...SOURCES, encryption: 'kms' });

    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Principal: { Service: Match.anyValue() },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });

  it('encrypts with a given key, implying kms, and warns that its policy needs the export statement', () => {
    // The synth prints its warnings too; the assertions below are what counts.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { archive, scope, template } = synthConstruct(SOURCES, (at) => ({
      kmsKey: Key.fromKeyArn(at, 'Given', GIVEN_KEY_ARN),
    }));

    expect(archiveBucket(template, archive).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: GIVEN_KEY_ARN },
        },
      ],
    });
    Annotations.fromStack(scope).hasWarning(
      '/Unbundled/Archive',
      Match.stringLikeRegexp('CloudWatch Logs cannot encrypt exports with the imported key'),
    );
    printed.mockRestore();
  });

  it('locks every object version for the given days in GOVERNANCE mode by default', () => {
    const { archive, template } = synthConstruct({ ...SOURCES, objectLockRetentionDays: 400 });

    expect(archiveBucket(template, archive).Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 400 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('locks in COMPLIANCE mode when asked', () => {
    const { archive, template } = synthConstruct({
      ...SOURCES,
      objectLockRetentionDays: 2555,
      objectLockMode: 'COMPLIANCE',
    });

    expect(archiveBucket(template, archive).Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } },
    });
  });

  it('moves archive objects on the configured days, or leaves a class out', () => {
    const { archive, template } = synthConstruct({
      ...SOURCES,
      transitions: { glacierInstantRetrievalAfterDays: false, deepArchiveAfterDays: 365 },
    });
    const transitions = rulesOf(template, archive).filter((rule) => rule.Transitions);

    expect(transitions).toHaveLength(ARCHIVE_KEY_INITIALS.length);
    for (const rule of transitions) {
      expect(rule.Transitions).toEqual([{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 }]);
    }
  });

  it('adds no transition rule when both classes are left out, and keeps the clean-up rules', () => {
    const { archive, template } = synthConstruct({
      ...SOURCES,
      transitions: { glacierInstantRetrievalAfterDays: false, deepArchiveAfterDays: false },
    });
    const rules = rulesOf(template, archive);

    expect(rules.filter((rule) => rule.Transitions)).toEqual([]);
    expect(rules.map((rule) => rule.Id)).toContain('expire-staging');
  });
});
