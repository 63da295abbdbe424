import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { NOTIFICATION_TASKS } from '../../infra/constructs/archive-notifications';
import {
  ARCHIVE_DEFINITION_PATH,
  RdsLogArchive,
  substitutionName,
  TASKS,
  type TaskName,
} from '../../infra/constructs/rds-log-archive';
import { RdsLogArchiveStack } from '../../infra/rds-log-archive-stack';
import { actionsOf, functionStatements, grantsOf as grantsIn, type Statement } from './grants';
import { featureFlags, synthConstruct } from './synth-app';

/** One log group prefix and one exact name: both forms of the logGroups prop. */
const GROUP_PREFIX = '/aws/rds/cluster/orders-aurora/*';
const GROUP_NAME = '/aws/rds/instance/billing-pg/postgresql';
const LOG_GROUP_RESOURCES = [`log-group:${GROUP_PREFIX}`, `log-group:${GROUP_NAME}`, `log-group:${GROUP_NAME}:*`];
const CLOUDWATCH_TASKS = [
  'plan-exports',
  'start-export',
  'check-export',
  'verify-export',
  'plan-trim',
  'trim-stream',
] as const satisfies readonly TaskName[];

// Bundling every task takes seconds: the stack is synthesized once and shared by every test.
let stack: RdsLogArchiveStack;
let template: Template;
let assembly: CloudAssembly;

beforeAll(() => {
  // The feature flags of cdk.json, so the template is the one `cdk synth` produces.
  const app = new App({ context: featureFlags() });
  stack = new RdsLogArchiveStack(app, 'RdsLogArchive', {
    archive: {
      clusters: ['orders-aurora'],
      instances: ['billing-pg'],
      logGroups: [GROUP_PREFIX, GROUP_NAME],
      trimMode: 'rewrite',
      cloudWatchOlderThanDays: 5,
    },
  });
  template = Template.fromStack(stack);
  assembly = app.synth();
}, 120_000);

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

function taskStatements(task: TaskName): Statement[] {
  return functionStatements(stack.archive, template, task);
}

function taskActions(task: TaskName): string[] {
  return [...new Set(taskStatements(task).flatMap(actionsOf))].sort();
}

/** What a task may do, as `action → resources` (test/infra/grants.ts), in the shared stack unless told. */
function grantsOf(task: TaskName, archive: RdsLogArchive = stack.archive, templateOf = template) {
  return grantsIn(archive, templateOf, task);
}

function stateMachineStatements(): Statement[] {
  const roleId = logicalId(stack.archive.stateMachine.role);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

function stateMachineProperties(): Record<string, unknown> {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  return machine?.Properties;
}

describe('state machine definition', () => {
  it('fills every substitution of the ASL file and substitutes nothing else', () => {
    const asl = readFileSync(ARCHIVE_DEFINITION_PATH, 'utf8');
    const used = new Set([...asl.matchAll(/\$\{([^}]+)\}/g)].map((match) => match[1]));
    const given = Object.keys(stateMachineProperties().DefinitionSubstitutions as object);

    expect([...used].sort()).toEqual([...given].sort());
  });

  it('substitutes each task function ARN under its own name', () => {
    const substitutions = stateMachineProperties().DefinitionSubstitutions as Record<string, unknown>;

    for (const task of TASKS) {
      expect(substitutions[substitutionName(task)]).toEqual({
        'Fn::GetAtt': [logicalId(stack.archive.functions[task]), 'Arn'],
      });
    }
  });

  it('loads the ASL file unchanged as the definition', () => {
    const location = stateMachineProperties().DefinitionS3Location as { Key: string };
    const uploaded = readFileSync(path.join(assembly.directory, `asset.${location.Key}`), 'utf8');

    expect(JSON.parse(uploaded)).toEqual(JSON.parse(readFileSync(ARCHIVE_DEFINITION_PATH, 'utf8')));
  });
});

