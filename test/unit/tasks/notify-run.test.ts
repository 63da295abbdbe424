import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, GetMetricWidgetImageCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { WebClient } from '@slack/web-api';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { InvalidInputError, TransientAwsError } from '../../../tasks/common/errors';
import { parseNotifyConfig } from '../../../tasks/common/notify-config';
import { SlackPostError } from '../../../tasks/common/notify-errors';
import { s3RunStore } from '../../../tasks/common/run-store';
import { forgetCachedSecrets } from '../../../tasks/common/secrets';
import { type SlackMessage, slackNotifier } from '../../../tasks/common/slack-webhook';
import { type NotifyRunDeps, type NotifyRunInput, notifyRun } from '../../../tasks/notify-run';
import { type RunSummary, summarizeRun } from '../../../tasks/summarize-run';
import { silenceLogger } from '../../helpers/logger';
import { runContext } from '../../helpers/run-context';
import { MemoryRunStore } from '../../helpers/run-store';

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const cloudwatch = new CloudWatchClient({ region: 'eu-west-1', credentials });
const secrets = new SecretsManagerClient({ region: 'eu-west-1', credentials });
const s3 = new S3Client({ region: 'eu-west-1', credentials });
const cloudwatchMock = mockClient(cloudwatch);
const secretsMock = mockClient(secrets);
const s3Mock = mockClient(s3);

const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:archive:run-20261120';
const START = '2026-11-20T12:00:01.000Z';
const NOW = Date.parse('2026-11-20T12:10:01.000Z');
const PREFIX = '_runs/2026/11/20/run-20261120';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

const config = (env: Record<string, string> = {}) => parseNotifyConfig({ ARCHIVE_BUCKET: 'archive-bucket', ...env });

/** Records what would be posted; the real notifier is exercised against a local webhook below. */
function recordingNotifier(answer: 'posted' | 'not configured' = 'posted') {
  const posted: SlackMessage[] = [];
  return {
    posted,
    post: async (message: SlackMessage) => {
      posted.push(message);
      return answer;
    },
  };
}

let store: MemoryRunStore;

function deps(overrides: Partial<NotifyRunDeps> = {}): NotifyRunDeps {
  return {
    store,
    notifier: recordingNotifier(),
    cloudwatch,
    graphTarget: async () => undefined,
    config: config(),
    now: () => NOW,
    ...overrides,
  };
}

/** A real report and summary, written the way Summarize Run writes them. */
async function summarized(run = runContext({ reportPrefix: PREFIX })): Promise<RunSummary> {
  await store.putJson(`${PREFIX}/plans/aurora-a-1.json`, {
    instance: { instanceId: 'aurora-a-1', clusterId: 'aurora-a', engine: 'aurora-mysql' },
    status: 'listed',
    listedAt: START,
    files: [{ name: 'slowquery/a', logType: 'slowquery', size: 2048, lastWritten: 0, key: 'k/a.gz', reason: 'new' }],
    skipped: [],
    deferred: 0,
  });
  await store.putJson(`${PREFIX}/results/aurora-a-1/000000.json`, [
    {
      name: 'slowquery/a',
      logType: 'slowquery',
      key: 'k/a.gz',
      status: 'archived',
      reason: 'new',
      sourceBytes: 2048,
      archivedBytes: 300,
    },
  ]);
  return summarizeRun(
    {
      state: {
        run,
        archive: { unavailable: [], instances: [{ instanceId: 'aurora-a-1', clusterId: 'aurora-a', status: 'done' }] },
      },
    },
    store,
  );
}

const input = (summary?: RunSummary, extra: Partial<NotifyRunInput> = {}): NotifyRunInput => ({
  ...(summary ? { summary } : {}),
  executionId: EXECUTION,
  startTime: START,
  ...extra,
});

const allText = (message: SlackMessage | undefined) => JSON.stringify(message?.blocks ?? []);

