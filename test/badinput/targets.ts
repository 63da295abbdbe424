/**
 * The task core functions a case can aim at, each run with mocked AWS clients, the known
 * secrets in Secrets Manager, and a backend that records posts instead of sending them.
 */
import {
  CloudWatchLogsClient,
  DescribeExportTasksCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeDBLogFilesCommand, RDSClient } from '@aws-sdk/client-rds';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { captureRdsEvent } from '../../tasks/capture-rds-event';
import { checkExport } from '../../tasks/check-export';
import { manifestKey, trimPlanKey } from '../../tasks/common/cloudwatch-layout';
import type { GroupProgress, TrimPlan } from '../../tasks/common/cloudwatch-types';
import { parseConfig } from '../../tasks/common/config';
import { parseForwardConfig } from '../../tasks/common/forward/forward-config';
import { httpsTarget, parseAuthSecret } from '../../tasks/common/forward/https-target';
import { parseNotifyConfig } from '../../tasks/common/notify-config';
import { readSecret } from '../../tasks/common/secrets';
import { slackNotifier } from '../../tasks/common/slack-webhook';
import type { InstancePlan } from '../../tasks/common/types';
import { forwardLogs } from '../../tasks/forward-logs';
import { listLogFiles } from '../../tasks/list-log-files';
import { planTrim } from '../../tasks/plan-trim';
import { resolveRun } from '../../tasks/resolve-run';
import { trimStream } from '../../tasks/trim-stream';
import { s3NotFound } from '../helpers/aws-errors';
import { BASE_ENV } from '../helpers/config';
import { instanceRef, runContext } from '../helpers/run-context';
import { MemoryRunStore } from '../helpers/run-store';
import { AWS_CREDENTIALS, SECRET_IDS, SECRET_TEXTS } from './secrets';

type Env = Record<string, string | null>;

/** What a case gives its target: one of these, as the case's kind needs. */
export interface TargetInput {
  readonly input?: unknown;
  readonly env?: Env;
  readonly response?: unknown;
  readonly payload?: unknown;
}

/** The mocked clients of one case; `posts` counts what reached Slack or the forwarding backend. */
export class Harness {
  readonly s3 = new S3Client({ region: 'eu-west-1', credentials: AWS_CREDENTIALS });
  readonly rds = new RDSClient({ region: 'eu-west-1', credentials: AWS_CREDENTIALS });
  readonly logs = new CloudWatchLogsClient({ region: 'eu-west-1', credentials: AWS_CREDENTIALS });
  readonly secrets = new SecretsManagerClient({ region: 'eu-west-1', credentials: AWS_CREDENTIALS });
  readonly s3Mock = mockClient(this.s3);
  readonly rdsMock = mockClient(this.rds);
  readonly logsMock = mockClient(this.logs);
  readonly secretsMock = mockClient(this.secrets);
  readonly store = new MemoryRunStore();
  posts = 0;

  constructor() {
    this.secretsMock.on(GetSecretValueCommand).callsFake((input: { SecretId?: string }) => {
      const text = SECRET_TEXTS[input.SecretId ?? ''];
      if (text === undefined) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
      return { SecretString: text };
    });
    this.s3Mock.on(HeadObjectCommand).rejects(s3NotFound());
    this.s3Mock.on(PutObjectCommand).resolves({});
  }

  private get mocks(): readonly AwsClientStub<S3Client | RDSClient | CloudWatchLogsClient | SecretsManagerClient>[] {
    return [this.s3Mock, this.rdsMock, this.logsMock, this.secretsMock] as never;
  }

  /** Names of the commands every mock received, in order. */
  commands(): string[] {
    return this.mocks.flatMap((mock) => mock.calls().map((call) => call.args[0].constructor.name));
  }

  restore(): void {
    for (const mock of this.mocks) mock.restore();
  }
}

const NOW = Date.parse('2026-11-20T12:00:00Z');
const GROUP = { name: '/aws/rds/cluster/aurora-a/error', dataProtected: false };

/** BASE_ENV (or `base`) with the case's variables on top; null removes a variable. */
function envOf(base: Readonly<Record<string, string>>, env: Env = {}): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...base };
  for (const [name, value] of Object.entries(env)) merged[name] = value ?? undefined;
  return merged;
}

async function listFiles(given: TargetInput, harness: Harness) {
  harness.rdsMock.on(DescribeDBLogFilesCommand).resolves(given.response as object);
  const run = runContext();
  const output = await listLogFiles(
    { run, instance: instanceRef() },
    { rds: harness.rds, s3: harness.s3, store: harness.store, config: parseConfig(BASE_ENV), now: () => NOW },
  );
  const plan = harness.store.read<InstancePlan>(output.planKey);
  return {
    listing: output.listing,
    planned: plan?.files.map((file) => ({ name: file.name, size: file.size, key: file.key })),
    skipped: plan?.skipped,
  };
}

