import { type App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { STACK_OUTPUTS } from '../../infra/rds-log-archive-stack';
import { BOT_TOKEN_SECRET_ARN, CHANNEL_ID, METRIC_WIDGETS, WEBHOOK_SECRET_NAME } from './notification-settings';
import { buildApp, synthApp } from './synth-app';

interface Statement {
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
}
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([value].flat() as T[]));

/**
 * Every option on at once: a created KMS key, Object Lock, an exact log group name, an email
 * subscription, both Slack secrets (by name and by ARN), metric graphs on their own schedule,
 * forwarding to an OpenSearch domain with RDS events, the Athena tables and the parsed output.
 */
const EVERY_OPTION = {
  logGroups: ['/aws/rds/cluster/orders-aurora/*', '/aws/rds/instance/billing-pg/postgresql'],
  encryption: 'kms',
  objectLockRetentionDays: 365,
  objectLockMode: 'COMPLIANCE',
  alarmEmail: 'dba@example.com',
  scheduleEnabled: false,
  timeZone: 'Europe/Berlin',
  slackWebhookSecret: WEBHOOK_SECRET_NAME,
  slackBotTokenSecret: BOT_TOKEN_SECRET_ARN,
  slackChannelId: CHANNEL_ID,
  notifyTimeZone: 'Asia/Seoul',
  rdsEventCategories: ['backup', 'failover', 'maintenance'],
  metricWidgets: METRIC_WIDGETS,
  metricGraphSchedule: 'cron(0 8 ? * MON-FRI *)',
  forwardTarget: 'opensearch',
  forwardEndpoint: 'https://search-rds-logs.eu-west-1.es.amazonaws.com',
  forwardOpenSearchArn: 'arn:aws:es:eu-west-1:123456789012:domain/rds-logs',
  forwardLogGroups: ['/aws/rds/cluster/orders-aurora/error'],
  forwardRdsEvents: true,
  athenaTables: true,
  parsedOutput: ['all'],
};

// Synthesis takes seconds even unbundled: each configuration is synthesized once for every test.
let defaults: ReturnType<typeof synthApp>;
let everything: ReturnType<typeof synthApp>;

beforeAll(() => {
  defaults = synthApp();
  everything = synthApp(EVERY_OPTION);
}, 60_000);

const CONFIGURATIONS = ['the cdk.json example', 'every option'] as const;
const synthesized = (name: (typeof CONFIGURATIONS)[number]) => (name === 'every option' ? everything : defaults);

