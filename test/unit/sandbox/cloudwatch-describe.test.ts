import {
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  InvalidParameterException,
  paginateDescribeLogGroups,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { HOUR, NOW, useLogsSession } from './cloudwatch-helpers';
import { seedOf } from './helpers';

const ORDERS = '/aws/rds/cluster/orders-aurora/error';
const BUSY = '/aws/rds/instance/busy-mysql/error';
const pad = (i: number) => String(i).padStart(2, '0');

const session = useLogsSession(
  seedOf({
    region: 'eu-west-1',
    cloudwatch: {
      logGroups: [
        {
          name: ORDERS,
          retentionInDays: 30,
          dataProtection: true,
          createdHoursAgo: 720,
          streams: [
            { name: 'orders-aurora-1', events: [{ hoursAgo: 5, message: 'older' }] },
            { name: 'orders-aurora-2', events: [{ hoursAgo: 2, message: 'newer' }] },
            { name: 'orders-aurora-3' },
          ],
        },
        // 60 streams, the latest event in stream-00, the oldest in stream-59.
        {
          name: BUSY,
          streams: Array.from({ length: 60 }, (_, i) => ({
            name: `stream-${pad(i)}`,
            events: [{ hoursAgo: i + 1, message: `event ${i}` }],
          })),
        },
        ...Array.from({ length: 55 }, (_, i) => ({ name: `/aws/rds/instance/spare-${pad(i)}/postgresql` })),
      ],
    },
  }),
);

describe('DescribeLogGroups', () => {
  it('describes a group as CloudWatch Logs does', async () => {
    const { logGroups } = await session.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: ORDERS }));

    expect(logGroups).toEqual([
      expect.objectContaining({
        logGroupName: ORDERS,
        arn: `arn:aws:logs:eu-west-1:123456789012:log-group:${ORDERS}:*`,
        creationTime: NOW - 720 * HOUR,
        retentionInDays: 30,
        storedBytes: 'older'.length + 'newer'.length,
        dataProtectionStatus: 'ACTIVATED',
      }),
    ]);
  });

  it('leaves out retention and data protection a group does not have', async () => {
    const { logGroups } = await session.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: BUSY }));

    expect(logGroups?.[0]).not.toHaveProperty('retentionInDays');
    expect(logGroups?.[0]).not.toHaveProperty('dataProtectionStatus');
  });

  it('pages at 50 groups by default, in name order, each group once', async () => {
    const first = await session.logs.send(new DescribeLogGroupsCommand({}));
    const second = await session.logs.send(new DescribeLogGroupsCommand({ nextToken: first.nextToken }));

    const names = [...(first.logGroups ?? []), ...(second.logGroups ?? [])].map((group) => group.logGroupName);
    expect(first.logGroups).toHaveLength(50);
    expect(second.logGroups).toHaveLength(7);
    expect(second.nextToken).toBeUndefined();
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(57);
  });

  it("works with the SDK's paginator and a smaller limit", async () => {
    const pages: number[] = [];
    for await (const page of paginateDescribeLogGroups(
      { client: session.logs, pageSize: 20 },
      { logGroupNamePrefix: '/aws/rds/instance/spare-' },
    )) {
      pages.push(page.logGroups?.length ?? 0);
    }

    expect(pages).toEqual([20, 20, 15]);
  });

  it('refuses a limit above 50 with InvalidParameterException', async () => {
    const error = await session.logs.send(new DescribeLogGroupsCommand({ limit: 51 })).catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toMatch(
      /at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50/,
    );
  });

  it('refuses a token it did not hand out', async () => {
    const error = await session.logs.send(new DescribeLogGroupsCommand({ nextToken: 'made-up' })).catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
  });
});

describe('DescribeLogStreams', () => {
  it('gives the event times of a stream and leaves them out for an empty one', async () => {
    const { logStreams } = await session.logs.send(new DescribeLogStreamsCommand({ logGroupName: ORDERS }));

    expect(logStreams).toEqual([
      {
        logStreamName: 'orders-aurora-1',
        creationTime: NOW - 5 * HOUR,
        firstEventTimestamp: NOW - 5 * HOUR,
        lastEventTimestamp: NOW - 5 * HOUR,
        lastIngestionTime: NOW - 5 * HOUR,
        arn: `arn:aws:logs:eu-west-1:123456789012:log-group:${ORDERS}:log-stream:orders-aurora-1`,
        storedBytes: 0,
      },
      expect.objectContaining({ logStreamName: 'orders-aurora-2', lastEventTimestamp: NOW - 2 * HOUR }),
      {
        logStreamName: 'orders-aurora-3',
        creationTime: NOW - 720 * HOUR,
        arn: `arn:aws:logs:eu-west-1:123456789012:log-group:${ORDERS}:log-stream:orders-aurora-3`,
        storedBytes: 0,
      },
    ]);
  });

  it('pages at 50 streams by name', async () => {
    const first = await session.logs.send(new DescribeLogStreamsCommand({ logGroupName: BUSY }));
    const second = await session.logs.send(
      new DescribeLogStreamsCommand({ logGroupName: BUSY, nextToken: first.nextToken }),
    );

    expect(first.logStreams?.map((s) => s.logStreamName)).toEqual(
      Array.from({ length: 50 }, (_, i) => `stream-${pad(i)}`),
    );
    expect(second.logStreams?.map((s) => s.logStreamName)).toEqual(
      Array.from({ length: 10 }, (_, i) => `stream-${pad(i + 50)}`),
    );
    expect(second.nextToken).toBeUndefined();
  });

  it('orders by last event time, newest first when descending, across pages', async () => {
    const request = { logGroupName: BUSY, orderBy: 'LastEventTime' as const, descending: true, limit: 40 };
    const first = await session.logs.send(new DescribeLogStreamsCommand(request));
    const second = await session.logs.send(new DescribeLogStreamsCommand({ ...request, nextToken: first.nextToken }));

    const names = [...(first.logStreams ?? []), ...(second.logStreams ?? [])].map((s) => s.logStreamName);
    expect(names).toEqual(Array.from({ length: 60 }, (_, i) => `stream-${pad(i)}`));
  });

  it('narrows by name prefix', async () => {
    const { logStreams } = await session.logs.send(
      new DescribeLogStreamsCommand({ logGroupName: BUSY, logStreamNamePrefix: 'stream-5' }),
    );

    expect(logStreams?.map((s) => s.logStreamName)).toEqual(Array.from({ length: 10 }, (_, i) => `stream-5${i}`));
  });

  it('refuses a name prefix together with LastEventTime order', async () => {
    const error = await session.logs
      .send(new DescribeLogStreamsCommand({ logGroupName: BUSY, logStreamNamePrefix: 's', orderBy: 'LastEventTime' }))
      .catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe('Cannot order by LastEventTime with a logStreamNamePrefix.');
  });

  it('refuses a token issued for another group', async () => {
    const { nextToken } = await session.logs.send(new DescribeLogStreamsCommand({ logGroupName: BUSY, limit: 1 }));

    const error = await session.logs
      .send(new DescribeLogStreamsCommand({ logGroupName: ORDERS, nextToken }))
      .catch((e) => e);

    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('answers ResourceNotFoundException (HTTP 400) for a group that does not exist', async () => {
    const error = await session.logs
      .send(new DescribeLogStreamsCommand({ logGroupName: '/aws/rds/ghost' }))
      .catch((e) => e);

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe('The specified log group does not exist.');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});
