import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue that keeps what a service gave up on delivering: encrypted, TLS only, kept as long as
 * SQS keeps anything (two weeks to notice, from its alarm, and act). cdk-nag looks only for SQS
 * redrive policies, so the reason for its AwsSolutions-SQS3 acknowledgement names what delivers
 * into it (`deliveredBy`).
 */
export function createDeadLetterQueue(scope: Construct, id: string, deliveredBy: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself a dead-letter queue, ${deliveredBy}, which cdk-nag cannot see because it looks only for SQS redrive policies; nothing consumes it to redrive`,
  });
  return queue;
}
