import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AslMachine, AslState } from '../../../scripts/asl-diagram';
import { loadAsl } from '../../../scripts/asl-diagram';
import {
  type CostModel,
  costModel,
  countTransitions,
  DEFAULT_SCENARIO,
  exportPolls,
  OUTSIDE_THE_RUN,
  parseCli,
  run,
  type Scenario,
  TASK_MEMORY_MB,
  UsageError,
  visitsPerExecution,
} from '../../../scripts/cost-model';

type MutableMachine = { StartAt: string; States: Record<string, AslState> };

const REPO = path.join(__dirname, '..', '..', '..');
const definition = loadAsl();

/** One instance with two 9 MiB files (1 MiB gzipped: one PutObject each), one log group with one stream. */
const TINY: Scenario = {
  instances: 1,
  filesPerInstance: 2,
  mbPerFile: 9,
  logGroups: 1,
  streamsPerGroup: 1,
  gbExported: 0.01,
  trimMode: 'rewrite',
  olderThanDays: 7,
};
const tiny = costModel(TINY);
const GB_SECOND = 0.0000133334;
const REQUEST = 0.2 / 1e6;
const PUT = 0.005 / 1000;
const GET = 0.0004 / 1000;
/** 80 MiB/s measured on 2 vCPUs, at 1,024 of the 1,769 MB that give one vCPU. */
const ARCHIVE_SECONDS_PER_MIB = 1769 / (80 * 1024);

const model = (changes: Partial<Scenario>) => costModel({ ...TINY, ...changes });

