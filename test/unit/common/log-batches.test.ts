import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { HttpResponse } from '@smithy/protocol-http';
import { seededRandom } from '../../../sandbox/seeded-random';
import type { LogEvent } from '../../../tasks/common/cloudwatch-types';
import { InvalidInputError, TransientAwsError } from '../../../tasks/common/errors';
import {
  eventBytes,
  minimumPutCalls,
  PUT_LIMITS,
  packBatches,
  putEventsOnce,
  rejectedCounts,
  subtractEvents,
} from '../../../tasks/common/log-batches';

const T0 = Date.parse('2026-11-20T00:00:00Z');
const HOUR = 3_600_000;

/** `count` events one millisecond apart whose messages make each event `bytes` long with its overhead. */
const eventsOf = (count: number, bytes = 100, start = T0): LogEvent[] =>
  Array.from({ length: count }, (_, index) => ({
    timestamp: start + index,
    message: 'x'.repeat(bytes - PUT_LIMITS.eventOverheadBytes),
  }));

const batchBytes = (batch: readonly LogEvent[]) => batch.reduce((sum, event) => sum + eventBytes(event), 0);

describe('eventBytes', () => {
  it('counts the message in UTF-8 bytes plus 26', () => {
    expect(eventBytes({ timestamp: T0, message: 'abc' })).toBe(29);
    expect(eventBytes({ timestamp: T0, message: 'é€😀' })).toBe(2 + 3 + 4 + 26);
  });
});

describe('packBatches', () => {
  it('puts exactly 10,000 events in one call and 10,001 in two', () => {
    expect(packBatches(eventsOf(10_000, 27))).toHaveLength(1);
    const batches = packBatches(eventsOf(10_001, 27));
    expect(batches.map((batch) => batch.length)).toEqual([10_000, 1]);
  });

  it('puts exactly 1,048,576 bytes in one call and one byte more in two', () => {
    const exact = [...eventsOf(3, 262_144), { timestamp: T0 + 10, message: 'y'.repeat(262_144 - 26) }];
    expect(batchBytes(exact)).toBe(1_048_576);
    expect(packBatches(exact)).toHaveLength(1);

    const over = [...exact.slice(0, 3), { timestamp: T0 + 10, message: 'y'.repeat(262_144 - 25) }];
    expect(packBatches(over).map((batch) => batch.length)).toEqual([3, 1]);
  });

  it('puts events exactly 24 hours apart in one call and 24 hours and 1 ms apart in two', () => {
    const exact = [
      { timestamp: T0, message: 'a' },
      { timestamp: T0 + 24 * HOUR, message: 'b' },
    ];
    expect(packBatches(exact)).toHaveLength(1);

    const over = [exact[0] as LogEvent, { timestamp: T0 + 24 * HOUR + 1, message: 'b' }];
    expect(packBatches(over)).toHaveLength(2);
  });

  it('sorts unsorted input by timestamp, keeping the read order of equal timestamps', () => {
    const events = [
      { timestamp: T0 + 2, message: 'c' },
      { timestamp: T0, message: 'a' },
      { timestamp: T0 + 2, message: 'd' },
      { timestamp: T0 + 1, message: 'b' },
    ];

    expect(packBatches(events)).toEqual([
      [
        { timestamp: T0, message: 'a' },
        { timestamp: T0 + 1, message: 'b' },
        { timestamp: T0 + 2, message: 'c' },
        { timestamp: T0 + 2, message: 'd' },
      ],
    ]);
  });

  it('counts multibyte characters by their UTF-8 bytes, not their length', () => {
    // 3 bytes per character: 2 × (200,000 × 3 + 26) bytes > 1,048,576 in 400,000 characters.
    const events = eventsOf(2, 27).map((event) => ({ ...event, message: '€'.repeat(200_000) }));
    expect(events.reduce((sum, event) => sum + event.message.length, 0)).toBeLessThan(PUT_LIMITS.maxBytes);

    expect(packBatches(events)).toHaveLength(2);
  });

  it('rejects an event larger than a whole call, naming its time and size', () => {
    const events = [...eventsOf(2), { timestamp: T0 + 5, message: 'z'.repeat(PUT_LIMITS.maxBytes) }];

    expect(() => packBatches(events)).toThrow(InvalidInputError);
    expect(() => packBatches(events)).toThrow(
      `the event at ${new Date(T0 + 5).toISOString()} (${T0 + 5}) is ${PUT_LIMITS.maxBytes + 26} bytes`,
    );
  });

  it('returns no batch for no event', () => {
    expect(packBatches([])).toEqual([]);
    expect(minimumPutCalls([])).toBe(0);
  });

  it('needs as many calls as the independent minimum on random inputs, and every batch keeps the limits', () => {
    const random = seededRandom(20261120);
    // Slices of one text share its memory; a third of its characters take 2 or 3 bytes in UTF-8.
    const text = 'aé€'.repeat(100_000);
    for (let round = 0; round < 60; round++) {
      const large = round % 2 === 0;
      const count = 1 + Math.floor(random() * (large ? 80 : 25_000));
      const spreadMs = random() < 0.5 ? 4 * 24 * HOUR : HOUR;
      const events = Array.from({ length: count }, () => ({
        timestamp: T0 + Math.floor(random() * spreadMs),
        message: text.slice(0, Math.floor(random() * (large ? 300_000 : 200))),
      }));

      const batches = packBatches(events);

      expect(batches).toHaveLength(minimumPutCalls(events));
      expect(batches.flat()).toHaveLength(count);
      for (const batch of batches) {
        expect(batch.length).toBeLessThanOrEqual(PUT_LIMITS.maxEvents);
        expect(batchBytes(batch)).toBeLessThanOrEqual(PUT_LIMITS.maxBytes);
        expect((batch.at(-1)?.timestamp ?? 0) - (batch[0]?.timestamp ?? 0)).toBeLessThanOrEqual(PUT_LIMITS.maxSpanMs);
      }
    }
  });
});

