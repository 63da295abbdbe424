import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, GetMetricWidgetImageCommand } from '@aws-sdk/client-cloudwatch';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { captureRdsEvent } from '../../tasks/capture-rds-event';
import { parseForwardConfig } from '../../tasks/common/forward/forward-config';
import { httpsTarget, parseAuthSecret } from '../../tasks/common/forward/https-target';
import { makeHandler } from '../../tasks/common/handler';
import { slackWebClient } from '../../tasks/common/metric-widgets';
import { parseNotifyConfig } from '../../tasks/common/notify-config';
import { forgetCachedSecrets, readSecret } from '../../tasks/common/secrets';
import { slackNotifier } from '../../tasks/common/slack-webhook';
import { forwardLogs } from '../../tasks/forward-logs';
import { notifyAlarm } from '../../tasks/notify-alarm';
import { notifyRun } from '../../tasks/notify-run';
import { postMetricGraphs } from '../../tasks/post-metric-graphs';
import { captureLogs } from '../badinput/capture';
import { materialize } from '../badinput/materialize';
import { AWS_CREDENTIALS, BOT_TOKEN } from '../badinput/secrets';
import { s3NotFound } from '../helpers/aws-errors';
import { rdsEventSample } from '../helpers/rds-event-samples';
import { MemoryRunStore } from '../helpers/run-store';

/**
 * Real secret values go through every task that reads a secret, on the success path and on each
 * failure path; every log line (through the shared handler, as in Lambda) and every error must
 * be free of the webhook URL, its path, the bot token and the auth header value.
 */
const WEBHOOK_TOKEN = 'sEcReTwEbHoOkPaTh0042';
const AUTH_VALUE = 'Bearer sEcReTaUtHvAlUe0042';

interface Answer {
  readonly status: number;
  readonly body: string;
}

const servers: Server[] = [];

/** A stand-in for Slack or the forwarding endpoint on loopback, giving one answer to every request. */
async function server(answer: Answer): Promise<string> {
  const listening = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(answer.status, { 'content-type': 'application/json', 'retry-after': '0' });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  servers.push(listening);
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

/** A loopback address nothing listens on: requests to it fail with ECONNREFUSED. */
async function closedAddress(): Promise<string> {
  const base = await server({ status: 200, body: 'ok' });
  const closing = servers.pop() as Server;
  await new Promise((resolve) => closing.close(resolve));
  return base;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((item) => new Promise((resolve) => item.close(resolve))));
  forgetCachedSecrets();
});

const secrets = new SecretsManagerClient({ region: 'eu-west-1', credentials: AWS_CREDENTIALS });
const secretsMock = mockClient(secrets);
const s3 = new S3Client({ region: 'eu-west-1', credentials: AWS_CREDENTIALS });
const s3Mock = mockClient(s3);
const cloudwatch = new CloudWatchClient({ region: 'eu-west-1', credentials: AWS_CREDENTIALS });
const cloudwatchMock = mockClient(cloudwatch);

let secretValues: string[] = [];

/** Secrets Manager answers these texts; the values to look for are remembered. */
function storeSecrets(texts: Record<string, string>, values: string[]): void {
  secretValues = values;
  secretsMock.reset();
  secretsMock.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => ({
    SecretString: texts[input.SecretId],
  }));
}

function webhookSecret(base: string, text = (url: string) => JSON.stringify({ url })): void {
  const path = `/services/T0SECRET/B0SECRET/${WEBHOOK_TOKEN}`;
  storeSecrets({ 'slack-webhook': text(`${base}${path}`) }, [`${base}${path}`, path, WEBHOOK_TOKEN]);
}

beforeEach(() => {
  s3Mock.reset();
  s3Mock.on(HeadObjectCommand).rejects(s3NotFound());
  s3Mock.on(PutObjectCommand).resolves({});
  cloudwatchMock.reset();
  cloudwatchMock.on(GetMetricWidgetImageCommand).resolves({ MetricWidgetImage: new Uint8Array([137, 80, 78, 71]) });
});

const lambdaContext = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'request-1' } as unknown as Context;

/** Run `core` through the shared Middy handler, as Lambda does, and gather what anyone could read. */
async function exposed(name: string, core: () => Promise<unknown>): Promise<{ text: string; failed: boolean }> {
  const handler = makeHandler(name, core);
  const { lines, value } = await captureLogs(() =>
    handler({}, lambdaContext).then(
      (result) => ({ failed: false, text: JSON.stringify(result) }),
      (error: Error) => ({ failed: true, text: [error.message, error.stack, String(error.cause)].join('\n') }),
    ),
  );
  return { failed: value.failed, text: [value.text, ...lines].join('\n') };
}