function exportProgress(): GroupProgress {
  const run = runContext();
  const cutoff = Date.parse(run.cloudwatch.cutoff);
  return {
    run,
    group: GROUP,
    export: {
      taskName: 'export-aurora-a-error',
      taskId: 'task-1',
      status: 'RUNNING',
      from: Date.parse(run.cloudwatch.from),
      cutoff,
      destinationPrefix: 'cloudwatch/_exports/task-1',
      firstTriedAt: '2026-11-20T11:00:00.000Z',
      startedAt: '2026-11-20T11:00:00.000Z',
      waitSeconds: 30,
      slotAttempts: 0,
    },
  };
}

async function checkExportTarget(given: TargetInput, harness: Harness) {
  harness.logsMock.on(DescribeExportTasksCommand).resolves(given.response as object);
  const output = await checkExport(exportProgress(), {
    logs: harness.logs,
    config: parseConfig(BASE_ENV),
    now: () => NOW,
  });
  return output.export;
}

async function planTrimTarget(given: TargetInput, harness: Harness) {
  harness.logsMock.on(DescribeLogStreamsCommand).resolves(given.response as object);
  const event = exportProgress();
  const key = manifestKey(GROUP.name, event.export?.from ?? 0, event.export?.cutoff ?? 0);
  await harness.store.putJson(key, { logGroupName: GROUP.name });
  const deps = { logs: harness.logs, store: harness.store, config: parseConfig(BASE_ENV), now: () => NOW };
  const output = await planTrim({ ...event, manifestKey: key }, deps);
  const plan = harness.store.read<TrimPlan>(output.trim.planKey);
  return { streams: plan?.streams.map(({ name, action, reason }) => ({ name, action, reason })), chosen: output.trim };
}

async function trimStreamTarget(given: TargetInput, harness: Harness) {
  harness.logsMock.on(GetLogEventsCommand).resolves(given.response as object);
  const run = runContext();
  const planKey = trimPlanKey(run, GROUP.name);
  const plan: TrimPlan = {
    group: GROUP,
    mode: 'rewrite',
    cutoff: run.cloudwatch.cutoff,
    streams: [{ name: 'aurora-a-1', action: 'rewrite', reason: 'events before the cutoff are exported' }],
  };
  await harness.store.putJson(planKey, plan);
  const deps = { logs: harness.logs, store: harness.store, config: parseConfig(BASE_ENV), now: () => NOW };
  return trimStream({ run, group: GROUP, planKey, stream: 'aurora-a-1' }, deps);
}

const FORWARD_ENV = {
  AWS_REGION: 'eu-west-1',
  ARCHIVE_BUCKET: 'archive-bucket',
  FORWARD_TARGET: 'https',
  FORWARD_ENDPOINT: 'https://logs.example.com/bulk',
  FORWARD_AUTH_SECRET: SECRET_IDS.auth,
};

async function forwardLogsTarget(given: TargetInput, harness: Harness) {
  const config = parseForwardConfig(FORWARD_ENV);
  const authHeader = async () => parseAuthSecret(SECRET_IDS.auth, await readSecret(harness.secrets, SECRET_IDS.auth));
  const real = httpsTarget({ endpoint: config.endpoint, authHeader });
  // The header is read as the real target reads it; the request itself is only counted.
  const target = {
    send: async (items: Parameters<typeof real.send>[0]) => {
      await authHeader();
      harness.posts += 1;
      return items.map(() => ({ status: 200 }));
    },
  };
  return forwardLogs(given.payload, {
    target,
    limits: { maxBytes: config.batchMaxBytes, maxDocuments: config.batchMaxDocuments },
    sleep: async () => undefined,
    s3: harness.s3,
    bucket: config.archiveBucket,
    now: () => NOW,
    config,
  });
}

async function captureRdsEventTarget(given: TargetInput, harness: Harness) {
  const config = parseNotifyConfig({ ARCHIVE_BUCKET: 'archive-bucket', SLACK_WEBHOOK_SECRET: SECRET_IDS.webhook });
  const notifier = slackNotifier({ secrets: harness.secrets, config, sleep: async () => undefined });
  return captureRdsEvent(given.payload, { s3: harness.s3, notifier, config, now: () => NOW });
}

export const TARGETS: Readonly<Record<string, (given: TargetInput, harness: Harness) => Promise<unknown>>> = {
  'resolve-run': async (given) =>
    resolveRun(
      {
        input: given.input,
        executionId: 'arn:aws:states:eu-west-1:123456789012:execution:archive:badinput',
        executionName: 'badinput',
        startTime: '2026-11-21T12:00:00.000Z',
      },
      parseConfig(envOf(BASE_ENV, given.env)),
    ),
  config: async (given) => parseConfig(envOf(BASE_ENV, given.env)),
  'notify-config': async (given) => parseNotifyConfig(envOf({ ARCHIVE_BUCKET: 'archive-bucket' }, given.env)),
  'forward-config': async (given) => parseForwardConfig(envOf(FORWARD_ENV, given.env)),
  'list-log-files': listFiles,
  'check-export': checkExportTarget,
  'plan-trim': planTrimTarget,
  'trim-stream': trimStreamTarget,
  'forward-logs': forwardLogsTarget,
  'capture-rds-event': captureRdsEventTarget,
};
