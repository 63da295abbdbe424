import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface ArchiveScheduleProps {
  /** The workflow each scheduled run starts. */
  readonly stateMachine: IStateMachine;
  /** An EventBridge Scheduler `cron(…)` or `rate(…)` expression, already validated. */
  readonly expression: string;
  /** The IANA time zone the expression is read in. */
  readonly timeZone: string;
  /** A disabled schedule stays in place for manual runs only. */
  readonly enabled: boolean;
}

/**
 * The input of every scheduled run: exactly the scheduled form Resolve Run accepts
 * (tasks/common/run-input.ts). The time is the one the run was due, not when it started, so a
 * retried start still covers the same period.
 */
export const SCHEDULED_RUN_INPUT = { scheduledTime: ContextAttribute.scheduledTime };

/**
 * Starting a run can fail only on throttling or a service fault; retrying for up to six hours
 * still reaches Aurora's log files, which it keeps for 24 hours. EventBridge Scheduler spaces the
 * attempts with exponential back-off.
 */
export const START_RETRY = { maxEventAge: Duration.hours(6), retryAttempts: 20 } as const;

/**
 * Starts the archive workflow on a schedule with EventBridge Scheduler, which supports time zones,
 * retries a failed start and keeps a start it gave up on in a dead-letter queue.
 */
export class ArchiveSchedule extends Construct {
  readonly schedule: Schedule;
  /** Starts EventBridge Scheduler gave up on; the alarms watch it. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ArchiveScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS keeps a message: two weeks to notice and start the missed run by hand.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the EventBridge schedule (its DeadLetterConfig), which ' +
        'cdk-nag cannot see because it looks only for SQS redrive policies; nothing consumes it to redrive',
    });
    // Its own role, so that only this account's schedules can assume it (confused deputy).
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler start the rds-log-archive workflow',
    });
    this.schedule = new Schedule(this, 'Schedule', {
      schedule: ScheduleExpression.expression(props.expression, TimeZone.of(props.timeZone)),
      target: new StepFunctionsStartExecution(props.stateMachine, {
        role,
        input: ScheduleTargetInput.fromObject(SCHEDULED_RUN_INPUT),
        deadLetterQueue: this.deadLetterQueue,
        ...START_RETRY,
      }),
      enabled: props.enabled,
      description: 'Starts the scheduled rds-log-archive run',
    });
  }
}
