import {
  type CloudWatchLogsClient,
  CreateExportTaskCommand,
  DescribeExportTasksCommand,
  type ExportTask,
  type ExportTaskStatusCode,
} from '@aws-sdk/client-cloudwatch-logs';
import { cloudWatchTaskDeps } from './common/clients';
import { exportStagingPrefix, exportTaskName, manifestKey } from './common/cloudwatch-layout';
import {
  EXPORTABLE_AFTER_MS,
  type ExportManifest,
  type ExportState,
  type ExportStatus,
  type GroupProgress,
  type LogGroupRef,
} from './common/cloudwatch-types';
import type { Config } from './common/config';
import { asTaskError, ExportSlotBusyError, InvalidInputError, TransientAwsError } from './common/errors';
import { describeExportTask } from './common/export-tasks';
import { makeHandler } from './common/handler';
import { logger } from './common/logger';
import type { RunStore } from './common/run-store';
import type { RunContext } from './common/types';

export interface StartExportDeps {
  readonly logs: CloudWatchLogsClient;
  readonly store: RunStore;
  readonly config: Config;
  readonly now: () => number;
  /** [0, 1), for the jitter of the slot backoff. */
  readonly random: () => number;
}

/** Written beside the export's objects right after CreateExportTask succeeds: a re-run finds its task by it. */
export interface ExportTaskRecord {
  readonly taskId: string;
  readonly taskName: string;
  readonly createdAt: string;
}

export const taskRecordKey = (taskName: string) => `${exportStagingPrefix(taskName)}/task.json`;

/** What identifies this group and range's export task among the account's tasks. */
interface WantedTask {
  readonly taskName: string;
  readonly logGroupName: string;
  readonly destination: string;
  readonly destinationPrefix: string;
}

const SLOT_BACKOFF_BASE_SECONDS = 30;
const SLOT_BACKOFF_MAX_SECONDS = 300;
/** Statuses of a task worth reusing; FAILED and CANCELLED ones are left behind and a new task is started. */
const REUSABLE: readonly ExportTaskStatusCode[] = ['PENDING', 'RUNNING', 'COMPLETED'];

/**
 * Exponential backoff with equal jitter: 30 s doubling per attempt, capped at 300 s, the wait
 * drawn from the upper half. Jitter spreads competing exporters apart; the lower bound (15 s at
 * first) bounds the attempts, and so the history events, within EXPORT_SLOT_WAIT_MINUTES.
 */