describe('task functions', () => {
  it('runs one function per task, the notification tasks included, on Node.js 22, arm64, with active tracing', () => {
    const functions = TASKS.length + NOTIFICATION_TASKS.length;

    expect(Object.keys(stack.archive.functions).sort()).toEqual([...TASKS, ...NOTIFICATION_TASKS].sort());
    template.resourceCountIs('AWS::Lambda::Function', functions);
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' }, Handler: 'index.handler' },
      functions,
    );
  });

  it('gives every state machine task source maps, Powertools settings and the archive configuration', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      {
        Environment: {
          Variables: Match.objectLike({
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: 'rds-log-archive',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            ARCHIVE_BUCKET: { Ref: logicalId(stack.archive.bucket) },
            CLUSTERS: 'orders-aurora',
            INSTANCES: 'billing-pg',
            LOG_GROUPS: `${GROUP_PREFIX},${GROUP_NAME}`,
            TRIM_MODE: 'rewrite',
            CW_OLDER_THAN_DAYS: '5',
            CW_UNMASK: 'true',
          }),
        },
      },
      TASKS.length,
    );
  });

  it('logs each function to its own log group kept for a month', () => {
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    for (const task of TASKS) {
      const logGroupId = logicalId(stack.archive.functions[task].logGroup);
      template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroupId } } });
      expect(logGroups[logGroupId]?.Properties.RetentionInDays).toBe(30);
    }
  });

  it("gives each function a role of its own that may write logs only to the function's log group", () => {
    const roles = template.findResources('AWS::IAM::Role');
    for (const task of TASKS) {
      const fn = stack.archive.functions[task];
      const role = roles[logicalId(fn.role as never)];

      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role?.Properties.Policies).toEqual([
        {
          PolicyName: 'logs',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Effect: 'Allow',
                Resource: { 'Fn::GetAtt': [logicalId(fn.logGroup as never), 'Arn'] },
              },
            ],
          },
        },
      ]);
    }
  });

  it('sizes archive-log-files for gzip, trim-stream for kept events, verify-export for copies and the others small', () => {
    const sizing = (task: TaskName) => {
      const fn = template.findResources('AWS::Lambda::Function')[logicalId(stack.archive.functions[task])];
      return [fn?.Properties.MemorySize, fn?.Properties.Timeout];
    };
    const large = ['archive-log-files', 'trim-stream', 'verify-export'];

    expect(sizing('archive-log-files')).toEqual([1024, 900]);
    expect(sizing('trim-stream')).toEqual([1024, 900]);
    expect(sizing('verify-export')).toEqual([256, 600]);
    for (const task of TASKS.filter((name) => !large.includes(name))) {
      const [memory, timeout] = sizing(task);
      expect(memory).toBe(256);
      expect(timeout).toBeGreaterThanOrEqual(60);
      expect(timeout).toBeLessThanOrEqual(300);
    }
  });

  it('bundles each task with its error class names intact', () => {
    // The ASL matches thrown errors by name and the classes name themselves after the class:
    // a minifier that renamed them would break every Retry and Catch.
    for (const task of TASKS) {
      const fn = template.findResources('AWS::Lambda::Function')[logicalId(stack.archive.functions[task])];
      const hash = String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '');
      const bundle = readFileSync(path.join(assembly.directory, `asset.${hash}`, 'index.js'), 'utf8');

      expect(bundle).toContain('"ConfigurationError"');
      expect(bundle).not.toMatch(/require\(["']@middy\/core["']\)/);
    }
  });
});

