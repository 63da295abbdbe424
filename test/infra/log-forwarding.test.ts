import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { RdsLogArchive, type RdsLogArchiveProps } from '../../infra/constructs/rds-log-archive';
import { describeResource, roleStatements } from './grants';
import { synthApp, synthConstruct } from './synth-app';

const DOMAIN_ARN = 'arn:aws:es:eu-west-1:123456789012:domain/rds-logs';
const COLLECTION_ARN = 'arn:aws:aoss:eu-west-1:123456789012:collection/abc123def';
const GROUPS = ['/aws/rds/cluster/orders-aurora/error', '/aws/rds/cluster/orders-aurora/slowquery'];
const OPENSEARCH: RdsLogArchiveProps = {
  clusters: ['orders-aurora'],
  forwardTarget: 'opensearch',
  forwardEndpoint: 'https://search-rds-logs.eu-west-1.es.amazonaws.com',
  forwardOpenSearchArn: DOMAIN_ARN,
  forwardLogGroups: GROUPS,
  forwardLogGroupMapping: { [GROUPS[0] as string]: { cluster: 'orders-aurora', type: 'error' } },
  forwardIndexPrefix: 'db-logs',
};

/** What the forward function may do, as `action → resources` (test/infra/grants.ts). */
function forwardGrants(archive: RdsLogArchive, template: Template): Record<string, string[]> {
  const fn = archive.forwarding?.function;
  if (!fn?.role) throw new Error('no forward function');
  const stack = Stack.of(archive);
  const bucketId = stack.getLogicalId(archive.bucket.node.defaultChild as never);
  const grants: Record<string, string[]> = {};
  for (const statement of roleStatements(template, stack.getLogicalId(fn.role.node.defaultChild as never))) {
    const prefixes = (statement.Condition as { StringLike?: Record<string, string[]> } | undefined)?.StringLike?.[
      's3:prefix'
    ];
    const suffix = prefixes ? ` if s3:prefix ${prefixes.join(' | ')}` : '';
    for (const action of [statement.Action].flat()) {
      const resources = [statement.Resource].flat().map((resource) => describeResource(resource, bucketId) + suffix);
      grants[action] = [...(grants[action] ?? []), ...resources].sort();
    }
  }
  return grants;
}

