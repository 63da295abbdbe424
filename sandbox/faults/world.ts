// The small world every fault scenario starts from: two instances with a few closed log files,
// and one CloudWatch Logs group whose streams lie on both sides of the scheduled run's cutoff
// (one rewritten, one deleted, one left alone), so one run makes every kind of write once.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseSeed, type Seed } from '../seed';
import type { SeedCloudWatchFaults } from '../seed-format/types';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const FIXTURES = path.join(__dirname, '..', 'fixtures');

export const LOG_GROUP = '/aws/rds/cluster/faults-aurora/error';
export const STREAMS = { rewritten: 'faults-aurora-1', deleted: 'faults-aurora-old', untouched: 'faults-aurora-new' };
/**
 * Compressed beyond one 5 MiB part, so it goes up in parts through a staging key. Its log type
 * is left out of the parsed output (PARSED_TYPES): parsing it would only slow the scenarios.
 */
export const LARGE_FILE = 'general/mysql-general.log.2026-11-20.11';
export const PARSED_TYPES = ['audit', 'slowquery', 'error', 'postgresql'] as const;
const LARGE_FILE_BYTES = 12 * 1024 * 1024;

/** A scheduled run's range (tasks/resolve-run.ts): the UTC day that has just become 7 days old. */
export function scheduledRange(scheduledTime: number): { from: number; cutoff: number } {
  const cutoff = Math.floor((scheduledTime - 7 * DAY_MS) / DAY_MS) * DAY_MS;
  return { from: cutoff - DAY_MS, cutoff };
}

const MYSQL = [
  "{mysqlTime} 2907 [Note] [MY-010926] [Server] Access denied for user 'admin'@'10.0.1.23' (using password: YES)",
  '{mysqlTime} 0 [Note] [MY-011953] [InnoDB] Page cleaner took 4263ms to flush 1984 and evict 0 pages',
];

/** Random base64 lines compress to about 60 %: 12 MiB of them make two multipart parts. */
function writeLargeFixture(directory: string): string {
  const file = path.join(directory, 'large-general.log');
  const lines: string[] = [];
  for (let size = 0; size < LARGE_FILE_BYTES; ) {
    const line = `2026-11-20T11:00:00.000000Z 42 Query SELECT '${randomBytes(96).toString('base64')}'\n`;
    lines.push(line);
    size += line.length;
  }
  writeFileSync(file, lines.join(''));
  return file;
}

function files(large: string | undefined) {
  const closed = (instance: string, name: string, lastWritten: string, fixture: string) => ({
    instance,
    name,
    lastWritten,
    content: { fixture },
  });
  return [
    closed('faults-aurora-1', 'audit/audit.log.0.2026-11-20-09-00.0', '2026-11-20T09:59:00Z', 'aurora-mysql/audit.log'),
    closed(
      'faults-aurora-1',
      'slowquery/mysql-slowquery.log.2026-11-20.09',
      '2026-11-20T10:00:00Z',
      'mariadb/slowquery.log',
    ),
    closed(
      'faults-aurora-1',
      'error/mysql-error-running.log.2026-11-20.09',
      '2026-11-20T10:00:00Z',
      'mariadb/error.log',
    ),
    closed('faults-pg', 'error/postgresql.log.2026-11-20-09', '2026-11-20T09:59:59Z', 'postgresql/postgresql.log'),
    ...(large ? [closed('faults-aurora-1', LARGE_FILE, '2026-11-20T12:00:00Z', large)] : []),
  ].map((file) => ({ ...file, content: { fixture: path.resolve(FIXTURES, file.content.fixture) } }));
}

export interface WorldOptions {
  /** The scheduled run's time; CloudWatch events are placed around its cutoff. */
  readonly now: number;
  /** Where generated fixtures are written. */
  readonly directory: string;
  /** Adds LARGE_FILE. */
  readonly large?: boolean;
  readonly cloudWatchFaults?: Partial<SeedCloudWatchFaults>;
}

export function faultWorld(options: WorldOptions): Seed {
  const { now } = options;
  const { from, cutoff } = scheduledRange(now);
  const ago = (at: number) => (now - at) / HOUR_MS;
  const series = (first: number, last: number, everyMinutes: number) => ({
    fromHoursAgo: ago(first),
    toHoursAgo: ago(last),
    everyMinutes,
    messages: MYSQL,
  });
  const twice = { hoursAgo: ago(cutoff - 3 * HOUR_MS + 17_000), message: '{mysqlTime} 77 [Note] logged twice' };
  const large = options.large ? writeLargeFixture(options.directory) : undefined;
  return parseSeed(
    {
      clusters: [
        { id: 'faults-aurora', engine: 'aurora-mysql', members: [{ instance: 'faults-aurora-1', writer: true }] },
      ],
      instances: [{ id: 'faults-pg', engine: 'postgres' }],
      files: files(large),
      cloudwatch: {
        logGroups: [
          {
            name: LOG_GROUP,
            retentionInDays: 30,
            streams: [
              {
                name: STREAMS.rewritten,
                events: [twice, twice, { hoursAgo: ago(cutoff), message: '{mysqlTime} 1 [Note] at the cutoff' }],
                generate: series(from + 20 * MINUTE_MS, now - HOUR_MS, 240),
              },
              { name: STREAMS.deleted, events: [], generate: series(from + HOUR_MS, cutoff - HOUR_MS, 180) },
              { name: STREAMS.untouched, events: [], generate: series(cutoff, now - 2 * HOUR_MS, 360) },
            ],
          },
        ],
        faults: options.cloudWatchFaults ?? {},
      },
    },
    options.directory,
  );
}

/** The stand-in's clock reads exactly `anchor` when it seeds its events, then runs on in real time. */
export function clockFrom(anchor: number): () => number {
  let shift: number | undefined;
  return () => {
    const real = Date.now();
    shift ??= real - anchor;
    return real - shift;
  };
}
