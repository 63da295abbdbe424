// CreateExportTask. The account has one export slot: a task that is PENDING or RUNNING, or
// another exporter holding it (the exportSlotHeldFor fault), makes the call answer
// LimitExceededException. Like AWS, the destination bucket is checked when the task is made.
import { randomUUID } from 'node:crypto';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { LOG_GROUP_NAME } from '../seed-format/cloudwatch';
import type { Operation } from './context';
import { invalidParameter, limitExceeded } from './errors';
import { optionalString, requiredString, requiredTime } from './params';
import { type ExportTask, isActive } from './world';

export const DEFAULT_DESTINATION_PREFIX = 'exportedlogs';

export const createExportTask: Operation = async (ctx, input) => {
  const taskName = optionalString(input, 'taskName');
  const group = ctx.world.existingGroup(requiredString(input, 'logGroupName', LOG_GROUP_NAME));
  const logStreamNamePrefix = optionalString(input, 'logStreamNamePrefix');
  const from = requiredTime(input, 'from');
  const to = requiredTime(input, 'to');
  const destination = requiredString(input, 'destination');
  const destinationPrefix = optionalString(input, 'destinationPrefix') ?? DEFAULT_DESTINATION_PREFIX;
  if (from > to)
    throw invalidParameter(`Specified time range of ${from} and ${to} is not valid: from must not be after to.`);
  if (ctx.world.tasks.some(isActive) || ctx.plan.takeHeldSlot()) throw limitExceeded();
  await ctx.s3.send(new HeadBucketCommand({ Bucket: destination })).catch(() => {
    throw invalidParameter(
      'GetBucketAcl call on the given bucket failed. Please check if CloudWatch Logs has been granted permission to perform this operation.',
    );
  });
  const task: ExportTask = {
    taskId: randomUUID(),
    taskName,
    logGroupName: group.name,
    logStreamNamePrefix,
    from,
    to,
    destination,
    destinationPrefix,
    creationTime: ctx.now(),
    status: 'PENDING',
    statusMessage: 'Pending.',
    completionTime: undefined,
    polls: 0,
    finishing: undefined,
  };
  ctx.world.tasks.push(task);
  return { taskId: task.taskId };
};
