import { tempDir } from '../../sandbox/checks/archive-check';
import {
  BucketReader,
  contentMultisets,
  type ExportManifestView,
  filterContent,
  type LogsContent,
  logsContent,
  manifestKeyFor,
  missingFrom,
  multiset,
  type StoredEvent,
  scheduledRange,
} from '../../sandbox/checks/cloudwatch-check';
import type { LocalRunResult } from '../../sandbox/local-runner';
import type { Sandbox } from '../../sandbox/sandbox';
import { parseSeed, type Seed, type SeedCloudWatchFaults, type SeedCrash } from '../../sandbox/seed';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const iso = (epochMs: number) => new Date(epochMs).toISOString();
const AURORA = '/aws/rds/cluster/e2e-aurora/error';
const POSTGRES = '/aws/rds/instance/e2e-postgres/postgresql';
const GROUPS = [AURORA, POSTGRES];
/** Events on both sides of the cutoff: rewritten. */
const REWRITTEN = 'e2e-aurora-1';
/** Every event before the cutoff: deleted. */
const ALL_BEFORE = 'e2e-aurora-old';
/** Every event at or after the cutoff: left alone. */
const ALL_AFTER = 'e2e-aurora-new';
/** Stream names may hold `/` (the export and the checkpoint keys must keep them apart). */
const SLASHED = 'e2e-postgres/standby';
/** Operations that change the account; a run that finds everything done makes none. */
const MUTATING = ['CreateExportTask', 'DeleteLogStream', 'CreateLogStream', 'PutLogEvents', 'PutRetentionPolicy'];

const MYSQL = [
  "{mysqlTime} 2907 [Note] [MY-010926] [Server] Access denied for user 'admin'@'10.0.1.23' (using password: YES)",
  '{mysqlTime} 0 [Note] [MY-011953] [InnoDB] Page cleaner took 4263ms to flush 1984 and evict 0 pages',
  "{mysqlTime} 3012 [Note] [MY-010914] [Server] Aborted connection 3012 to db: 'analytics' user: 'report_user' host: '10.0.1.87' (Got timeout reading communication packets).",
];
const POSTGRESQL = [
  '{postgresTime}::@:[7508]:LOG:  checkpoint starting: time',
  '{postgresTime}:10.0.1.23(57970):app_user@shop:[8073]:FATAL:  password authentication failed for user "app_user"',
];

/**
 * Two groups whose events are placed around the scheduled run's cutoff (which depends on the
 * time of day), all inside the exported day or later, so every stream's events before the
 * cutoff are covered by this run's export.
 */
function cloudWatchSeed(now: number, faults: Partial<SeedCloudWatchFaults>): Seed {
  const { from, cutoff } = scheduledRange(now);
  const ago = (at: number) => (now - at) / HOUR_MS;
  const series = (first: number, last: number, everyMinutes: number, messages: string[]) => ({
    fromHoursAgo: ago(first),
    toHoursAgo: ago(last),
    everyMinutes,
    messages,
  });
  const duplicate = { hoursAgo: ago(cutoff + 2 * HOUR_MS + 17_000), message: '{mysqlTime} 77 [Note] logged twice' };
  return parseSeed(
    {
      cloudwatch: {
        logGroups: [
          {
            name: AURORA,
            retentionInDays: 30,
            streams: [
              {
                name: REWRITTEN,
                events: [
                  { hoursAgo: ago(cutoff - 1), message: '{mysqlTime} 1 [Note] last line before the cutoff' },
                  { hoursAgo: ago(cutoff), message: '{mysqlTime} 1 [Note] first line at the cutoff' },
                  duplicate,
                  duplicate,
                ],
                generate: series(from + 20 * MINUTE_MS, now - HOUR_MS, 90, MYSQL),
              },
              {
                name: ALL_BEFORE,
                events: [{ hoursAgo: ago(cutoff - 1), message: '{mysqlTime} 2 [Note] shutting down' }],
                generate: series(from + HOUR_MS, cutoff - HOUR_MS, 60, MYSQL),
              },
              { name: ALL_AFTER, events: [], generate: series(cutoff, now - 2 * HOUR_MS, 180, MYSQL) },
            ],
          },
          {
            name: POSTGRES,
            retentionInDays: 14,
            streams: [
              {
                name: 'e2e-postgres',
                events: [],
                generate: series(from + 10 * MINUTE_MS, now - 90 * MINUTE_MS, 120, POSTGRESQL),
              },
              { name: SLASHED, events: [], generate: series(from + 5 * HOUR_MS, now - 3 * HOUR_MS, 240, POSTGRESQL) },
            ],
          },
        ],
        faults,
      },
    },
    __dirname,
  );
}

