import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { FunctionName, RdsLogArchive } from '../../infra/constructs/rds-log-archive';
import { parseRunInput } from '../../tasks/common/run-input';
import { synthConstruct } from './synth-app';

const SOURCES = { clusters: ['orders-aurora'], logGroups: ['/aws/rds/cluster/orders-aurora/postgresql'] };

let archive: RdsLogArchive;
let template: Template;

beforeAll(() => {
  ({ archive, template } = synthConstruct({ ...SOURCES, alarmEmail: 'dba@example.com' }));
}, 30_000);

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  Stack.of(archive).getLogicalId(construct.node.defaultChild as never);

/** The schedule that starts the workflow (the notification side has schedules of its own). */
function scheduleProperties(
  templateOf: Template = template,
): Record<string, unknown> & { Target: Record<string, unknown> } {
  const schedules = Object.values(templateOf.findResources('AWS::Scheduler::Schedule'));
  const [schedule] = schedules.filter((candidate) => 'Ref' in candidate.Properties.Target.Arn);
  return schedule?.Properties;
}

describe('schedule', () => {
  it('starts a run every day at 01:00 UTC by default', () => {
    expect(scheduleProperties()).toMatchObject({
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      Target: { Arn: { Ref: logicalId(archive.stateMachine) } },
    });
  });

  it('passes the scheduled time as the run input, in the form Resolve Run accepts', () => {
    const input = scheduleProperties().Target.Input as string;

    expect(JSON.parse(input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
    // What EventBridge Scheduler puts in its place is an ISO-8601 time.
    const delivered = JSON.parse(input.replace('<aws.scheduler.scheduled-time>', '2026-11-20T01:00:00Z'));
    expect(parseRunInput(delivered)).toEqual({ mode: 'scheduled', scheduledTime: new Date('2026-11-20T01:00:00Z') });
  });

  it('retries a failed start for up to six hours, then leaves it in the dead-letter queue', () => {
    expect(scheduleProperties().Target).toMatchObject({
      RetryPolicy: { MaximumEventAgeInSeconds: 6 * 3600, MaximumRetryAttempts: 20 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(archive.scheduleDeadLetterQueue), 'Arn'] } },
    });
  });

  it('keeps dead letters two weeks, encrypted, reachable over TLS only', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('assumes a role that only this account can use to start the workflow and send dead letters', () => {
    const roleArn = scheduleProperties().Target.RoleArn as { 'Fn::GetAtt': [string, string] };
    const roleId = roleArn['Fn::GetAtt'][0];
    const role = template.findResources('AWS::IAM::Role')[roleId];
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);

    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    expect(statements).toEqual([
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: logicalId(archive.stateMachine) } },
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(archive.scheduleDeadLetterQueue), 'Arn'] },
      },
    ]);
  });

  it('takes the expression, time zone and state from the props', () => {
    const { template: custom } = synthConstruct({
      ...SOURCES,
      schedule: 'cron(30 2 ? * MON-FRI *)',
      timeZone: 'Europe/Berlin',
      scheduleEnabled: false,
    });

    expect(scheduleProperties(custom)).toMatchObject({
      ScheduleExpression: 'cron(30 2 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'DISABLED',
    });
  });
});

describe('alarms', () => {
  const alarmsOn = (namespace: string, metricName: string) =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.Namespace === namespace && alarm.Properties.MetricName === metricName,
    );

  it.each([['ExecutionsFailed'], ['ExecutionsTimedOut'], ['ExecutionsAborted']])(
    'alarms on %s of the state machine from the first one',
    (metricName) => {
      const [alarm, ...others] = alarmsOn('AWS/States', metricName);

      expect(others).toEqual([]);
      expect(alarm?.Properties).toMatchObject({
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: logicalId(archive.stateMachine) } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    },
  );

  it('alarms on the errors of every task function but the alarm relay, one alarm each', () => {
    const watched = alarmsOn('AWS/Lambda', 'Errors').map((alarm) => alarm.Properties.Dimensions[0].Value.Ref);
    const relayed = (Object.keys(archive.functions) as FunctionName[]).filter((task) => task !== 'notify-alarm');

    expect(watched.sort()).toEqual(relayed.map((task) => logicalId(archive.functions[task])).sort());
    expect(watched).not.toContain(logicalId(archive.functions['notify-alarm']));
  });

  it('alarms when a scheduled start lands in the dead-letter queue', () => {
    const queueId = logicalId(archive.scheduleDeadLetterQueue);
    const [alarm] = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible').filter(
      (candidate) => candidate.Properties.Dimensions[0].Value['Fn::GetAtt'][0] === queueId,
    );

    expect(alarm?.Properties).toMatchObject({
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(archive.scheduleDeadLetterQueue), 'QueueName'] } },
      ],
      Statistic: 'Maximum',
      Threshold: 1,
    });
  });

  it('sends every alarm to the alarm topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    // The workflow's three, one per function but the relay, and one per dead-letter queue: the
    // schedule's, the RDS events' and the backup check's.
    expect(alarms).toHaveLength(3 + Object.keys(archive.functions).length - 1 + 3);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: logicalId(archive.alarmTopic) }]);
  });
});

describe('alarm topic', () => {
  it('is encrypted with its own rotated key, which CloudWatch may use', () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));

    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it("refuses requests without TLS and lets only this account's alarms publish", () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ]),
      },
    });
  });

  it('subscribes the alarm email', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'dba@example.com',
      TopicArn: { Ref: logicalId(archive.alarmTopic) },
    });
  });

  it('uses a given topic instead of creating one', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:111122223333:ops-alarms';
    const { template: given } = synthConstruct(SOURCES, (scope) => ({
      alarmTopic: Topic.fromTopicArn(scope, 'Ops', topicArn),
    }));

    given.resourceCountIs('AWS::SNS::Topic', 0);
    given.resourceCountIs('AWS::SNS::Subscription', 1);
    given.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: topicArn });
    given.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topicArn] });
  });
});

describe('log retention and level', () => {
  it('keeps the task and state machine logs for the configured days and logs at the configured level', () => {
    const { template: custom } = synthConstruct({ ...SOURCES, logRetentionDays: 90, logLevel: 'DEBUG' });

    custom.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    custom.resourceCountIs('AWS::Logs::LogGroup', Object.keys(archive.functions).length + 1);
    custom.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }) },
    });
  });
});