describe('minimumPutCalls', () => {
  it('finds the minimum at each limit', () => {
    expect(minimumPutCalls(eventsOf(20_001, 27))).toBe(3);
    expect(minimumPutCalls(eventsOf(9, 262_144))).toBe(3);
    const daily = [0, 1, 2, 3].map((day) => ({ timestamp: T0 + day * 24 * HOUR + day, message: 'd' }));
    expect(minimumPutCalls(daily)).toBe(4);
  });
});

describe('subtractEvents', () => {
  it('counts identical events one by one', () => {
    const event = { timestamp: T0, message: 'same' };
    const other = { timestamp: T0, message: 'other' };

    expect(subtractEvents([event, event, other], [event])).toEqual([event, other]);
    expect(subtractEvents([event], [{ ...event, timestamp: T0 + 1 }])).toEqual([event]);
  });
});

describe('rejectedCounts', () => {
  it('reads exclusive end indexes and an inclusive start index', () => {
    expect(rejectedCounts({ tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 7 }, 10)).toEqual({
      tooOld: 2,
      expired: 0,
      tooNew: 3,
    });
    expect(rejectedCounts({ expiredLogEventEndIndex: 1 }, 10)).toEqual({ tooOld: 0, expired: 1, tooNew: 0 });
  });

  it('reports nothing when nothing was rejected', () => {
    expect(rejectedCounts(undefined, 10)).toBeUndefined();
    expect(rejectedCounts({}, 10)).toBeUndefined();
  });
});

describe('putEventsOnce', () => {
  /** A client whose HTTP layer answers `status` (500 unless told) the first time; the SDK would normally retry that. */
  function failingOnceClient(firstAnswer = { statusCode: 500, type: 'ServiceUnavailableException' }) {
    const requests: string[] = [];
    const logs = new CloudWatchLogsClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 3,
      requestHandler: {
        handle: async (request: { headers: Record<string, string> }) => {
          requests.push(request.headers['x-amz-target'] ?? '');
          const first = requests.length === 1;
          const statusCode = first ? firstAnswer.statusCode : 200;
          const body = first ? `{"__type":"${firstAnswer.type}","message":"busy"}` : '{}';
          return { response: new HttpResponse({ statusCode, headers: {}, body: Buffer.from(body) }) };
        },
      },
    });
    return { logs, requests };
  }

  const request = { logGroupName: '/g', logStreamName: 's', logEvents: [{ timestamp: T0, message: 'm' }] };

  it('makes the call once and surfaces a 5xx as TransientAwsError instead of retrying it', async () => {
    const { logs, requests } = failingOnceClient();

    const error = await putEventsOnce(logs, request, 'putting batch 1').catch((thrown: unknown) => thrown);

    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(TransientAwsError);
    expect((error as Error).message).toBe('putting batch 1: ServiceUnavailableException');
  });

  it('lets the SDK retry a throttled call, which the service refused without storing anything', async () => {
    const { logs, requests } = failingOnceClient({ statusCode: 400, type: 'ThrottlingException' });

    await expect(putEventsOnce(logs, request, 'putting batch 1')).resolves.toMatchObject({});
    expect(requests).toHaveLength(2);
  });

  it('returns the response of a successful call', async () => {
    const { logs, requests } = failingOnceClient();
    requests.push('an earlier call');

    await expect(putEventsOnce(logs, request, 'putting batch 1')).resolves.toMatchObject({});
    expect(requests).toHaveLength(2);
  });
});
