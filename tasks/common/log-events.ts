import { type CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { LogEvent } from './cloudwatch-types';
import { asTaskError } from './errors';

export interface ReadEventsRequest {
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Inclusive, epoch ms. */
  readonly startTime?: number;
  /** Exclusive, epoch ms. */
  readonly endTime?: number;
  /** Read a data-protected group's events unmasked (needs logs:Unmask). */
  readonly unmask?: boolean;
  /** Continue after an earlier read: the `nextForwardToken` of its last page. */
  readonly nextToken?: string;
}

export interface EventPage {
  readonly events: LogEvent[];
  readonly nextForwardToken: string;
}

/**
 * GetLogEvents from the head, page by page. Pages may be empty before the end; the end is the
 * page whose forward token equals the token that was passed in.
 */
export async function* readLogEvents(
  logs: CloudWatchLogsClient,
  request: ReadEventsRequest,
): AsyncGenerator<EventPage> {
  let token = request.nextToken;
  for (;;) {
    const page = await logs
      .send(
        new GetLogEventsCommand({
          logGroupName: request.logGroupName,
          logStreamName: request.logStreamName,
          startTime: request.startTime,
          endTime: request.endTime,
          startFromHead: true,
          unmask: request.unmask || undefined,
          nextToken: token,
        }),
      )
      .catch((error: unknown) => {
        throw asTaskError(error, `reading ${request.logGroupName} ${request.logStreamName}`);
      });
    const events = (page.events ?? []).map((event) => ({
      timestamp: event.timestamp ?? 0,
      message: event.message ?? '',
    }));
    const next = page.nextForwardToken ?? '';
    yield { events, nextForwardToken: next };
    if (!next || next === token) return;
    token = next;
  }
}

/** Whether the stream holds any event in [startTime, endTime). */
export async function hasEventsBetween(
  logs: CloudWatchLogsClient,
  request: Omit<ReadEventsRequest, 'nextToken'> & { startTime: number; endTime: number },
): Promise<boolean> {
  for await (const page of readLogEvents(logs, request)) if (page.events.length > 0) return true;
  return false;
}
