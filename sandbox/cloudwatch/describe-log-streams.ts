// DescribeLogStreams: a group's streams by name or by last event time, paged by 50.
import { LOG_GROUP_NAME } from '../seed-format/cloudwatch';
import { logStreamArn } from './arns';
import type { Operation } from './context';
import { invalidParameter } from './errors';
import type { LogStream } from './log-stream';
import { pageOf, type SortKey } from './paging';
import { optionalBoolean, optionalEnum, optionalInteger, optionalString, requiredString } from './params';

const PAGE_LIMIT = 50;
const ORDERS = ['LogStreamName', 'LastEventTime'] as const;

function streamItem(region: string, group: string, stream: LogStream) {
  const events = stream.events;
  return {
    logStreamName: stream.name,
    creationTime: stream.creationTime,
    firstEventTimestamp: events[0]?.timestamp,
    lastEventTimestamp: events[events.length - 1]?.timestamp,
    lastIngestionTime: stream.lastIngestionTime,
    arn: logStreamArn(region, group, stream.name),
    // Deprecated by AWS in 2019: always 0.
    storedBytes: 0,
  };
}

export const describeLogStreams: Operation = (ctx, input) => {
  const group = ctx.world.existingGroup(requiredString(input, 'logGroupName', LOG_GROUP_NAME));
  const prefix = optionalString(input, 'logStreamNamePrefix');
  const orderBy = optionalEnum(input, 'orderBy', ORDERS) ?? 'LogStreamName';
  const descending = optionalBoolean(input, 'descending') ?? false;
  const limit = optionalInteger(input, 'limit', 1, PAGE_LIMIT) ?? PAGE_LIMIT;
  if (prefix !== undefined && orderBy === 'LastEventTime') {
    throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  const keyOf = (stream: LogStream): SortKey =>
    orderBy === 'LogStreamName'
      ? [stream.name]
      : [stream.events[stream.events.length - 1]?.timestamp ?? 0, stream.name];
  const streams = [...group.streams.values()].filter((stream) => stream.name.startsWith(prefix ?? ''));
  const { page, nextToken } = pageOf(streams, keyOf, {
    token: optionalString(input, 'nextToken'),
    limit,
    scope: `DescribeLogStreams/${group.name}/${orderBy}/${descending}`,
    descending,
  });
  return { logStreams: page.map((stream) => streamItem(ctx.world.region, group.name, stream)), nextToken };
};
