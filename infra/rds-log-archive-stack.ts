import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RdsLogArchive, type RdsLogArchiveProps } from './constructs/rds-log-archive';

export interface RdsLogArchiveStackProps extends StackProps {
  readonly archive: RdsLogArchiveProps;
}

export class RdsLogArchiveStack extends Stack {
  readonly archive: RdsLogArchive;

  constructor(scope: Construct, id: string, props: RdsLogArchiveStackProps) {
    super(scope, id, props);
    this.archive = new RdsLogArchive(this, 'Archive', props.archive);
    new CfnOutput(this, 'StateMachineArn', { value: this.archive.stateMachine.stateMachineArn });
    new CfnOutput(this, 'BucketName', { value: this.archive.bucket.bucketName });
  }
}
