import type { RunSummary } from '../tasks/summarize-run';
import { booleanFlag, type ParsedArgs, stringFlag } from './args';
import { consoleLink, regionOfArn } from './arns';
import { awsFlags, stateMachineArnOf } from './aws-flags';
import type { CliDeps } from './context';
import { isRelativeDate } from './dates';
import { EXIT, type ExitCode } from './errors';
import { follow, ProgressDisplay, runExitCode } from './follow';
import { RunReader } from './history';
import { executionName } from './naming';
import { writeJson, writeLines } from './output';
import { executionJson, executionLines } from './report';
import { type ManualInput, manualInputFrom } from './run-input';
import { type StartOutcome, startRun } from './start';

/** Tell what the relative dates resolved to, once, so the run's range is plain to see. */
export function rangeNote(args: ParsedArgs, input: ManualInput): string | undefined {
  const from = stringFlag(args, 'from') ?? '';
  const to = stringFlag(args, 'to') ?? '';
  if (!isRelativeDate(from.trim()) && !isRelativeDate(to.trim())) return undefined;
  return `range: ${input.from} (${from}) to ${input.to} (${to})`;
}

type Exists = Extract<StartOutcome, { kind: 'exists' }>;

function existsLines(outcome: Exists): string[] {
  const status = outcome.execution?.status ?? 'unknown';
  return [
    `this exact run already exists: ${outcome.name} is ${status}`,
    `  started    ${outcome.execution?.startDate?.toISOString() ?? 'unknown'}`,
    ...(outcome.execution?.stopDate ? [`  stopped    ${outcome.execution.stopDate.toISOString()}`] : []),
    `  execution  ${outcome.executionArn}`,
    `  console    ${consoleLink(outcome.executionArn)}`,
    'The same input always gets the same name, so it is not started twice.',
    `To run it once more, add --again (it starts as ${outcome.name}-2, or the next free number).`,
  ];
}

/** The run already exists: say so, with its status and how to run it again; nothing was started (exit 3). */
function reportExists(deps: CliDeps, json: boolean, input: ManualInput, outcome: Exists): ExitCode {
  if (json) {
    writeJson(deps.stdout, {
      started: false,
      reason: 'already-exists',
      executionName: outcome.name,
      executionArn: outcome.executionArn,
      consoleLink: consoleLink(outcome.executionArn),
      status: outcome.execution?.status,
      startDate: outcome.execution?.startDate?.toISOString(),
      stopDate: outcome.execution?.stopDate?.toISOString(),
      input,
      hint: 'add --again to run it once more',
    });
  }
  writeLines(deps.stderr, existsLines(outcome));
  return EXIT.error;
}

/**
 * `start`: validate the flags into the manual input, find the state machine, start the execution
 * under its derived name, print its ARN and console link; with --wait follow it to the end.
 */
export async function startCommand(args: ParsedArgs, deps: CliDeps): Promise<ExitCode> {
  const json = booleanFlag(args, 'json');
  const input = manualInputFrom(args, deps.now());
  const flags = awsFlags(args);
  const note = rangeNote(args, input);
  if (note) writeLines(deps.stderr, [note]);
  const stateMachineArn = await stateMachineArnOf(deps, flags);
  const sfn = deps.sfn(regionOfArn(stateMachineArn));
  const name = executionName(input);
  const outcome = await startRun(sfn, {
    stateMachineArn,
    name,
    input,
    again: booleanFlag(args, 'again'),
    now: deps.now,
  });
  if (outcome.kind === 'exists') return reportExists(deps, json, input, outcome);
  const started = {
    started: true,
    alreadyRunning: outcome.alreadyRunning,
    executionName: outcome.name,
    executionArn: outcome.executionArn,
    stateMachineArn,
    consoleLink: consoleLink(outcome.executionArn),
    input,
  };
  const heading = outcome.alreadyRunning
    ? `this exact run is already running (since ${outcome.startDate?.toISOString()}): ${outcome.name}`
    : `started ${outcome.name}`;
  writeLines(json ? deps.stderr : deps.stdout, [
    heading,
    `  execution  ${outcome.executionArn}`,
    `  console    ${started.consoleLink}`,
  ]);
  if (!booleanFlag(args, 'wait')) {
    if (json) writeJson(deps.stdout, started);
    return EXIT.ok;
  }
  const reader = new RunReader(sfn);
  const { snapshot, progress } = await follow({
    read: () => reader.snapshot(outcome.executionArn),
    sleep: deps.sleep,
    now: deps.now,
    display: new ProgressDisplay(deps.stderr),
    pollMs: deps.pollMs,
  });
  const summary = progress.summary ?? (snapshot.execution.output as RunSummary | undefined);
  if (json) writeJson(deps.stdout, { ...started, ...executionJson(snapshot.execution, summary), progress });
  else writeLines(deps.stdout, executionLines(snapshot.execution, summary));
  return runExitCode(snapshot.execution.status, summary);
}
