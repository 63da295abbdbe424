import {
  type CloudWatchLogsClient,
  DescribeExportTasksCommand,
  type ExportTask,
} from '@aws-sdk/client-cloudwatch-logs';
import { asTaskError } from './errors';

/** One export task by id; undefined when AWS no longer knows it. */
export async function describeExportTask(logs: CloudWatchLogsClient, taskId: string): Promise<ExportTask | undefined> {
  try {
    const page = await logs.send(new DescribeExportTasksCommand({ taskId }));
    return page.exportTasks?.find((task) => task.taskId === taskId);
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw asTaskError(error, `describing export task ${taskId}`);
  }
}
