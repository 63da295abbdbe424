import {
  GetLogEventsCommand,
  type GetLogEventsCommandInput,
  InvalidParameterException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { readLogEvents } from '../../../tasks/common/log-events';
import { HOUR, NOW, useLogsSession } from './cloudwatch-helpers';
import { seedOf } from './helpers';

const GROUP = '/aws/rds/instance/billing-postgres/postgresql';
const PROTECTED = '/aws/rds/instance/cards-postgres/postgresql';
const STREAM = 'billing-postgres';
/** 100,000 bytes of message: 10 of them (+26 bytes each) fit in a 1 MB page, 11 do not. */
const BIG = 'x'.repeat(100_000);

const session = useLogsSession(
  seedOf({
    cloudwatch: {
      logGroups: [
        {
          name: GROUP,
          streams: [
            { name: STREAM, events: [1, 2, 3, 4, 5].map((h) => ({ hoursAgo: 6 - h, message: `event ${h}` })) },
            { name: 'big', events: Array.from({ length: 11 }, (_, i) => ({ hoursAgo: 20 - i, message: BIG })) },
            { name: 'empty' },
          ],
        },
        {
          name: PROTECTED,
          dataProtection: true,
          streams: [{ name: 'cards', events: [{ hoursAgo: 1, message: 'card 4111 1111 1111 1111 charged' }] }],
        },
      ],
    },
  }),
  { perTest: true },
);

const get = (input: Partial<GetLogEventsCommandInput>) =>
  session.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, ...input }));

const messages = (page: { events?: { message?: string }[] }) => page.events?.map((event) => event.message);

describe('GetLogEvents', () => {
  it('reads from the head page by page and ends by returning the token it was given', async () => {
    const first = await get({ startFromHead: true, limit: 2 });
    const second = await get({ startFromHead: true, limit: 2, nextToken: first.nextForwardToken });
    const third = await get({ startFromHead: true, limit: 2, nextToken: second.nextForwardToken });
    const end = await get({ startFromHead: true, limit: 2, nextToken: third.nextForwardToken });

    expect([first, second, third, end].map(messages)).toEqual([
      ['event 1', 'event 2'],
      ['event 3', 'event 4'],
      ['event 5'],
      [],
    ]);
    expect(first.nextForwardToken).toMatch(/^f\//);
    expect(first.nextBackwardToken).toMatch(/^b\//);
    expect(third.nextForwardToken).not.toBe(second.nextForwardToken);
    expect(end.nextForwardToken).toBe(third.nextForwardToken);
  });

  it('returns timestamps and ingestion times with each event', async () => {
    const page = await get({ startFromHead: true, limit: 1 });

    expect(page.events).toEqual([{ timestamp: NOW - 5 * HOUR, message: 'event 1', ingestionTime: NOW - 5 * HOUR }]);
  });

  it('reads the latest events first without startFromHead, and walks back to the start', async () => {
    const latest = await get({ limit: 2 });
    const earlier = await get({ limit: 2, nextToken: latest.nextBackwardToken });
    const earliest = await get({ limit: 2, nextToken: earlier.nextBackwardToken });
    const start = await get({ limit: 2, nextToken: earliest.nextBackwardToken });

    expect([latest, earlier, earliest, start].map(messages)).toEqual([
      ['event 4', 'event 5'],
      ['event 2', 'event 3'],
      ['event 1'],
      [],
    ]);
    expect(start.nextBackwardToken).toBe(earliest.nextBackwardToken);
  });

  it('continues forward after a backward page', async () => {
    const latest = await get({ limit: 2 });
    const earlier = await get({ limit: 2, nextToken: latest.nextBackwardToken });

    const forward = await get({ startFromHead: true, nextToken: earlier.nextForwardToken });

    expect(messages(forward)).toEqual(['event 4', 'event 5']);
  });

  it('includes startTime and excludes endTime', async () => {
    const page = await get({ startFromHead: true, startTime: NOW - 4 * HOUR, endTime: NOW - 2 * HOUR });

    expect(messages(page)).toEqual(['event 2', 'event 3']);
  });

  it('ends at endTime when reading on with the forward token', async () => {
    const bounds = { startFromHead: true, startTime: NOW - 4 * HOUR, endTime: NOW - 2 * HOUR };
    const first = await get(bounds);

    const next = await get({ ...bounds, nextToken: first.nextForwardToken });

    expect(messages(next)).toEqual([]);
    expect(next.nextForwardToken).toBe(first.nextForwardToken);
  });

  it('sees events appended after the end on the next forward read', async () => {
    const first = await get({ startFromHead: true });
    session.standIn.appendEvent(GROUP, STREAM, { timestamp: NOW, message: 'event 6' });

    const next = await get({ startFromHead: true, nextToken: first.nextForwardToken });

    expect(messages(next)).toEqual(['event 6']);
  });

  it('fills a page with at most 1,048,576 bytes counting 26 bytes per event', async () => {
    const first = await get({ logStreamName: 'big', startFromHead: true });
    const second = await get({ logStreamName: 'big', startFromHead: true, nextToken: first.nextForwardToken });

    expect(first.events).toHaveLength(10);
    expect(second.events).toHaveLength(1);
  });

  it('serves the tasks readLogEvents helper every event once, then stops', async () => {
    const read: string[] = [];
    for await (const page of readLogEvents(session.logs, { logGroupName: GROUP, logStreamName: STREAM })) {
      read.push(...page.events.map((event) => event.message));
    }

    expect(read).toEqual(['event 1', 'event 2', 'event 3', 'event 4', 'event 5']);
  });

  it('ends at once on an empty stream', async () => {
    const first = await get({ logStreamName: 'empty', startFromHead: true });
    const next = await get({ logStreamName: 'empty', startFromHead: true, nextToken: first.nextForwardToken });

    expect(first.events).toEqual([]);
    expect(next.nextForwardToken).toBe(first.nextForwardToken);
  });

  it('masks the digits of a data-protected group unless unmask is set', async () => {
    const request = { logGroupName: PROTECTED, logStreamName: 'cards' };
    const maskedPage = await get(request);
    const clear = await get({ ...request, unmask: true });

    expect(messages(maskedPage)).toEqual(['card **** **** **** **** charged']);
    expect(messages(clear)).toEqual(['card 4111 1111 1111 1111 charged']);
  });

  it('refuses a token of another stream', async () => {
    const { nextForwardToken } = await get({ logStreamName: 'big', startFromHead: true, limit: 1 });

    const error = await get({ startFromHead: true, nextToken: nextForwardToken }).catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('refuses a limit above 10,000', async () => {
    await expect(get({ limit: 10_001 })).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('answers ResourceNotFoundException for a stream that does not exist', async () => {
    const error = await get({ logStreamName: 'ghost' }).catch((e) => e);

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe('The specified log stream does not exist.');
  });
});