/** The stand-in's clock reads exactly `anchor` when it seeds its events, then runs on in real time. */
function clockFrom(anchor: number): () => number {
  let shift: number | undefined;
  return () => {
    const real = Date.now();
    shift ??= real - anchor;
    return real - shift;
  };
}

interface GroupOutcome {
  readonly logGroupName: string;
  readonly status: 'done' | 'failed';
  readonly error?: string;
}
interface StreamState {
  readonly stream: string;
  readonly status: string;
  readonly error?: string;
}
interface RunRecord {
  readonly result: LocalRunResult;
  readonly executionName: string;
  /** Each group's last state in the export map. */
  readonly groups: GroupOutcome[];
  /** Each Trim Stream's output, or its Stream Trim Failed state. */
  readonly streams: StreamState[];
  /** Index of the run's first call in the stand-in's call log. */
  readonly firstCall: number;
}

/** What Trim Stream writes per stream to the run's report: `{reportPrefix}/cloudwatch/{group}/streams/{stream}.json`. */
interface StreamResult {
  readonly stream: string;
  readonly status: string;
  readonly reason: string;
  readonly keptEvents?: number;
}

interface Scenario {
  readonly sandbox: Sandbox;
  readonly bucket: BucketReader;
  readonly input: { scheduledTime: string };
  readonly from: number;
  readonly cutoff: number;
  /** The stand-in's content as seeded, before any run. */
  readonly seeded: LogsContent;
  run(executionName: string): Promise<RunRecord>;
  stop(): Promise<void>;
}

/**
 * A sandbox of its own: the tasks create their SDK clients once per module load, and every
 * sandbox listens on new ports, so the task modules are loaded afresh for each one.
 */
async function startScenario(name: string, faults: Partial<SeedCloudWatchFaults> = {}): Promise<Scenario> {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const seed = cloudWatchSeed(now, faults);
  jest.resetModules();
  const { startSandbox, runArchive } = await import('../../sandbox/sandbox');
  const sandbox = await startSandbox({ seed, directory: tempDir(`cloudwatch-${name}`), now: clockFrom(now) });
  const bucket = new BucketReader(sandbox);
  const input = { scheduledTime: new Date(now).toISOString().replace('.000Z', 'Z') };
  const run = async (executionName: string): Promise<RunRecord> => {
    const groups: GroupOutcome[] = [];
    const streams: StreamState[] = [];
    const firstCall = sandbox.cloudwatch.calls.length;
    const result = await runArchive({
      input,
      executionName,
      onEvent: (event) => {
        const state = event.state as { name: string; output?: unknown } | undefined;
        if (event.type !== 'StateExited' || !state) return;
        if (['Log Group Done', 'Log Group Failed'].includes(state.name)) groups.push(state.output as GroupOutcome);
        if (['Trim Stream', 'Stream Trim Failed'].includes(state.name)) streams.push(state.output as StreamState);
      },
    });
    return { result, executionName, groups, streams, firstCall };
  };
  return {
    sandbox,
    bucket,
    input,
    ...scheduledRange(now),
    seeded: logsContent(sandbox, GROUPS),
    run,
    async stop() {
      bucket.destroy();
      await sandbox.stop();
    },
  };
}

const failedSomewhere = (record: RunRecord) =>
  record.result.status === 'FAILED' ||
  record.groups.some((group) => group.status === 'failed') ||
  record.streams.some((stream) => stream.status === 'failed');

function expectCleanRun(record: RunRecord) {
  expect(record.result.status).toBe('SUCCEEDED');
  expect(record.groups).toEqual(GROUPS.map((logGroupName) => ({ logGroupName, status: 'done' })));
  expect(record.streams.filter((stream) => stream.status === 'failed')).toEqual([]);
}

const mutatingCalls = (scenario: Scenario, record: RunRecord) =>
  scenario.sandbox.cloudwatch.calls
    .slice(record.firstCall)
    .filter((call) => MUTATING.includes(call.operation))
    .map((call) => `${call.operation} ${call.logGroupName ?? ''} ${call.logStreamName ?? ''}`);

