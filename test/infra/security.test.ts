import type { Template } from 'aws-cdk-lib/assertions';
import { BOT_TOKEN_SECRET_ARN, CHANNEL_ID, METRIC_WIDGETS, WEBHOOK_SECRET_NAME } from './notification-settings';
import { synthApp } from './synth-app';

/**
 * Security properties of the synthesized template with every option on. app.test.ts already
 * checks, for the cdk.json example and its every-option app (OpenSearch forwarding): no wildcard
 * action in identity policies, the literal `*` resource only for its allow-listed actions, and
 * `kms:*` only for the key's account root. New here: the HTTPS forwarding variant with its auth
 * secret; one walk over identity AND resource policies; every resource pattern that holds a `*`
 * (object and log-stream ARNs, not only the bare `*`) justified by name; TLS-only and private
 * buckets; secrets passed by reference only.
 */
const EVERY_OPTION_HTTPS = {
  logGroups: ['/aws/rds/cluster/orders-aurora/*', '/aws/rds/instance/billing-pg/postgresql'],
  encryption: 'kms',
  objectLockRetentionDays: 365,
  objectLockMode: 'COMPLIANCE',
  alarmEmail: 'dba@example.com',
  slackWebhookSecret: WEBHOOK_SECRET_NAME,
  slackBotTokenSecret: BOT_TOKEN_SECRET_ARN,
  slackChannelId: CHANNEL_ID,
  metricWidgets: METRIC_WIDGETS,
  metricGraphSchedule: 'cron(0 8 ? * MON-FRI *)',
  forwardTarget: 'https',
  forwardEndpoint: 'https://logs.example.com/bulk',
  forwardAuthSecret: 'rds-log-archive/forward-auth',
  forwardLogGroups: ['/aws/rds/cluster/orders-aurora/error'],
  forwardRdsEvents: true,
  athenaTables: true,
  parsedOutput: ['all'],
};

interface Statement {
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([value].flat() as T[]));

let template: Template;
let resources: Resources;

beforeAll(() => {
  template = synthApp(EVERY_OPTION_HTTPS).template;
  resources = template.toJSON().Resources as Resources;
}, 60_000);

/** Where each resource type keeps its policy document(s). */
function documentsOf(resource: Resources[string]): { Statement?: Statement[] }[] {
  const properties = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
    case 'AWS::S3::BucketPolicy':
    case 'AWS::SNS::TopicPolicy':
    case 'AWS::SQS::QueuePolicy':
      return [properties.PolicyDocument as { Statement?: Statement[] }];
    case 'AWS::KMS::Key':
      return [properties.KeyPolicy as { Statement?: Statement[] }];
    case 'AWS::IAM::Role':
      return list(properties.Policies as { PolicyDocument: { Statement?: Statement[] } }[]).map(
        (policy) => policy.PolicyDocument,
      );
    default:
      return [];
  }
}

function statements(): { type: string; id: string; statement: Statement }[] {
  return Object.entries(resources).flatMap(([id, resource]) =>
    documentsOf(resource).flatMap((document) =>
      list(document?.Statement).map((statement) => ({ type: resource.Type, id, statement })),
    ),
  );
}

/** A resource as text: references become `${Name}`, joins are joined. */
function resourceText(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Ref' in node) return `\${${String(node.Ref)}}`;
  if ('Fn::GetAtt' in node) return `\${${list(node['Fn::GetAtt'] as string[]).join('.')}}`;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(resourceText).join(separator);
  }
  return JSON.stringify(value);
}

/**
 * Every resource pattern that holds a `*`, with why. A pattern not in this list fails the test
 * until it is added here with its reason; the bare `*` is justified per action in app.test.ts.
 */
const WILDCARD_RESOURCES: readonly (readonly [RegExp, string])[] = [
  [/^\*$/, 'actions without resource-level permissions; each action is allow-listed in app.test.ts'],
  [/^\$\{\w+\.Arn\}\/([\w.-]+\/)*\*$/, 'the objects, or the objects under one prefix, of a bucket of this stack'],
  [
    /^\$\{ArchiveBucket\w+\.Arn\}\/[\w.-]+\/(checkpoints\/)?\*\/[\w.-]+\.json$/,
    'manifests and trim progress of every log group: the group path is the * part',
  ],
  [/^\$\{\w+Function\w+\.Arn\}:\*$/, 'the versions and aliases of one function of this stack'],
  [
    /:rds:\$\{AWS::Region\}:\$\{AWS::AccountId\}:(db|cluster|snapshot|cluster-snapshot):\*$/,
    'RDS describe calls of this account and region: instances of the configured clusters and automated snapshots are not known by name in advance',
  ],
  [/:log-group:[^*]*:\*$/, 'the log streams of one named log group'],
  [/:log-group:[^*]*\*(:\*)?$/, 'log groups under a configured prefix (logGroups ending in *) and their streams'],
  [/:secret:[\w/+=.@-]+-\?{6}$/, 'a secret given by name: Secrets Manager appends six random characters'],
  [
    /:states:\$\{AWS::Region\}:\$\{AWS::AccountId\}:execution:RdsLogArchive-Archive[/:]\*$/,
    'the executions of the state machine of this stack',
  ],
];