function expectNoSecret(text: string): void {
  expect(secretValues.length).toBeGreaterThan(0);
  for (const secret of secretValues) expect(text).not.toContain(secret);
}

const notifyConfig = (env: Record<string, string> = {}) =>
  parseNotifyConfig({ ARCHIVE_BUCKET: 'archive-bucket', SLACK_WEBHOOK_SECRET: 'slack-webhook', ...env });
const notifier = () => slackNotifier({ secrets, config: notifyConfig(), sleep: async () => undefined });

const SLACK_ANSWERS: readonly (readonly [string, Answer | 'unreachable'])[] = [
  ['Slack answers 200', { status: 200, body: 'ok' }],
  ['Slack answers 500', { status: 500, body: 'internal_error' }],
  ['Slack answers 429', { status: 429, body: 'rate_limited' }],
  ['Slack answers 404 no_service', { status: 404, body: 'no_service' }],
  ['Slack is unreachable', 'unreachable'],
];

const slackBase = async (answer: Answer | 'unreachable') =>
  answer === 'unreachable' ? closedAddress() : server(answer);

const alarmEvent = {
  Records: [
    { Sns: { Subject: 'ALARM', Message: JSON.stringify({ AlarmName: 'archive-failed', NewStateValue: 'ALARM' }) } },
  ],
} as unknown as SNSEvent;

describe.each(SLACK_ANSWERS)('webhook secrets when %s', (_, answer) => {
  const expectFailure = answer === 'unreachable' || answer.status !== 200;

  it('capture-rds-event logs and throws neither the webhook URL nor its path', async () => {
    webhookSecret(await slackBase(answer));

    const result = await exposed('capture rds event', () =>
      captureRdsEvent(rdsEventSample('failover'), { s3, notifier: notifier(), config: notifyConfig(), now: Date.now }),
    );

    expect(result.failed).toBe(expectFailure);
    // The handler's failure line is captured too: the check reads what CloudWatch Logs would hold.
    if (expectFailure) expect(result.text).toContain('"level":"ERROR"');
    expectNoSecret(result.text);
  });

  it('notify-alarm logs and throws neither the webhook URL nor its path', async () => {
    webhookSecret(await slackBase(answer));

    const result = await exposed('notify alarm', () =>
      notifyAlarm(alarmEvent, { notifier: notifier(), config: notifyConfig() }),
    );

    expect(result.failed).toBe(expectFailure);
    // The handler's failure line is captured too: the check reads what CloudWatch Logs would hold.
    if (expectFailure) expect(result.text).toContain('"level":"ERROR"');
    expectNoSecret(result.text);
  });

  it('notify-run logs and throws neither the webhook URL nor its path', async () => {
    webhookSecret(await slackBase(answer));

    const result = await exposed('notify run', () =>
      notifyRun(
        {
          failure: { Error: 'InvalidInputError', Cause: 'from: expected a time no later than "to"' },
          executionId: 'arn:aws:states:eu-west-1:123456789012:execution:archive:run-1',
          startTime: new Date().toISOString(),
        },
        {
          store: new MemoryRunStore(),
          notifier: notifier(),
          cloudwatch,
          graphTarget: async () => undefined,
          config: notifyConfig(),
          now: Date.now,
        },
      ),
    );

    expect(result.failed).toBe(expectFailure);
    // The handler's failure line is captured too: the check reads what CloudWatch Logs would hold.
    if (expectFailure) expect(result.text).toContain('"level":"ERROR"');
    expectNoSecret(result.text);
  });
});

describe('webhook secrets that are malformed', () => {
  it.each([
    ['a JSON object cut short', (url: string) => `{"url": "${url}`],
    ['JSON without a url', (url: string) => JSON.stringify({ webhook: url })],
    ['a URL with a space in it', (url: string) => `${url} trailing`],
  ])('are refused without quoting the secret: %s', async (_, text) => {
    webhookSecret('https://hooks.slack.com', text);

    const result = await exposed('notify alarm', () =>
      notifyAlarm(alarmEvent, { notifier: notifier(), config: notifyConfig() }),
    );

    expect(result.failed).toBe(true);
    expect(result.text).toContain('does not hold an incoming webhook URL');
    expectNoSecret(result.text);
  });
});

