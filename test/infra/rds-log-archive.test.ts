import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import {
  ARCHIVE_DEFINITION_PATH,
  RdsLogArchive,
  substitutionName,
  TASKS,
  type TaskName,
} from '../../infra/constructs/rds-log-archive';
import { REPO_ROOT } from '../../infra/constructs/repo-paths';
import { RdsLogArchiveStack } from '../../infra/rds-log-archive-stack';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const actionsOf = (statement: Statement) => [statement.Action].flat();

function featureFlags(): Record<string, unknown> {
  const { context } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8'));
  return Object.fromEntries(Object.entries(context as object).filter(([key]) => key.startsWith('@aws-cdk')));
}

// Bundling five functions takes seconds: the stack is synthesized once and shared by every test.
let stack: RdsLogArchiveStack;
let template: Template;
let assembly: CloudAssembly;

beforeAll(() => {
  // The feature flags of cdk.json, so the template is the one `cdk synth` produces.
  const app = new App({ context: featureFlags() });
  stack = new RdsLogArchiveStack(app, 'RdsLogArchive', {
    archive: { clusters: ['orders-aurora'], instances: ['billing-pg'] },
  });
  template = Template.fromStack(stack);
  assembly = app.synth();
}, 120_000);

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

/** The Allow statements of every policy attached to the task's role, without the X-Ray ones tracing adds. */
function taskStatements(task: TaskName): Statement[] {
  const role = stack.archive.functions[task].role;
  if (!role) throw new Error(`${task} has no role`);
  const roleId = logicalId(role);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
    .filter((statement) => !actionsOf(statement).every((action) => action.startsWith('xray:')));
}

function taskActions(task: TaskName): string[] {
  return [...new Set(taskStatements(task).flatMap(actionsOf))].sort();
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
  it('runs five functions on Node.js 22, arm64, with active tracing', () => {
    template.resourceCountIs('AWS::Lambda::Function', 5);
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' }, Handler: 'index.handler' },
      5,
    );
  });

  it('gives every function source maps, Powertools settings and the archive configuration', () => {
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
          }),
        },
      },
      5,
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

  it('sizes archive-log-files for gzip and the others small', () => {
    const sizing = (task: TaskName) => {
      const fn = template.findResources('AWS::Lambda::Function')[logicalId(stack.archive.functions[task])];
      return [fn?.Properties.MemorySize, fn?.Properties.Timeout];
    };

    expect(sizing('archive-log-files')).toEqual([1024, 900]);
    for (const task of TASKS.filter((name) => name !== 'archive-log-files')) {
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
      'summarize-run': ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
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

  it('lets the state machine invoke the five task functions', () => {
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
      });

    expect(create).toThrow(/clusters\[0\][\s\S]*instances\[0\][\s\S]*logTypes\[0\]/);
  });

  it('requires at least one cluster or instance', () => {
    expect(() => new RdsLogArchive(new Stack(), 'Archive', {})).toThrow(/at least one cluster or instance/);
  });
});
