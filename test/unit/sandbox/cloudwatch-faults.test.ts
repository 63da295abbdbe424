import {
  CancelExportTaskCommand,
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  DeleteLogStreamCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type CloudWatchStandIn,
  cloudWatchClientConfig,
  startCloudWatchStandIn,
} from '../../../sandbox/cloudwatch-stand-in';
import { parseSeed } from '../../../sandbox/seed';

const GROUP = '/aws/rds/instance/billing-postgres/postgresql';
const STREAM = 'billing-postgres';
const OTHER = 'billing-postgres-replica';
const HOUR = 3_600_000;

let clock = Date.UTC(2026, 10, 20, 12, 0, 0);
let standIn: CloudWatchStandIn;
let logs: CloudWatchLogsClient;

async function start(faults: unknown, options: { random?: () => number; maxAttempts?: number } = {}) {
  const seed = parseSeed(
    {
      cloudwatch: {
        logGroups: [
          {
            name: GROUP,
            streams: [
              { name: STREAM, events: [{ hoursAgo: 2, message: 'LOG:  checkpoint starting: time' }] },
              { name: OTHER, events: [{ hoursAgo: 2, message: 'LOG:  replica ready' }] },
            ],
          },
        ],
        faults,
      },
    },
    '/',
  );
  standIn = await startCloudWatchStandIn({
    seed,
    s3: new S3Client({ region: 'us-east-1' }),
    now: () => clock,
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  logs = new CloudWatchLogsClient(cloudWatchClientConfig(standIn, options.maxAttempts ?? 1));
}

afterEach(async () => {
  logs.destroy();
  await standIn.stop();
});

const read = (logStreamName = STREAM) =>
  logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName, startFromHead: true }));
const deleteStream = (logStreamName = STREAM) =>
  logs.send(new DeleteLogStreamCommand({ logGroupName: GROUP, logStreamName }));
const messagesOf = (stream = STREAM) => standIn.events(GROUP, stream)?.map((event) => event.message);

