/**
 * `npm run cost-model [-- --json] [--instances N --files-per-instance N --mb-per-file N --log-groups N
 * --streams-per-group N --gb-exported N --trim-mode MODE --older-than-days N]`: what one run costs in
 * AWS list prices, computed from the state machine file, the tasks' settings and the measured archive
 * throughput, and what the same log bytes would cost in CloudWatch Logs. Every figure follows from the
 * constants below; docs/cost.md explains them.
 */
import { parseArgs } from 'node:util';
import type { NotificationTaskName } from '../infra/constructs/archive-notifications';
import type { TaskName } from '../infra/constructs/rds-log-archive';
import { MAX_WAIT_SECONDS } from '../tasks/check-export';
import { TRIM_MODES, type TrimMode } from '../tasks/common/cloudwatch-types';
import { parseConfig } from '../tasks/common/config';
import { PUT_LIMITS } from '../tasks/common/log-batches';
import {
  EVENTS_PER_EXECUTION,
  estimateHistory,
  type AslState as HistoryState,
} from '../test/statemachine/history-model';
import { type AslMachine, type AslState, loadAsl } from './asl-diagram';

// ---- Prices: AWS list prices, us-east-1, as of 2026. "GB" is 2^30 bytes, as AWS bills it. ----

/** Step Functions Standard workflows: $0.025 per 1,000 state transitions, retries included (aws.amazon.com/step-functions/pricing). */
export const STEP_FUNCTIONS_PER_TRANSITION = 0.025 / 1000;
/** Lambda duration on arm64: $0.0000133334 per GB-second (aws.amazon.com/lambda/pricing). */
export const LAMBDA_ARM_PER_GB_SECOND = 0.0000133334;
/** Lambda requests: $0.20 per million (aws.amazon.com/lambda/pricing). */
export const LAMBDA_PER_REQUEST = 0.2 / 1_000_000;
/** S3 Standard PUT, COPY, POST and LIST requests: $0.005 per 1,000 (aws.amazon.com/s3/pricing). */
export const S3_PUT_PER_REQUEST = 0.005 / 1000;
/** S3 Standard GET, HEAD and other requests: $0.0004 per 1,000; DELETE is free (aws.amazon.com/s3/pricing). */
export const S3_GET_PER_REQUEST = 0.0004 / 1000;
/** S3 Standard storage, first 50 TB: $0.023 per GB-month (aws.amazon.com/s3/pricing). */
export const S3_STANDARD_PER_GB_MONTH = 0.023;
/** S3 Glacier Instant Retrieval storage: $0.004 per GB-month (aws.amazon.com/s3/pricing). */
export const S3_GLACIER_IR_PER_GB_MONTH = 0.004;
/** S3 Glacier Deep Archive storage: $0.00099 per GB-month (aws.amazon.com/s3/pricing). */
export const S3_DEEP_ARCHIVE_PER_GB_MONTH = 0.00099;
/** Lifecycle transitions into Glacier Instant Retrieval: $0.02 per 1,000 objects (aws.amazon.com/s3/pricing). */
export const S3_TRANSITION_GLACIER_IR_PER_OBJECT = 0.02 / 1000;
/** Lifecycle transitions into Glacier Deep Archive: $0.05 per 1,000 objects (aws.amazon.com/s3/pricing). */
export const S3_TRANSITION_DEEP_ARCHIVE_PER_OBJECT = 0.05 / 1000;
/** CloudWatch Logs Standard ingestion: $0.50 per GB; put-back events are ingested again (aws.amazon.com/cloudwatch/pricing). */
export const LOGS_INGESTION_PER_GB = 0.5;
/** CloudWatch Logs storage: $0.03 per GB-month of compressed bytes (aws.amazon.com/cloudwatch/pricing). */
export const LOGS_STORAGE_PER_GB_MONTH = 0.03;

// ---- What the model assumes about the work. ----

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const DAYS_PER_MONTH = 30;
/** README "Benchmark": the archive task streams about 80 MiB/s of source at gzip level 6 on 2 vCPUs, gzip on one. */
export const MEASURED_ARCHIVE_MIB_PER_SECOND = 80;
/** Lambda gives a function one vCPU at 1,769 MB and CPU in proportion to memory below that (Lambda developer guide). */
export const LAMBDA_MB_PER_VCPU = 1769;
/** README "Benchmark": audit logs compress about 9:1 at gzip level 6. */
export const COMPRESSION_RATIO = 9;
/** CloudWatch Logs stores log text compressed to about 0.15 of its raw size; exports (gzip) are assumed the same. */
export const LOG_TEXT_COMPRESSED_FRACTION = 0.15;
/** Objects one stream's export holds (`{taskId}/{stream}/000000.gz`), besides one `aws-logs-write-test` per export. */
export const EXPORT_OBJECTS_PER_STREAM = 1;
/** How long CloudWatch Logs typically takes to export one group's day at the volumes modelled here. */
export const TYPICAL_EXPORT_MINUTES = 5;
/** Check Export's waits grow by half each time (tasks/check-export.ts), up to MAX_WAIT_SECONDS. */
const EXPORT_WAIT_GROWTH = 1.5;
/** tasks/common/archive-object.ts: up to 5 MiB compressed is one PutObject, more goes up in 5 MiB parts. */
export const SINGLE_PUT_MAX_BYTES = 5 * MiB;
export const MULTIPART_PART_BYTES = 5 * MiB;
/** Lifecycle rules (infra/constructs/rds-log-archive.ts): how long deleted or obsolete objects are still stored. */
const STAGING_NONCURRENT_DAYS = 1;
const EXPORTS_NONCURRENT_DAYS = 7;
const CHECKPOINT_EXPIRATION_DAYS = 30;
/** archive-log-files' timeout (infra/constructs/rds-log-archive.ts): a batch stops when less than TIME_RESERVE_SECONDS is left. */
const ARCHIVE_TIMEOUT_SECONDS = 900;

