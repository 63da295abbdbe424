import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { handler as archiveLogFiles } from '../tasks/archive-log-files';
import { handler as checkExport } from '../tasks/check-export';
import { type ForwardLogsOutput, handler as forwardLogsHandler } from '../tasks/forward-logs';
import { handler as listInstances } from '../tasks/list-instances';
import { handler as listLogFiles } from '../tasks/list-log-files';
import { handler as notifyRun } from '../tasks/notify-run';
import { handler as planExports } from '../tasks/plan-exports';
import { handler as planTrim } from '../tasks/plan-trim';
import { handler as resolveRun } from '../tasks/resolve-run';
import { handler as startExport } from '../tasks/start-export';
import { handler as summarizeRun } from '../tasks/summarize-run';
import { handler as trimStream } from '../tasks/trim-stream';
import { handler as verifyExport } from '../tasks/verify-export';
import { type BulkStandIn, startBulkStandIn } from './bulk-stand-in';
import { type CloudWatchStandIn, startCloudWatchStandIn } from './cloudwatch-stand-in';
import { sandboxS3ClientConfig } from './credentials';
import type { CrashProxy } from './faults/crash-proxy';
import { type SandboxCrashes, startCrashProxies } from './faults/sandbox-crashes';
import { type LocalRunResult, type LocalTask, runLocally } from './local-runner';
import { type MetricImageStandIn, startMetricImageStandIn } from './metric-image-stand-in';
import metricWidgets from './metric-widgets.json';
import { type RdsStandIn, startRdsStandIn } from './rds-stand-in';
import { type S3Server, startS3Server } from './s3-server';
import { type SecretsStandIn, startSecretsStandIn } from './secrets-stand-in';
import type { Seed } from './seed';
import type { SeedForwarding } from './seed-format/forwarding';
import { type SlackStandIn, startSlackStandIn } from './slack-stand-in';

export const SANDBOX_BUCKET = 'rds-log-archive-local';

export interface Sandbox {
  readonly s3: S3Server;
  readonly rds: RdsStandIn;
  readonly cloudwatch: CloudWatchStandIn;
  readonly slack: SlackStandIn;
  readonly secrets: SecretsStandIn;
  readonly metricImages: MetricImageStandIn;
  /** The backend logs are forwarded to: OpenSearch `_bulk` and a generic `/ingest`. */
  readonly bulk: BulkStandIn;
  readonly bucket: string;
  /** The crash proxies between the tasks and s3rver, Slack and the bulk backend (only those asked for). */
  readonly crashProxies: { readonly s3?: CrashProxy; readonly slack?: CrashProxy; readonly forward?: CrashProxy };
  stop(): Promise<void>;
}

export interface SandboxOptions {
  readonly seed: Seed;
  /** s3rver's data folder. */
  readonly directory: string;
  /** Start from an empty archive. @default true */
  readonly fresh?: boolean;
  /** Extra task environment (e.g. ACTIVE_QUIET_MINUTES). */
  readonly env?: Readonly<Record<string, string>>;
  readonly random?: () => number;
  /** The CloudWatch Logs stand-in's clock (seed times are relative to it). @default Date.now */
  readonly now?: () => number;
  /** Where the Slack stand-in writes what was posted. @default `slack/` beside `directory` */
  readonly slackDirectory?: string;
  /** Faults of the bulk stand-in (sandbox/seeds/forwarding.json). @default none */
  readonly forwarding?: SeedForwarding;
  /** Where the bulk stand-in writes what it holds. @default `forwarded/` beside `directory` */
  readonly forwardedDirectory?: string;
  /**
   * Calls to make die before or after they are applied (sandbox/faults/): a crash proxy is put
   * between the tasks and each service named. @default none, the tasks talk to the services directly
   */
  readonly crashes?: SandboxCrashes;
}

/** The sandbox's Slack settings: secrets in the Secrets Manager stand-in, as in AWS. */
const SLACK_WEBHOOK_SECRET = 'rds-log-archive/slack-webhook';
const SLACK_BOT_TOKEN_SECRET = 'rds-log-archive/slack-bot-token';
const SLACK_CHANNEL_ID = 'C0SANDBOX01';