/** Every seeded event at or after the cutoff is in the stand-in, once; nothing older is. */
function expectTrimmed(scenario: Scenario) {
  const expected = filterContent(scenario.seeded, (event) => event.timestamp >= scenario.cutoff);
  expect(contentMultisets(logsContent(scenario.sandbox, GROUPS))).toEqual(contentMultisets(expected));
}

/** Each group's manifest of this range lists objects that hold exactly the seeded events of [from, cutoff). */
async function expectExported(scenario: Scenario) {
  const { from, cutoff, bucket } = scenario;
  const inRange = filterContent(scenario.seeded, (event) => event.timestamp >= from && event.timestamp < cutoff);
  for (const group of GROUPS) {
    const key = manifestKeyFor(group, from, cutoff);
    const exported = await bucket.exportedEvents(key);
    const exportedSets = Object.fromEntries(
      Object.entries(exported).map(([stream, events]) => [stream, multiset(events)]),
    );
    expect({ group, streams: exportedSets }).toEqual({ group, streams: contentMultisets(inRange)[group] });
    const manifest = await bucket.json<ExportManifestView>(key);
    expect(manifest).toMatchObject({ logGroupName: group, from: iso(from), to: iso(cutoff) });
    // Nothing else lies in the group's folder: no second export of another range or task.
    const listed = manifest.streams.flatMap((stream) => stream.objects.map((object) => object.key));
    const stored = (await bucket.list(`cloudwatch/${group.slice(1)}/`)).map((item) => item.key);
    expect(stored).toEqual([...listed, key].sort((a, b) => a.localeCompare(b)));
  }
  expect(await bucket.list('_exports/')).toEqual([]);
}

/** One export task per group however the runs went: a re-run finds its task instead of starting another. */
function expectOneExportPerGroup(scenario: Scenario) {
  const tasks = scenario.sandbox.cloudwatch.exportTasks();
  expect(tasks.map((task) => task.logGroupName).sort()).toEqual([...GROUPS].sort());
}

const streamId = (group: string, stream: string) => `${group} ▸ ${stream}`;

/** The stream results one run wrote, by streamId. */
async function streamResults(scenario: Scenario, executionName: string): Promise<Map<string, StreamResult>> {
  const marker = `/${executionName}/cloudwatch/`;
  const keys = (await scenario.bucket.list('_runs/')).map((item) => item.key);
  const results = new Map<string, StreamResult>();
  for (const key of keys.filter((item) => item.includes(marker) && item.includes('/streams/'))) {
    const group = decodeURIComponent(key.split(marker)[1]?.split('/')[0] ?? '');
    const result = await scenario.bucket.json<StreamResult>(key);
    results.set(streamId(group, result.stream), result);
  }
  return results;
}

/** The kept events each rewrite checkpointed before deleting its stream, by streamId. */
async function checkpointedEvents(scenario: Scenario): Promise<Map<string, StoredEvent[]>> {
  const keys = (await scenario.bucket.list('_cloudwatch/checkpoints/')).map((item) => item.key);
  const kept = new Map<string, StoredEvent[]>();
  for (const key of keys.filter((item) => item.endsWith('/events.json'))) {
    const checkpoint = await scenario.bucket.json<{ logGroupName: string; stream: string; events: StoredEvent[] }>(key);
    kept.set(streamId(checkpoint.logGroupName, checkpoint.stream), checkpoint.events);
  }
  return kept;
}