describe('cdk-nag AwsSolutions checks', () => {
  const findingsOf = (app: App) =>
    new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((violation) =>
        violation.violatingResources.map(
          (resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`,
        ),
      );

  it.each(CONFIGURATIONS)('finds no unacknowledged error or warning in %s', (name) => {
    expect(findingsOf(synthesized(name).app)).toEqual([]);
  });

  it('acknowledges exactly the findings there are, each with a reason of its own', () => {
    // The same app again, with acknowledgements recorded instead of applied: every finding shows.
    const recorded: { path: string; id: string; reason: string }[] = [];
    const acknowledge = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (
      this: unknown,
      ...rules
    ) {
      const { scope } = this as { scope: IConstruct };
      for (const rule of rules) recorded.push({ path: scope.node.path, id: rule.id, reason: rule.reason });
    });
    const { app } = buildApp(EVERY_OPTION);
    // Without the acknowledgements the checks fail the synth, as `cdk synth` would.
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
    acknowledge.mockRestore();
    const findings = findingsOf(app);

    const covers = (ack: (typeof recorded)[number], finding: string) => {
      const [, rule, , path = ''] = finding.split(' ');
      return rule === ack.id && (path === ack.path || path.startsWith(`${ack.path}/`));
    };
    expect(findings.filter((finding) => !recorded.some((ack) => covers(ack, finding)))).toEqual([]);
    expect(recorded.filter((ack) => !findings.some((finding) => covers(ack, finding)))).toEqual([]);
    // A written reason, not a placeholder: every acknowledgement says why, in a sentence or more.
    for (const { id, reason } of recorded)
      expect({ id, reason }).toEqual({ id, reason: expect.stringMatching(/.{40,}/) });
  });

  it('names every action granted on * in the reason for the * resource', () => {
    const template = everything.template;
    const reasons = acknowledgementsOf(everything.app);
    for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
      const onAny = list<Statement>(policy.Properties.PolicyDocument.Statement)
        .filter((statement) => list(statement.Resource).includes('*'))
        .flatMap((statement) => list(statement.Action));
      if (onAny.length === 0) continue;
      const reason = reasons.find((ack) => ack.logicalId === id && ack.id === 'AwsSolutions-IAM5[Resource::*]');
      for (const action of onAny) expect(reason?.reason).toContain(action);
    }
  });
});

/** The acknowledgements recorded in the app's construct metadata, with the logical ID they apply to. */
function acknowledgementsOf(app: App): { logicalId?: string; id: string; reason: string }[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          logicalId: CfnElement.isCfnElement(construct) ? Stack.of(construct).getLogicalId(construct) : undefined,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('IAM policies', () => {
  /**
   * The actions IAM allows only on `*`, with why this app uses them. A new `*` resource fails the
   * test below until it is added here with its reason.
   */
  const ANY_RESOURCE_ALLOW_LIST: Record<string, string> = {
    'xray:PutTraceSegments': 'active tracing of the task functions and the state machine; X-Ray has no resources',
    'xray:PutTelemetryRecords': 'active tracing; X-Ray has no resources',
    'xray:GetSamplingRules': 'state machine tracing reads the sampling rules; X-Ray has no resources',
    'xray:GetSamplingTargets': 'state machine tracing reads the sampling targets; X-Ray has no resources',
    'logs:DescribeLogGroups': 'Plan Exports resolves prefixes and Step Functions checks its log group; no resource',
    'logs:DescribeExportTasks': 'Start Export and Check Export read export task states; no resource-level permission',
    'logs:CreateLogDelivery': 'state machine execution logging (vended log delivery) supports only *',
    'logs:GetLogDelivery': 'state machine execution logging supports only *',
    'logs:UpdateLogDelivery': 'state machine execution logging supports only *',
    'logs:DeleteLogDelivery': 'state machine execution logging supports only *',
    'logs:ListLogDeliveries': 'state machine execution logging supports only *',
    'logs:PutResourcePolicy': 'state machine execution logging supports only *',
    'logs:DescribeResourcePolicies': 'state machine execution logging supports only *',
    'cloudwatch:GetMetricWidgetImage':
      'Notify Run and Post Metric Graphs render the configured widgets; the action takes no resource-level permission',
  };

  /** The statements of every identity policy: policies, managed policies and roles' inline policies. */
  function identityStatements(template: Template): Statement[] {
    const resources = template.toJSON().Resources as Resources;
    return Object.values(resources).flatMap((resource) => {
      const properties = resource.Properties ?? {};
      switch (resource.Type) {
        case 'AWS::IAM::Policy':
        case 'AWS::IAM::ManagedPolicy':
          return list((properties.PolicyDocument as { Statement: Statement[] }).Statement);
        case 'AWS::IAM::Role':
          return list(properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((policy) =>
            list(policy.PolicyDocument.Statement),
          );
        default:
          return [];
      }
    });
  }

  it.each(CONFIGURATIONS)('grants no wildcard action in any identity policy of %s', (name) => {
    const actions = identityStatements(synthesized(name).template).flatMap((statement) => list(statement.Action));

    expect(actions.length).toBeGreaterThan(50);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it.each(CONFIGURATIONS)('uses the * resource only for the allow-listed actions in %s', (name) => {
    const onAny = identityStatements(synthesized(name).template)
      .filter((statement) => statement.Effect === 'Allow' && list(statement.Resource).includes('*'))
      .flatMap((statement) => list(statement.Action));

    expect(onAny.length).toBeGreaterThan(0);
    expect([...new Set(onAny)].filter((action) => !ANY_RESOURCE_ALLOW_LIST[action])).toEqual([]);
  });

  it('allows wildcard actions in resource policies only to the account root of a KMS key', () => {
    // The default key policy delegates the key to the account's IAM policies (`kms:*` for the root
    // principal); without it the key could become unmanageable. Deny statements (TLS only) may use `s3:*`.
    const resources = everything.template.toJSON().Resources as Resources;
    const documents: Record<string, string> = {
      'AWS::S3::BucketPolicy': 'PolicyDocument',
      'AWS::SNS::TopicPolicy': 'PolicyDocument',
      'AWS::SQS::QueuePolicy': 'PolicyDocument',
      'AWS::KMS::Key': 'KeyPolicy',
    };
    const wildcardAllows = Object.values(resources).flatMap((resource) => {
      const document = documents[resource.Type];
      if (!document) return [];
      return list((resource.Properties?.[document] as { Statement?: Statement[] } | undefined)?.Statement)
        .filter((statement) => statement.Effect === 'Allow')
        .filter((statement) => list(statement.Action).some((action) => action.includes('*')))
        .map((statement) => ({ type: resource.Type, actions: statement.Action, principal: statement.Principal }));
    });

    expect(wildcardAllows.length).toBeGreaterThan(0);
    for (const allow of wildcardAllows) {
      expect(allow).toEqual({ type: 'AWS::KMS::Key', actions: 'kms:*', principal: { AWS: expect.anything() } });
      expect(JSON.stringify(allow.principal)).toContain(':root');
    }
  });
});

/** The logical ID of a construct's CloudFormation resource. */
function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

describe('stack outputs', () => {
  it('outputs exactly the keys the CLI reads', () => {
    expect(Object.keys(defaults.template.toJSON().Outputs).sort()).toEqual([...STACK_OUTPUTS].sort());
  });

  it('outputs the state machine, bucket, schedule and topic of the archive', () => {
    const { stack, template } = defaults;
    const ref = (construct: IConstruct) => ({ Ref: logicalIdOf(construct) });

    template.hasOutput('StateMachineArn', { Value: ref(stack.archive.stateMachine) });
    template.hasOutput('BucketName', { Value: ref(stack.archive.bucket) });
    template.hasOutput('ScheduleName', { Value: ref(stack.archive.schedule) });
    template.hasOutput('AlarmTopicArn', { Value: ref(stack.archive.alarmTopic) });
    template.hasOutput('RdsEventRuleName', { Value: ref(stack.archive.notifications.rdsEventRule) });
  });

  it('links the state machine in the Step Functions console of its region', () => {
    const { stack, template } = defaults;
    const link = template.toJSON().Outputs.ConsoleLink.Value;
    const rendered = JSON.stringify(link)
      .replaceAll('{"Ref":"AWS::Region"}', '"eu-west-1"')
      .replace(`{"Ref":"${logicalIdOf(stack.archive.stateMachine)}"}`, '"ARN"');
    const {
      'Fn::Join': [separator, parts],
    } = JSON.parse(rendered) as { 'Fn::Join': [string, string[]] };

    expect(parts.join(separator)).toBe(
      'https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/statemachines/view/ARN',
    );
  });
});

describe('template snapshot', () => {
  it('matches the committed template, with asset hashes masked', () => {
    expect(maskVolatile(defaults.template.toJSON())).toMatchSnapshot();
  });
});

/** Asset hashes change with every edit of a task; the snapshot is about everything else. */
function maskVolatile(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}