describe('permissions', () => {
  it('grants each task only the actions it calls', () => {
    expect(Object.fromEntries(TASKS.map((task) => [task, taskActions(task)]))).toEqual({
      'resolve-run': [],
      'list-instances': ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'],
      'list-log-files': ['rds:DescribeDBLogFiles', 's3:GetObject', 's3:ListBucket', 's3:PutObject'],
      'archive-log-files': [
        'rds:DownloadCompleteDBLogFile',
        's3:AbortMultipartUpload',
        's3:DeleteObject',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ],
      'plan-exports': ['logs:DescribeLogGroups'],
      'start-export': [
        'logs:CreateExportTask',
        'logs:DescribeExportTasks',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ],
      'check-export': ['logs:DescribeExportTasks'],
      'verify-export': [
        'logs:DescribeLogStreams',
        'logs:GetLogEvents',
        's3:DeleteObject',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ],
      'plan-trim': [
        'logs:DescribeLogStreams',
        'logs:PutRetentionPolicy',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ],
      'trim-stream': [
        'logs:CreateLogStream',
        'logs:DeleteLogStream',
        'logs:GetLogEvents',
        'logs:PutLogEvents',
        'logs:Unmask',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ],
      'summarize-run': ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
      'notify-run': ['s3:GetObject', 's3:ListBucket'],
    });
  });

  it('lets only archive-log-files download log files', () => {
    const downloaders = TASKS.filter((task) => taskActions(task).includes('rds:DownloadCompleteDBLogFile'));

    expect(downloaders).toEqual(['archive-log-files']);
  });

  it('lets archive-log-files delete only staging objects, never archived files', () => {
    const deletes = taskStatements('archive-log-files').filter((statement) =>
      actionsOf(statement).includes('s3:DeleteObject'),
    );

    expect(deletes).toHaveLength(1);
    expect(JSON.stringify(deletes[0]?.Resource)).toContain('/_staging/*');
  });

  it('scopes cluster descriptions to the configured clusters', () => {
    const describe = taskStatements('list-instances').find((statement) =>
      actionsOf(statement).includes('rds:DescribeDBClusters'),
    );

    expect(JSON.stringify(describe?.Resource)).toMatch(/:cluster:orders-aurora"/);
  });

  it('grants no wildcard action anywhere', () => {
    const allows = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((statement) => statement.Effect === 'Allow');

    expect(allows.flatMap(actionsOf).filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  it('lets the state machine invoke every task function', () => {
    const invocable = stateMachineStatements()
      .filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'))
      .flatMap((statement) => [statement.Resource].flat());

    for (const task of TASKS) {
      expect(invocable).toContainEqual({ 'Fn::GetAtt': [logicalId(stack.archive.functions[task]), 'Arn'] });
    }
  });

  it('lets the state machine start, describe and stop its own child executions for the distributed Map', () => {
    const name = stateMachineProperties().StateMachineName as string;
    const resourceFor = (action: string) =>
      JSON.stringify(stateMachineStatements().find((statement) => actionsOf(statement).includes(action))?.Resource);

    expect(resourceFor('states:StartExecution')).toContain(`:stateMachine:${name}"`);
    expect(resourceFor('states:DescribeExecution')).toContain(`:execution:${name}:*"`);
    expect(resourceFor('states:StopExecution')).toContain(`:execution:${name}:*"`);
  });

  it('builds those ARNs without referencing the state machine, which would be a circular dependency', () => {
    const machineId = logicalId(stack.archive.stateMachine);

    expect(JSON.stringify(stateMachineStatements())).not.toContain(`"${machineId}"`);
  });
});

describe('CloudWatch Logs permissions', () => {
  const ON_GROUPS = LOG_GROUP_RESOURCES;
  const CHECKPOINTS_LIST = 'bucket if s3:prefix _cloudwatch/checkpoints/*';

  it('lets plan-exports only describe log groups, which IAM allows on * alone', () => {
    expect(grantsOf('plan-exports')).toEqual({ 'logs:DescribeLogGroups': ['*'] });
  });

  it('lets start-export create exports of the configured groups and keep its record beside the export', () => {
    expect(grantsOf('start-export')).toEqual({
      'logs:CreateExportTask': ON_GROUPS,
      'logs:DescribeExportTasks': ['*'],
      's3:ListBucket': ['bucket if s3:prefix cloudwatch/* | _exports/*'],
      's3:GetObject': ['bucket/_exports/*', 'bucket/cloudwatch/*/manifest.json'],
      's3:PutObject': ['bucket/_exports/*'],
    });
  });

  it('lets check-export only describe export tasks', () => {
    expect(grantsOf('check-export')).toEqual({ 'logs:DescribeExportTasks': ['*'] });
  });

  it('lets verify-export read the groups, copy the staged export to cloudwatch/ and delete only the staged copy', () => {
    expect(grantsOf('verify-export')).toEqual({
      'logs:DescribeLogStreams': ON_GROUPS,
      'logs:GetLogEvents': ON_GROUPS,
      's3:ListBucket': ['bucket if s3:prefix _exports/* | cloudwatch/*'],
      's3:GetObject': ['bucket/_exports/*', 'bucket/cloudwatch/*/manifest.json'],
      's3:PutObject': ['bucket/cloudwatch/*'],
      's3:DeleteObject': ['bucket/_exports/*'],
    });
  });

  it('never lets verify-export delete a verified export under cloudwatch/', () => {
    const deletes = taskStatements('verify-export').filter((statement) =>
      actionsOf(statement).some((action) => ['s3:DeleteObject', 's3:*', 's3:Delete*'].includes(action)),
    );

    expect(JSON.stringify(deletes.map((statement) => statement.Resource))).not.toContain('/cloudwatch/');
    expect(deletes.flatMap((statement) => [statement.Resource].flat())).toHaveLength(1);
  });

  it('lets plan-trim describe streams, set retention, list coverage and checkpoints, and write its plan', () => {
    expect(grantsOf('plan-trim')).toEqual({
      'logs:DescribeLogStreams': ON_GROUPS,
      'logs:PutRetentionPolicy': ON_GROUPS,
      's3:ListBucket': ['bucket if s3:prefix cloudwatch/* | _cloudwatch/checkpoints/*'],
      's3:GetObject': ['bucket/_cloudwatch/checkpoints/*/progress.json'],
      's3:PutObject': ['bucket/_runs/*'],
    });
  });

  it('lets trim-stream rewrite streams of the configured groups only, with its checkpoints and run records', () => {
    expect(grantsOf('trim-stream')).toEqual({
      'logs:CreateLogStream': ON_GROUPS,
      'logs:DeleteLogStream': ON_GROUPS,
      'logs:GetLogEvents': ON_GROUPS,
      'logs:PutLogEvents': ON_GROUPS,
      'logs:Unmask': ON_GROUPS,
      's3:ListBucket': [`${CHECKPOINTS_LIST} | _runs/*`],
      's3:GetObject': ['bucket/_cloudwatch/checkpoints/*', 'bucket/_runs/*'],
      's3:PutObject': ['bucket/_cloudwatch/checkpoints/*', 'bucket/_runs/*'],
    });
  });

  it('lets only trim-stream put events, and only into the configured groups', () => {
    const putters = TASKS.filter((task) => taskActions(task).includes('logs:PutLogEvents'));

    expect(putters).toEqual(['trim-stream']);
    expect(grantsOf('trim-stream')['logs:PutLogEvents']).toEqual(LOG_GROUP_RESOURCES);
  });

  it('uses the * resource only for DescribeLogGroups and DescribeExportTasks', () => {
    const onAnything = TASKS.flatMap((task) => taskStatements(task))
      .filter((statement) => [statement.Resource].flat().includes('*'))
      .flatMap(actionsOf);

    expect([...new Set(onAnything)].sort()).toEqual(['logs:DescribeExportTasks', 'logs:DescribeLogGroups']);
  });

  it('grants logs:Unmask only to trim-stream, which puts the events it reads back', () => {
    const unmaskers = TASKS.filter((task) => taskActions(task).includes('logs:Unmask'));

    expect(unmaskers).toEqual(['trim-stream']);
  });

  it('grants no CloudWatch Logs action to the RDS archive tasks', () => {
    const rdsTasks = TASKS.filter((task) => !(CLOUDWATCH_TASKS as readonly string[]).includes(task));

    expect(rdsTasks.flatMap(taskActions).filter((action) => action.startsWith('logs:'))).toEqual([]);
  });
});

describe('state machine', () => {
  it('logs every event to its own log group, without execution data, and traces', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
      TracingConfiguration: { Enabled: true },
    });
  });
});

describe('archive bucket', () => {
  it('blocks public access, encrypts and keeps versions', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: Match.anyValue() }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('cleans up incomplete uploads, leftover staging objects and old versions of run records', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Prefix: Match.absent() }),
          Match.objectLike({ Prefix: '_staging/', ExpirationInDays: 1 }),
          Match.objectLike({ Prefix: '_runs/', NoncurrentVersionExpiration: { NoncurrentDays: 1 } }),
        ]),
      },
    });
  });

  it('is kept when the stack is deleted', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('expires staged exports after a week and rewrite checkpoints after a month', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: '_exports/',
            ExpirationInDays: 7,
            NoncurrentVersionExpiration: { NoncurrentDays: 7 },
          }),
          Match.objectLike({ Prefix: '_cloudwatch/checkpoints/', ExpirationInDays: 30 }),
        ]),
      },
    });
  });

  it('expires nothing under cloudwatch/, where verified exports live', () => {
    const [bucket] = Object.values(template.findResources('AWS::S3::Bucket'));
    const prefixes = ((bucket?.Properties.LifecycleConfiguration.Rules ?? []) as { Prefix?: string }[]).map(
      (rule) => rule.Prefix,
    );

    expect(prefixes.filter((prefix) => prefix?.startsWith('cloudwatch'))).toEqual([]);
  });
});