describe('the cost of a tiny run, by hand', () => {
  it('counts its transitions: 10 for the run, 5 for the instance, 21 for the group, 1 for the stream', () => {
    // Run: Resolve Run, Archive Logs, List Instances, Archive Each Instance, Plan Exports, Export Each
    // Log Group, Summarize Run, Report Run, Run Outcome, Run Succeeded. Instance: List Log Files, the Choice twice,
    // one batch, Instance Done. Group: Start Export, Export Started?, 5 × (Wait, Check, Finished?),
    // Verify Export, Plan Trim, Trim Each Stream, Log Group Done. Stream: Trim Stream.
    expect(tiny.workload.polls).toBe(5);
    expect(tiny.stepFunctions.perExecution).toEqual({
      run: 10,
      'Archive Each Instance': 5,
      'Export Each Log Group': 21,
      'Trim Each Stream': 1,
    });
    expect(tiny.stepFunctions.transitions).toBe(37);
    expect(tiny.stepFunctions.cost).toBeCloseTo(37 * 0.000025, 12);
  });

  it('prices Lambda by each task’s memory and duration, the archive’s from the measured throughput', () => {
    const kept = (0.07 * 1024 ** 3) / 1_048_576; // 7 days of 0.01 GiB: 71.68 MiB, so 72 put calls
    expect(tiny.workload.putCallsPerStream).toBe(Math.ceil(kept));
    const gbSeconds =
      0.25 * (0.3 + 1 + 2 + 1 + 1 + 5 * 0.5 + 3 + 2 + 2 + 2) + // the 256 MB tasks, check-export polled 5 times
      1 * (1 + 2 * 9 * ARCHIVE_SECONDS_PER_MIB) + // archive-log-files: one batch of two 9 MiB files
      1 * (2 + 72 * 0.3); // trim-stream: 72 put calls

    expect(tiny.lambda.requests).toBe(16);
    expect(tiny.lambda.tasks['notify-run']).toEqual({ invocations: 1, memoryMb: 256, secondsEach: 2, gbSeconds: 0.5 });
    expect(tiny.lambda.gbSeconds).toBeCloseTo(gbSeconds, 9);
    expect(tiny.lambda.cost).toBeCloseTo(gbSeconds * GB_SECOND + 16 * REQUEST, 12);
  });

  it('counts the S3 requests of each task', () => {
    // Files: 2 + 2 HEADs, plan PUT, 2 PutObjects, batch plan GET and results PUT, Summarize Run's
    // plan GET, results LIST and GET, report PUT, and Report Run's report GET.
    const filesPut = 1 + 2 + 1 + 1 + 1;
    const filesGet = 4 + 1 + 2 + 1;
    // Group: Start Export 2 GETs + 1 PUT; the export's object and write test; Verify Export HEAD, 2 LISTs,
    // 2 copies, manifest; Plan Trim 2 LISTs + plan; Trim Stream 2 GETs, checkpoint, progress ×4, 2 per
    // call, result; Summarize Run plan GET, LIST, result GET.
    const groupPut = 1 + 2 + 5 + 3 + (6 + 2 * 72) + 1;
    const groupGet = 2 + 1 + 2 + 2;

    expect(tiny.s3Requests.put).toBe(filesPut + groupPut);
    expect(tiny.s3Requests.get).toBe(filesGet + groupGet);
    expect(tiny.s3Requests.cost).toBeCloseTo((filesPut + groupPut) * PUT + (filesGet + groupGet) * GET, 12);
    expect(tiny.s3Requests.filesCost).toBeCloseTo(filesPut * PUT + filesGet * GET, 12);
  });

  it('stores the gzipped archive and exports monthly, and checkpoints and deleted copies once', () => {
    const archiveGib = 2 / 1024; // 18 MiB at 9:1
    const exportsGib = 0.01 * 0.15;
    const transientGibMonths = 0.07 + (exportsGib * 7) / 30; // checkpoints for 30 days, staged exports 7

    expect(tiny.s3Storage.archiveGib).toBeCloseTo(archiveGib, 12);
    expect(tiny.storagePerMonth).toBeCloseTo((archiveGib + exportsGib) * 0.023, 12);
    expect(tiny.s3Storage.transientCost).toBeCloseTo(transientGibMonths * 0.023, 12);
    expect(tiny.s3Storage.deepArchivePerMonth).toBeCloseTo(archiveGib * 0.00099, 12);
  });

  it('bills the rewritten stream’s kept events as ingestion, and nothing for the export itself', () => {
    expect(tiny.cloudWatchLogs.exportCost).toBe(0);
    expect(tiny.cloudWatchLogs.reputGib).toBeCloseTo(0.07, 12);
    expect(tiny.cloudWatchLogs.reputCost).toBeCloseTo(0.035, 12);
  });

  it('sums one run and compares the files with CloudWatch Logs ingestion and storage', () => {
    const sourceGib = 18 / 1024;
    // The run's own tasks count with the files: Resolve Run, Summarize Run and Notify Run.
    const filesLambda = (0.25 * (0.3 + 1 + 2 + 2 + 2) + 1 + 18 * ARCHIVE_SECONDS_PER_MIB) * GB_SECOND + 6 * REQUEST;
    const filesS3 = 6 * PUT + 8 * GET;

    expect(tiny.perRun).toBeCloseTo(
      tiny.stepFunctions.cost + tiny.lambda.cost + tiny.s3Requests.cost + tiny.s3Storage.transientCost + 0.035,
      12,
    );
    expect(tiny.comparison.cloudWatchIngestion).toBeCloseTo(sourceGib * 0.5, 12);
    expect(tiny.comparison.cloudWatchStoragePerMonth).toBeCloseTo(sourceGib * 0.15 * 0.03, 12);
    expect(tiny.comparison.archivePerRun).toBeCloseTo(15 * 0.000025 + filesLambda + filesS3, 12);
  });
});

