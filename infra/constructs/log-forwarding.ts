import { Annotations, Duration } from 'aws-cdk-lib';
import type { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { FilterPattern, LogGroup, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FORWARD_FAILED_PREFIX } from '../../tasks/common/layout';
import type { ConfiguredSecret } from './configured-secret';
import { createDeadLetterQueue } from './dead-letter-queue';
import { FORWARD_DEFAULTS, type ForwardingProps } from './forward-props';
import { unique } from './prop-checks';
import { TaskFunction, type TaskFunctionProps } from './task-function';
import type { TaskGrants } from './task-grants';

/** The forward task, named as its file in tasks/. */
export const FORWARD_TASK = 'forward-logs';

export interface LogForwardingProps {
  readonly settings: ForwardingProps;
  readonly bucket: IBucket;
  readonly grants: TaskGrants;
  readonly authSecret?: ConfiguredSecret;
  /** The RDS event rule; with forwardRdsEvents the function becomes its second target. */
  readonly rdsEventRule: Rule;
  readonly rdsEventDeadLetterQueue: IQueue;
  readonly logging: Pick<TaskFunctionProps, 'logRetention' | 'logLevel'>;
}

/** The forward function's variables (tasks/common/forward/forward-config.ts); unset ones take its defaults. */
export function forwardEnvironment(
  settings: ForwardingProps,
  bucketName: string,
  authSecret?: ConfiguredSecret,
): Record<string, string> {
  const mapping = settings.forwardLogGroupMapping;
  const entries: [string, string | undefined][] = [
    ['ARCHIVE_BUCKET', bucketName],
    ['FORWARD_TARGET', settings.forwardTarget],
    ['FORWARD_ENDPOINT', settings.forwardEndpoint],
    [
      'FORWARD_OPENSEARCH_SERVICE',
      settings.forwardTarget === 'opensearch' ? settings.forwardOpenSearchService : undefined,
    ],
    ['FORWARD_INDEX_PREFIX', settings.forwardIndexPrefix],
    ['FORWARD_AUTH_SECRET', authSecret?.reference],
    ['FORWARD_LOG_GROUP_MAPPING', mapping && Object.keys(mapping).length > 0 ? JSON.stringify(mapping) : undefined],
  ];
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * Forwards CloudWatch Logs events of the configured groups (a subscription filter each) and,
 * optionally, RDS events to OpenSearch or an HTTPS endpoint as they arrive. What cannot be
 * delivered is kept under `forward-failed/` for a replay; the function may touch nothing else in
 * the bucket.
 */
export class LogForwarding extends Construct {
  readonly function: TaskFunction;
  readonly subscriptionFilters: readonly SubscriptionFilter[];
  /**
   * Deliveries the function still failed on after Lambda's two retries (for instance when S3 was
   * unavailable for storing what the backend refused): the whole delivery is kept here.
   */
  readonly failedDeliveries: Queue;

  constructor(scope: Construct, id: string, props: LogForwardingProps) {
    super(scope, id);
    const { settings } = props;
    this.function = new TaskFunction(this, 'ForwardLogsFunction', {
      task: FORWARD_TASK,
      // Decompresses a delivery (up to 1 MB of events), builds bulk bodies of up to 5 MB and posts
      // them; a replay streams stored objects. Memory buys CPU for the JSON work.
      memorySize: 512,
      timeout: Duration.minutes(5),
      description: 'Forwards log and RDS events to OpenSearch or an HTTPS endpoint',
      environment: forwardEnvironment(settings, props.bucket.bucketName, props.authSecret),
      ...props.logging,
    });
    this.grant(props);
    this.failedDeliveries = createDeadLetterQueue(
      this,
      'FailedDeliveries',
      "fed by the forward function's on-failure destination with deliveries it could not handle after Lambda's retries",
    );
    this.function.configureAsyncInvoke({ onFailure: new SqsDestination(this.failedDeliveries), retryAttempts: 2 });
    const destination = new LambdaDestination(this.function);
    this.subscriptionFilters = unique(settings.forwardLogGroups).map(
      (name, index) =>
        new SubscriptionFilter(this, `Subscription${index}`, {
          logGroup: LogGroup.fromLogGroupName(this, `LogGroup${index}`, name),
          destination,
          filterPattern: FilterPattern.allEvents(),
        }),
    );
    if (settings.forwardRdsEvents) {
      props.rdsEventRule.addTarget(
        new LambdaFunction(this.function, { deadLetterQueue: props.rdsEventDeadLetterQueue, retryAttempts: 2 }),
      );
    }
  }

  private grant(props: LogForwardingProps): void {
    const { grants, settings } = props;
    const fn = this.function;
    const failed = grants.objects(
      `${FORWARD_FAILED_PREFIX}*`,
      'documents that could not be delivered, keyed by hour and a random id at run time, replayed and deleted',
    );
    grants.allowListing(fn, [FORWARD_FAILED_PREFIX]);
    grants.allow(fn, ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], [failed]);
    grants.grantKey([fn]);
    grants.readSecrets(fn, [props.authSecret?.secret]);
    if (settings.forwardTarget !== 'opensearch') return;
    const arn = settings.forwardOpenSearchArn;
    const service = settings.forwardOpenSearchService ?? FORWARD_DEFAULTS.openSearchService;
    if (arn === undefined) {
      Annotations.of(this).addWarningV2(
        'rds-log-archive:forwardOpenSearchArn',
        "No forwardOpenSearchArn: the function's role gets no OpenSearch permission; the domain's access policy " +
          "(or the collection's data access policy) must allow it to write (docs/iam.md)",
      );
      return;
    }
    if (service === 'aoss') grants.allow(fn, ['aoss:APIAccessAll'], [arn]);
    else grants.allow(fn, ['es:ESHttpPost', 'es:ESHttpPut'], [`${arn}/_bulk`]);
  }
}
