import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  type IScheduleTarget,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { createDeadLetterQueue } from './dead-letter-queue';

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

/** How often and for how long EventBridge Scheduler retries an invocation that fails. */
export interface ScheduleRetry {
  readonly maxEventAge: Duration;
  readonly retryAttempts: number;
}

/**
 * The parts every schedule of the stack has: a dead-letter queue for what EventBridge Scheduler
 * gave up on, and a role of its own that only this account's schedules can assume (confused deputy).
 */
function scheduleParts(scope: Construct, roleDescription: string) {
  const deadLetterQueue = createDeadLetterQueue(
    scope,
    'DeadLetterQueue',
    'the DeadLetterConfig of an EventBridge Scheduler schedule',
  );
  const role = new Role(scope, 'Role', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    description: roleDescription,
  });
  return { deadLetterQueue, role };
}

interface ScheduleOptions {
  readonly expression: string;
  readonly timeZone: string;
  readonly enabled: boolean;
  readonly description: string;
}

function createSchedule(scope: Construct, options: ScheduleOptions, target: IScheduleTarget): Schedule {
  return new Schedule(scope, 'Schedule', {
    schedule: ScheduleExpression.expression(options.expression, TimeZone.of(options.timeZone)),
    target,
    enabled: options.enabled,
    description: options.description,
  });
}

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
    const { deadLetterQueue, role } = scheduleParts(
      this,
      'Lets EventBridge Scheduler start the rds-log-archive workflow',
    );
    this.deadLetterQueue = deadLetterQueue;
    const target = new StepFunctionsStartExecution(props.stateMachine, {
      role,
      input: ScheduleTargetInput.fromObject(SCHEDULED_RUN_INPUT),
      deadLetterQueue,
      ...START_RETRY,
    });
    this.schedule = createSchedule(this, { ...props, description: 'Starts the scheduled rds-log-archive run' }, target);
  }
}

/**
 * The input of a scheduled task: when it was due, and the invocation's id, which the task's logs
 * carry as their correlation id (tasks/common/handler.ts reads `executionId`).
 */
export const SCHEDULED_TASK_INPUT = {
  scheduledTime: ContextAttribute.scheduledTime,
  executionId: ContextAttribute.executionId,
};

export interface TaskScheduleProps {
  /** The task function each scheduled time invokes. */
  readonly fn: IFunction;
  /** The task's name, for the role's description. */
  readonly task: string;
  /** An EventBridge Scheduler `cron(…)` or `rate(…)` expression, already validated. */
  readonly expression: string;
  /** The IANA time zone the expression is read in. */
  readonly timeZone: string;
  /** What the schedule does, shown on it. */
  readonly description: string;
  readonly retry: ScheduleRetry;
}

/**
 * Invokes a task function on a schedule, as ArchiveSchedule starts the workflow. EventBridge
 * Scheduler invokes Lambda asynchronously: its retries cover an invocation Lambda refused
 * (throttling, a service fault); a failing function is retried by Lambda, and alarmed on.
 */
export class TaskSchedule extends Construct {
  readonly schedule: Schedule;
  /** Invocations EventBridge Scheduler gave up on; the alarms watch it. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: TaskScheduleProps) {
    super(scope, id);
    const { deadLetterQueue, role } = scheduleParts(
      this,
      `Lets EventBridge Scheduler invoke the ${props.task} task of rds-log-archive`,
    );
    this.deadLetterQueue = deadLetterQueue;
    const target = new LambdaInvoke(props.fn, {
      role,
      input: ScheduleTargetInput.fromObject(SCHEDULED_TASK_INPUT),
      deadLetterQueue,
      ...props.retry,
    });
    this.schedule = createSchedule(this, { ...props, enabled: true }, target);
  }
}