describe('writers', () => {
  it('append one event stamped now after each of the first `times` calls on their stream', async () => {
    await start({
      writers: [
        { logGroupName: GROUP, logStreamName: STREAM, after: 'GetLogEvents', times: 2, message: 'LOG:  new line' },
      ],
    });

    const first = await read();
    clock += 1000;
    await read(OTHER);
    await read();
    await read();

    expect(first.events?.map((event) => event.message)).toEqual(['LOG:  checkpoint starting: time']);
    expect(standIn.events(GROUP, STREAM)?.slice(1)).toEqual([
      { timestamp: clock - 1000, message: 'LOG:  new line', ingestionTime: clock - 1000 },
      { timestamp: clock, message: 'LOG:  new line', ingestionTime: clock },
    ]);
    expect(messagesOf(OTHER)).toEqual(['LOG:  replica ready']);
  });

  it('make the stream again when it was deleted under them, with the time in their message', async () => {
    const message = '{postgresTime}::@:[7508]:LOG:  still writing';
    await start({ writers: [{ logGroupName: GROUP, logStreamName: STREAM, after: 'DeleteLogStream', message }] });

    await deleteStream();

    const time = `${new Date(clock).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
    expect(messagesOf()).toEqual([`${time}::@:[7508]:LOG:  still writing`]);
  });
});

describe('crashes', () => {
  it('before: answer InjectedCrash without applying the call, then let a re-run through', async () => {
    await start({ crashes: [{ operation: 'DeleteLogStream', when: 'before' }] });

    const crashed = await deleteStream().catch((e) => e);
    const streamsAfterCrash = standIn.streams(GROUP);
    await deleteStream();

    expect(crashed).toMatchObject({ name: 'InjectedCrash', $metadata: { httpStatusCode: 400 } });
    expect(streamsAfterCrash).toEqual([STREAM, OTHER].sort());
    expect(standIn.streams(GROUP)).toEqual([OTHER]);
  });

  it('after: apply the call, then answer InjectedCrash', async () => {
    await start({ crashes: [{ operation: 'PutLogEvents', when: 'after' }] });
    const put = () =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: STREAM,
          logEvents: [{ timestamp: clock - HOUR, message: 'LOG:  kept event' }],
        }),
      );

    const crashed = await put().catch((e) => e);
    await put();

    expect(crashed).toMatchObject({ name: 'InjectedCrash' });
    expect(messagesOf()).toEqual(['LOG:  checkpoint starting: time', 'LOG:  kept event', 'LOG:  kept event']);
  });

  it('only hit the stream they are narrowed to', async () => {
    await start({
      crashes: [{ operation: 'DeleteLogStream', when: 'after', logGroupName: GROUP, logStreamName: STREAM }],
    });

    await deleteStream(OTHER);
    const crashed = await deleteStream().catch((e) => e);

    expect(crashed).toMatchObject({ name: 'InjectedCrash' });
    expect(standIn.streams(GROUP)).toEqual([]);
  });

  it('are not retried by the SDK', async () => {
    await start({ crashes: [{ operation: 'DescribeLogGroups', when: 'before' }] }, { maxAttempts: 3 });

    const crashed = await logs.send(new DescribeLogGroupsCommand({})).catch((e) => e);

    expect(crashed.$metadata.attempts).toBe(1);
    expect(standIn.calls.map((call) => [call.operation, call.status, call.error])).toEqual([
      ['DescribeLogGroups', 400, 'InjectedCrash'],
    ]);
  });
});

describe('throttling', () => {
  it('answers ThrottlingException (HTTP 400) when random falls under throttleRate, which the SDK retries', async () => {
    let draws = 0;
    await start({ throttleRate: 0.5 }, { random: () => (draws++ === 0 ? 0.2 : 0.7), maxAttempts: 3 });

    const result = await logs.send(new DescribeLogGroupsCommand({}));

    expect(result.$metadata.attempts).toBe(2);
    expect(standIn.calls.map((call) => [call.status, call.error])).toEqual([
      [400, 'ThrottlingException'],
      [200, undefined],
    ]);
  });

  it('surfaces as ThrottlingException to a client that does not retry', async () => {
    await start({ throttleRate: 1 }, { random: () => 0.99 });

    const error = await read().catch((e) => e);

    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('signatures and operations', () => {
  it('rejects a request signed with the wrong secret with InvalidSignatureException', async () => {
    await start({});
    const wrong = new CloudWatchLogsClient({
      ...cloudWatchClientConfig(standIn, 1),
      credentials: { accessKeyId: standIn.credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
    });

    const error = await wrong.send(new DescribeLogGroupsCommand({})).catch((e) => e);
    wrong.destroy();

    expect(error).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
  });

  it('rejects an unknown access key with UnrecognizedClientException', async () => {
    await start({});
    const stranger = new CloudWatchLogsClient({
      ...cloudWatchClientConfig(standIn, 1),
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: standIn.credentials.secretAccessKey },
    });

    const error = await stranger.send(new DescribeLogGroupsCommand({})).catch((e) => e);
    stranger.destroy();

    expect(error).toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it('rejects a request signed for another region', async () => {
    await start({});
    const misrouted = new CloudWatchLogsClient({ ...cloudWatchClientConfig(standIn, 1), region: 'eu-west-1' });

    const error = await misrouted.send(new DescribeLogGroupsCommand({})).catch((e) => e);
    misrouted.destroy();

    expect(error).toMatchObject({ name: 'InvalidSignatureException' });
    expect(error.message).toMatch(/Credential should be scoped to \d{8}\/us-east-1\/logs\/aws4_request/);
  });

  it('answers UnknownOperationException for an operation it does not stand in for', async () => {
    await start({});

    const error = await logs.send(new CancelExportTaskCommand({ taskId: 'x' })).catch((e) => e);

    expect(error).toBeInstanceOf(CloudWatchLogsServiceException);
    expect(error.name).toBe('UnknownOperationException');
  });

  it('records every call with the group and stream it named', async () => {
    await start({});

    await read().catch(() => undefined);
    const missing = await logs
      .send(new GetLogEventsCommand({ logGroupName: '/aws/rds/ghost', logStreamName: 'x' }))
      .catch((e) => e);

    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(standIn.calls).toEqual([
      { operation: 'GetLogEvents', logGroupName: GROUP, logStreamName: STREAM, status: 200 },
      {
        operation: 'GetLogEvents',
        logGroupName: '/aws/rds/ghost',
        logStreamName: 'x',
        status: 400,
        error: 'ResourceNotFoundException',
      },
    ]);
  });
});