describe('export bucket policy', () => {
  const logsPrincipal = { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } };
  const groupArns = [GROUP_PREFIX, GROUP_NAME, `${GROUP_NAME}:*`].map((name) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':logs:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:log-group:${name}`,
      ],
    ],
  }));
  const logsStatements = () => {
    const [policy] = Object.values(
      template.findResources('AWS::S3::BucketPolicy', {
        Properties: { Bucket: { Ref: logicalId(stack.archive.bucket) } },
      }),
    );
    return ((policy?.Properties.PolicyDocument.Statement ?? []) as (Statement & { Principal?: unknown })[]).filter(
      (statement) => JSON.stringify(statement.Principal) === JSON.stringify(logsPrincipal),
    );
  };

  it('lets CloudWatch Logs check the bucket ACL, for this account and the configured groups only', () => {
    const [check] = logsStatements().filter((statement) => actionsOf(statement).includes('s3:GetBucketAcl'));

    expect(check).toMatchObject({
      Effect: 'Allow',
      Action: 's3:GetBucketAcl',
      Resource: { 'Fn::GetAtt': [logicalId(stack.archive.bucket), 'Arn'] },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': groupArns },
      },
    });
  });

  it('lets CloudWatch Logs write only under _exports/, owned by the bucket, for this account and the groups', () => {
    const [write] = logsStatements().filter((statement) => actionsOf(statement).includes('s3:PutObject'));

    expect(write).toMatchObject({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack.archive.bucket), 'Arn'] }, '/_exports/*']] },
      Condition: {
        StringEquals: {
          'aws:SourceAccount': { Ref: 'AWS::AccountId' },
          's3:x-amz-acl': 'bucket-owner-full-control',
        },
        ArnLike: { 'aws:SourceArn': groupArns },
      },
    });
  });

  it('allows CloudWatch Logs nothing else', () => {
    expect(logsStatements().flatMap(actionsOf).sort()).toEqual(['s3:GetBucketAcl', 's3:PutObject']);
  });
});

