import {
  CreateLogStreamCommand,
  DeleteLogStreamCommand,
  DescribeLogGroupsCommand,
  type InputLogEvent,
  InvalidParameterException,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { HOUR, NOW, useLogsSession } from './cloudwatch-helpers';
import { seedOf } from './helpers';

const MINUTE = 60_000;
const DAY = 24 * HOUR;
const GROUP = '/aws/rds/cluster/orders-aurora/error';
const WEEKLY = '/aws/rds/cluster/orders-aurora/slowquery';
const STREAM = 'orders-aurora-1';

const session = useLogsSession(
  seedOf({
    cloudwatch: {
      logGroups: [
        { name: GROUP, streams: [{ name: STREAM }] },
        { name: WEEKLY, retentionInDays: 7, streams: [{ name: STREAM }] },
      ],
    },
  }),
  { perTest: true },
);

const put = (logEvents: InputLogEvent[], logGroupName = GROUP, logStreamName = STREAM) =>
  session.logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents }));

/** Events one second apart, ending at `last`, with messages `e0`, `e1`, … padded to `size`. */
const eventsEndingAt = (last: number, count: number, size = 2) =>
  Array.from({ length: count }, (_, i) => ({
    timestamp: last - (count - 1 - i) * 1000,
    message: `e${i}`.padEnd(size, '.'),
  }));

const stored = (logGroupName = GROUP) => session.standIn.events(logGroupName, STREAM)?.map((event) => event.message);

describe('PutLogEvents', () => {
  it('stores the events with ingestionTime now and no rejection info', async () => {
    const result = await put([{ timestamp: NOW - HOUR, message: 'ready for connections' }]);

    expect(result.rejectedLogEventsInfo).toBeUndefined();
    expect(result.nextSequenceToken).toEqual(expect.any(String));
    expect(session.standIn.events(GROUP, STREAM)).toEqual([
      { timestamp: NOW - HOUR, message: 'ready for connections', ingestionTime: NOW },
    ]);
  });

  it('stores a repeated call again: duplicates are accepted', async () => {
    const batch = [{ timestamp: NOW - HOUR, message: 'same' }];

    await put(batch);
    await put(batch);

    expect(stored()).toEqual(['same', 'same']);
  });

  it('accepts 10,000 events and refuses 10,001', async () => {
    await expect(put(eventsEndingAt(NOW, 10_000))).resolves.toBeDefined();
    const error = await put(eventsEndingAt(NOW, 10_001)).catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toMatch(/Member must have length less than or equal to 10000/);
    expect(stored()).toHaveLength(10_000);
  });

  it('accepts exactly 1,048,576 bytes (messages + 26 per event) and refuses one byte more', async () => {
    // 8 events of 131,046 bytes + 26 = 8 × 131,072 = 1,048,576.
    await expect(put(eventsEndingAt(NOW, 8, 131_046))).resolves.toBeDefined();
    const error = await put(
      eventsEndingAt(NOW, 8, 131_046).map((e, i) => (i === 0 ? { ...e, message: `${e.message}!` } : e)),
    ).catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe('Upload too large: 1048577 bytes exceeds limit of 1048576');
  });

  it('refuses events out of chronological order and stores none of them', async () => {
    const error = await put([
      { timestamp: NOW - HOUR, message: 'b' },
      { timestamp: NOW - 2 * HOUR, message: 'a' },
    ]).catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toMatch(/chronological order/);
    expect(stored()).toEqual([]);
  });

  it('accepts a batch spanning exactly 24 hours and refuses one spanning more', async () => {
    await expect(
      put([
        { timestamp: NOW - DAY, message: 'a' },
        { timestamp: NOW, message: 'b' },
      ]),
    ).resolves.toBeDefined();
    const error = await put([
      { timestamp: NOW - DAY - 1, message: 'a' },
      { timestamp: NOW, message: 'b' },
    ]).catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toMatch(/cannot span more than 24 hours/);
  });

  it('drops events older than 14 days, reports tooOldLogEventEndIndex (exclusive) and stores the rest', async () => {
    const result = await put([
      { timestamp: NOW - 14 * DAY - 2 * HOUR, message: 'too old 0' },
      { timestamp: NOW - 14 * DAY - 1, message: 'too old 1' },
      { timestamp: NOW - 14 * DAY, message: 'kept 2' },
      { timestamp: NOW - 14 * DAY + HOUR, message: 'kept 3' },
    ]);

    expect(result.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2 });
    expect(stored()).toEqual(['kept 2', 'kept 3']);
  });

  it("drops events older than the group's retention and reports expiredLogEventEndIndex (exclusive)", async () => {
    const result = await put(
      [
        { timestamp: NOW - 7 * DAY - HOUR, message: 'expired 0' },
        { timestamp: NOW - 7 * DAY - MINUTE, message: 'expired 1' },
        { timestamp: NOW - 7 * DAY + HOUR, message: 'kept 2' },
      ],
      WEEKLY,
    );

    expect(result.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 2 });
    expect(stored(WEEKLY)).toEqual(['kept 2']);
  });

  it('drops events more than 2 hours ahead and reports tooNewLogEventStartIndex (inclusive)', async () => {
    const result = await put([
      { timestamp: NOW, message: 'kept 0' },
      { timestamp: NOW + 2 * HOUR, message: 'kept 1' },
      { timestamp: NOW + 2 * HOUR + 1, message: 'too new 2' },
      { timestamp: NOW + 3 * HOUR, message: 'too new 3' },
    ]);

    expect(result.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 2 });
    expect(stored()).toEqual(['kept 0', 'kept 1']);
  });

  it('names the member of an event without a timestamp', async () => {
    const error = await put([{ timestamp: NOW, message: 'a' }, { message: 'b' } as InputLogEvent]).catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe(
      "1 validation error detected: Value null at 'logEvents.2.member.timestamp' failed to satisfy constraint: Member must not be null",
    );
  });

  it('answers ResourceNotFoundException for a missing group or stream', async () => {
    const batch = [{ timestamp: NOW, message: 'a' }];

    await expect(put(batch, '/aws/rds/ghost')).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(put(batch, GROUP, 'ghost')).rejects.toThrow('The specified log stream does not exist.');
  });
});