/**
 * Each task's memory in MB, as createFunctions in infra/constructs/rds-log-archive.ts sets it (the
 * construct does not export the sizes); test/unit/scripts/cost-model.test.ts compares them with that file.
 */
export const TASK_MEMORY_MB: Readonly<Record<TaskName, number>> = {
  'resolve-run': 256,
  'list-instances': 256,
  'list-log-files': 256,
  'archive-log-files': 1024,
  'plan-exports': 256,
  'start-export': 256,
  'check-export': 256,
  'verify-export': 256,
  'plan-trim': 256,
  'trim-stream': 1024,
  'summarize-run': 256,
  'notify-run': 256,
};

/**
 * Typical billed seconds per invocation (init included) of the work that does not grow with bytes:
 * a few API calls each. archive-log-files adds its streaming time, trim-stream its put calls.
 */
export const TYPICAL_SECONDS: Readonly<Record<TaskName, number>> = {
  'resolve-run': 0.3,
  'list-instances': 1,
  'list-log-files': 2,
  'archive-log-files': 1,
  'plan-exports': 1,
  'start-export': 1,
  'check-export': 0.5,
  'verify-export': 3,
  'plan-trim': 2,
  'trim-stream': 2,
  'summarize-run': 2,
  // Reads the report, the webhook secret once per container, and posts one message.
  'notify-run': 2,
};
/** Per PutLogEvents call of a rewrite: reading a page of kept events, the progress PUT before and after, the call. */
export const TRIM_SECONDS_PER_PUT_CALL = 0.3;
/** The run's own tasks and those of the file archive; the others serve the CloudWatch Logs branch. */
const FILE_TASKS: readonly TaskName[] = [
  'resolve-run',
  'list-instances',
  'list-log-files',
  'archive-log-files',
  'summarize-run',
  'notify-run',
];

/** One invocation of a notification function outside the run, and what brings it. */
export interface OutsideTheRunTask {
  /** As infra/constructs/archive-notifications.ts sets it; test/unit/scripts/cost-model.test.ts compares. */
  readonly memoryMb: number;
  /** Typical billed seconds, init included. */
  readonly seconds: number;
  readonly s3Put: number;
  readonly s3Get: number;
  /** What one invocation is for. */
  readonly per: string;
}

/**
 * The notification functions outside the state machine: they do not run per run, so they are
 * priced per invocation beside the run rather than in it.
 */
export const OUTSIDE_THE_RUN: Readonly<Record<NotificationTaskName, OutsideTheRunTask>> = {
  // Stores the event and, once posted, its marker: two PUTs; a redelivery adds a HEAD.
  'capture-rds-event': { memoryMb: 256, seconds: 1, s3Put: 2, s3Get: 0, per: 'RDS event' },
  // Describe calls (no charge) per configured database and at most one post.
  'check-backups': { memoryMb: 256, seconds: 2, s3Put: 0, s3Get: 0, per: 'day' },
  'notify-alarm': { memoryMb: 256, seconds: 1, s3Put: 0, s3Get: 0, per: 'alarm notification' },
  // Renders and uploads each widget for each database.
  'post-metric-graphs': { memoryMb: 256, seconds: 5, s3Put: 0, s3Get: 0, per: 'scheduled post' },
};

const DEFAULTS = parseConfig({ AWS_REGION: 'us-east-1', ARCHIVE_BUCKET: 'cost-model' });

/** One run's workload. */
export interface Scenario {
  readonly instances: number;
  readonly filesPerInstance: number;
  /** MiB of source (uncompressed) per log file. */
  readonly mbPerFile: number;
  readonly logGroups: number;
  readonly streamsPerGroup: number;
  /** GiB of events (raw, as ingested) the run exports over all groups: one day of them on a scheduled run. */
  readonly gbExported: number;
  readonly trimMode: TrimMode;
  /** CW_OLDER_THAN_DAYS: a rewritten stream puts back the events of the days after the cutoff. */
  readonly olderThanDays: number;
}

/** A day of 10 instances with 100 files of 50 MiB each, and 10 log groups of 3 streams. */
export const DEFAULT_SCENARIO: Scenario = {
  instances: 10,
  filesPerInstance: 100,
  mbPerFile: 50,
  logGroups: 10,
  streamsPerGroup: 3,
  gbExported: 1,
  trimMode: DEFAULTS.trimMode,
  olderThanDays: DEFAULTS.cloudWatchOlderThanDays,
};

// ---- Transitions, counted over the real ASL. ----

/** How often each state is entered per execution of its scope: the run, one instance, one log group, one stream. */
export type Visits = Readonly<Record<string, number>>;

/**
 * The visit count of every state of statemachines/archive.asl.json on a run where nothing fails and
 * nothing is retried (each retry is one more transition). A state missing here fails the count.
 */
export function visitsPerExecution(work: { readonly batches: number; readonly polls: number }): Visits {
  const { batches, polls } = work;
  return {
    // The run: its fixed states, the two branches and the report.
    'Resolve Run': 1,
    'Alert Input Rejected': 0,
    'Input Rejected': 0,
    'Alert Run Could Not Start': 0,
    'Run Could Not Start': 0,
    'Archive Logs': 1,
    'List Instances': 1,
    'Archive Each Instance': 1,
    'Listing Instances Failed': 0,
    'Plan Exports': 1,
    'Export Each Log Group': 1,
    'Exports Not Planned': 0,
    'Summarize Run': 1,
    'Report Run': 1,
    'Alert Run Could Not Report': 0,
    'Run Could Not Report': 0,
    'Run Outcome': 1,
    'Run Failed': 0,
    'Run Succeeded': 1,
    // One instance (a child execution): the plan, then a batch and the Choice per batch, the Choice once more.
    'List Log Files': 1,
    'More Files To Archive?': batches + 1,
    'Archive Log Files': batches,
    'Instance Done': 1,
    'Instance Failed': 0,
    // One log group (a child execution): the export starts at once (no other exporter holds the slot), is
    // checked `polls` times, then verified, the trim planned and the streams trimmed.
    'Start Export': 1,
    'Export Started?': 1,
    'Wait For Export Slot': 0,
    'Wait For Export': polls,
    'Check Export': polls,
    'Export Finished?': polls,
    'Verify Export': 1,
    'Plan Trim': 1,
    'Trim Each Stream': 1,
    'Log Group Done': 1,
    'Log Group Failed': 0,
    // One stream (an iteration of the inline Map).
    'Trim Stream': 1,
    'Stream Trim Failed': 0,
  };
}

