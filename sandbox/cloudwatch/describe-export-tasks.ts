// DescribeExportTasks, which is also where tasks progress: every call is one poll of each
// unfinished task it concerns (the one named by taskId, or all of them). A task is RUNNING
// from its first poll and finishes on poll `exportPollsToComplete`: COMPLETED with its
// objects written, or FAILED / CANCELLED (nothing written) when an exportOutcomes fault is due.
import type { LogsContext, Operation } from './context';
import { exportObjects, writeExportObjects } from './export-objects';
import { pageOf } from './paging';
import { optionalEnum, optionalInteger, optionalString } from './params';
import { EXPORT_STATUS_CODES, type ExportStatusCode, type ExportTask, isActive } from './world';

const PAGE_LIMIT = 50;

function finish(ctx: LogsContext, task: ExportTask, status: ExportStatusCode, message: string): void {
  task.status = status;
  task.statusMessage = message;
  task.completionTime = ctx.now();
}

async function complete(ctx: LogsContext, task: ExportTask): Promise<void> {
  try {
    await writeExportObjects(ctx.s3, task.destination, exportObjects(ctx.world, task));
    finish(ctx, task, 'COMPLETED', 'Completed successfully.');
  } catch (error) {
    finish(ctx, task, 'FAILED', `Writing to s3://${task.destination} failed: ${(error as Error).message}`);
  }
}

async function poll(ctx: LogsContext, task: ExportTask): Promise<void> {
  if (task.finishing !== undefined) return task.finishing;
  if (!isActive(task)) return;
  task.polls += 1;
  task.status = 'RUNNING';
  task.statusMessage = 'Started successfully.';
  if (task.polls < ctx.plan.pollsToComplete) return;
  const outcome = ctx.plan.takeOutcome(task.logGroupName);
  if (outcome !== undefined) {
    finish(ctx, task, outcome.status, outcome.message);
    return;
  }
  task.finishing = complete(ctx, task);
  return task.finishing;
}

const taskItem = (task: ExportTask) => ({
  taskId: task.taskId,
  taskName: task.taskName,
  logGroupName: task.logGroupName,
  from: task.from,
  to: task.to,
  destination: task.destination,
  destinationPrefix: task.destinationPrefix,
  status: { code: task.status, message: task.statusMessage },
  executionInfo: { creationTime: task.creationTime, completionTime: task.completionTime },
});

export const describeExportTasks: Operation = async (ctx, input) => {
  const taskId = optionalString(input, 'taskId');
  const statusCode = optionalEnum(input, 'statusCode', EXPORT_STATUS_CODES);
  const limit = optionalInteger(input, 'limit', 1, PAGE_LIMIT) ?? PAGE_LIMIT;
  const concerned = ctx.world.tasks.filter((task) => taskId === undefined || task.taskId === taskId);
  await Promise.all(concerned.map((task) => poll(ctx, task)));
  const matching = concerned.filter((task) => statusCode === undefined || task.status === statusCode);
  // Newest first.
  const { page, nextToken } = pageOf(matching, (task) => [task.creationTime, task.taskId], {
    token: optionalString(input, 'nextToken'),
    limit,
    scope: 'DescribeExportTasks',
    descending: true,
  });
  return { exportTasks: page.map(taskItem), nextToken };
};