describe('configurations', () => {
  it('accepts log groups alone, and grants no RDS action then', () => {
    const { template: logsOnly } = synthConstruct({ logGroups: [GROUP_NAME] });
    const actions = Object.values(logsOnly.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .flatMap(actionsOf);

    expect(actions).toContain('logs:PutLogEvents');
    expect(actions.filter((action) => action.startsWith('rds:'))).toEqual([]);
  });

  it('grants logs:Unmask to no task and tells the tasks so when unmask is off', () => {
    const { archive, template: masked } = synthConstruct({ logGroups: [GROUP_NAME], unmask: false });

    for (const task of TASKS) expect(grantsOf(task, archive, masked)['logs:Unmask']).toBeUndefined();
    expect(grantsOf('trim-stream', archive, masked)['logs:GetLogEvents']).toHaveLength(2);
    masked.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Environment: { Variables: Match.objectLike({ CW_UNMASK: 'false' }) } },
      TASKS.length,
    );
  });

  it('grants no CloudWatch Logs action and no export bucket policy without log groups', () => {
    const { template: rdsOnly } = synthConstruct({ clusters: ['orders-aurora'] });
    const actions = Object.values(rdsOnly.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .flatMap(actionsOf);
    const bucketPolicy = JSON.stringify(rdsOnly.findResources('AWS::S3::BucketPolicy'));

    // The state machine's own logging needs logs:*Delivery* and DescribeLogGroups on its log group.
    const taskLogs = actions.filter((action) =>
      /^logs:(CreateExport|PutLogEvents|DeleteLogStream|Unmask)/.test(action),
    );
    expect(taskLogs).toEqual([]);
    expect(bucketPolicy).not.toContain('logs.');
    rdsOnly.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LOG_GROUPS: Match.absent() }) },
    });
  });

  it('warns that an imported bucket needs the export statements added by hand', () => {
    // The synth prints its warnings too; the assertion below is what counts.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { scope } = synthConstruct({ logGroups: [GROUP_NAME] }, (at) => ({
      bucket: Bucket.fromBucketName(at, 'Imported', 'archive'),
    }));

    Annotations.fromStack(scope).hasWarning(
      '/Unbundled/Archive',
      Match.stringLikeRegexp('CloudWatch Logs cannot export into the imported bucket'),
    );
    printed.mockRestore();
  });

  it('adds the export statements to a bucket defined in the app, and lets the service use its KMS key', () => {
    const { template: given } = synthConstruct({ logGroups: [GROUP_NAME] }, (at) => ({
      bucket: new Bucket(at, 'Given', { encryption: BucketEncryption.KMS }),
    }));
    const logsService = Match.objectLike({ Service: Match.anyValue() });

    given.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetBucketAcl', Principal: logsService })]),
      },
    });
    given.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Principal: logsService }),
        ]),
      },
    });
  });
});