export interface TransitionCount {
  /** Transitions per execution of each scope: `run` (with its Parallel branches), and one item of each Map by name. */
  readonly perExecution: Readonly<Record<string, number>>;
  /** Over the whole run, child executions of the Distributed Maps included. */
  readonly total: number;
  /** Lambda invocations per task over the whole run. */
  readonly invocations: Readonly<Record<TaskName, number>>;
}

/** The task a Task state invokes, from its `${<PascalName>FunctionArn}` resource. */
export function taskOf(name: string, state: AslState): TaskName {
  const pascal = /^\$\{(\w+)FunctionArn\}$/.exec(state.Resource ?? '')?.[1];
  const task = pascal?.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  if (!task || !(task in TASK_MEMORY_MB)) {
    throw new Error(
      `Task "${name}" (${state.Resource}) has no memory size in the cost model: add it to TASK_MEMORY_MB`,
    );
  }
  return task as TaskName;
}

/**
 * Walk the ASL: each state entered is one transition. A Parallel's branches belong to its execution;
 * each item of a Map (a child execution of a Distributed Map) runs its item processor once.
 */
export function countTransitions(
  definition: AslMachine,
  visits: Visits,
  items: Readonly<Record<string, number>>,
): TransitionCount {
  const perExecution: Record<string, number> = {};
  const invocations = Object.fromEntries(Object.keys(TASK_MEMORY_MB).map((task) => [task, 0])) as Record<
    TaskName,
    number
  >;
  const uncounted = new Set(Object.keys(visits));
  let total = 0;
  const walk = (machine: AslMachine, scope: string, perScope: number, perRun: number) => {
    for (const [name, state] of Object.entries(machine.States)) {
      const count = visits[name];
      if (count === undefined) {
        throw new Error(`state "${name}" has no visit count in the cost model: add it to visitsPerExecution`);
      }
      uncounted.delete(name);
      perExecution[scope] = (perExecution[scope] ?? 0) + perScope * count;
      total += perRun * count;
      if (state.Type === 'Task') invocations[taskOf(name, state)] += perRun * count;
      for (const branch of state.Branches ?? []) walk(branch, scope, perScope * count, perRun * count);
      const processor = state.ItemProcessor ?? state.Iterator;
      if (!processor) continue;
      const itemCount = items[name];
      if (itemCount === undefined) throw new Error(`Map "${name}" has no item count in the cost model`);
      walk(processor, name, 1, perRun * count * itemCount);
    }
  };
  walk(definition, 'run', 1, 1);
  if (uncounted.size > 0) {
    throw new Error(`the cost model counts states the ASL does not have: ${[...uncounted].join(', ')}`);
  }
  return { perExecution, total, invocations };
}

/** Status checks of an export that takes `minutes`: waits from EXPORT_POLL_SECONDS, growing by half up to 300 s. */
export function exportPolls(minutes: number, firstWaitSeconds = DEFAULTS.exportPollSeconds): number {
  let waited = 0;
  let wait = firstWaitSeconds;
  let polls = 0;
  do {
    waited += wait;
    polls += 1;
    wait = Math.min(MAX_WAIT_SECONDS, Math.ceil(wait * EXPORT_WAIT_GROWTH));
  } while (waited < minutes * 60);
  return polls;
}

// ---- The workload in numbers. ----

export interface Workload {
  /** Files archived per instance: the scenario's, at most MAX_FILES_PER_INSTANCE (the rest is deferred). */
  readonly files: number;
  readonly deferredFiles: number;
  readonly archiveMibPerSecond: number;
  readonly secondsPerFile: number;
  readonly filesPerBatch: number;
  readonly batches: number;
  readonly sourceGib: number;
  readonly archivedGib: number;
  readonly compressedBytesPerFile: number;
  /** S3 PUT-class requests to store one file: one PutObject, or create + parts + complete + copy. */
  readonly putsPerFile: number;
  readonly polls: number;
  readonly exportObjects: number;
  readonly exportedGib: number;
  /** Streams Trim Stream visits per group: every long-lived stream in rewrite mode, none in the other modes. */
  readonly streamsTrimmed: number;
  readonly keptGibPerStream: number;
  readonly putCallsPerStream: number;
}

