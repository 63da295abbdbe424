import { type Config, config } from './common/config';
import { InvalidInputError } from './common/errors';
import { makeHandler } from './common/handler';
import { RUNS_PREFIX } from './common/layout';
import { parseRunInput } from './common/run-input';
import type { RunContext } from './common/types';

export interface ResolveRunInput {
  readonly input: unknown;
  readonly executionId: string;
  readonly executionName: string;
  readonly startTime: string;
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * First state: validate the input and fix the run's scope. Nothing here depends on "now",
 * so the same input always resolves to the same scope.
 */
export function resolveRun(event: ResolveRunInput, settings: Config): { run: RunContext } {
  const parsed = parseRunInput(event.input);
  const manual = parsed.mode === 'manual' ? parsed : undefined;
  const scoped = manual?.clusters !== undefined || manual?.instances !== undefined;
  const clusters = scoped ? (manual?.clusters ?? []) : settings.clusters;
  const instances = scoped ? (manual?.instances ?? []) : settings.instances;
  if (clusters.length === 0 && instances.length === 0) {
    throw new InvalidInputError('clusters', 'at least one cluster or instance, in the input or in CLUSTERS/INSTANCES');
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
    },
  };
}

export const handler = makeHandler('resolve run', async (event: ResolveRunInput) => resolveRun(event, config()));