describe('stack', () => {
  it('outputs the state machine ARN and the bucket name', () => {
    template.hasOutput('StateMachineArn', { Value: { Ref: logicalId(stack.archive.stateMachine) } });
    template.hasOutput('BucketName', { Value: { Ref: logicalId(stack.archive.bucket) } });
  });
});

describe('props validation', () => {
  it('reports every invalid prop in one error, before anything is bundled', () => {
    const create = () =>
      new RdsLogArchive(new Stack(), 'Archive', {
        clusters: ['1-orders'],
        instances: ['billing_pg'],
        logTypes: ['slow'],
        logGroups: ['/aws/rds/ok', '/aws/rds/with space'],
        trimMode: 'trim' as never,
        cloudWatchOlderThanDays: 0,
      });

    expect(create).toThrow(
      /clusters\[0\][\s\S]*instances\[0\][\s\S]*logTypes\[0\][\s\S]*logGroups\[1\][\s\S]*trimMode[\s\S]*cloudWatchOlderThanDays/,
    );
  });

  it('requires at least one cluster, instance or log group', () => {
    expect(() => new RdsLogArchive(new Stack(), 'Archive', {})).toThrow(/at least one cluster, instance or log group/);
  });

  it.each([
    ['a name with a space', '/aws/rds/with space'],
    ['a * inside the name', '/aws/*/error'],
    ['a lone *', '*'],
    ['an empty name', ''],
  ])('refuses a log group entry with %s', (_case, entry) => {
    const create = () => new RdsLogArchive(new Stack(), 'Archive', { logGroups: [entry] });

    expect(create).toThrow(/logGroups\[0\]: .*expected log group names or prefixes ending in \*/);
  });

  it('refuses an unknown trim mode, naming the allowed ones', () => {
    const create = () =>
      new RdsLogArchive(new Stack(), 'Archive', { logGroups: [GROUP_NAME], trimMode: 'trim' as never });

    expect(create).toThrow(/trimMode: "trim" is not one of rewrite, retention, delete-exported, none/);
  });

  it.each([
    [14, undefined, /from 1 to 13 in trimMode rewrite/],
    [14, 'rewrite', /from 1 to 13 in trimMode rewrite/],
    [0, 'retention', /from 1 to 3650/],
    [3651, 'none', /from 1 to 3650/],
    [2.5, 'delete-exported', /from 1 to 3650/],
  ] as const)('refuses cloudWatchOlderThanDays %s in trim mode %s', (days, trimMode, message) => {
    const create = () =>
      new RdsLogArchive(new Stack(), 'Archive', { logGroups: [GROUP_NAME], trimMode, cloudWatchOlderThanDays: days });

    expect(create).toThrow(/cloudWatchOlderThanDays: /);
    expect(create).toThrow(message);
  });

  it('accepts older-than days beyond the PutLogEvents limit when nothing is put back', () => {
    const { template: retention } = synthConstruct({
      logGroups: [GROUP_NAME],
      trimMode: 'retention',
      cloudWatchOlderThanDays: 30,
    });

    retention.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Environment: { Variables: Match.objectLike({ TRIM_MODE: 'retention', CW_OLDER_THAN_DAYS: '30' }) } },
      TASKS.length,
    );
  });
});