/** What the scenario means for the tasks, with the defaults of tasks/common/config.ts. */
export function workload(scenario: Scenario): Workload {
  const files = Math.min(scenario.filesPerInstance, DEFAULTS.maxFilesPerInstance);
  const archiveMibPerSecond =
    MEASURED_ARCHIVE_MIB_PER_SECOND * Math.min(1, TASK_MEMORY_MB['archive-log-files'] / LAMBDA_MB_PER_VCPU);
  const secondsPerFile = scenario.mbPerFile / archiveMibPerSecond;
  const budget = ARCHIVE_TIMEOUT_SECONDS - DEFAULTS.timeReserveSeconds;
  const filesPerBatch = Math.max(1, Math.min(DEFAULTS.batchMaxFiles, Math.floor(budget / secondsPerFile)));
  const compressedBytesPerFile = (scenario.mbPerFile * MiB) / COMPRESSION_RATIO;
  const multipart = compressedBytesPerFile > SINGLE_PUT_MAX_BYTES;
  const sourceGib = (scenario.instances * files * scenario.mbPerFile) / 1024;
  const streams = scenario.logGroups * scenario.streamsPerGroup;
  const streamsTrimmed =
    scenario.trimMode === 'rewrite' ? Math.min(scenario.streamsPerGroup, DEFAULTS.maxStreamsPerGroup) : 0;
  const keptGibPerStream = streams > 0 ? (scenario.gbExported / streams) * scenario.olderThanDays : 0;
  // A call takes at most 1 MiB of events and spans at most 24 hours: the kept days plus the hours of the
  // run's own day need one call more than the days at least.
  const putCallsPerStream = Math.max(
    Math.ceil((keptGibPerStream * GiB) / PUT_LIMITS.maxBytes),
    scenario.olderThanDays + 1,
  );
  return {
    files,
    deferredFiles: scenario.filesPerInstance - files,
    archiveMibPerSecond,
    secondsPerFile,
    filesPerBatch,
    batches: Math.ceil(files / filesPerBatch),
    sourceGib,
    archivedGib: sourceGib / COMPRESSION_RATIO,
    compressedBytesPerFile,
    putsPerFile: multipart ? Math.ceil(compressedBytesPerFile / MULTIPART_PART_BYTES) + 3 : 1,
    polls: exportPolls(TYPICAL_EXPORT_MINUTES),
    exportObjects: scenario.streamsPerGroup * EXPORT_OBJECTS_PER_STREAM + 1,
    exportedGib: scenario.gbExported * LOG_TEXT_COMPRESSED_FRACTION,
    streamsTrimmed,
    keptGibPerStream: streamsTrimmed > 0 ? keptGibPerStream : 0,
    putCallsPerStream: streamsTrimmed > 0 ? putCallsPerStream : 0,
  };
}

// ---- The components. ----

type Part = 'files' | 'cloudwatch';

export interface StepFunctionsCost {
  readonly perExecution: Readonly<Record<string, number>>;
  readonly transitions: number;
  readonly filesTransitions: number;
  readonly cost: number;
  /** History events per execution (test/statemachine/history-model.ts): a Standard execution fails at 25,000. */
  readonly historyEvents: Readonly<Record<string, number>>;
}

export interface LambdaTaskCost {
  readonly invocations: number;
  readonly memoryMb: number;
  readonly secondsEach: number;
  readonly gbSeconds: number;
}

export interface LambdaCost {
  readonly tasks: Readonly<Record<TaskName, LambdaTaskCost>>;
  readonly gbSeconds: number;
  readonly requests: number;
  readonly durationCost: number;
  readonly requestCost: number;
  readonly cost: number;
  readonly filesCost: number;
}

export interface S3RequestLine {
  readonly what: string;
  readonly part: Part;
  readonly put: number;
  readonly get: number;
}

export interface S3RequestCost {
  readonly lines: readonly S3RequestLine[];
  readonly put: number;
  readonly get: number;
  readonly putCost: number;
  readonly getCost: number;
  readonly cost: number;
  readonly filesCost: number;
}

export interface S3StorageCost {
  readonly archiveGib: number;
  readonly exportsGib: number;
  /** Kept for as long as the archive is: per month. */
  readonly perMonth: number;
  /** Once per run: rewrite checkpoints until they expire, deleted staging copies kept as noncurrent versions. */
  readonly transientGibMonths: number;
  readonly transientCost: number;
  /** The archive's month in colder classes, and the one-off cost of moving one run's objects there. */
  readonly glacierIrPerMonth: number;
  readonly deepArchivePerMonth: number;
  readonly glacierIrTransition: number;
  readonly deepArchiveTransition: number;
}

export interface CloudWatchLogsCost {
  readonly exportCost: number;
  readonly reputGib: number;
  readonly reputCost: number;
  /** CloudWatch Logs storage no longer paid once the exported day is trimmed away. */
  readonly storageFreedPerMonth: number;
}

export interface Comparison {
  readonly sourceGib: number;
  readonly cloudWatchIngestion: number;
  readonly cloudWatchStoragePerMonth: number;
  readonly archivePerRun: number;
  readonly archiveStoragePerMonth: number;
}

/** One invocation of a notification function outside the run, priced. */
export interface OutsideTheRunCost {
  readonly per: string;
  readonly memoryMb: number;
  readonly seconds: number;
  readonly cost: number;
}

export interface CostModel {
  readonly scenario: Scenario;
  readonly workload: Workload;
  readonly stepFunctions: StepFunctionsCost;
  readonly lambda: LambdaCost;
  readonly s3Requests: S3RequestCost;
  readonly s3Storage: S3StorageCost;
  readonly cloudWatchLogs: CloudWatchLogsCost;
  /** Step Functions, Lambda, S3 requests, one-off storage and re-put ingestion of one run. */
  readonly perRun: number;
  /** Storage one run adds, per month it is kept. */
  readonly storagePerMonth: number;
  readonly comparison: Comparison;
  /** The notification functions outside the state machine, per invocation; not in `perRun`. */
  readonly outsideTheRun: Readonly<Record<NotificationTaskName, OutsideTheRunCost>>;
  readonly assumptions: readonly string[];
}

function mapItems(scenario: Scenario, work: Workload) {
  return {
    'Archive Each Instance': scenario.instances,
    'Export Each Log Group': scenario.logGroups,
    'Trim Each Stream': work.streamsTrimmed,
  };
}

function stepFunctionsCost(definition: AslMachine, scenario: Scenario, work: Workload): StepFunctionsCost {
  const visits = visitsPerExecution(work);
  const items = mapItems(scenario, work);
  const counted = countTransitions(definition, visits, items);
  const filesTransitions =
    (counted.perExecution.run ?? 0) + scenario.instances * (counted.perExecution['Archive Each Instance'] ?? 0);
  const history = estimateHistory(definition.States as unknown as Record<string, HistoryState>, visits, items);
  return {
    perExecution: counted.perExecution,
    transitions: counted.total,
    filesTransitions,
    cost: counted.total * STEP_FUNCTIONS_PER_TRANSITION,
    historyEvents: { run: EVENTS_PER_EXECUTION + history.events, ...history.children },
  };
}