describe('forwarding', () => {
  let synthesized: ReturnType<typeof synthConstruct>;

  beforeAll(() => {
    synthesized = synthConstruct(OPENSEARCH);
  });

  it('runs the forward-logs task with the forwarding variables', () => {
    const { archive, template } = synthesized;
    const id = Stack.of(archive).getLogicalId(archive.forwarding?.function.node.defaultChild as never);

    expect(template.findResources('AWS::Lambda::Function')[id]?.Properties.Environment.Variables).toMatchObject({
      ARCHIVE_BUCKET: { Ref: Stack.of(archive).getLogicalId(archive.bucket.node.defaultChild as never) },
      FORWARD_TARGET: 'opensearch',
      FORWARD_ENDPOINT: 'https://search-rds-logs.eu-west-1.es.amazonaws.com',
      FORWARD_INDEX_PREFIX: 'db-logs',
      FORWARD_LOG_GROUP_MAPPING: JSON.stringify(OPENSEARCH.forwardLogGroupMapping),
    });
  });

  it('subscribes the function to every configured log group, and lets CloudWatch Logs invoke it', () => {
    const { archive, template } = synthesized;
    const fnArn = {
      'Fn::GetAtt': [Stack.of(archive).getLogicalId(archive.forwarding?.function.node.defaultChild as never), 'Arn'],
    };

    template.resourceCountIs('AWS::Logs::SubscriptionFilter', GROUPS.length);
    for (const group of GROUPS) {
      template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
        LogGroupName: group,
        DestinationArn: fnArn,
        FilterPattern: '',
      });
    }
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: fnArn,
      Principal: 'logs.amazonaws.com',
    });
  });

  it('lets the function post bulk requests to the domain and keep failed documents under forward-failed/ only', () => {
    const { archive, template } = synthesized;
    const queue = `{${Stack.of(archive).getLogicalId(archive.forwarding?.failedDeliveries.node.defaultChild as never)}.Arn}`;

    expect(forwardGrants(archive, template)).toEqual({
      'es:ESHttpPost': [`${DOMAIN_ARN}/_bulk`],
      'es:ESHttpPut': [`${DOMAIN_ARN}/_bulk`],
      's3:ListBucket': ['bucket if s3:prefix forward-failed/*'],
      's3:PutObject': ['bucket/forward-failed/*'],
      's3:GetObject': ['bucket/forward-failed/*'],
      's3:DeleteObject': ['bucket/forward-failed/*'],
      // The on-failure destination: Lambda sends failed deliveries with the function's role.
      'sqs:GetQueueAttributes': [queue],
      'sqs:GetQueueUrl': [queue],
      'sqs:SendMessage': [queue],
    });
  });

  it('grants aoss:APIAccessAll on the collection for OpenSearch Serverless', () => {
    const { archive, template } = synthConstruct({
      ...OPENSEARCH,
      forwardOpenSearchService: 'aoss',
      forwardOpenSearchArn: COLLECTION_ARN,
    });

    expect(forwardGrants(archive, template)['aoss:APIAccessAll']).toEqual([COLLECTION_ARN]);
    expect(forwardGrants(archive, template)['es:ESHttpPost']).toBeUndefined();
  });

  it('reads only the configured secret for an HTTPS target, and grants nothing on OpenSearch', () => {
    const { archive, template } = synthConstruct({
      clusters: ['orders-aurora'],
      forwardTarget: 'https',
      forwardEndpoint: 'https://ingest.example.com/bulk',
      forwardAuthSecret: 'rds-log-archive/ingest-token',
      forwardLogGroups: [GROUPS[0] as string],
    });
    const grants = forwardGrants(archive, template);

    expect(grants['secretsmanager:GetSecretValue']).toEqual(['secret:rds-log-archive/ingest-token-??????']);
    expect(Object.keys(grants).filter((action) => /^(es|aoss):/.test(action))).toEqual([]);
  });

  it('warns when no domain ARN is given, since the role then has no OpenSearch permission', () => {
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { scope } = synthConstruct({ ...OPENSEARCH, forwardOpenSearchArn: undefined });

    Annotations.fromStack(scope).hasWarning(
      '/Unbundled/Archive/Forwarding',
      Match.stringLikeRegexp('forwardOpenSearchArn'),
    );
    printed.mockRestore();
  });

  it('adds the function as a second target of the RDS event rule with forwardRdsEvents', () => {
    const { archive, template } = synthConstruct({ ...OPENSEARCH, forwardRdsEvents: true });
    const ruleId = Stack.of(archive).getLogicalId(archive.notifications.rdsEventRule.node.defaultChild as never);
    const targets = template.findResources('AWS::Events::Rule')[ruleId]?.Properties.Targets as { Arn: unknown }[];

    expect(targets).toHaveLength(2);
    expect(JSON.stringify(targets)).toContain(
      Stack.of(archive).getLogicalId(archive.forwarding?.function.node.defaultChild as never),
    );
  });

  it('alarms on the forward function failing, as on every task', () => {
    expect(Object.keys(synthesized.archive.alarms)).toContain('ForwardLogsErrors');
  });

  it('keeps deliveries the function failed on after its retries in an alarmed dead-letter queue', () => {
    const { archive, template } = synthesized;
    const stack = Stack.of(archive);
    const queueId = stack.getLogicalId(archive.forwarding?.failedDeliveries.node.defaultChild as never);

    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: stack.getLogicalId(archive.forwarding?.function.node.defaultChild as never) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    });
  });

  it('outputs the forward function name only when forwarding is configured', () => {
    const forwarding = synthApp({
      forwardTarget: 'https',
      forwardEndpoint: 'https://ingest.example.com/bulk',
      forwardLogGroups: GROUPS.join(','),
    });

    forwarding.template.hasOutput('ForwardFunctionName', {
      Value: {
        Ref: forwarding.stack.getLogicalId(forwarding.stack.archive.forwarding?.function.node.defaultChild as never),
      },
    });
    expect(Object.keys(synthApp().template.toJSON().Outputs)).not.toContain('ForwardFunctionName');
  });

  it('creates nothing for forwarding by default', () => {
    const { archive, template } = synthConstruct({ clusters: ['orders-aurora'] });

    expect(archive.forwarding).toBeUndefined();
    template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
  });
});

describe('forwarding props validation', () => {
  it('reports every problem in one error, each naming the prop and the expected form', () => {
    const create = () =>
      new RdsLogArchive(new Stack(), 'Archive', {
        clusters: ['orders-aurora'],
        forwardTarget: 'opensearch',
        forwardEndpoint: 'http://search.example.com',
        forwardOpenSearchService: 'aoss',
        forwardOpenSearchArn: DOMAIN_ARN,
        forwardIndexPrefix: 'Logs',
        forwardAuthSecret: 'token',
        forwardLogGroups: ['/aws/rds/cluster/*'],
        forwardLogGroupMapping: { '/aws/rds/other': { type: 'binlog' as never } },
      });

    expect(create).toThrow(
      /forwardEndpoint: "http:\/\/search.example.com" is not an https URL[\s\S]*forwardOpenSearchArn: .* is not a collection ARN[\s\S]*forwardLogGroups\[0\][\s\S]*forwardLogGroupMapping\["\/aws\/rds\/other"\]: not one of forwardLogGroups[\s\S]*\.type: "binlog" is not one of[\s\S]*forwardAuthSecret: only for forwardTarget https[\s\S]*forwardIndexPrefix: "Logs"/,
    );
  });

  it('names the settings given without a target', () => {
    const create = () =>
      new RdsLogArchive(new Stack(), 'Archive', { clusters: ['orders-aurora'], forwardEndpoint: 'https://a.example' });

    expect(create).toThrow(/forwardEndpoint: set forwardTarget too \(opensearch or https\)/);
  });

  it('requires an endpoint, and something to forward', () => {
    const create = () =>
      new RdsLogArchive(new Stack(), 'Archive', { clusters: ['orders-aurora'], forwardTarget: 'https' });

    expect(create).toThrow(
      /forwardEndpoint: required with forwardTarget[\s\S]*forwardLogGroups, forwardRdsEvents: nothing to forward/,
    );
  });
});
