import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { IncomingWebhook, IncomingWebhookHTTPError } from '@slack/webhook';
import {
  SANDBOX_SLACK_BOT_TOKEN,
  type SlackStandIn,
  type SlackStandInOptions,
  startSlackStandIn,
} from '../../../sandbox/slack-stand-in';

const CHANNEL = 'C0123456789';
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const BLOCKS = [{ type: 'section', text: { type: 'mrkdwn', text: '*orders-aurora*: automated snapshot created' } }];
/** Not a real PNG: the stand-in keeps whatever bytes are uploaded. */
const GRAPH = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from('graph bytes')]);

let directory: string;
let standIn: SlackStandIn;

async function start(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  standIn = await startSlackStandIn({ directory, now: () => NOW, ...options });
  return standIn;
}

/** One attempt per call and no log output, so each test sees the stand-in's answer. */
const webClient = (token: string) =>
  new WebClient(token, { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });

const uploadGraph = (client: WebClient) =>
  client.files.uploadV2({
    channel_id: CHANNEL,
    initial_comment: 'CPU of orders-aurora, last 3 hours',
    file: GRAPH,
    filename: 'graph.png',
    title: 'orders-aurora CPU',
  });

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'slack-stand-in-'));
});

afterEach(async () => {
  await standIn.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('the Slack stand-in: incoming webhook', () => {
  it('records a Block Kit message, answers ok and writes it to the folder', async () => {
    await start();

    const result = await new IncomingWebhook(standIn.webhookUrl).send({ text: 'snapshot created', blocks: BLOCKS });

    expect(result.text).toBe('ok');
    expect(standIn.messages).toEqual([
      {
        via: 'webhook',
        text: 'snapshot created',
        blocks: BLOCKS,
        ts: `${NOW / 1000}.000001`,
        payload: { text: 'snapshot created', blocks: BLOCKS },
        file: path.join(directory, '0001-webhook.json'),
      },
    ]);
    expect(JSON.parse(readFileSync(path.join(directory, '0001-webhook.json'), 'utf8'))).toEqual({
      text: 'snapshot created',
      blocks: BLOCKS,
    });
    expect(standIn.calls).toEqual([{ method: 'webhook', status: 200 }]);
  });

  it('answers no_text (400) for a message without text or blocks', async () => {
    await start();

    const post = new IncomingWebhook(standIn.webhookUrl).send({ username: 'archive' });

    await expect(post).rejects.toMatchObject({ statusCode: 400, body: 'no_text' });
    expect(standIn.messages).toEqual([]);
  });

  it('answers 429 with Retry-After: 1 for the first posts of a rate-limit fault', async () => {
    await start({ webhookFault: { status: 429, times: 2 } });
    const post = () =>
      fetch(standIn.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hello' }),
      });

    const first = await post();
    const second = await post();
    const third = await post();

    expect([first.status, first.headers.get('retry-after'), await first.text()]).toEqual([429, '1', 'rate_limited']);
    expect(second.status).toBe(429);
    expect([third.status, await third.text()]).toEqual([200, 'ok']);
    expect(standIn.calls.map((call) => call.status)).toEqual([429, 429, 200]);
    expect(standIn.messages).toHaveLength(1);
  });

  it('makes the webhook client fail with the 429, which it does not retry', async () => {
    await start({ webhookFault: { status: 429, times: 1 } });
    const webhook = new IncomingWebhook(standIn.webhookUrl, { retryConfig: { retries: 3, minTimeout: 0 } });

    const post = webhook.send({ text: 'hello' });

    await expect(post).rejects.toBeInstanceOf(IncomingWebhookHTTPError);
    await expect(post).rejects.toMatchObject({ statusCode: 429, body: 'rate_limited' });
    expect(standIn.calls).toEqual([{ method: 'webhook', status: 429, error: 'rate_limited' }]);
  });

  it('answers 500 for the first posts of a server-error fault, so a retrying client gets through', async () => {
    await start({ webhookFault: { status: 500, times: 2 } });
    const webhook = new IncomingWebhook(standIn.webhookUrl, { retryConfig: { retries: 2, minTimeout: 0, factor: 1 } });

    const result = await webhook.send({ blocks: BLOCKS });

    expect(result.text).toBe('ok');
    expect(standIn.calls.map((call) => [call.status, call.error])).toEqual([
      [500, 'rollup_error'],
      [500, 'rollup_error'],
      [200, undefined],
    ]);
    expect(standIn.messages.map((message) => message.blocks)).toEqual([BLOCKS]);
  });

  it('answers no_service (404) on any other webhook path', async () => {
    await start();

    const post = new IncomingWebhook(`${standIn.endpoint}/services/T000/B000/OTHER`).send({ text: 'hello' });

    await expect(post).rejects.toMatchObject({ statusCode: 404, body: 'no_service' });
  });
});

describe('the Slack stand-in: Web API', () => {
  it('takes a files.uploadV2 upload in order and keeps the bytes, the channel and the comment', async () => {
    await start();

    const result = await uploadGraph(webClient(SANDBOX_SLACK_BOT_TOKEN));

    expect(standIn.calls).toEqual([
      { method: 'files.getUploadURLExternal', status: 200 },
      { method: 'upload', status: 200 },
      { method: 'files.completeUploadExternal', status: 200 },
    ]);
    const [upload] = standIn.uploads;
    expect(upload).toMatchObject({
      fileId: 'F0000000001',
      filename: 'graph.png',
      length: GRAPH.length,
      completed: true,
      title: 'orders-aurora CPU',
      channel: CHANNEL,
      initialComment: 'CPU of orders-aurora, last 3 hours',
    });
    expect(upload?.bytes).toEqual(GRAPH);
    expect(result).toMatchObject({
      files: [
        { ok: true, files: [{ id: 'F0000000001', name: 'graph.png', mimetype: 'image/png', size: GRAPH.length }] },
      ],
    });
  });

  it('records the shared upload as a message in the channel and writes the bytes and the message', async () => {
    await start();

    await uploadGraph(webClient(SANDBOX_SLACK_BOT_TOKEN));

    expect(standIn.messages).toMatchObject([
      {
        via: 'files.completeUploadExternal',
        channel: CHANNEL,
        text: 'CPU of orders-aurora, last 3 hours',
        files: ['F0000000001'],
      },
    ]);
    expect(readdirSync(directory).sort()).toEqual(['0001-graph.png', '0002-files.completeUploadExternal.json']);
    expect(readFileSync(path.join(directory, '0001-graph.png'))).toEqual(GRAPH);
  });

  it('shares several uploaded files in one message', async () => {
    await start();

    await webClient(SANDBOX_SLACK_BOT_TOKEN).files.uploadV2({
      channel_id: CHANNEL,
      initial_comment: 'orders-aurora, last 3 hours',
      file_uploads: [
        { file: GRAPH, filename: 'cpu.png', title: 'CPU' },
        { file: Buffer.from('memory graph'), filename: 'memory.png', title: 'Memory' },
      ],
    });

    expect(standIn.uploads.map((upload) => [upload.filename, upload.title, upload.completed])).toEqual([
      ['cpu.png', 'CPU', true],
      ['memory.png', 'Memory', true],
    ]);
    expect(standIn.messages).toMatchObject([{ files: ['F0000000001', 'F0000000002'] }]);
    expect(standIn.calls.filter((call) => call.method === 'files.completeUploadExternal')).toHaveLength(1);
  });

  it('rejects a wrong bot token with invalid_auth and uploads nothing', async () => {
    await start();

    const upload = uploadGraph(webClient('xoxb-some-other-token'));

    await expect(upload).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'invalid_auth' } });
    expect(standIn.calls).toEqual([{ method: 'files.getUploadURLExternal', status: 200, error: 'invalid_auth' }]);
    expect(standIn.uploads).toEqual([]);
  });

  it('answers not_authed to a call without a token', async () => {
    await start();

    const call = new WebClient(undefined, {
      slackApiUrl: standIn.apiUrl,
      retryConfig: { retries: 0 },
    }).chat.postMessage({
      channel: CHANNEL,
      text: 'hello',
    });

    await expect(call).rejects.toMatchObject({ data: { error: 'not_authed' } });
  });

  it('refuses the bytes posted to an upload URL without the bot token', async () => {
    await start();
    const { upload_url: url } = await webClient(SANDBOX_SLACK_BOT_TOKEN).files.getUploadURLExternal({
      filename: 'graph.png',
      length: GRAPH.length,
    });

    const response = await fetch(url ?? '', { method: 'POST', body: GRAPH });

    expect([response.status, await response.text()]).toEqual([401, 'invalid_auth']);
    expect(standIn.uploads[0]?.bytes).toBeUndefined();
  });

  it('answers file_not_found when completing a file whose bytes were never posted', async () => {
    await start();
    const client = webClient(SANDBOX_SLACK_BOT_TOKEN);
    const { file_id: id } = await client.files.getUploadURLExternal({ filename: 'graph.png', length: 10 });

    const complete = client.files.completeUploadExternal({ files: [{ id: id ?? '' }], channel_id: CHANNEL });

    await expect(complete).rejects.toMatchObject({ data: { error: 'file_not_found' } });
  });

  it('records chat.postMessage and answers with the message and its ts', async () => {
    await start();

    const result = await webClient(SANDBOX_SLACK_BOT_TOKEN).chat.postMessage({
      channel: CHANNEL,
      text: 'run failed',
      blocks: BLOCKS,
    });

    expect(result).toMatchObject({
      ok: true,
      channel: CHANNEL,
      ts: `${NOW / 1000}.000001`,
      message: { text: 'run failed' },
    });
    expect(standIn.messages).toMatchObject([{ via: 'chat.postMessage', channel: CHANNEL, blocks: BLOCKS }]);
    expect(readdirSync(directory)).toEqual(['0001-chat.postMessage.json']);
  });

  it('removes the files of a previous run from its folder at start, and keeps the others', async () => {
    writeFileSync(path.join(directory, '0001-webhook.json'), '{}');
    writeFileSync(path.join(directory, 'notes.txt'), 'mine');

    await start();

    expect(readdirSync(directory)).toEqual(['notes.txt']);
  });
});
