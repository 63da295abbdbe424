import type { LocalRunResult } from '../sandbox/local-runner';
import type { RunSummary } from '../tasks/summarize-run';
import { booleanFlag, type ParsedArgs } from './args';
import { requireRegion } from './aws';
import { awsFlags } from './aws-flags';
import type { CliDeps } from './context';
import { type ExitCode, UsageError } from './errors';
import { ProgressDisplay, runExitCode } from './follow';
import { localExecutionName } from './naming';
import { writeJson, writeLines } from './output';
import { type DryRunPlan, dryRunLines, dryRunPlan } from './plans';
import { type Progress, type StepEvent, stepEventFromLocal, tallyProgress } from './progress';
import { summaryLines } from './render';
import { type ManualInput, manualInputFrom } from './run-input';
import { stackOutput } from './stack';
import { rangeNote } from './start-command';

const SOURCE_VARIABLES = ['CLUSTERS', 'INSTANCES', 'LOG_GROUPS'] as const;

const namesSources = (input: ManualInput) => Boolean(input.clusters ?? input.instances ?? input.logGroups);

/** A local run has no deployed configuration to fall back on: it needs sources from the flags or the environment. */
export function requireSources(input: ManualInput, env: CliDeps['env']): void {
  if (!namesSources(input) && !SOURCE_VARIABLES.some((variable) => env[variable]?.trim())) {
    throw new UsageError(
      'run --local needs sources: --clusters, --instances or --log-groups (or CLUSTERS, INSTANCES, LOG_GROUPS in the environment)',
    );
  }
}

/**
 * The tasks' environment: the region, the bucket, and the sources named by the flags (a run that
 * names none uses CLUSTERS/INSTANCES/LOG_GROUPS as already set, like the deployed functions).
 */
export function taskEnvironment(
  input: ManualInput,
  region: string,
  bucket: string,
  env: CliDeps['env'],
): Record<string, string> {
  return {
    AWS_REGION: region,
    ARCHIVE_BUCKET: bucket,
    POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    ...(namesSources(input) && {
      CLUSTERS: (input.clusters ?? []).join(','),
      INSTANCES: (input.instances ?? []).join(','),
      LOG_GROUPS: (input.logGroups ?? []).join(','),
    }),
  };
}

/** The execution output when the run succeeded; Summarize Run's output when it ended in Run Failed. */
function localSummary(result: LocalRunResult, fallback: RunSummary | undefined): RunSummary | undefined {
  const output = result.output as Partial<RunSummary> | undefined;
  return typeof output?.status === 'string' ? (output as RunSummary) : fallback;
}

interface LocalOutcome {
  readonly executionName: string;
  readonly region: string;
  readonly bucket: string;
  readonly input: ManualInput;
  readonly result: LocalRunResult;
  readonly summary?: RunSummary;
  readonly progress: Progress;
  readonly plan?: DryRunPlan;
}

function printOutcome(deps: CliDeps, json: boolean, outcome: LocalOutcome): void {
  const { result, summary, plan } = outcome;
  if (json) {
    const { executionName, region, bucket, input, progress } = outcome;
    writeJson(deps.stdout, {
      mode: 'local',
      executionName,
      region,
      bucket,
      input,
      status: result.status,
      error: result.error,
      cause: result.cause,
      summary,
      progress,
      ...(plan && { plan }),
    });
    return;
  }
  const failure = result.error ? ` (${result.error}: ${(result.cause ?? '').slice(0, 500)})` : '';
  writeLines(deps.stdout, [
    `${outcome.executionName}: ${result.status}${failure}`,
    ...(summary ? summaryLines(summary) : []),
    ...(plan ? dryRunLines(plan) : []),
    ...(summary ? [`report in s3://${outcome.bucket}/${summary.reportKey}`] : []),
  ]);
}

/**
 * `run --local`: the same workflow and task code as the deployed state machine, run by the local
 * interpreter on this machine against the AWS account in the environment. Progress comes from the
 * interpreter's events; a dry run then lists the plans the tasks wrote.
 */
export async function localCommand(args: ParsedArgs, deps: CliDeps): Promise<ExitCode> {
  if (!booleanFlag(args, 'local')) {
    throw new UsageError('run needs --local (it runs the workflow on this machine); to start it in AWS use start');
  }
  const json = booleanFlag(args, 'json');
  const now = deps.now();
  const input = manualInputFrom(args, now);
  const flags = awsFlags(args);
  requireSources(input, deps.env);
  const note = rangeNote(args, input);
  if (note) writeLines(deps.stderr, [note]);
  const cfn = deps.cloudFormation(flags.region);
  const region = flags.region ?? (await requireRegion(cfn));
  const bucket = flags.bucket ?? (await stackOutput(cfn, flags.stack, 'BucketName', '--bucket BUCKET'));
  const env = taskEnvironment(input, region, bucket, deps.env);
  const executionName = localExecutionName(input, now);
  writeLines(deps.stderr, [
    `running ${executionName} on this machine against AWS (${region}, bucket ${bucket})${input.dryRun ? ', dry run' : ''}`,
  ]);
  const events: StepEvent[] = [];
  const display = new ProgressDisplay(deps.stderr);
  const result = await deps.runLocal({
    input,
    executionName,
    env,
    onEvent: (event) => {
      const step = stepEventFromLocal(event);
      if (!step) return;
      events.push(step);
      display.show(tallyProgress(events), { name: executionName, status: 'RUNNING', elapsedMs: deps.now() - now });
    },
  });
  const progress = tallyProgress(events);
  const summary = localSummary(result, progress.summary);
  const plan = input.dryRun ? await dryRunPlan(events, (key) => deps.readJson(region, bucket, key)) : undefined;
  printOutcome(deps, json, { executionName, region, bucket, input, result, summary, progress, plan });
  return runExitCode(result.status, summary);
}