function lambdaCost(definition: AslMachine, scenario: Scenario, work: Workload): LambdaCost {
  const { invocations } = countTransitions(definition, visitsPerExecution(work), mapItems(scenario, work));
  const extraSeconds: Partial<Record<TaskName, number>> = {
    'archive-log-files': scenario.instances * work.files * work.secondsPerFile,
    'trim-stream': scenario.logGroups * work.streamsTrimmed * work.putCallsPerStream * TRIM_SECONDS_PER_PUT_CALL,
  };
  const tasks = {} as Record<TaskName, LambdaTaskCost>;
  for (const task of Object.keys(TASK_MEMORY_MB) as TaskName[]) {
    const count = invocations[task];
    const seconds = count * TYPICAL_SECONDS[task] + (extraSeconds[task] ?? 0);
    const memoryMb = TASK_MEMORY_MB[task];
    tasks[task] = {
      invocations: count,
      memoryMb,
      secondsEach: count ? seconds / count : 0,
      gbSeconds: (seconds * memoryMb) / 1024,
    };
  }
  const sum = (names: readonly TaskName[], pick: (task: LambdaTaskCost) => number) =>
    names.reduce((total, name) => total + pick(tasks[name]), 0);
  const all = Object.keys(tasks) as TaskName[];
  const price = (task: LambdaTaskCost) =>
    task.gbSeconds * LAMBDA_ARM_PER_GB_SECOND + task.invocations * LAMBDA_PER_REQUEST;
  const gbSeconds = sum(all, (task) => task.gbSeconds);
  const requests = sum(all, (task) => task.invocations);
  return {
    tasks,
    gbSeconds,
    requests,
    durationCost: gbSeconds * LAMBDA_ARM_PER_GB_SECOND,
    requestCost: requests * LAMBDA_PER_REQUEST,
    cost: sum(all, price),
    filesCost: sum(FILE_TASKS, price),
  };
}

const listPages = (keys: number) => Math.max(1, Math.ceil(keys / 1000));

/** The S3 requests of one run, task by task (tasks/*.ts); DELETE requests are free and not listed. */
export function s3RequestLines(scenario: Scenario, work: Workload): S3RequestLine[] {
  const { instances, logGroups } = scenario;
  const files = instances * work.files;
  const batches = instances * work.batches;
  const streams = logGroups * work.streamsTrimmed;
  const storing =
    work.putsPerFile === 1
      ? 'Archive Log Files: PutObject per file (≤ 5 MiB gzipped)'
      : `Archive Log Files: create, ${work.putsPerFile - 3} parts, complete, copy`;
  return [
    { what: 'List Log Files: HEAD per file', part: 'files', put: 0, get: files },
    { what: 'List Log Files: plan PUT per instance', part: 'files', put: instances, get: 0 },
    { what: 'Archive Log Files: HEAD per file', part: 'files', put: 0, get: files },
    { what: storing, part: 'files', put: files * work.putsPerFile, get: 0 },
    { what: 'Archive Log Files: plan GET, results PUT per batch', part: 'files', put: batches, get: batches },
    {
      what: 'Summarize Run: plans, results LIST and GETs, report',
      part: 'files',
      put: instances * listPages(work.batches) + 1,
      get: instances + batches,
    },
    { what: 'Report Run: report GET', part: 'files', put: 0, get: 1 },
    {
      what: 'Start Export: manifest and record GETs, record PUT',
      part: 'cloudwatch',
      put: logGroups,
      get: 2 * logGroups,
    },
    {
      what: 'CloudWatch Logs: export objects and write test',
      part: 'cloudwatch',
      put: logGroups * work.exportObjects,
      get: 0,
    },
    {
      what: 'Verify Export: HEAD, 2 LISTs, copy per object, manifest',
      part: 'cloudwatch',
      put: logGroups * (2 + work.exportObjects + 1),
      get: logGroups,
    },
    { what: 'Plan Trim: manifests and checkpoints LISTs, plan PUT', part: 'cloudwatch', put: 3 * logGroups, get: 0 },
    {
      what: 'Trim Stream: 2 GETs; checkpoint, 2 PUTs per call, result',
      part: 'cloudwatch',
      put: streams * (6 + 2 * work.putCallsPerStream),
      get: 2 * streams,
    },
    {
      what: 'Summarize Run: trim plans, stream results LIST and GETs',
      part: 'cloudwatch',
      put: logGroups * listPages(work.streamsTrimmed),
      get: logGroups + streams,
    },
  ];
}

function s3RequestCost(scenario: Scenario, work: Workload): S3RequestCost {
  const lines = s3RequestLines(scenario, work);
  const price = (line: S3RequestLine) => line.put * S3_PUT_PER_REQUEST + line.get * S3_GET_PER_REQUEST;
  const put = lines.reduce((sum, line) => sum + line.put, 0);
  const get = lines.reduce((sum, line) => sum + line.get, 0);
  return {
    lines,
    put,
    get,
    putCost: put * S3_PUT_PER_REQUEST,
    getCost: get * S3_GET_PER_REQUEST,
    cost: lines.reduce((sum, line) => sum + price(line), 0),
    filesCost: lines.filter((line) => line.part === 'files').reduce((sum, line) => sum + price(line), 0),
  };
}

