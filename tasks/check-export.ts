import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { logsClient } from './common/clients';
import type { ExportState, ExportStatus, GroupProgress } from './common/cloudwatch-types';
import { type Config, config } from './common/config';
import { ExportFailedError, InvalidInputError } from './common/errors';
import { describeExportTask } from './common/export-tasks';
import { makeHandler } from './common/handler';

export interface CheckExportDeps {
  readonly logs: CloudWatchLogsClient;
  readonly config: Config;
  readonly now: () => number;
}

/** Waits between checks grow by half each time, up to five minutes: long exports cost few transitions. */
const WAIT_GROWTH = 1.5;
export const MAX_WAIT_SECONDS = 300;

const nextWait = (previous: number) => Math.max(1, Math.min(MAX_WAIT_SECONDS, Math.ceil(previous * WAIT_GROWTH)));

function stillRunning(event: GroupProgress, state: ExportState, status: ExportStatus, deps: CheckExportDeps) {
  const startedAt = Date.parse(state.startedAt ?? state.firstTriedAt);
  const minutes = Math.floor((deps.now() - startedAt) / 60_000);
  if (deps.now() - startedAt > deps.config.exportMaxWaitMinutes * 60_000) {
    throw new ExportFailedError(
      `export of ${event.group.name} (task ${state.taskId}) still ${status} after ${minutes} minutes; ` +
        'the export task keeps running in AWS, the next run will find it',
    );
  }
  return { ...event, export: { ...state, status, waitSeconds: nextWait(state.waitSeconds) } };
}

/**
 * Poll the group's export task once. COMPLETED goes on to verification; FAILED, CANCELLED or a
 * vanished task stop the group (nothing is trimmed); otherwise the next Wait grows.
 */
export async function checkExport(event: GroupProgress, deps: CheckExportDeps): Promise<GroupProgress> {
  const state = event.export;
  if (!state?.taskId) throw new InvalidInputError('export.taskId', 'the export task id set by Start Export');
  const task = await describeExportTask(deps.logs, state.taskId);
  if (!task) {
    throw new ExportFailedError(
      `export task ${state.taskId} of ${event.group.name} no longer exists; nothing is trimmed`,
    );
  }
  const status = (task.status?.code ?? 'PENDING') as ExportStatus;
  const statusMessage = task.status?.message;
  if (status === 'FAILED' || status === 'CANCELLED') {
    throw new ExportFailedError(
      `export task ${state.taskId} of ${event.group.name} ended ${status}: ${statusMessage ?? 'no message'}; nothing is trimmed`,
    );
  }
  if (status === 'COMPLETED') return { ...event, export: { ...state, status, statusMessage } };
  return stillRunning(event, { ...state, statusMessage }, status, deps);
}

export const handler = makeHandler('check export', (event: GroupProgress) =>
  checkExport(event, { logs: logsClient(), config: config(), now: Date.now }),
);