describe('CreateLogStream and DeleteLogStream', () => {
  it('creates an empty stream and refuses to create it twice', async () => {
    await session.logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'orders-aurora-2' }));
    const again = await session.logs
      .send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'orders-aurora-2' }))
      .catch((e) => e);

    expect(session.standIn.streams(GROUP)).toEqual(['orders-aurora-1', 'orders-aurora-2']);
    expect(session.standIn.events(GROUP, 'orders-aurora-2')).toEqual([]);
    expect(again).toBeInstanceOf(ResourceAlreadyExistsException);
  });

  it('deletes a stream with all its events', async () => {
    await put([{ timestamp: NOW, message: 'a' }]);

    await session.logs.send(new DeleteLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }));

    expect(session.standIn.events(GROUP, STREAM)).toBeUndefined();
    expect(session.standIn.streams(GROUP)).toEqual([]);
  });

  it('answers ResourceNotFoundException when deleting a stream that does not exist', async () => {
    const error = await session.logs
      .send(new DeleteLogStreamCommand({ logGroupName: GROUP, logStreamName: 'ghost' }))
      .catch((e) => e);

    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('PutRetentionPolicy', () => {
  it('sets an allowed retention, which DescribeLogGroups then reports', async () => {
    await session.logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 14 }));

    const { logGroups } = await session.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: GROUP }));
    expect(logGroups?.[0]?.retentionInDays).toBe(14);
  });

  it('refuses a retention CloudWatch Logs does not offer', async () => {
    const error = await session.logs
      .send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 4 }))
      .catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toMatch(
      /at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set/,
    );
  });
});