describe('the notification functions outside the run', () => {
  it('prices one invocation each: Lambda duration and request, and the S3 requests of an RDS event', () => {
    const lambda = (seconds: number) => ((seconds * 256) / 1024) * GB_SECOND + REQUEST;

    expect(tiny.outsideTheRun['capture-rds-event'].cost).toBeCloseTo(lambda(1) + 2 * PUT, 15);
    expect(tiny.outsideTheRun['check-backups'].cost).toBeCloseTo(lambda(2), 15);
    expect(tiny.outsideTheRun['notify-alarm'].cost).toBeCloseTo(lambda(1), 15);
    expect(tiny.outsideTheRun['post-metric-graphs'].cost).toBeCloseTo(lambda(5), 15);
  });

  it('leaves them out of the per-run figures, which count Notify Run once per run', () => {
    const invoked = Object.entries(tiny.lambda.tasks).filter(([, cost]) => cost.invocations > 0);

    expect(invoked.map(([task]) => task)).not.toContain('capture-rds-event');
    expect(Object.keys(tiny.lambda.tasks)).toEqual(Object.keys(TASK_MEMORY_MB));
    expect(Object.keys(OUTSIDE_THE_RUN).filter((task) => task in TASK_MEMORY_MB)).toEqual([]);
    expect(run([])).toContain('Outside the run (not in the per-run figures)');
  });
});

describe('how the scenario scales the terms', () => {
  const terms = (cost: CostModel) => ({
    transitions: cost.stepFunctions.transitions,
    put: cost.s3Requests.put,
    get: cost.s3Requests.get,
    archiveGib: cost.s3Storage.archiveGib,
    reput: cost.cloudWatchLogs.reputCost,
    trimGbSeconds: cost.lambda.tasks['trim-stream'].gbSeconds,
    archiveGbSeconds: cost.lambda.tasks['archive-log-files'].gbSeconds,
  });

  it('grows storage and archive time with the file size, and no request or transition', () => {
    const larger = terms(model({ mbPerFile: 18 }));
    const base = terms(tiny);

    expect(larger.archiveGib).toBeCloseTo(2 * base.archiveGib, 12);
    expect(larger.archiveGbSeconds - 1).toBeCloseTo(2 * (base.archiveGbSeconds - 1), 9);
    expect({ ...larger, archiveGib: 0, archiveGbSeconds: 0 }).toEqual({ ...base, archiveGib: 0, archiveGbSeconds: 0 });
  });

  it('adds an instance’s transitions and requests per instance, leaving the log groups’ terms alone', () => {
    const three = model({ instances: 3 });

    expect(three.stepFunctions.transitions - tiny.stepFunctions.transitions).toBe(2 * 5);
    expect(three.lambda.tasks['list-log-files'].invocations).toBe(3);
    expect(three.s3Requests.lines.filter((line) => line.part === 'cloudwatch')).toEqual(
      tiny.s3Requests.lines.filter((line) => line.part === 'cloudwatch'),
    );
    expect(three.cloudWatchLogs).toEqual(tiny.cloudWatchLogs);
  });

  it('adds a group’s transitions and export requests per log group, leaving the files’ terms alone', () => {
    const two = model({ logGroups: 2, gbExported: 0.02 });

    expect(two.stepFunctions.transitions - tiny.stepFunctions.transitions).toBe(21 + 1);
    expect(two.lambda.tasks['check-export'].invocations).toBe(2 * 5);
    expect(two.s3Requests.lines.filter((line) => line.part === 'files')).toEqual(
      tiny.s3Requests.lines.filter((line) => line.part === 'files'),
    );
    expect(two.comparison).toEqual(tiny.comparison);
  });

  it('scales the re-put ingestion with the exported bytes and the days kept', () => {
    expect(model({ gbExported: 0.02 }).cloudWatchLogs.reputCost).toBeCloseTo(2 * tiny.cloudWatchLogs.reputCost, 12);
    expect(model({ olderThanDays: 3 }).cloudWatchLogs.reputCost).toBeCloseTo(
      (3 / 7) * tiny.cloudWatchLogs.reputCost,
      12,
    );
  });

  it('visits no stream and puts nothing back outside the rewrite mode', () => {
    const retention = model({ trimMode: 'retention' });

    expect(retention.cloudWatchLogs.reputCost).toBe(0);
    expect(retention.stepFunctions.transitions).toBe(tiny.stepFunctions.transitions - 1);
    expect(retention.lambda.tasks['trim-stream'].invocations).toBe(0);
    expect(retention.cloudWatchLogs.storageFreedPerMonth).toBeGreaterThan(0);
    expect(model({ trimMode: 'none' }).cloudWatchLogs.storageFreedPerMonth).toBe(0);
  });

  it('uploads files over 5 MiB gzipped in parts, then copies them, and keeps the staging copy a day', () => {
    const large = model({ mbPerFile: 50 }); // 5.6 MiB gzipped: 2 parts

    expect(large.workload.putsPerFile).toBe(1 + 2 + 1 + 1);
    expect(large.s3Requests.put - tiny.s3Requests.put).toBe(2 * (5 - 1));
    expect(large.s3Storage.transientGibMonths).toBeCloseTo(
      tiny.s3Storage.transientGibMonths + large.s3Storage.archiveGib / 30,
      12,
    );
  });

  it('splits a batch when the files would outlast the invocation, and defers files over the per-run cap', () => {
    const huge = model({ mbPerFile: 20_000, filesPerInstance: 4 }); // over 400 s each: one per batch

    expect(huge.workload.filesPerBatch).toBe(1);
    expect(huge.stepFunctions.perExecution['Archive Each Instance']).toBe(2 * 4 + 3);
    expect(model({ filesPerInstance: 5_000 }).workload).toMatchObject({ files: 3_000, deferredFiles: 2_000 });
  });
});

