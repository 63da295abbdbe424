import { type CloudWatchScope, EXPORTABLE_AFTER_MS } from './common/cloudwatch-types';
import { type Config, config } from './common/config';
import { InvalidInputError } from './common/errors';
import { makeHandler } from './common/handler';
import { RUNS_PREFIX } from './common/layout';
import { parseRunInput, type RunInput } from './common/run-input';
import type { RunContext } from './common/types';

export interface ResolveRunInput {
  readonly input: unknown;
  readonly executionId: string;
  readonly executionName: string;
  readonly startTime: string;
}

const pad = (value: number) => String(value).padStart(2, '0');
const DAY_MS = 86_400_000;

/** A manual input that names any kind of source covers only the sources it names. */
const namesSources = (parsed: RunInput) =>
  parsed.mode === 'manual' && (parsed.clusters ?? parsed.instances ?? parsed.logGroups) !== undefined;

/**
 * The CloudWatch branch's range. Scheduled: the UTC day that has just become older than
 * CW_OLDER_THAN_DAYS. Manual: [from, to). `startTime` (the execution's start) is the only
 * "now": a range ending later than 12 hours before it may not be exportable yet.
 */
function cloudWatchScope(parsed: RunInput, settings: Config, startTime: string): CloudWatchScope {
  const manual = parsed.mode === 'manual' ? parsed : undefined;
  const logGroups = namesSources(parsed) ? (manual?.logGroups ?? []) : settings.logGroups;
  const cutoff =
    parsed.mode === 'manual'
      ? parsed.to.getTime()
      : Math.floor((parsed.scheduledTime.getTime() - settings.cloudWatchOlderThanDays * DAY_MS) / DAY_MS) * DAY_MS;
  const from = manual ? manual.from.getTime() : cutoff - DAY_MS;
  const scope = {
    logGroups,
    from: new Date(from).toISOString(),
    cutoff: new Date(cutoff).toISOString(),
    trimMode: manual?.trimMode ?? settings.trimMode,
    force: manual?.force ?? false,
  };
  if (logGroups.length === 0) return { ...scope, skipped: 'no log groups configured or named' };
  if (from >= cutoff) return { ...scope, skipped: 'the export range is empty' };
  if (cutoff > Date.parse(startTime) - EXPORTABLE_AFTER_MS) {
    const expected = 'a time at least 12 hours before the run starts: CloudWatch Logs data may not be exportable yet';
    if (manual?.logGroups) throw new InvalidInputError('to', expected, 'logGroups were named');
    return { ...scope, skipped: `range ends less than 12 hours before the run (${scope.cutoff})` };
  }
  return scope;
}

/**
 * First state: validate the input and fix the run's scope. Nothing here depends on "now"
 * (only on the execution's start time), so the same input always resolves to the same scope.
 */
export function resolveRun(event: ResolveRunInput, settings: Config): { run: RunContext } {
  const parsed = parseRunInput(event.input);
  const manual = parsed.mode === 'manual' ? parsed : undefined;
  const scoped = namesSources(parsed);
  const clusters = scoped ? (manual?.clusters ?? []) : settings.clusters;
  const instances = scoped ? (manual?.instances ?? []) : settings.instances;
  const cloudwatch = cloudWatchScope(parsed, settings, event.startTime);
  if (clusters.length === 0 && instances.length === 0 && cloudwatch.logGroups.length === 0) {
    throw new InvalidInputError(
      'clusters',
      'at least one cluster, instance or log group, in the input or in CLUSTERS/INSTANCES/LOG_GROUPS',
    );
  }
  const day = parsed.mode === 'scheduled' ? parsed.scheduledTime : new Date(event.startTime);
  const date = `${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1)}/${pad(day.getUTCDate())}`;
  return {
    run: {
      runId: event.executionName,
      executionId: event.executionId,
      mode: parsed.mode,
      ...(parsed.mode === 'scheduled'
        ? { scheduledTime: parsed.scheduledTime.toISOString() }
        : { from: parsed.from.toISOString(), to: parsed.to.toISOString() }),
      startedAt: event.startTime,
      clusters,
      instances,
      logTypes: manual?.logTypes ?? settings.logTypes,
      dryRun: manual?.dryRun ?? false,
      reportPrefix: `${RUNS_PREFIX}${date}/${event.executionName}`,
      cloudwatch,
    },
  };
}

export const handler = makeHandler('resolve run', async (event: ResolveRunInput) => resolveRun(event, config()));