/** The HTTPS forwarding target's auth header, kept in the Secrets Manager stand-in as in AWS. */
const FORWARD_AUTH_SECRET = 'rds-log-archive/forward-auth';
const FORWARD_AUTH = { header: 'X-Api-Key', value: 'sandbox-ingest-key-not-a-real-key' };

/**
 * Start s3rver and the RDS stand-in and point the task environment at them, exactly as a
 * Lambda's environment would point at AWS. Tasks read it at their first invocation.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  if (options.fresh !== false) rmSync(options.directory, { recursive: true, force: true });
  mkdirSync(options.directory, { recursive: true });
  const s3 = await startS3Server({ directory: options.directory, buckets: [SANDBOX_BUCKET] });
  const rds = await startRdsStandIn({ seed: options.seed, random: options.random });
  // CloudWatch Logs writes exports into the bucket itself, as AWS does.
  const exportS3 = new S3Client(sandboxS3ClientConfig(s3.endpoint, rds.region));
  const cloudwatch = await startCloudWatchStandIn({
    seed: options.seed,
    s3: exportS3,
    random: options.random,
    now: options.now,
  });
  const slack = await startSlackStandIn({
    directory: options.slackDirectory ?? path.join(path.dirname(options.directory), 'slack'),
  });
  const bulk = await startBulkStandIn({
    region: rds.region,
    directory: options.forwardedDirectory ?? path.join(path.dirname(options.directory), 'forwarded'),
    faults: options.forwarding?.faults,
    ingestAuth: FORWARD_AUTH,
  });
  const proxies = await startCrashProxies(options.crashes ?? {}, { s3, slack, bulk });
  const secrets = await startSecretsStandIn({
    region: rds.region,
    secrets: {
      [SLACK_WEBHOOK_SECRET]: proxies.endpoints.slackWebhookUrl,
      [SLACK_BOT_TOKEN_SECRET]: slack.botToken,
      [FORWARD_AUTH_SECRET]: JSON.stringify(FORWARD_AUTH),
    },
  });
  const metricImages = await startMetricImageStandIn({ region: rds.region });
  Object.assign(process.env, {
    AWS_REGION: rds.region,
    AWS_ACCESS_KEY_ID: rds.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: rds.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_S3: proxies.endpoints.s3,
    AWS_ENDPOINT_URL_RDS: rds.endpoint,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: cloudwatch.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    AWS_ENDPOINT_URL_CLOUDWATCH: metricImages.endpoint,
    SLACK_WEBHOOK_SECRET,
    SLACK_BOT_TOKEN_SECRET,
    SLACK_CHANNEL_ID,
    SLACK_API_URL: proxies.endpoints.slackApiUrl,
    // One graph per cluster with the report, as a user would configure it from the console.
    METRIC_WIDGETS: JSON.stringify(metricWidgets),
    FORWARD_TARGET: 'opensearch',
    FORWARD_ENDPOINT: proxies.endpoints.forward,
    FORWARD_OPENSEARCH_SERVICE: bulk.service,
    FORWARD_AUTH_SECRET,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    ARCHIVE_BUCKET: SANDBOX_BUCKET,
    CLUSTERS: options.seed.clusters.map((cluster) => cluster.id).join(','),
    INSTANCES: options.seed.instances.map((instance) => instance.id).join(','),
    LOG_GROUPS: (options.seed.cloudwatch?.logGroups ?? []).map((group) => group.name).join(','),
    // Every archived file also gets its parsed records under parsed/, to show and test that pass.
    PARSED_OUTPUT: 'all',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    ...options.env,
  });
  return {
    s3,
    rds,
    cloudwatch,
    slack,
    secrets,
    metricImages,
    bulk,
    bucket: SANDBOX_BUCKET,
    crashProxies: proxies.started,
    async stop() {
      await proxies.stop();
      await bulk.stop();
      await metricImages.stop();
      await secrets.stop();
      await slack.stop();
      await cloudwatch.stop();
      exportS3.destroy();
      await rds.stop();
      await s3.stop();
    },
  };
}

/** What a Lambda context offers the tasks: the 15-minute budget of the deployed function. */
function lambdaContext(functionName: string, timeoutMs = 900_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `local-${Math.random().toString(16).slice(2)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

type Handler = (event: never, context: Context) => Promise<unknown>;

/** The real task handlers (configured at first invocation), by the ASL's substitution names. */
export function localTasks(): Record<string, LocalTask> {
  const handlers: Record<string, Handler> = {
    ResolveRunFunctionArn: resolveRun as Handler,
    ListInstancesFunctionArn: listInstances as Handler,
    ListLogFilesFunctionArn: listLogFiles as Handler,
    ArchiveLogFilesFunctionArn: archiveLogFiles as Handler,
    SummarizeRunFunctionArn: summarizeRun as Handler,
    PlanExportsFunctionArn: planExports as Handler,
    StartExportFunctionArn: startExport as Handler,
    CheckExportFunctionArn: checkExport as Handler,
    VerifyExportFunctionArn: verifyExport as Handler,
    PlanTrimFunctionArn: planTrim as Handler,
    TrimStreamFunctionArn: trimStream as Handler,
    NotifyRunFunctionArn: notifyRun as Handler,
  };
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      (input: unknown) => handler(input as never, lambdaContext(name)),
    ]),
  );
}

export interface ArchiveRunOptions {
  readonly input: unknown;
  readonly executionName: string;
  readonly onEvent?: Parameters<typeof runLocally>[0]['onEvent'];
}

/** Run statemachines/archive.asl.json on the sandbox with the real task code. */
export function runArchive(options: ArchiveRunOptions): Promise<LocalRunResult> {
  return runLocally({ ...options, tasks: localTasks(), retryPauseMs: 50 });
}

/** The CloudWatch Logs subscription samples in events/ (awslogs.{name}.json). */
export const AWSLOGS_SAMPLES = ['slowquery', 'audit', 'error', 'postgresql', 'control'] as const;

export interface ForwardingRun {
  /** Each invocation's output, in order: the samples, one RDS event, then the replay. */
  readonly outputs: readonly ForwardLogsOutput[];
  /** Documents the backend holds, by index. */
  readonly indexes: Readonly<Record<string, number>>;
  /** Documents stored under forward-failed/ by the first deliveries. */
  readonly failedStored: number;
  readonly replayed: { readonly documents: number; readonly delivered: number; readonly failed: number };
}

/**
 * Forward the `awslogs` samples and one RDS event through the real forwarding handler to the
 * bulk stand-in, then replay what was stored under forward-failed/, as an operator would.
 */
export async function runForwarding(sandbox: Sandbox, eventsDir: string): Promise<ForwardingRun> {
  const invoke = (input: unknown) =>
    (forwardLogsHandler as Handler)(input as never, lambdaContext('ForwardLogs')) as Promise<ForwardLogsOutput>;
  const read = (name: string) => JSON.parse(readFileSync(path.join(eventsDir, name), 'utf8')) as unknown;
  const outputs: ForwardLogsOutput[] = [];
  for (const sample of AWSLOGS_SAMPLES) outputs.push(await invoke(read(`awslogs.${sample}.json`)));
  outputs.push(await invoke(read('rds-event.failover.json')));
  const failedStored = outputs.reduce((sum, output) => sum + ('failed' in output ? output.failed : 0), 0);
  const replay = await invoke({ replay: { prefix: 'forward-failed/' } });
  outputs.push(replay);
  const replayed = 'documents' in replay ? replay : { documents: 0, delivered: 0, failed: 0 };
  return {
    outputs,
    indexes: sandbox.bulk.counts(),
    failedStored,
    replayed: { documents: replayed.documents, delivered: replayed.delivered, failed: replayed.failed },
  };
}