function s3StorageCost(scenario: Scenario, work: Workload): S3StorageCost {
  const archiveGib = work.archivedGib;
  const exportsGib = scenario.logGroups > 0 ? work.exportedGib : 0;
  const checkpointGib = scenario.logGroups * work.streamsTrimmed * work.keptGibPerStream;
  const stagedGib = work.putsPerFile > 1 ? archiveGib : 0;
  const transientGibMonths =
    (checkpointGib * CHECKPOINT_EXPIRATION_DAYS +
      stagedGib * STAGING_NONCURRENT_DAYS +
      exportsGib * EXPORTS_NONCURRENT_DAYS) /
    DAYS_PER_MONTH;
  const archiveObjects = scenario.instances * work.files;
  return {
    archiveGib,
    exportsGib,
    perMonth: (archiveGib + exportsGib) * S3_STANDARD_PER_GB_MONTH,
    transientGibMonths,
    transientCost: transientGibMonths * S3_STANDARD_PER_GB_MONTH,
    glacierIrPerMonth: archiveGib * S3_GLACIER_IR_PER_GB_MONTH,
    deepArchivePerMonth: archiveGib * S3_DEEP_ARCHIVE_PER_GB_MONTH,
    glacierIrTransition: archiveObjects * S3_TRANSITION_GLACIER_IR_PER_OBJECT,
    deepArchiveTransition: archiveObjects * S3_TRANSITION_DEEP_ARCHIVE_PER_OBJECT,
  };
}

function cloudWatchLogsCost(scenario: Scenario, work: Workload): CloudWatchLogsCost {
  const reputGib = scenario.logGroups * work.streamsTrimmed * work.keptGibPerStream;
  const trimmed = scenario.trimMode === 'rewrite' || scenario.trimMode === 'retention';
  return {
    exportCost: 0,
    reputGib,
    reputCost: reputGib * LOGS_INGESTION_PER_GB,
    storageFreedPerMonth: trimmed ? scenario.gbExported * LOG_TEXT_COMPRESSED_FRACTION * LOGS_STORAGE_PER_GB_MONTH : 0,
  };
}

/** What one invocation of each notification function costs: Lambda duration and request, and its S3 requests. */
export function outsideTheRunCost(): Record<NotificationTaskName, OutsideTheRunCost> {
  return Object.fromEntries(
    Object.entries(OUTSIDE_THE_RUN).map(([task, { memoryMb, seconds, s3Put, s3Get, per }]) => [
      task,
      {
        per,
        memoryMb,
        seconds,
        cost:
          ((seconds * memoryMb) / 1024) * LAMBDA_ARM_PER_GB_SECOND +
          LAMBDA_PER_REQUEST +
          s3Put * S3_PUT_PER_REQUEST +
          s3Get * S3_GET_PER_REQUEST,
      },
    ]),
  ) as Record<NotificationTaskName, OutsideTheRunCost>;
}

function assumptions(scenario: Scenario, work: Workload): string[] {
  const round = (value: number) => Number(value.toFixed(1));
  return [
    'Prices: AWS list prices in us-east-1 as of 2026, no free tier; GB means 2^30 bytes.',
    'Nothing fails and nothing is retried: each retry adds one transition, and a Lambda retry its duration.',
    `Archive throughput: ${MEASURED_ARCHIVE_MIB_PER_SECOND} MiB/s measured on 2 vCPUs (README "Benchmark"), scaled to the ${TASK_MEMORY_MB['archive-log-files']} MB function's CPU share (1 vCPU at ${LAMBDA_MB_PER_VCPU} MB): ${round(work.archiveMibPerSecond)} MiB/s.`,
    `Compression: ${COMPRESSION_RATIO}:1 for log files (audit logs, README "Benchmark"); exported and CloudWatch-stored log text ${LOG_TEXT_COMPRESSED_FRACTION} of raw.`,
    `Every file is new: listed, HEADed twice (List Log Files, Archive Log Files) and stored; at most ${DEFAULTS.maxFilesPerInstance} per instance and run, ${DEFAULTS.batchMaxFiles} per batch, fewer when ${ARCHIVE_TIMEOUT_SECONDS - DEFAULTS.timeReserveSeconds} s of streaming would not hold them.`,
    `Each export takes ${TYPICAL_EXPORT_MINUTES} minutes: ${work.polls} status checks (waits from ${DEFAULTS.exportPollSeconds} s, growing by half); no other exporter holds the account's slot.`,
    `Export layout: ${EXPORT_OBJECTS_PER_STREAM} object per stream plus one write test per export; CloudWatch Logs writes them into the bucket, whose owner pays the PUTs.`,
    `Streams are long-lived (one per instance, as RDS's log groups have): in trim mode rewrite each is rewritten every run and puts back the ${scenario.olderThanDays} days after the cutoff (CW_OLDER_THAN_DAYS); in the other modes no stream is visited.`,
    `Put calls per stream: the kept bytes in 1 MiB calls, at least one per kept day plus one (a call spans at most 24 hours); the 26 bytes per event are not counted.`,
    'CloudWatch Logs API calls (CreateExportTask, DescribeExportTasks, DescribeLogStreams, GetLogEvents, PutLogEvents) carry no request charge; put-back events are billed as ingestion.',
    `Storage: the archive and the exports stay in S3 Standard (the stack has no transition rule); rewrite checkpoints are stored until they expire (${CHECKPOINT_EXPIRATION_DAYS} days), deleted staging copies as noncurrent versions (${STAGING_NONCURRENT_DAYS} day for file uploads, ${EXPORTS_NONCURRENT_DAYS} for exports); run records under _runs/ are too small to count.`,
    'Lambda durations of the tasks that do not stream: typical values including init (TYPICAL_SECONDS); memory as infra/constructs/rds-log-archive.ts sets it.',
    'Notifications: Report Run posts once per run; Slack itself, Secrets Manager (a read per container and five minutes, $0.05 per 10,000, and $0.40 per secret and month) and GetMetricWidgetImage (only with metric widgets) are not counted.',
  ];
}

