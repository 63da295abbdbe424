import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseNotifyConfig } from '../../../tasks/common/notify-config';
import { SecretUnavailableError, SlackPostError } from '../../../tasks/common/notify-errors';
import { forgetCachedSecrets } from '../../../tasks/common/secrets';
import { postWebhook, type SlackMessage, slackNotifier } from '../../../tasks/common/slack-webhook';

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

/** A webhook on loopback that gives the answers in order (the last one repeats) and records what it received. */
async function webhookServer(...answers: Answer[]) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      const answer = answers[Math.min(received.length, answers.length) - 1] as Answer;
      response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T000/B000/secret-token`, received };
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const OK: Answer = { status: 200, body: 'ok' };
const message: SlackMessage = {
  text: 'Snapshot created: orders-aurora',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*orders-aurora*' } }],
};

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

async function postError(url: string, options: Parameters<typeof postWebhook>[2]): Promise<SlackPostError> {
  try {
    await postWebhook(url, message, options);
  } catch (error) {
    return error as SlackPostError;
  }
  throw new Error('expected postWebhook to fail');
}

describe('postWebhook', () => {
  it('posts the text and the blocks as JSON', async () => {
    const { url, received } = await webhookServer(OK);

    await postWebhook(url, message);

    expect(received).toEqual([
      { path: '/services/T000/B000/secret-token', contentType: 'application/json', body: message },
    ]);
  });

  it('waits what Retry-After asks after a 429, then posts', async () => {
    const { url, received } = await webhookServer(
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '3' } },
      OK,
    );
    const { delays, sleep } = recordingSleep();

    await postWebhook(url, message, { sleep });

    expect(delays).toEqual([3000]);
    expect(received).toHaveLength(2);
  });

  it('backs off exponentially on 5xx answers', async () => {
    const { url, received } = await webhookServer(
      { status: 500, body: 'internal_error' },
      { status: 503, body: 'service_unavailable' },
      OK,
    );
    const { delays, sleep } = recordingSleep();

    await postWebhook(url, message, { sleep });

    expect(delays).toEqual([1000, 2000]);
    expect(received).toHaveLength(3);
  });

  it('backs off exponentially after a 429 without Retry-After', async () => {
    const { url } = await webhookServer({ status: 429, body: 'rate_limited' }, OK);
    const { delays, sleep } = recordingSleep();

    await postWebhook(url, message, { sleep });

    expect(delays).toEqual([1000]);
  });

  it('gives up after maxAttempts with the last status and body', async () => {
    const { url, received } = await webhookServer({ status: 500, body: 'internal_error' });
    const { delays, sleep } = recordingSleep();

    const error = await postError(url, { sleep, maxAttempts: 3 });

    expect(error).toBeInstanceOf(SlackPostError);
    expect(error.message).toBe('Slack webhook still answered 500 internal_error after 3 attempts');
    expect(error).toMatchObject({ status: 500, body: 'internal_error', attempts: 3 });
    expect(delays).toEqual([1000, 2000]);
    expect(received).toHaveLength(3);
  });

  it('fails at once on a 400, with the status and what Slack said', async () => {
    const { url, received } = await webhookServer({ status: 400, body: 'invalid_payload' });
    const { delays, sleep } = recordingSleep();

    const error = await postError(url, { sleep });

    expect(error.message).toBe('Slack webhook answered 400 invalid_payload (the message is not valid Block Kit)');
    expect(error).toMatchObject({ status: 400, attempts: 1 });
    expect(delays).toEqual([]);
    expect(received).toHaveLength(1);
  });

  it('says what to do when the webhook was removed', async () => {
    const { url } = await webhookServer({ status: 404, body: 'no_service' });

    const error = await postError(url, {});

    expect(error.message).toContain('404 no_service (the webhook was disabled or removed; create a new one');
  });

  it('does not wait inside the function when Retry-After asks for more than a minute', async () => {
    const { url, received } = await webhookServer({
      status: 429,
      body: 'rate_limited',
      headers: { 'retry-after': '120' },
    });
    const { delays, sleep } = recordingSleep();

    const error = await postError(url, { sleep });

    expect(error.message).toBe('Slack webhook answered 429 rate_limited and asked to wait 120 s');
    expect(delays).toEqual([]);
    expect(received).toHaveLength(1);
  });

  it('retries when Slack cannot be reached, and never puts the URL in the error', async () => {
    const { url } = await webhookServer(OK);
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    const { delays, sleep } = recordingSleep();

    const error = await postError(url, { sleep, maxAttempts: 2 });

    expect(error.message).toMatch(/^Slack webhook still could not be reached \(.*ECONNREFUSED.*\) after 2 attempts$/);
    expect(error).toMatchObject({ status: undefined, body: '', attempts: 2 });
    expect(error.message).not.toContain('secret-token');
    expect(delays).toEqual([1000]);
  });
});

describe('slackNotifier', () => {
  const secrets = new SecretsManagerClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const secretsMock = mockClient(secrets);
  const SECRET = 'rds-log-archive/slack-webhook';
  const config = (env: Record<string, string> = {}) =>
    parseNotifyConfig({ ARCHIVE_BUCKET: 'archive-bucket', SLACK_WEBHOOK_SECRET: SECRET, ...env });

  beforeEach(() => {
    secretsMock.reset();
    forgetCachedSecrets();
  });

  it('posts to the webhook whose URL the secret holds', async () => {
    const { url, received } = await webhookServer(OK);
    secretsMock.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: url });

    const outcome = await slackNotifier({ secrets, config: config() }).post(message);

    expect(outcome).toBe('posted');
    expect(received.map((request) => request.body)).toEqual([message]);
  });

  it('reads the URL from a key/value secret', async () => {
    const { url, received } = await webhookServer(OK);
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ url }) });

    await slackNotifier({ secrets, config: config() }).post(message);

    expect(received).toHaveLength(1);
  });

  it('says not configured, and reads no secret, when no webhook secret is set', async () => {
    const outcome = await slackNotifier({ secrets, config: config({ SLACK_WEBHOOK_SECRET: '' }) }).post(message);

    expect(outcome).toBe('not configured');
    expect(secretsMock).not.toHaveReceivedAnyCommand();
  });

  it('refuses a secret that holds no URL, without repeating its value', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'xoxb-not-a-webhook' });

    const error = await slackNotifier({ secrets, config: config() })
      .post(message)
      .catch((thrown: unknown) => thrown as Error);

    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect((error as Error).message).toContain(`secret "${SECRET}": does not hold an incoming webhook URL`);
    expect((error as Error).message).not.toContain('xoxb-not-a-webhook');
  });
});
