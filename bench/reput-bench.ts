/**
 * `npm run bench:reput [-- --json]`: pack generated sets of kept events into PutLogEvents calls and
 * compare the count with the minimum found independently. Exits 1 when a set needs more calls than
 * the minimum. The sets are generated from fixed seeds, so every run prints the same figures.
 */
import { parseArgs } from 'node:util';
import { seededRandom } from '../sandbox/seeded-random';
import type { LogEvent } from '../tasks/common/cloudwatch-types';
import { eventBytes, minimumPutCalls, packBatches } from '../tasks/common/log-batches';

const { values: args } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
const say = (line: string) => process.stderr.write(`${line}\n`);

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-13T00:00:00Z');

/** Messages are slices of one text, so 5,000 events of 300 KB do not take 1.5 GB of memory. */
function textOf(random: () => number, length: number, alphabet: string): string {
  let text = '';
  while (text.length < length) text += alphabet[Math.floor(random() * alphabet.length)] ?? ' ';
  return text;
}

interface GeneratedSet {
  readonly name: string;
  readonly events: LogEvent[];
}

type Generator = (random: () => number) => LogEvent[];

const between = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const ASCII = 'abcdefghijklmnopqrstuvwxyz0123456789 =:/-';

/** Events at growing timestamps, `gap()` milliseconds apart, with messages of `size()` characters. */
function series(random: () => number, count: number, gap: () => number, size: () => number, text: string): LogEvent[] {
  const events: LogEvent[] = [];
  let timestamp = T0;
  for (let index = 0; index < count; index++) {
    const length = size();
    const start = between(random, 0, text.length - length);
    events.push({ timestamp, message: text.slice(start, start + length) });
    timestamp += gap();
  }
  return events;
}

const SETS: Record<string, Generator> = {
  // 100,000 events of about 100 bytes over 6 hours: the byte limit binds before the count.
  'small-6h': (random) =>
    series(
      random,
      100_000,
      () => between(random, 0, 430),
      () => between(random, 60, 110),
      textOf(random, 4096, ASCII),
    ),
  // 5,000 events of 200-300 KB over 12 hours: three or four events per call.
  'large-200-300kb': (random) =>
    series(
      random,
      5_000,
      () => between(random, 0, 17_000),
      () => between(random, 200_000, 300_000),
      textOf(random, 400_000, ASCII),
    ),
  // An event every 1-10 seconds for 3 days: calls are cut by bytes and must each stay within 24 hours.
  'every-few-seconds-3d': (random) =>
    series(
      random,
      Math.floor((3 * DAY) / (5.5 * SECOND)),
      () => between(random, SECOND, 10 * SECOND),
      () => between(random, 40, 400),
      textOf(random, 4096, ASCII),
    ),
  // Bursts of small events, 1 % of several hundred KB, multibyte text, equal timestamps, shuffled input.
  mix: (random) => {
    const multibyte = textOf(random, 1_000_000, 'aé€😀 ');
    const events: LogEvent[] = [];
    for (let burst = 0; burst < 60; burst++) {
      const at = T0 + between(random, 0, 30 * HOUR);
      const count = between(random, 1, 4_000);
      for (let index = 0; index < count; index++) {
        const large = random() < 0.01;
        const length = large ? between(random, 100_000, 260_000) : between(random, 1, 300);
        const start = between(random, 0, multibyte.length - length);
        events.push({ timestamp: at + between(random, 0, 200), message: multibyte.slice(start, start + length) });
      }
    }
    for (let index = events.length - 1; index > 0; index--) {
      const other = between(random, 0, index);
      [events[index], events[other]] = [events[other] as LogEvent, events[index] as LogEvent];
    }
    return events;
  },
  // A few events a day over 12 days: the 24-hour span is the only limit that binds.
  'sparse-12d': (random) =>
    series(
      random,
      40,
      () => between(random, 2 * HOUR, 14 * HOUR),
      () => between(random, 20, 200),
      textOf(random, 4096, ASCII),
    ),
};

function measure({ name, events }: GeneratedSet) {
  say(`packing ${name}: ${events.length} events`);
  const bytes = events.reduce((sum, event) => sum + eventBytes(event), 0);
  const putCalls = packBatches(events).length;
  const minimumCalls = minimumPutCalls(events);
  return { name, events: events.length, bytes, putCalls, minimumCalls, optimal: putCalls === minimumCalls };
}

const sets = Object.entries(SETS).map(([name, generate], index) => {
  say(`generating ${name}`);
  return measure({ name, events: generate(seededRandom(1000 + index)) });
});
const allOptimal = sets.every((set) => set.optimal);

if (args.json) {
  process.stdout.write(`${JSON.stringify({ sets, allOptimal }, null, 2)}\n`);
} else {
  for (const set of sets) {
    process.stdout.write(
      `${set.name.padEnd(22)} ${String(set.events).padStart(7)} events ${String(set.bytes).padStart(11)} bytes ` +
        `${String(set.putCalls).padStart(5)} calls (minimum ${set.minimumCalls})${set.optimal ? '' : '  NOT OPTIMAL'}\n`,
    );
  }
}
process.exitCode = allOptimal ? 0 : 1;