/** A local stand-in for a Slack incoming webhook: records bodies, answers with `status`. */
async function webhookServer(status = 200) {
  const bodies: unknown[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      bodies.push(JSON.parse(body));
      response.writeHead(status).end(status === 200 ? 'ok' : 'service_unavailable');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/XXXX`;
  return { bodies, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

beforeEach(() => {
  cloudwatchMock.reset();
  secretsMock.reset();
  s3Mock.reset();
  forgetCachedSecrets();
  store = new MemoryRunStore();
  silenceLogger();
});

afterEach(() => jest.restoreAllMocks());

describe('notifyRun', () => {
  it('posts the report Summarize Run wrote, with the duration and a link to the execution', async () => {
    const summary = await summarized();
    const notifier = recordingNotifier();

    await notifyRun(input(summary), deps({ notifier }));

    const message = notifier.posted[0];
    expect(message?.text).toBe(`RDS log archive run run-20261120 succeeded: ${summary.message}`);
    expect(allText(message)).toContain('• *slowquery*: 1 file, 2.0 KiB from 1 instance');
    expect(allText(message)).toContain('*Duration*\\n10 min 0 s');
    expect(allText(message)).toContain(`#/v2/executions/details/${EXECUTION}`);
  });

  it('returns the summary unchanged, with what was notified', async () => {
    const summary = await summarized();

    const output = await notifyRun(input(summary), deps());

    expect(output).toEqual({ ...summary, notified: { posted: 'posted', graphs: 0 } });
  });

  it('delivers the report to the configured incoming webhook', async () => {
    const webhook = await webhookServer();
    secretsMock.on(GetSecretValueCommand, { SecretId: 'slack/webhook' }).resolves({ SecretString: webhook.url });
    const summary = await summarized();
    try {
      const notifier = slackNotifier({ secrets, config: config({ SLACK_WEBHOOK_SECRET: 'slack/webhook' }) });

      const output = await notifyRun(input(summary), deps({ notifier }));

      expect(output.notified.posted).toBe('posted');
      expect(webhook.bodies).toHaveLength(1);
      expect(webhook.bodies[0]).toMatchObject({
        text: expect.stringContaining('succeeded'),
        blocks: expect.any(Array),
      });
    } finally {
      await webhook.close();
    }
  });

  it('does nothing and fails nothing when no notification is configured', async () => {
    const summary = await summarized();
    const notifier = slackNotifier({ secrets, config: config() });

    const output = await notifyRun(input(summary), deps({ notifier }));

    expect(output).toEqual({ ...summary, notified: { posted: 'not configured', graphs: 0 } });
    expect(secretsMock).not.toHaveReceivedAnyCommand();
  });

  it('throws the named Slack error when the webhook keeps failing after the retries', async () => {
    const webhook = await webhookServer(503);
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: webhook.url });
    const summary = await summarized();
    try {
      const notifier = slackNotifier({
        secrets,
        config: config({ SLACK_WEBHOOK_SECRET: 'slack/webhook' }),
        sleep: async () => undefined,
      });

      await expect(notifyRun(input(summary), deps({ notifier }))).rejects.toBeInstanceOf(SlackPostError);
      expect(webhook.bodies.length).toBeGreaterThan(1);
    } finally {
      await webhook.close();
    }
  });

  it('alerts a run that failed before any report, with the caught error', async () => {
    const notifier = recordingNotifier();
    const failure = { Error: 'ConfigurationError', Cause: '{"errorMessage":"ARCHIVE_BUCKET: missing"}' };

    const output = await notifyRun(input(undefined, { failure }), deps({ notifier }));

    expect(output).toEqual({ notified: { posted: 'posted', graphs: 0 } });
    expect(notifier.posted[0]?.text).toBe('RDS log archive run failed: ConfigurationError: ARCHIVE_BUCKET: missing');
  });

  it('still alerts from the summary when the report object is missing', async () => {
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404 } }));
    const summary = { ...(await summarized()), status: 'failed' as const, message: '1 failed' };
    const notifier = recordingNotifier();

    await notifyRun(input(summary), deps({ notifier, store: s3RunStore(s3, 'archive-bucket') }));

    expect(notifier.posted[0]?.text).toBe('RDS log archive run run-20261120 failed: 1 failed');
    expect(allText(notifier.posted[0])).toContain('The full report could not be read');
  });

  it('leaves a throttled report read to the state machine retry', async () => {
    s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error('Slow Down'), { name: 'SlowDown' }));
    const notifier = recordingNotifier();

    const attempt = notifyRun(input(await summarized()), deps({ notifier, store: s3RunStore(s3, 'archive-bucket') }));

    await expect(attempt).rejects.toBeInstanceOf(TransientAwsError);
    expect(notifier.posted).toHaveLength(0);
  });

  it('rejects an input with neither a summary nor a failure', async () => {
    await expect(notifyRun(input(), deps())).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('renders the widgets for each cluster and standalone instance and uploads them with the report', async () => {
    cloudwatchMock.on(GetMetricWidgetImageCommand).resolves({ MetricWidgetImage: PNG });
    const web = new WebClient('xoxb-test');
    const upload = jest.spyOn(web.files, 'uploadV2').mockResolvedValue({ ok: true });
    const widget = {
      title: `CPU \${cluster}`,
      metrics: [['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', `\${cluster}`]],
    };
    const summary = await summarized(
      runContext({ reportPrefix: PREFIX, clusters: ['aurora-a'], instances: ['mysql-b'] }),
    );

    const output = await notifyRun(
      input(summary),
      deps({
        config: config({ METRIC_WIDGETS: JSON.stringify([widget]) }),
        graphTarget: async () => ({ web, channelId: 'C0123456789' }),
      }),
    );

    expect(output.notified).toEqual({ posted: 'posted', graphs: 2 });
    expect(cloudwatchMock).toHaveReceivedCommandWith(GetMetricWidgetImageCommand, {
      MetricWidget: JSON.stringify({
        ...widget,
        title: 'CPU mysql-b',
        metrics: [['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', 'mysql-b']],
      }),
      OutputFormat: 'png',
    });
    expect(upload).toHaveBeenCalledTimes(1);
    expect(upload.mock.calls[0]?.[0]).toMatchObject({
      channel_id: 'C0123456789',
      initial_comment: 'Metric graphs of run run-20261120 (succeeded)',
      file_uploads: [
        expect.objectContaining({ title: 'CPU aurora-a' }),
        expect.objectContaining({ title: 'CPU mysql-b' }),
      ],
    });
  });

  it('uploads no graphs for a run that failed before any report', async () => {
    const graphTarget = jest.fn(async () => undefined);

    await notifyRun(input(undefined, { failure: { Error: 'States.Timeout' } }), deps({ graphTarget }));

    expect(graphTarget).not.toHaveBeenCalled();
    expect(cloudwatchMock).not.toHaveReceivedAnyCommand();
  });
});