describe('the CloudWatch Logs branch on the sandbox', () => {
  describe('a scheduled run', () => {
    let scenario: Scenario;
    let first: RunRecord;

    beforeAll(async () => {
      scenario = await startScenario('scheduled');
      first = await scenario.run('e2e-cloudwatch-1');
    });
    afterAll(() => scenario.stop());

    it('keeps exactly the events at or after the cutoff: the old stream deleted, the new one untouched', () => {
      expectCleanRun(first);
      expectTrimmed(scenario);
      expect(scenario.sandbox.cloudwatch.streams(AURORA)).toEqual([REWRITTEN, ALL_AFTER].sort());
      // Untouched means not put again either: the ingestion times are the seeded ones.
      expect(scenario.sandbox.cloudwatch.events(AURORA, ALL_AFTER)).toEqual(scenario.seeded[AURORA]?.[ALL_AFTER]);
      const kept = scenario.sandbox.cloudwatch.events(AURORA, REWRITTEN) ?? [];
      expect(kept[0]?.timestamp).toBe(scenario.cutoff);
      expect(kept.filter((event) => event.message.endsWith('logged twice'))).toHaveLength(2);
    });

    it('holds every event of [from, cutoff) in S3 under the manifests of the range', async () => {
      await expectExported(scenario);
      expectOneExportPerGroup(scenario);
      const exported = await scenario.bucket.exportedEvents(manifestKeyFor(AURORA, scenario.from, scenario.cutoff));
      expect(exported[ALL_BEFORE]).toHaveLength(scenario.seeded[AURORA]?.[ALL_BEFORE]?.length ?? -1);
      expect(exported[ALL_AFTER]).toBeUndefined();
    });

    it('changes nothing when run again with the same input', async () => {
      const logsBefore = logsContent(scenario.sandbox, GROUPS);
      const objectsBefore = await scenario.bucket.list('cloudwatch/');

      const second = await scenario.run('e2e-cloudwatch-2');

      expectCleanRun(second);
      expect(mutatingCalls(scenario, second)).toEqual([]);
      expect(logsContent(scenario.sandbox, GROUPS)).toEqual(logsBefore);
      expect(await scenario.bucket.list('cloudwatch/')).toEqual(objectsBefore);
      expect(await scenario.bucket.list('_exports/')).toEqual([]);
      expectOneExportPerGroup(scenario);
    });
  });

  describe('a run stopped by a crash, then run again', () => {
    let scenario: Scenario | undefined;
    afterEach(async () => {
      await scenario?.stop();
      scenario = undefined;
    });

    const targets = {
      group: { logGroupName: AURORA },
      'rewritten stream': { logGroupName: AURORA, logStreamName: REWRITTEN },
      'deleted stream': { logGroupName: AURORA, logStreamName: ALL_BEFORE },
    };
    it.each<[SeedCrash['when'], SeedCrash['operation'], keyof typeof targets]>([
      ['before', 'CreateExportTask', 'group'],
      ['after', 'CreateExportTask', 'group'],
      ['before', 'DeleteLogStream', 'rewritten stream'],
      ['after', 'DeleteLogStream', 'rewritten stream'],
      ['before', 'DeleteLogStream', 'deleted stream'],
      ['after', 'DeleteLogStream', 'deleted stream'],
      ['before', 'CreateLogStream', 'rewritten stream'],
      ['after', 'CreateLogStream', 'rewritten stream'],
      ['before', 'PutLogEvents', 'rewritten stream'],
      ['after', 'PutLogEvents', 'rewritten stream'],
    ])('ends as an uninterrupted run after a crash %s %s on the %s', async (when, operation, target) => {
      scenario = await startScenario(`crash-${when}-${operation}`, {
        crashes: [{ operation, when, times: 1, ...targets[target] }],
      });

      const crashed = await scenario.run('e2e-crash-1');
      const rerun = await scenario.run('e2e-crash-2');

      expect(scenario.sandbox.cloudwatch.calls.filter((call) => call.error === 'InjectedCrash')).toHaveLength(1);
      expect(failedSomewhere(crashed)).toBe(true);
      expectCleanRun(rerun);
      expectTrimmed(scenario);
      await expectExported(scenario);
      expectOneExportPerGroup(scenario);
    });
  });

  describe('a writer appending during the run', () => {
    let scenario: Scenario;
    let record: RunRecord;
    const writers = [
      // Right after the kept events are read: the re-check must see it.
      {
        logGroupName: AURORA,
        logStreamName: REWRITTEN,
        after: 'GetLogEvents' as const,
        message: '{mysqlTime} 4242 [Note] written while reading',
      },
      // Right after the delete: the database makes the stream again before it is recreated.
      {
        logGroupName: POSTGRES,
        logStreamName: 'e2e-postgres',
        after: 'DeleteLogStream' as const,
        message: '{postgresTime}::@:[9001]:LOG:  written after the delete',
      },
      // Right after the export is verified: the stream is no longer quiet when the trim is planned.
      {
        logGroupName: AURORA,
        logStreamName: ALL_BEFORE,
        after: 'DescribeLogStreams' as const,
        message: '{mysqlTime} 2 [Note] back up',
      },
    ];

    beforeAll(async () => {
      scenario = await startScenario('writers', { writers: writers.map((writer) => ({ ...writer, times: 1 })) });
      record = await scenario.run('e2e-writers');
    });
    afterAll(() => scenario.stop());

    it('loses none of the events a stream result says were kept', async () => {
      const results = await streamResults(scenario, record.executionName);
      const checkpoints = await checkpointedEvents(scenario);

      // The stream no writer touches is rewritten, so the check below is never vacuous.
      expect(results.get(streamId(POSTGRES, SLASHED))?.status).toBe('rewritten');
      for (const [group, streams] of Object.entries(scenario.seeded)) {
        for (const stream of Object.keys(streams)) {
          const result = results.get(streamId(group, stream));
          if (result?.status !== 'rewritten') continue;
          const kept = multiset(checkpoints.get(streamId(group, stream)) ?? []);
          const stored = multiset(scenario.sandbox.cloudwatch.events(group, stream) ?? []);
          expect({ stream, kept: kept.length }).toEqual({ stream, kept: result.keptEvents });
          expect({ stream, missing: missingFrom(stored, kept) }).toEqual({ stream, missing: [] });
        }
      }
    });

    it("keeps each writer's event, and every seeded event at or after the cutoff", async () => {
      const results = await streamResults(scenario, record.executionName);

      expect(record.result.status).toBe('SUCCEEDED');
      for (const writer of writers) {
        const stored = scenario.sandbox.cloudwatch.events(writer.logGroupName, writer.logStreamName) ?? [];
        const marker = writer.message.slice(writer.message.indexOf('}') + 1);
        const written = stored.filter((event) => event.message.endsWith(marker));
        const result = results.get(streamId(writer.logGroupName, writer.logStreamName));
        const untouched = result === undefined || ['skipped', 'untouched'].includes(result.status);
        // Either the writer's event is in the stream, or the stream was left as it was, writer's event included.
        expect({ writer: writer.after, written: written.length }).toEqual({ writer: writer.after, written: 1 });
        if (untouched) {
          const seeded = scenario.seeded[writer.logGroupName]?.[writer.logStreamName] ?? [];
          expect(multiset(stored)).toEqual(multiset([...seeded, ...written]));
        }
      }
      const expected = filterContent(scenario.seeded, (event) => event.timestamp >= scenario.cutoff);
      for (const group of GROUPS) {
        for (const [stream, events] of Object.entries(expected[group] ?? {})) {
          const stored = multiset(scenario.sandbox.cloudwatch.events(group, stream) ?? []);
          expect({ stream, missing: missingFrom(stored, multiset(events)) }).toEqual({ stream, missing: [] });
        }
      }
    });
  });

  describe('faults of the export itself', () => {
    let scenario: Scenario | undefined;
    afterEach(async () => {
      await scenario?.stop();
      scenario = undefined;
    });

    it('deletes nothing when the exports end FAILED or CANCELLED', async () => {
      scenario = await startScenario('export-failed', {
        exportOutcomes: [
          { logGroupName: AURORA, status: 'FAILED', message: 'Access Denied', times: 1 },
          { logGroupName: POSTGRES, status: 'CANCELLED', message: 'Cancelled by the operator', times: 1 },
        ],
      });

      const record = await scenario.run('e2e-export-failed');

      expect(record.groups).toEqual(
        GROUPS.map((logGroupName) => ({ logGroupName, status: 'failed', error: 'ExportFailedError' })),
      );
      expect(logsContent(scenario.sandbox, GROUPS)).toEqual(scenario.seeded);
      expect(mutatingCalls(scenario, record).filter((call) => !call.startsWith('CreateExportTask'))).toEqual([]);
      expect(await scenario.bucket.list('cloudwatch/')).toEqual([]);
    });

    it('waits while another exporter holds the export slot, then completes', async () => {
      scenario = await startScenario('slot-held', { exportSlotHeldFor: 2, exportPollsToComplete: 3 });

      const record = await scenario.run('e2e-slot-held');

      const refused = scenario.sandbox.cloudwatch.calls.filter(
        (call) => call.operation === 'CreateExportTask' && call.error === 'LimitExceededException',
      );
      expect(refused).toHaveLength(2);
      expectCleanRun(record);
      expectTrimmed(scenario);
      await expectExported(scenario);
      expectOneExportPerGroup(scenario);
    });
  });
});
