import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { pascalCase } from './task-function';

/** A dead-letter queue and what a message in it means. */
export interface DeadLetters {
  readonly queue: IQueue;
  readonly description: string;
}

export interface ArchiveAlarmsProps {
  readonly stateMachine: StateMachine;
  /** The task functions by task name; each gets its own error alarm. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /**
   * Queues of deliveries that were given up on, by alarm name (`ScheduleDeadLetters`: scheduled
   * starts EventBridge Scheduler gave up on); each message is something that did not happen.
   */
  readonly deadLetterQueues: Readonly<Record<string, DeadLetters>>;
  /** @default - a new encrypted topic */
  readonly topic?: ITopic;
  /** @default - no subscription */
  readonly email?: string;
}

/**
 * Alarms on every way a run can go wrong, all notifying one topic: the workflow failing, timing out
 * or being stopped, any task function failing (a task error that a retry recovered still counts:
 * it is worth seeing), and anything left in a dead-letter queue: a scheduled start that never
 * happened, an RDS event that was not captured.
 */
export class ArchiveAlarms extends Construct {
  readonly topic: ITopic;
  /** Alarms by a short name: ExecutionsFailed, ExecutionsTimedOut, ExecutionsAborted, the dead-letter queues' names, `{Task}Errors`. */
  readonly alarms: Readonly<Record<string, Alarm>>;

  constructor(scope: Construct, id: string, props: ArchiveAlarmsProps) {
    super(scope, id);
    this.topic = props.topic ?? this.createTopic();
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    const { stateMachine } = props;
    const metrics: Record<string, { metric: IMetric; description: string }> = {
      ExecutionsFailed: { metric: stateMachine.metricFailed(), description: 'An archive run failed' },
      ExecutionsTimedOut: { metric: stateMachine.metricTimedOut(), description: 'An archive run timed out' },
      ExecutionsAborted: { metric: stateMachine.metricAborted(), description: 'An archive run was stopped' },
      ...Object.fromEntries(
        Object.entries(props.deadLetterQueues).map(([name, { queue, description }]) => [
          name,
          // Maximum, not the default average: one message is one thing that did not happen.
          { metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }), description },
        ]),
      ),
      ...Object.fromEntries(
        Object.entries(props.functions).map(([task, fn]) => [
          `${pascalCase(task)}Errors`,
          { metric: fn.metricErrors(), description: `The ${task} task function failed` },
        ]),
      ),
    };
    const action = new SnsAction(this.topic);
    this.alarms = Object.fromEntries(
      Object.entries(metrics).map(([name, { metric, description }]) => {
        const alarm = new Alarm(this, name, {
          metric,
          alarmDescription: description,
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          // Runs are rare: no data means nothing went wrong.
          treatMissingData: TreatMissingData.NOT_BREACHING,
        });
        alarm.addAlarmAction(action);
        return [name, alarm];
      }),
    );
  }

  /**
   * CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key, whose policy no
   * one can change: the topic gets its own key, which allows CloudWatch, and a policy that lets
   * this account's alarms publish (a topic policy replaces the default one, which did).
   */
  private createTopic(): Topic {
    const stack = Stack.of(this);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const key = new Key(this, 'TopicKey', {
      description: 'rds-log-archive: encrypts the alarm topic',
      enableKeyRotation: true,
      // Notifications are not stored, so nothing needs the key once the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        // In a key policy, `*` is this key.
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'Topic', {
      displayName: 'rds-log-archive alarms',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    return topic;
  }
}
