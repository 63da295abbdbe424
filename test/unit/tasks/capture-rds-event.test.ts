import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import {
  GetSecretValueCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type CaptureRdsEventDeps, captureRdsEvent } from '../../../tasks/capture-rds-event';
import { InvalidInputError, TransientAwsError } from '../../../tasks/common/errors';
import { parseNotifyConfig } from '../../../tasks/common/notify-config';
import { SecretUnavailableError, SlackPostError } from '../../../tasks/common/notify-errors';
import { forgetCachedSecrets } from '../../../tasks/common/secrets';
import { slackNotifier } from '../../../tasks/common/slack-webhook';
import { s3NotFound } from '../../helpers/aws-errors';
import { silenceLogger } from '../../helpers/logger';
import { rdsEventSample } from '../../helpers/rds-event-samples';

type Json = Record<string, unknown>;

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const s3 = new S3Client({ region: 'ap-northeast-2', credentials });
const secrets = new SecretsManagerClient({ region: 'ap-northeast-2', credentials });
const s3Mock = mockClient(s3);
const secretsMock = mockClient(secrets);

const SECRET = 'rds-log-archive/slack-webhook';
const NOW = Date.parse('2026-11-21T15:31:00Z');
const KEY =
  'rds-events/2026/11/21/rds:orders-aurora-2026-11-21-15-30/RDS-EVENT-0169-9e2d41a7-3b6c-f0d8-5a17-c84e06b2d9f3.json';
const MARKER = KEY.replace(/\.json$/, '.posted');

const sample = rdsEventSample;

/** Slack's webhook on loopback: answers every post with `status` and keeps the bodies. */
let posts: Json[];
let webhookStatus: number;
let server: Server;
let webhookUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json);
      response.writeHead(webhookStatus).end(webhookStatus === 200 ? 'ok' : 'internal_error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/XXXX`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

function s3Error(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message: name });
}

function deps(env: Record<string, string> = {}): CaptureRdsEventDeps {
  const config = parseNotifyConfig({
    ARCHIVE_BUCKET: 'archive-bucket',
    SLACK_WEBHOOK_SECRET: SECRET,
    NOTIFY_TIME_ZONE: 'Asia/Seoul',
    ...env,
  });
  return { s3, notifier: slackNotifier({ secrets, config, sleep: async () => undefined }), config, now: () => NOW };
}

async function captureError(event: Json): Promise<Error> {
  try {
    await captureRdsEvent(event, deps());
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected captureRdsEvent to fail');
}

/** What PutObject received for `key`, in call order. */
const putsOf = (key: string) =>
  s3Mock
    .commandCalls(PutObjectCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.Key === key);

/** An earlier delivery stored the event already; `posted` says whether it also posted it. */
function storedBefore(posted: boolean) {
  s3Mock.on(PutObjectCommand, { Key: KEY }).rejects(s3Error('PreconditionFailed', 412));
  s3Mock.on(HeadObjectCommand, { Key: MARKER }).callsFake(async () => {
    if (posted) return {};
    throw s3NotFound();
  });
}

beforeEach(() => {
  s3Mock.reset();
  secretsMock.reset();
  forgetCachedSecrets();
  s3Mock.on(PutObjectCommand).resolves({});
  // Nothing posted yet: the marker HEAD answers 404.
  s3Mock.on(HeadObjectCommand).rejects(s3NotFound());
  secretsMock.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: webhookUrl });
  posts = [];
  webhookStatus = 200;
  silenceLogger();
});