describe('transitions counted over the real ASL file', () => {
  const visits = visitsPerExecution({ batches: 1, polls: 1 });
  const items = { 'Archive Each Instance': 1, 'Export Each Log Group': 1, 'Trim Each Stream': 1 };

  it('gives every state of the ASL a visit count, and invokes every Lambda task', () => {
    const counted = countTransitions(definition, visits, items);

    expect(Object.keys(counted.perExecution).sort()).toEqual([
      'Archive Each Instance',
      'Export Each Log Group',
      'Trim Each Stream',
      'run',
    ]);
    for (const task of Object.keys(TASK_MEMORY_MB))
      expect(counted.invocations[task as keyof typeof TASK_MEMORY_MB]).toBeGreaterThan(0);
  });

  it('fails when a state is added to the ASL without being counted', () => {
    const changed = structuredClone(definition) as MutableMachine;
    const outcome = changed.States['Run Outcome'] as AslState;
    changed.States['Run Outcome'] = { ...outcome, Default: 'Notify Run' };
    changed.States['Notify Run'] = { Type: 'Pass', Next: 'Run Succeeded' };

    expect(() => countTransitions(changed, visits, items)).toThrow('"Notify Run" has no visit count');
  });

  it('fails when a state is added inside a Map item processor without being counted', () => {
    const changed = structuredClone(definition) as MutableMachine;
    const trimMap = findState(changed, 'Trim Each Stream');
    (trimMap?.ItemProcessor?.States as Record<string, AslState>)['Record Stream'] = { Type: 'Pass', End: true };

    expect(() => countTransitions(changed, visits, items)).toThrow('"Record Stream" has no visit count');
  });

  it('fails when the ASL no longer has a state the model counts', () => {
    const changed = structuredClone(definition) as MutableMachine;
    delete changed.States['Run Could Not Report'];

    expect(() => countTransitions(changed, visits, items)).toThrow('Run Could Not Report');
  });

  it('fails when a Task invokes a function the model has no memory size for', () => {
    const changed = structuredClone(definition) as MutableMachine;
    changed.States['Resolve Run'] = {
      ...(changed.States['Resolve Run'] as AslState),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntax of definition substitutions
      Resource: '${NotifyFunctionArn}',
    };

    expect(() => countTransitions(changed, visits, items)).toThrow('no memory size');
  });

  it('polls an export by the waits Check Export takes: 30, 45, 68, 102, 153 s, then at most 300 s', () => {
    expect(exportPolls(0.5)).toBe(1);
    expect(exportPolls(5)).toBe(5);
    expect(exportPolls(720)).toBe(exportPolls(60) + (720 - 60) / 5);
  });
});