export function slotBackoffSeconds(attempt: number, random: () => number): number {
  const ceiling = Math.min(SLOT_BACKOFF_MAX_SECONDS, SLOT_BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
  return Math.ceil(ceiling / 2 + (random() * ceiling) / 2);
}

function exportRange(run: RunContext, now: number): { from: number; cutoff: number } {
  const from = Date.parse(run.cloudwatch.from);
  const cutoff = Date.parse(run.cloudwatch.cutoff);
  if (Number.isNaN(from)) throw new InvalidInputError('run.cloudwatch.from', 'an ISO-8601 time', 'not a time');
  if (Number.isNaN(cutoff) || cutoff <= from) {
    throw new InvalidInputError('run.cloudwatch.cutoff', 'an ISO-8601 time after run.cloudwatch.from');
  }
  if (!run.dryRun && cutoff > now - EXPORTABLE_AFTER_MS) {
    throw new InvalidInputError(
      'run.cloudwatch.cutoff (the export `to`)',
      'a range ending at least 12 hours before now',
      `got ${run.cloudwatch.cutoff}, whose events may not be exportable yet`,
    );
  }
  return { from, cutoff };
}

async function scanStatus(logs: CloudWatchLogsClient, statusCode: ExportTaskStatusCode, wanted: WantedTask) {
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeExportTasksCommand({ statusCode, nextToken, limit: 50 }));
    const task = page.exportTasks?.find(
      (item) =>
        item.taskName === wanted.taskName &&
        item.logGroupName === wanted.logGroupName &&
        item.destination === wanted.destination,
    );
    if (task) return task;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

async function writeRecord(deps: StartExportDeps, taskName: string, taskId: string, createdAt: number) {
  const record: ExportTaskRecord = { taskId, taskName, createdAt: new Date(createdAt).toISOString() };
  await deps.store.putJson(taskRecordKey(taskName), record);
}

/** This group and range's live or completed task: by its record, else by name (a crash may have lost the record). */
async function ownTask(deps: StartExportDeps, wanted: WantedTask): Promise<ExportTask | undefined> {
  const record = await deps.store.findJson<ExportTaskRecord>(taskRecordKey(wanted.taskName));
  const recorded = record ? await describeExportTask(deps.logs, record.taskId) : undefined;
  if (recorded?.status?.code && REUSABLE.includes(recorded.status.code)) return recorded;
  for (const statusCode of REUSABLE) {
    const task = await scanStatus(deps.logs, statusCode, wanted).catch((error: unknown) => {
      throw asTaskError(error, `listing ${statusCode} export tasks`);
    });
    if (task?.taskId) {
      await writeRecord(deps, wanted.taskName, task.taskId, task.executionInfo?.creationTime ?? deps.now());
      return task;
    }
  }
  return undefined;
}

/** The new task's id, or 'slot-busy' while another export holds the account's one slot. */
async function createTask(deps: StartExportDeps, wanted: WantedTask, from: number, cutoff: number) {
  let taskId: string | undefined;
  try {
    // AWS exports events with from <= timestamp <= to; the range ends just before the cutoff.
    ({ taskId } = await deps.logs.send(new CreateExportTaskCommand({ ...wanted, from, to: cutoff - 1 })));
  } catch (error) {
    if ((error as Error).name === 'LimitExceededException') return 'slot-busy';
    throw asTaskError(error, `starting the export of ${wanted.logGroupName}`);
  }
  // A retry finds the task by name if AWS made one.
  if (!taskId) throw new TransientAwsError(`starting the export of ${wanted.logGroupName}: no task id returned`);
  await writeRecord(deps, wanted.taskName, taskId, deps.now());
  return taskId;
}

function slotBusy(state: ExportState, group: LogGroupRef, deps: StartExportDeps): ExportState {
  const waitedMs = deps.now() - Date.parse(state.firstTriedAt);
  if (waitedMs >= deps.config.exportSlotWaitMinutes * 60_000) {
    const minutes = Math.floor(waitedMs / 60_000);
    throw new ExportSlotBusyError(
      `the account's one export slot stayed busy for ${minutes} minutes; ${group.name} was not exported`,
    );
  }
  const slotAttempts = state.slotAttempts + 1;
  logger.info('export slot busy', { group: group.name, slotAttempts });
  return { ...state, status: 'slot-busy', slotAttempts, waitSeconds: slotBackoffSeconds(slotAttempts, deps.random) };
}

/**
 * Start (or find again) the export of one group's range into the archive bucket. Idempotent: an
 * export already verified, or a task this group and range already has, is reused, never doubled.
 */
export async function startExport(event: GroupProgress, deps: StartExportDeps): Promise<GroupProgress> {
  const { run, group } = event;
  const now = deps.now();
  const { from, cutoff } = exportRange(run, now);
  const taskName = exportTaskName(group.name, from, cutoff);
  const previous = event.export?.taskName === taskName ? event.export : undefined;
  const destinationPrefix = exportStagingPrefix(taskName);
  const state: ExportState = {
    taskName,
    status: 'PENDING',
    from,
    cutoff,
    destinationPrefix,
    firstTriedAt: previous?.firstTriedAt ?? new Date(now).toISOString(),
    waitSeconds: 0,
    slotAttempts: previous?.slotAttempts ?? 0,
  };
  const done = (status: ExportStatus, extra: Partial<ExportState> = {}) => ({
    ...event,
    export: { ...state, status, ...extra },
  });
  if (run.dryRun) return done('dry-run');
  const manifest = await deps.store.findJson<ExportManifest>(manifestKey(group.name, from, cutoff));
  if (manifest) return done('COMPLETED', { taskId: manifest.exportTaskId });
  const startedAt = new Date(now).toISOString();
  const wanted: WantedTask = {
    taskName,
    logGroupName: group.name,
    destination: deps.config.archiveBucket,
    destinationPrefix,
  };
  const found = await ownTask(deps, wanted);
  if (found) {
    const status = (found.status?.code ?? 'PENDING') as ExportStatus;
    return done(status, { taskId: found.taskId, startedAt, waitSeconds: deps.config.exportPollSeconds });
  }
  const taskId = await createTask(deps, wanted, from, cutoff);
  if (taskId === 'slot-busy') return { ...event, export: slotBusy(state, group, deps) };
  logger.info('export started', { group: group.name, taskId, taskName });
  return done('PENDING', { taskId, startedAt, waitSeconds: deps.config.exportPollSeconds });
}

export const handler = makeHandler('start export', (event: GroupProgress) =>
  startExport(event, { ...cloudWatchTaskDeps(), random: Math.random }),
);
