// CreateLogStream and DeleteLogStream. Deleting a stream deletes all its events: it is the
// only way CloudWatch Logs removes events other than retention.
import { LOG_GROUP_NAME, LOG_STREAM_NAME } from '../seed-format/cloudwatch';
import type { Operation } from './context';
import { streamExists } from './errors';
import { requiredString } from './params';

export const createLogStream: Operation = (ctx, input) => {
  const group = ctx.world.existingGroup(requiredString(input, 'logGroupName', LOG_GROUP_NAME));
  const name = requiredString(input, 'logStreamName', LOG_STREAM_NAME);
  if (group.streams.has(name)) throw streamExists();
  ctx.world.createStream(group, name, ctx.now());
  return undefined;
};

export const deleteLogStream: Operation = (ctx, input) => {
  const group = ctx.world.existingGroup(requiredString(input, 'logGroupName', LOG_GROUP_NAME));
  const stream = ctx.world.existingStream(group, requiredString(input, 'logStreamName'));
  group.streams.delete(stream.name);
  return undefined;
};
