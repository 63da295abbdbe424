// PutRetentionPolicy and DeleteRetentionPolicy. The stand-in records the retention (it
// shows in DescribeLogGroups and decides which put events count as expired) but never
// deletes stored events by it: AWS itself takes up to 72 hours to do so.
import { LOG_GROUP_NAME } from '../seed-format/cloudwatch';
import { RETENTION_DAYS } from '../seed-format/types';
import type { Operation } from './context';
import { validationError } from './errors';
import { requiredInteger, requiredString } from './params';

export const putRetentionPolicy: Operation = (ctx, input) => {
  const group = ctx.world.existingGroup(requiredString(input, 'logGroupName', LOG_GROUP_NAME));
  const days = requiredInteger(input, 'retentionInDays', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (!(RETENTION_DAYS as readonly number[]).includes(days)) {
    throw validationError(
      'retentionInDays',
      days,
      `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  }
  group.retentionInDays = days;
  return undefined;
};

export const deleteRetentionPolicy: Operation = (ctx, input) => {
  ctx.world.existingGroup(requiredString(input, 'logGroupName', LOG_GROUP_NAME)).retentionInDays = undefined;
  return undefined;
};