/** The cost of one run of `scenario`, with transitions counted over `definition`. */
export function costModel(scenario: Scenario = DEFAULT_SCENARIO, definition: AslMachine = loadAsl()): CostModel {
  const work = workload(scenario);
  const stepFunctions = stepFunctionsCost(definition, scenario, work);
  const lambda = lambdaCost(definition, scenario, work);
  const s3Requests = s3RequestCost(scenario, work);
  const s3Storage = s3StorageCost(scenario, work);
  const cloudWatchLogs = cloudWatchLogsCost(scenario, work);
  const filesPerRun =
    stepFunctions.filesTransitions * STEP_FUNCTIONS_PER_TRANSITION + lambda.filesCost + s3Requests.filesCost;
  return {
    scenario,
    workload: work,
    stepFunctions,
    lambda,
    s3Requests,
    s3Storage,
    cloudWatchLogs,
    perRun: stepFunctions.cost + lambda.cost + s3Requests.cost + s3Storage.transientCost + cloudWatchLogs.reputCost,
    storagePerMonth: s3Storage.perMonth,
    comparison: {
      sourceGib: work.sourceGib,
      cloudWatchIngestion: work.sourceGib * LOGS_INGESTION_PER_GB,
      cloudWatchStoragePerMonth: work.sourceGib * LOG_TEXT_COMPRESSED_FRACTION * LOGS_STORAGE_PER_GB_MONTH,
      archivePerRun: filesPerRun,
      archiveStoragePerMonth: s3Storage.archiveGib * S3_STANDARD_PER_GB_MONTH,
    },
    outsideTheRun: outsideTheRunCost(),
    assumptions: assumptions(scenario, work),
  };
}

// ---- Output. ----

/** Dollars: cents for large sums, four decimals below a dollar, three significant digits below a cent. */
export function usd(value: number): string {
  if (value === 0) return '$0';
  if (value >= 100) return `$${value.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`;
  if (value >= 0.01) return `$${value.toFixed(value >= 1 ? 2 : 4)}`;
  return `$${value.toPrecision(3)}`;
}

