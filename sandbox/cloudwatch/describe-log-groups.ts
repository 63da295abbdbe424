// DescribeLogGroups: the account's groups by name, narrowed by a prefix, paged by 50.
import { LOG_GROUP_NAME } from '../seed-format/cloudwatch';
import { logGroupArn } from './arns';
import type { Operation } from './context';
import { pageOf } from './paging';
import { optionalInteger, optionalString } from './params';
import type { LogGroup } from './world';

const PAGE_LIMIT = 50;

function groupItem(region: string, group: LogGroup) {
  const arn = logGroupArn(region, group.name);
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    retentionInDays: group.retentionInDays,
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: [...group.streams.values()].reduce((sum, stream) => sum + stream.messageBytes, 0),
    dataProtectionStatus: group.dataProtection ? 'ACTIVATED' : undefined,
    logGroupClass: 'STANDARD',
    logGroupArn: arn,
  };
}

export const describeLogGroups: Operation = (ctx, input) => {
  const prefix = optionalString(input, 'logGroupNamePrefix', LOG_GROUP_NAME);
  const limit = optionalInteger(input, 'limit', 1, PAGE_LIMIT) ?? PAGE_LIMIT;
  const groups = [...ctx.world.groups.values()].filter((group) => group.name.startsWith(prefix ?? ''));
  const { page, nextToken } = pageOf(groups, (group) => [group.name], {
    token: optionalString(input, 'nextToken'),
    limit,
    scope: 'DescribeLogGroups',
  });
  return { logGroups: page.map((group) => groupItem(ctx.world.region, group)), nextToken };
};
