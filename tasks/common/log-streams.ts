import { type CloudWatchLogsClient, type LogStream, paginateDescribeLogStreams } from '@aws-sdk/client-cloudwatch-logs';
import { asTaskError } from './errors';

/** Every stream of a group, page by page (DescribeLogStreams pages hold at most 50). */
export async function describeLogStreams(logs: CloudWatchLogsClient, logGroupName: string): Promise<LogStream[]> {
  const streams: LogStream[] = [];
  try {
    for await (const page of paginateDescribeLogStreams({ client: logs }, { logGroupName })) {
      streams.push(...(page.logStreams ?? []));
    }
  } catch (error) {
    throw asTaskError(error, `describing the streams of ${logGroupName}`);
  }
  return streams;
}

/** A stream's last write: lastEventTimestamp may lag up to an hour behind lastIngestionTime. */
export const latestActivity = (stream: LogStream) =>
  Math.max(stream.lastEventTimestamp ?? 0, stream.lastIngestionTime ?? 0);
