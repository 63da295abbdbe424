// The operations the stand-in answers, by the name in `X-Amz-Target: Logs_20140328.<Name>`.
import { LOGS_OPERATIONS, type LogsOperation } from '../seed-format/types';
import type { Operation } from './context';
import { createExportTask } from './create-export-task';
import { describeExportTasks } from './describe-export-tasks';
import { describeLogGroups } from './describe-log-groups';
import { describeLogStreams } from './describe-log-streams';
import { getLogEvents } from './get-log-events';
import { createLogStream, deleteLogStream } from './manage-streams';
import { putLogEvents } from './put-log-events';
import { deleteRetentionPolicy, putRetentionPolicy } from './retention';

export const OPERATIONS: Readonly<Record<LogsOperation, Operation>> = {
  DescribeLogGroups: describeLogGroups,
  DescribeLogStreams: describeLogStreams,
  GetLogEvents: getLogEvents,
  PutLogEvents: putLogEvents,
  CreateLogStream: createLogStream,
  DeleteLogStream: deleteLogStream,
  PutRetentionPolicy: putRetentionPolicy,
  DeleteRetentionPolicy: deleteRetentionPolicy,
  CreateExportTask: createExportTask,
  DescribeExportTasks: describeExportTasks,
};

export const isOperation = (name: string): name is LogsOperation =>
  (LOGS_OPERATIONS as readonly string[]).includes(name);
