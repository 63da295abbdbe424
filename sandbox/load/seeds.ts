// The seeds of the load runs, generated rather than kept as files: hundreds of instances, files
// and streams follow from a few numbers, placed around the scheduled run's cutoff at `now` so
// every file is closed and every stream holds events on both sides of the cutoff.
import path from 'node:path';
import { parseSeed, type Seed } from '../seed';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const FIXTURES = path.join(__dirname, '..', 'fixtures');

export interface LoadShape {
  readonly instances: number;
  readonly filesPerInstance: number;
  /** Each file's size is drawn in [min, max). */
  readonly fileBytes: readonly [number, number];
  readonly logGroups: number;
  readonly streamsPerGroup: number;
  /** One event every this many minutes in every stream. */
  readonly everyMinutes: number;
}

/** The large run: 50 × 200 files, 20 × 50 streams. */
export const LARGE_SHAPE: LoadShape = {
  instances: 50,
  filesPerInstance: 200,
  fileBytes: [2048, 6144],
  logGroups: 20,
  streamsPerGroup: 50,
  everyMinutes: 120,
};

/** The transient-fault run: small enough for seconds, large enough for every fault to land. */
export const TRANSIENT_SHAPE: LoadShape = {
  instances: 3,
  filesPerInstance: 8,
  fileBytes: [16_384, 131_072],
  logGroups: 3,
  streamsPerGroup: 4,
  everyMinutes: 30,
};

const AURORA_MEMBER = 'load-aurora-1';
/** The hour (UTC) of the Aurora member's two files: three hours before `now`. */
const auroraHour = (now: number) => new Date(Math.floor(now / HOUR_MS) * HOUR_MS - 3 * HOUR_MS).toISOString();

/** The audit file whose downloads are cut short mid-body. */
export function resetFile(now: number) {
  const iso = auroraHour(now);
  return { instance: AURORA_MEMBER, file: `audit/audit.log.0.${iso.slice(0, 10)}-${iso.slice(11, 13)}-00.0` };
}