/** A state by name, however deep in Parallel branches and Map item processors. */
function findState(machine: AslMachine, name: string): AslState | undefined {
  for (const [key, state] of Object.entries(machine.States)) {
    if (key === name) return state;
    for (const scope of [...(state.Branches ?? []), ...(state.ItemProcessor ? [state.ItemProcessor] : [])]) {
      const found = findState(scope, name);
      if (found) return found;
    }
  }
  return undefined;
}

describe('the settings the model takes from elsewhere', () => {
  it('sizes each task as infra/constructs/rds-log-archive.ts does', () => {
    const construct = readFileSync(path.join(REPO, 'infra', 'constructs', 'rds-log-archive.ts'), 'utf8');
    const sizes = Object.fromEntries(
      [...construct.matchAll(/task\('([a-z-]+)', (\d+),/g)].map((m) => [m[1], Number(m[2])]),
    );

    expect(sizes).toEqual(TASK_MEMORY_MB);
  });

  it('sizes each notification function as infra/constructs/archive-notifications.ts does', () => {
    const construct = readFileSync(path.join(REPO, 'infra', 'constructs', 'archive-notifications.ts'), 'utf8');
    const sizes = Object.fromEntries(
      [...construct.matchAll(/task\('([a-z-]+)', (\d+),/g)].map((m) => [m[1], Number(m[2])]),
    );

    expect(sizes).toEqual(
      Object.fromEntries(Object.entries(OUTSIDE_THE_RUN).map(([task, { memoryMb }]) => [task, memoryMb])),
    );
  });
});

describe('the command line', () => {
  it('runs the default scenario unless told otherwise', () => {
    expect(parseCli([])).toEqual({ scenario: DEFAULT_SCENARIO, json: false });
    expect(DEFAULT_SCENARIO).toMatchObject({
      instances: 10,
      filesPerInstance: 100,
      mbPerFile: 50,
      logGroups: 10,
      streamsPerGroup: 3,
    });
  });

  it('reads every scenario flag', () => {
    const { scenario, json } = parseCli([
      '--json',
      ...['--instances', '3', '--files-per-instance', '40', '--mb-per-file', '2.5', '--log-groups', '0'],
      ...['--streams-per-group', '7', '--gb-exported', '0.25', '--trim-mode', 'retention', '--older-than-days', '3'],
    ]);

    expect(json).toBe(true);
    expect(scenario).toEqual({
      instances: 3,
      filesPerInstance: 40,
      mbPerFile: 2.5,
      logGroups: 0,
      streamsPerGroup: 7,
      gbExported: 0.25,
      trimMode: 'retention',
      olderThanDays: 3,
    });
  });

  it.each([
    [['--instances', '2.5'], '--instances: expected a whole number'],
    [['--mb-per-file=-1'], '--mb-per-file: expected a number, 0 or more'],
    [['--gb-exported', 'lots'], '--gb-exported: expected a number'],
    [['--trim-mode', 'shred'], '--trim-mode: expected one of rewrite, retention, delete-exported, none'],
    [['--instance', '2'], "Unknown option '--instance'"],
  ])('refuses %j, naming the flag and the expected form', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });

  it('prints one JSON object with --json', () => {
    const printed = JSON.parse(run(['--json', '--instances', '1']));

    expect(printed.scenario.instances).toBe(1);
    expect(printed.perRun).toBeGreaterThan(0);
    expect(printed.assumptions.length).toBeGreaterThan(5);
  });

  it('prints the report docs/cost.md shows for the default scenario', () => {
    const doc = readFileSync(path.join(REPO, 'docs', 'cost.md'), 'utf8');

    expect(doc).toContain(run([]));
  });
});