describe('captureRdsEvent', () => {
  it('stores the event once at its key, posts it and records the post', async () => {
    const event = sample('cluster-automated-snapshot');

    const output = await captureRdsEvent(event, deps());

    expect(output).toEqual({ key: KEY, stored: true, kind: 'snapshot', posted: 'posted' });
    const [stored] = putsOf(KEY);
    expect(stored).toMatchObject({ Bucket: 'archive-bucket', IfNoneMatch: '*', ContentType: 'application/json' });
    expect(JSON.parse(String(stored?.Body))).toEqual(event);
    expect(posts).toHaveLength(1);
    expect(putsOf(MARKER)).toEqual([
      expect.objectContaining({ IfNoneMatch: '*', Body: JSON.stringify({ postedAt: '2026-11-21T15:31:00.000Z' }) }),
    ]);
  });

  it('files the event by its UTC day but shows the local day in Slack', async () => {
    const output = await captureRdsEvent(sample('cluster-automated-snapshot'), deps());

    expect(output.key).toMatch(/^rds-events\/2026\/11\/21\//);
    expect(posts[0]?.text).toContain('2026-11-22 00:30:00 KST (Asia/Seoul)');
  });

  it('neither stores nor posts again an event delivered again after it was posted', async () => {
    storedBefore(true);

    const output = await captureRdsEvent(sample('cluster-automated-snapshot'), deps());

    expect(output).toEqual({ key: KEY, stored: false, kind: 'snapshot', posted: 'already posted' });
    expect(posts).toEqual([]);
    expect(putsOf(KEY)).toHaveLength(1);
    expect(putsOf(MARKER)).toEqual([]);
  });

  it('posts an event delivered again whose earlier post failed, without storing it again', async () => {
    storedBefore(false);

    const output = await captureRdsEvent(sample('cluster-automated-snapshot'), deps());

    expect(output).toEqual({ key: KEY, stored: false, kind: 'snapshot', posted: 'posted' });
    expect(posts).toHaveLength(1);
    expect(putsOf(MARKER)).toHaveLength(1);
  });

  it('takes a conflicting concurrent write (409) as stored by the other delivery', async () => {
    s3Mock.on(PutObjectCommand, { Key: KEY }).rejects(s3Error('ConditionalRequestConflict', 409));
    s3Mock.on(HeadObjectCommand, { Key: MARKER }).resolves({});

    const output = await captureRdsEvent(sample('cluster-automated-snapshot'), deps());

    expect(output).toMatchObject({ stored: false, posted: 'already posted' });
  });

  it('keeps the stored event and fails with a clear error when the secret cannot be read', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(
      new SecretsManagerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized',
      }),
    );

    const error = await captureError(sample('cluster-automated-snapshot'));

    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(error.message).toContain(`secret "${SECRET}": access denied`);
    expect(putsOf(KEY)).toHaveLength(1);
    expect(putsOf(MARKER)).toEqual([]);
  });

  it('keeps the stored event and fails, to be retried, when Slack keeps failing', async () => {
    webhookStatus = 500;

    const error = await captureError(sample('failover'));

    expect(error).toBeInstanceOf(SlackPostError);
    expect(error.message).toBe('Slack webhook still answered 500 internal_error after 5 attempts');
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it('stores the event and reads no secret when Slack is not configured', async () => {
    const output = await captureRdsEvent(sample('failover'), deps({ SLACK_WEBHOOK_SECRET: '' }));

    expect(output).toMatchObject({ stored: true, kind: 'failover', posted: 'not configured' });
    expect(secretsMock).not.toHaveReceivedAnyCommand();
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it('stores but does not post kinds that are not chosen', async () => {
    const output = await captureRdsEvent(
      sample('cluster-automated-snapshot'),
      deps({ RDS_EVENT_KINDS: 'failure,failover' }),
    );

    expect(output).toMatchObject({ stored: true, kind: 'snapshot', posted: 'not a posted kind' });
    expect(posts).toEqual([]);
    expect(secretsMock).not.toHaveReceivedAnyCommand();
  });

  it('posts a chosen kind', async () => {
    const output = await captureRdsEvent(sample('failure'), deps({ RDS_EVENT_KINDS: 'failure,failover' }));

    expect(output).toMatchObject({ kind: 'failure', posted: 'posted' });
    expect(posts).toHaveLength(1);
  });

  it('does not post other events by default', async () => {
    const output = await captureRdsEvent(sample('other'), deps());

    expect(output).toMatchObject({ stored: true, kind: 'other', posted: 'not a posted kind' });
  });

  it('stores nothing for a malformed event and names the field', async () => {
    const event = sample('reboot');
    delete (event.detail as Json).EventID;

    const error = await captureError(event);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('detail.EventID');
    expect(s3Mock).not.toHaveReceivedAnyCommand();
  });

  it('fails with a TransientAwsError and posts nothing when S3 throttles the store', async () => {
    s3Mock.on(PutObjectCommand, { Key: KEY }).rejects(s3Error('SlowDown', 503));

    const error = await captureError(sample('cluster-automated-snapshot'));

    expect(error).toBeInstanceOf(TransientAwsError);
    expect(posts).toEqual([]);
  });

  it('still reports the post when the marker cannot be written', async () => {
    s3Mock.on(PutObjectCommand, { Key: MARKER }).rejects(s3Error('AccessDenied', 403));

    const output = await captureRdsEvent(sample('cluster-automated-snapshot'), deps());

    expect(output).toMatchObject({ stored: true, posted: 'posted' });
    expect(posts).toHaveLength(1);
  });

  it('posts a redelivered event once even where the store ignores IfNoneMatch', async () => {
    s3Mock.on(HeadObjectCommand, { Key: MARKER }).resolves({});

    const output = await captureRdsEvent(sample('cluster-automated-snapshot'), deps());

    expect(output).toMatchObject({ stored: true, posted: 'already posted' });
    expect(posts).toHaveLength(0);
  });
});