describe('bot token secrets of metric graphs', () => {
  const widgets = JSON.stringify([{ metrics: [['AWS/RDS', 'CPUUtilization']] }]);

  async function postGraphs(apiAnswer: Answer | 'unreachable') {
    const apiUrl = `${await slackBase(apiAnswer)}/api/`;
    storeSecrets({ 'slack-bot': BOT_TOKEN }, [BOT_TOKEN]);
    const config = notifyConfig({
      SLACK_BOT_TOKEN_SECRET: 'slack-bot',
      SLACK_CHANNEL_ID: 'C0123456789',
      METRIC_WIDGETS: widgets,
      CLUSTERS: 'aurora-a',
    });
    const graphTarget = async () => ({
      web: slackWebClient(await readSecret(secrets, 'slack-bot'), apiUrl, {
        retries: 0,
        factor: 1,
        minTimeout: 0,
        maxTimeout: 0,
      }),
      channelId: 'C0123456789',
    });
    return exposed('post metric graphs', () => postMetricGraphs({ cloudwatch, graphTarget, config }));
  }

  it.each([
    ['Slack answers invalid_auth', { status: 200, body: '{"ok":false,"error":"invalid_auth"}' }],
    ['Slack answers 500', { status: 500, body: '{"ok":false,"error":"internal_error"}' }],
    ['Slack answers 429', { status: 429, body: '{"ok":false,"error":"ratelimited"}' }],
  ] as const)('post-metric-graphs never shows the token when %s', async (_, answer) => {
    const result = await postGraphs(answer);

    expect(result.failed).toBe(true);
    expectNoSecret(result.text);
  });

  it('post-metric-graphs never shows the token when Slack is unreachable', async () => {
    const result = await postGraphs('unreachable');

    expect(result.failed).toBe(true);
    expectNoSecret(result.text);
  });
});

describe('auth header secrets of forwarding', () => {
  const payload = () =>
    materialize({
      awslogs: {
        data: {
          $gzipBase64: {
            messageType: 'DATA_MESSAGE',
            owner: '123456789012',
            logGroup: '/aws/rds/cluster/aurora-a/error',
            logStream: 'aurora-a-1',
            subscriptionFilters: ['forward'],
            logEvents: [{ id: '1', timestamp: Date.now(), message: '2026-11-20T10:00:00Z 0 [ERROR] disk full' }],
          },
        },
      },
    });

  async function forward(answer: Answer | 'unreachable', secretText = JSON.stringify({ value: AUTH_VALUE })) {
    const base = answer === 'unreachable' ? await closedAddress() : await server(answer);
    storeSecrets({ 'forward-auth': secretText }, [AUTH_VALUE, 'sEcReTaUtHvAlUe0042']);
    const config = parseForwardConfig({
      AWS_REGION: 'eu-west-1',
      ARCHIVE_BUCKET: 'archive-bucket',
      FORWARD_TARGET: 'https',
      FORWARD_ENDPOINT: `${base}/bulk`,
      FORWARD_AUTH_SECRET: 'forward-auth',
    });
    const authHeader = async () => parseAuthSecret('forward-auth', await readSecret(secrets, 'forward-auth'));
    const deps = {
      target: httpsTarget({ endpoint: config.endpoint, authHeader, timeoutMs: 2000 }),
      limits: { maxBytes: config.batchMaxBytes, maxDocuments: config.batchMaxDocuments },
      sleep: async () => undefined,
      s3,
      bucket: config.archiveBucket,
      now: Date.now,
      config,
    };
    return exposed('forward logs', () => forwardLogs(payload(), deps));
  }

  it.each([
    ['the endpoint takes the documents', { status: 200, body: '{}' }, 0],
    ['the endpoint answers 500', { status: 500, body: 'internal error' }, 1],
    ['the endpoint answers 429', { status: 429, body: 'slow down' }, 1],
    ['the endpoint answers 401', { status: 401, body: 'bad credentials' }, 1],
    ['the endpoint is unreachable', 'unreachable', 1],
  ] as const)('forward-logs never shows the auth value when %s', async (_, answer, stored) => {
    const result = await forward(answer);

    expect(result.failed).toBe(false);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(stored);
    expectNoSecret(result.text);
  });

  it('forward-logs never shows the auth value when the secret JSON is malformed', async () => {
    const result = await forward({ status: 200, body: '{}' }, `{"value": "${AUTH_VALUE}"`);

    expect(result.text).toContain('"failed":1');
    expectNoSecret(result.text);
  });
});
