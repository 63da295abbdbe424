import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RdsLogArchive, type RdsLogArchiveProps } from './constructs/rds-log-archive';

export interface RdsLogArchiveStackProps extends StackProps {
  readonly archive: RdsLogArchiveProps;
}

/**
 * The stack's output keys; the CLI reads them from the deployed stack (DescribeStacks), so renaming
 * one breaks it.
 */
export const STACK_OUTPUTS = [
  'StateMachineArn',
  'BucketName',
  'ScheduleName',
  'ConsoleLink',
  'AlarmTopicArn',
  'RdsEventRuleName',
] as const;
/** Outputs of optional parts, present only when the part is configured. */
export const OPTIONAL_STACK_OUTPUTS = ['ForwardFunctionName'] as const;
export type StackOutputKey = (typeof STACK_OUTPUTS)[number] | (typeof OPTIONAL_STACK_OUTPUTS)[number];

/** The Step Functions console page of a state machine. */
export function consoleLink(region: string, stateMachineArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${stateMachineArn}`;
}

export class RdsLogArchiveStack extends Stack {
  readonly archive: RdsLogArchive;

  constructor(scope: Construct, id: string, props: RdsLogArchiveStackProps) {
    super(scope, id, props);
    this.archive = new RdsLogArchive(this, 'Archive', props.archive);
    const { archive } = this;
    const outputs: Partial<Record<StackOutputKey, { value: string; description: string }>> = {
      StateMachineArn: { value: archive.stateMachine.stateMachineArn, description: 'The archive workflow' },
      BucketName: { value: archive.bucket.bucketName, description: 'The archive bucket' },
      ScheduleName: { value: archive.schedule.scheduleName, description: 'The EventBridge schedule of the runs' },
      ConsoleLink: {
        value: consoleLink(this.region, archive.stateMachine.stateMachineArn),
        description: 'The state machine in the Step Functions console',
      },
      AlarmTopicArn: { value: archive.alarmTopic.topicArn, description: 'The topic the alarms notify' },
      RdsEventRuleName: {
        value: archive.notifications.rdsEventRule.ruleName,
        description: 'The EventBridge rule that sends RDS events to the capture function',
      },
      ...(archive.forwarding && {
        ForwardFunctionName: {
          value: archive.forwarding.function.functionName,
          description: 'The function that forwards log and RDS events, and replays failed deliveries',
        },
      }),
    };
    for (const [key, output] of Object.entries(outputs)) {
      if (output) new CfnOutput(this, key, output);
    }
  }
}
