import type { SFNClient } from '@aws-sdk/client-sfn';
import type { RunSummary } from '../tasks/summarize-run';
import { booleanFlag, type ParsedArgs } from './args';
import { executionArnFor, parseExecutionRef, regionOfArn } from './arns';
import { awsFlags, stateMachineArnOf } from './aws-flags';
import type { CliDeps } from './context';
import { type ExitCode, UsageError } from './errors';
import { follow, ProgressDisplay, runExitCode } from './follow';
import { type ExecutionView, RunReader, readExecution, summaryOf } from './history';
import { writeJson, writeLines } from './output';
import { type Progress, tallyProgress } from './progress';
import { progressBlock } from './render';
import { executionJson, executionLines } from './report';

function executionRef(args: ParsedArgs) {
  if (args.positionals.length === 0) throw new UsageError('status needs an execution: NAME or ARN');
  if (args.positionals.length > 1) throw new UsageError(`status takes one execution, got ${args.positionals.length}`);
  return parseExecutionRef(args.positionals[0] ?? '');
}

interface Seen {
  readonly execution: ExecutionView;
  readonly summary?: RunSummary;
  readonly progress?: Progress;
}

/** Follow the execution to its end (--wait), showing progress on stderr. */
async function followToEnd(sfn: SFNClient, executionArn: string, deps: CliDeps): Promise<Seen> {
  const reader = new RunReader(sfn);
  const { snapshot, progress } = await follow({
    read: () => reader.snapshot(executionArn),
    sleep: deps.sleep,
    now: deps.now,
    display: new ProgressDisplay(deps.stderr),
    pollMs: deps.pollMs,
  });
  const summary = progress.summary ?? (snapshot.execution.output as RunSummary | undefined);
  return { execution: snapshot.execution, summary, progress };
}

/** Look once: the execution, its summary, and the progress so far of a running one. */
async function lookOnce(sfn: SFNClient, executionArn: string): Promise<Seen> {
  const execution = await readExecution(sfn, executionArn);
  if (execution.status !== 'RUNNING') return { execution, summary: await summaryOf(sfn, execution) };
  const snapshot = await new RunReader(sfn).snapshot(executionArn);
  return { execution, progress: tallyProgress(snapshot.events, snapshot.mapRuns) };
}

/**
 * `status NAME|ARN`: DescribeExecution (a bare name is resolved against the state machine),
 * the summary (from the output, or from Summarize Run in the history when the run failed),
 * the console link, and for a running execution its progress so far; with --wait, follow it
 * to its end first.
 */
export async function statusCommand(args: ParsedArgs, deps: CliDeps): Promise<ExitCode> {
  const ref = executionRef(args);
  const flags = awsFlags(args);
  const executionArn = 'arn' in ref ? ref.arn : executionArnFor(await stateMachineArnOf(deps, flags), ref.name);
  const sfn = deps.sfn(regionOfArn(executionArn));
  const { execution, summary, progress } = booleanFlag(args, 'wait')
    ? await followToEnd(sfn, executionArn, deps)
    : await lookOnce(sfn, executionArn);
  if (booleanFlag(args, 'json')) {
    writeJson(deps.stdout, { ...executionJson(execution, summary), ...(progress && { progress }) });
  } else {
    const running = execution.status === 'RUNNING' && progress ? progressBlock(progress, 'progress') : [];
    writeLines(deps.stdout, [...executionLines(execution, summary), ...running]);
  }
  return runExitCode(execution.status, summary);
}