/** The general log rotated away between listing and download: the run must report it failed by name. */
export function rotatedFile(now: number) {
  const iso = auroraHour(now);
  return { instance: AURORA_MEMBER, file: `general/mysql-general.log.${iso.slice(0, 10)}.${iso.slice(11, 13)}` };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const instanceId = (index: number) => `load-pg-${pad(index + 1, 2)}`;
export const logGroupName = (index: number) => `/aws/rds/instance/load-pg-${pad(index + 1, 2)}/postgresql`;

/** `error/postgresql.log.YYYY-MM-DD-HH`, hourly-rotated as RDS names them. */
const hourlyName = (hourStart: number) => {
  const iso = new Date(hourStart).toISOString();
  return `error/postgresql.log.${iso.slice(0, 10)}-${iso.slice(11, 13)}`;
};

function instanceFiles(shape: LoadShape, now: number, random: () => number) {
  const lastHour = Math.floor(now / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
  const [min, max] = shape.fileBytes;
  return Array.from({ length: shape.instances }, (_, i) =>
    Array.from({ length: shape.filesPerInstance }, (_, f) => {
      const hourStart = lastHour - (shape.filesPerInstance - 1 - f) * HOUR_MS;
      return {
        instance: instanceId(i),
        name: hourlyName(hourStart),
        lastWritten: new Date(hourStart + HOUR_MS - 1000).toISOString(),
        content: {
          generate: {
            sizeBytes: Math.floor(min + random() * (max - min)),
            fixture: path.join(FIXTURES, 'postgresql', 'postgresql.log'),
          },
        },
      };
    }),
  ).flat();
}

const POSTGRESQL_LINES = [
  '{postgresTime}::@:[7508]:LOG:  checkpoint starting: time',
  '{postgresTime}::@:[7508]:LOG:  checkpoint complete: wrote 42 buffers (0.3%); 0 WAL file(s) added, 0 removed, 1 recycled',
  '{postgresTime}:10.0.1.23(57970):app_user@shop:[8073]:FATAL:  password authentication failed for user "app_user"',
  '{postgresTime}:10.0.1.23(57950):app_user@shop:[8068]:ERROR:  relation "order_notes" does not exist at character 15',
];

/**
 * Streams whose events run from just inside the exported day (the UTC day that ended 7 to 8
 * days before `now`) to an hour ago: each is exported, then rewritten with what is left.
 */
function logGroups(shape: LoadShape, now: number) {
  const cutoff = Math.floor((now - 7 * DAY_MS) / DAY_MS) * DAY_MS;
  const fromHoursAgo = (now - (cutoff - DAY_MS) - 10 * 60_000) / HOUR_MS;
  return Array.from({ length: shape.logGroups }, (_, g) => ({
    name: logGroupName(g),
    retentionInDays: 30,
    createdHoursAgo: 720,
    streams: Array.from({ length: shape.streamsPerGroup }, (_, s) => ({
      name: `load-pg-${pad(g + 1, 2)}-${pad(s + 1, 3)}`,
      generate: {
        fromHoursAgo: fromHoursAgo - s / 60,
        toHoursAgo: 1,
        everyMinutes: shape.everyMinutes,
        messages: POSTGRESQL_LINES,
      },
    })),
  }));
}

export interface SeedOptions {
  readonly shape: LoadShape;
  /** The CloudWatch stand-in's clock at start; the scheduled time of the run. */
  readonly now: number;
  readonly random: () => number;
  /** The transient faults (RDS and CloudWatch Logs) with this fraction of calls throttled; none for the large run. */
  readonly throttleRate?: number;
}

/** The Aurora member whose audit file is reset mid-download and whose error file is rotated away. */
function auroraFiles(now: number) {
  const lastWritten = new Date(Date.parse(auroraHour(now)) + HOUR_MS - 1000).toISOString();
  const audit = path.join(FIXTURES, 'aurora-mysql', 'audit.log');
  const general = path.join(FIXTURES, 'mariadb', 'general.log');
  return [
    { ...toEntry(resetFile(now)), lastWritten, content: { generate: { sizeBytes: 3_145_728, fixture: audit } } },
    { ...toEntry(rotatedFile(now)), lastWritten, content: { fixture: general } },
  ];
}

const toEntry = (file: { instance: string; file: string }) => ({ instance: file.instance, name: file.file });

const rdsFaults = (now: number, throttleRate: number) => ({
  throttleRate,
  resets: [{ ...resetFile(now), afterBytes: 65_536, times: 1 }],
  changes: [{ ...rotatedFile(now), kind: 'disappear', after: 'list' }],
  failures: [
    { operation: 'DescribeDBInstances', times: 2, code: 'InternalFailure', status: 500 },
    { operation: 'DescribeDBLogFiles', times: 3, code: 'ServiceUnavailable', status: 503 },
    // Which download meets the burst depends on timing: with the reset it stays under DOWNLOAD_ATTEMPTS.
    { operation: 'DownloadCompleteDBLogFile', times: 2, code: 'InternalFailure', status: 500 },
  ],
});

/** Holds the export slot over several attempts, and makes each export take several polls. */
const logsFaults = (throttleRate: number) => ({ throttleRate, exportSlotHeldFor: 6, exportPollsToComplete: 4 });

export function loadSeed(options: SeedOptions): Seed {
  const { shape, now, random, throttleRate } = options;
  const faults = throttleRate !== undefined;
  const instances = Array.from({ length: shape.instances }, (_, i) => ({ id: instanceId(i), engine: 'postgres' }));
  const clusters = faults
    ? [{ id: 'load-aurora', engine: 'aurora-mysql', members: [{ instance: AURORA_MEMBER, writer: true }] }]
    : [];
  const files = [...instanceFiles(shape, now, random), ...(faults ? auroraFiles(now) : [])];
  const cloudwatch = { logGroups: logGroups(shape, now), ...(faults ? { faults: logsFaults(throttleRate) } : {}) };
  return parseSeed(
    { clusters, instances, files, ...(faults ? { faults: rdsFaults(now, throttleRate) } : {}), cloudwatch },
    FIXTURES,
  );
}