const count = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
const gib = (value: number) => `${value.toLocaleString('en-US', { maximumFractionDigits: 3 })} GiB`;
const oneDecimal = (value: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const row = (label: string, ...cells: string[]) =>
  `  ${label.padEnd(58)}${cells.map((cell) => cell.padStart(12)).join('')}`.trimEnd();

function scenarioLines(model: CostModel): string[] {
  const { scenario: s, workload: w } = model;
  const deferred = w.deferredFiles > 0 ? ` (${count(w.deferredFiles)} per instance deferred to the next run)` : '';
  return [
    'Scenario',
    `  ${s.instances} instances × ${count(w.files)} files × ${count(s.mbPerFile)} MiB = ${gib(w.sourceGib)} of log files, ${gib(w.archivedGib)} gzipped${deferred}`,
    `  ${s.logGroups} log groups × ${s.streamsPerGroup} streams, ${gib(s.gbExported)} of events exported (${gib(w.exportedGib)} gzipped), trim mode ${s.trimMode}, CW_OLDER_THAN_DAYS ${s.olderThanDays}`,
  ];
}

function stepFunctionsLines(model: CostModel): string[] {
  const { scenario: s, workload: w, stepFunctions: sf } = model;
  const per = (scope: string) => sf.perExecution[scope] ?? 0;
  const history = Object.entries(sf.historyEvents).map(([scope, events]) => `${scope} ${count(events)}`);
  return [
    'Step Functions (Standard, $0.025 per 1,000 transitions)',
    row('', 'each', 'times', 'transitions'),
    row('the run (fixed states)', count(per('run')), '1', count(per('run'))),
    row(
      `per instance (${w.batches} batch${w.batches === 1 ? '' : 'es'} of ≤ ${w.filesPerBatch} files)`,
      count(per('Archive Each Instance')),
      count(s.instances),
      count(s.instances * per('Archive Each Instance')),
    ),
    row(
      `per log group (${w.polls} export checks)`,
      count(per('Export Each Log Group')),
      count(s.logGroups),
      count(s.logGroups * per('Export Each Log Group')),
    ),
    row(
      'per trimmed stream',
      count(per('Trim Each Stream')),
      count(s.logGroups * w.streamsTrimmed),
      count(s.logGroups * w.streamsTrimmed * per('Trim Each Stream')),
    ),
    row('total', '', '', count(sf.transitions), usd(sf.cost)),
    `  history events per execution (limit 25,000): ${history.join(', ')}`,
  ];
}

function lambdaLines(model: CostModel): string[] {
  const { lambda } = model;
  const tasks = Object.entries(lambda.tasks).map(([task, cost]) =>
    row(task, count(cost.invocations), `${cost.memoryMb} MB`, oneDecimal(cost.secondsEach), oneDecimal(cost.gbSeconds)),
  );
  return [
    'Lambda (arm64, $0.0000133334 per GB-s, $0.20 per million requests)',
    row('task', 'invocations', 'memory', 's each', 'GB-s'),
    ...tasks,
    row('duration', '', '', '', oneDecimal(lambda.gbSeconds), usd(lambda.durationCost)),
    row('requests', count(lambda.requests), '', '', '', usd(lambda.requestCost)),
  ];
}

function s3RequestLinesText(model: CostModel): string[] {
  const { s3Requests: s3 } = model;
  return [
    'S3 requests ($0.005 per 1,000 PUT/COPY/POST/LIST, $0.0004 per 1,000 GET/HEAD)',
    row('', 'PUT-class', 'GET-class'),
    ...s3.lines.map((line) => row(line.what, count(line.put), count(line.get))),
    row('total', count(s3.put), count(s3.get), usd(s3.cost)),
  ];
}

function storageLines(model: CostModel): string[] {
  const { s3Storage: st, scenario } = model;
  return [
    'S3 storage (Standard, $0.023 per GB-month)',
    row(`archive (${gib(st.archiveGib)})`, '', '', usd(st.archiveGib * S3_STANDARD_PER_GB_MONTH), 'per month'),
    row(`exports (${gib(st.exportsGib)})`, '', '', usd(st.exportsGib * S3_STANDARD_PER_GB_MONTH), 'per month'),
    row(
      `checkpoints, noncurrent copies (${count(Number(st.transientGibMonths.toFixed(3)))} GiB-months)`,
      '',
      '',
      usd(st.transientCost),
      'once',
    ),
    `  after a year of daily runs: ${usd(st.perMonth * 365)} per month in S3 Standard`,
    `  lifecycle: the stack transitions nothing; a rule moving the archive to Glacier Instant Retrieval would make a`,
    `  run's archive cost ${usd(st.glacierIrPerMonth)} per month (+ ${usd(st.glacierIrTransition)} once for ${count(scenario.instances * model.workload.files)} transitions), to Deep Archive`,
    `  ${usd(st.deepArchivePerMonth)} per month (+ ${usd(st.deepArchiveTransition)} once; 180-day minimum, hours to restore).`,
  ];
}

function cloudWatchLines(model: CostModel): string[] {
  const { cloudWatchLogs: cw } = model;
  return [
    'CloudWatch Logs',
    row('CreateExportTask (its objects are S3 PUTs above)', '', '', usd(cw.exportCost)),
    row(`kept events put back by rewrites (${gib(cw.reputGib)})`, '', '', usd(cw.reputCost)),
    row('CloudWatch Logs storage no longer paid after the trim', '', '', usd(cw.storageFreedPerMonth), 'per month'),
  ];
}

function totalLines(model: CostModel): string[] {
  const { comparison: c } = model;
  const ratio = c.archivePerRun > 0 ? Math.round(c.cloudWatchIngestion / c.archivePerRun) : 0;
  return [
    `Per run: ${usd(model.perRun)}, and ${usd(model.storagePerMonth)} of storage per month for as long as the run's archive and exports are kept`,
    '',
    `Compared with sending the same ${gib(c.sourceGib)} of log files through CloudWatch Logs`,
    row('CloudWatch Logs: ingestion', '', '', usd(c.cloudWatchIngestion), 'per run'),
    row('CloudWatch Logs: storage (0.15 of raw)', '', '', usd(c.cloudWatchStoragePerMonth), 'per month'),
    row('this archive: the file part of the run', '', '', usd(c.archivePerRun), 'per run'),
    row('this archive: S3 Standard storage', '', '', usd(c.archiveStoragePerMonth), 'per month'),
    `  ingestion alone costs ${ratio > 0 ? `about ${count(ratio)} times` : 'more than'} the archive's run.`,
  ];
}

function outsideTheRunLines(model: CostModel): string[] {
  const tasks = Object.entries(model.outsideTheRun).map(([task, cost]) =>
    row(`${task} (one per ${cost.per})`, `${cost.memoryMb} MB`, oneDecimal(cost.seconds), usd(cost.cost * 1000)),
  );
  const backupsPerMonth = model.outsideTheRun['check-backups'].cost * DAYS_PER_MONTH;
  return [
    'Outside the run (not in the per-run figures): the notification functions',
    row('', 'memory', 's each', 'per 1,000'),
    ...tasks,
    `  the daily backup check: ${usd(backupsPerMonth)} per month`,
  ];
}

/** The model as the text `npm run cost-model` prints. */
export function formatReport(model: CostModel): string {
  return [
    'rds-log-archive: the cost of one run (AWS list prices, us-east-1, 2026)',
    '',
    ...scenarioLines(model),
    '',
    ...stepFunctionsLines(model),
    '',
    ...lambdaLines(model),
    '',
    ...s3RequestLinesText(model),
    '',
    ...storageLines(model),
    '',
    ...cloudWatchLines(model),
    '',
    ...totalLines(model),
    '',
    ...outsideTheRunLines(model),
    '',
    'Assumptions',
    ...model.assumptions.map((line) => `  - ${line}`),
  ].join('\n');
}

// ---- Command line. ----

const COUNT_FLAGS = {
  instances: 'instances',
  'files-per-instance': 'filesPerInstance',
  'log-groups': 'logGroups',
  'streams-per-group': 'streamsPerGroup',
  'older-than-days': 'olderThanDays',
} as const;
const AMOUNT_FLAGS = { 'mb-per-file': 'mbPerFile', 'gb-exported': 'gbExported' } as const;

/** A bad flag: the message names it and the expected form. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function number(flag: string, raw: string, whole: boolean): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value))) {
    throw new UsageError(`--${flag}: expected ${whole ? 'a whole number' : 'a number'}, 0 or more (got "${raw}")`);
  }
  return value;
}

/** The scenario and output form from the command line; defaults from DEFAULT_SCENARIO. */
export function parseCli(argv: readonly string[]): { scenario: Scenario; json: boolean } {
  const flags = [...Object.keys(COUNT_FLAGS), ...Object.keys(AMOUNT_FLAGS), 'trim-mode'];
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(flags.map((flag) => [flag, { type: 'string' as const }])),
        json: { type: 'boolean' as const, default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const scenario: Record<string, unknown> = { ...DEFAULT_SCENARIO };
  for (const [flag, field] of Object.entries(COUNT_FLAGS)) {
    const raw = values[flag];
    if (typeof raw === 'string') scenario[field] = number(flag, raw, true);
  }
  for (const [flag, field] of Object.entries(AMOUNT_FLAGS)) {
    const raw = values[flag];
    if (typeof raw === 'string') scenario[field] = number(flag, raw, false);
  }
  const mode = values['trim-mode'];
  if (typeof mode === 'string') {
    if (!(TRIM_MODES as readonly string[]).includes(mode)) {
      throw new UsageError(`--trim-mode: expected one of ${TRIM_MODES.join(', ')} (got "${mode}")`);
    }
    scenario.trimMode = mode;
  }
  return { scenario: scenario as unknown as Scenario, json: values.json === true };
}

/** What the command prints for `argv`: the report, or one JSON object with `--json`. */
export function run(argv: readonly string[]): string {
  const { scenario, json } = parseCli(argv);
  const model = costModel(scenario);
  return json ? JSON.stringify(model, null, 2) : formatReport(model);
}

if (require.main === module) {
  try {
    process.stdout.write(`${run(process.argv.slice(2))}\n`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}