describe('IAM statements with every option on (HTTPS forwarding with an auth secret)', () => {
  it('allows no wildcard action, in identity or resource policies, except kms:* for the key account root', () => {
    const wildcard = statements()
      .filter(({ statement }) => statement.Effect === 'Allow')
      .filter(({ statement }) => list(statement.Action).some((action) => action.includes('*')))
      .map(({ type, statement }) => ({
        type,
        actions: statement.Action,
        principal: JSON.stringify(statement.Principal),
      }));

    expect(statements().length).toBeGreaterThan(50);
    expect(wildcard.length).toBeGreaterThan(0);
    for (const allow of wildcard) {
      expect(allow).toEqual({ type: 'AWS::KMS::Key', actions: 'kms:*', principal: expect.stringContaining(':root') });
    }
  });

  it('justifies by name every resource pattern that holds a *', () => {
    const patterns = new Set(
      statements()
        .filter(({ statement }) => statement.Effect === 'Allow')
        .flatMap(({ statement }) => list(statement.Resource).map(resourceText))
        .filter((resource) => resource.includes('*') || resource.includes('?')),
    );
    const unjustified = [...patterns].filter(
      (resource) => !WILDCARD_RESOURCES.some(([pattern]) => pattern.test(resource)),
    );

    expect(patterns.size).toBeGreaterThan(1);
    expect(unjustified).toEqual([]);
  });
});

describe('buckets', () => {
  const buckets = () => Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::S3::Bucket');

  it('blocks all public access on every bucket', () => {
    expect(buckets().length).toBeGreaterThanOrEqual(2);
    for (const [, bucket] of buckets()) {
      expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('denies every request without TLS on every bucket', () => {
    for (const [id] of buckets()) {
      const policies = Object.values(resources).filter(
        (resource) =>
          resource.Type === 'AWS::S3::BucketPolicy' &&
          JSON.stringify(resource.Properties?.Bucket) === `{"Ref":"${id}"}`,
      );
      const denies = policies.flatMap((policy) => documentsOf(policy).flatMap((document) => list(document.Statement)));

      expect(denies).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });
});

describe('secrets', () => {
  const SECRET_LOOKING = [
    /https:\/\/hooks\.slack\.com\//,
    /xox[abposr]-/,
    /^Bearer\s/i,
    /^Basic\s/i,
    /\b(AKIA|ASIA)[A-Z0-9]{16}\b/,
  ];
  const SECRET_REFERENCE = /^(arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+|[\w/+=.@-]{1,512})$/;

  function lambdaEnvironments(): [string, Record<string, unknown>][] {
    return Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
      .map(([id, resource]) => [
        id,
        (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
      ]);
  }

  it('puts no value that looks like a secret in any Lambda environment', () => {
    const values = lambdaEnvironments().flatMap(([id, variables]) =>
      Object.entries(variables).map(([name, value]) => ({ id, name, value: JSON.stringify(value) })),
    );

    expect(values.length).toBeGreaterThan(20);
    expect(
      values.filter(({ value }) => SECRET_LOOKING.some((pattern) => pattern.test(JSON.parse(value) as string))),
    ).toEqual([]);
  });

  it('passes every *_SECRET variable as a secret name or ARN', () => {
    const secrets = lambdaEnvironments().flatMap(([, variables]) =>
      Object.entries(variables).filter(([name]) => name.endsWith('_SECRET')),
    );

    expect(secrets.map(([name]) => name).sort()).toEqual(
      expect.arrayContaining(['FORWARD_AUTH_SECRET', 'SLACK_BOT_TOKEN_SECRET', 'SLACK_WEBHOOK_SECRET']),
    );
    for (const [name, value] of secrets) {
      const text = resourceText(value);
      expect({ name, reference: SECRET_REFERENCE.test(text) || /:secretsmanager:/.test(text) }).toEqual({
        name,
        reference: true,
      });
    }
  });

  it('holds no secret value in the template', () => {
    const text = JSON.stringify(template.toJSON());

    expect(text).not.toContain('SecretString');
    expect(text).not.toMatch(/hooks\.slack\.com\/services\//);
    expect(text).not.toMatch(/xox[abposr]-\d/);
  });
});
