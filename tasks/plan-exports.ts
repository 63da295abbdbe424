import { type CloudWatchLogsClient, type LogGroup, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { logsClient } from './common/clients';
import type { LogGroupRef } from './common/cloudwatch-types';
import { asTaskError } from './common/errors';
import { makeHandler } from './common/handler';
import { logger } from './common/logger';
import type { RunContext } from './common/types';

export interface PlanExportsDeps {
  readonly logs: CloudWatchLogsClient;
}

/** A configured log group entry that resolved to no group, and why. */
export interface UnavailableLogGroup {
  readonly name: string;
  readonly reason: string;
}

export interface PlanExportsOutput {
  readonly groups: LogGroupRef[];
  readonly unavailable: UnavailableLogGroup[];
}

function toRef(group: LogGroup & { logGroupName: string }): LogGroupRef {
  return {
    name: group.logGroupName,
    // The export's bucket policy and IAM conditions name the ARN without the trailing `:*`.
    arn: group.logGroupArn ?? group.arn?.replace(/:\*$/, ''),
    retentionInDays: group.retentionInDays,
    dataProtected: group.dataProtectionStatus === 'ACTIVATED',
  };
}

/**
 * The groups one configured entry stands for: every group under a `prefix*`, or the one group
 * named exactly (a prefix search also returns longer names, which an exact entry must not take).
 */
async function resolveEntry(logs: CloudWatchLogsClient, entry: string): Promise<LogGroupRef[]> {
  const isPrefix = entry.endsWith('*');
  const prefix = isPrefix ? entry.slice(0, -1) : entry;
  const found: LogGroupRef[] = [];
  try {
    // DescribeLogGroups refuses an empty prefix: a lone `*` lists every group.
    for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: prefix || undefined })) {
      for (const group of page.logGroups ?? []) {
        const name = group.logGroupName;
        if (name === undefined || (!isPrefix && name !== entry)) continue;
        found.push(toRef({ ...group, logGroupName: name }));
        if (!isPrefix) return found;
      }
    }
  } catch (error) {
    throw asTaskError(error, `describing log groups ${entry}`);
  }
  return found;
}

/**
 * Resolve the run's configured log group names and prefixes into the groups to export, in the
 * configured order without duplicates; entries that match nothing are reported, not fatal.
 */
export async function planExports(event: { run: RunContext }, deps: PlanExportsDeps): Promise<PlanExportsOutput> {
  const scope = event.run.cloudwatch;
  if (scope.skipped) return { groups: [], unavailable: [] };
  const groups = new Map<string, LogGroupRef>();
  const unavailable: UnavailableLogGroup[] = [];
  for (const entry of scope.logGroups) {
    const matches = await resolveEntry(deps.logs, entry);
    if (matches.length === 0) {
      const reason = entry.endsWith('*') ? 'no log group matches the prefix' : 'no such log group';
      unavailable.push({ name: entry, reason });
    }
    for (const group of matches) if (!groups.has(group.name)) groups.set(group.name, group);
  }
  if (unavailable.length > 0) logger.warn('log groups unavailable', { unavailable });
  return { groups: [...groups.values()], unavailable };
}

export const handler = makeHandler('plan exports', (event: { run: RunContext }) =>
  planExports(event, { logs: logsClient() }),
);
