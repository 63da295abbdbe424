import { type DescribeExecutionCommandOutput, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { executionArnFor } from './arns';
import { awsFailure, errorName } from './aws';
import { CliError } from './errors';
import { describeExecution } from './history';
import { againNames } from './naming';
import type { ManualInput } from './run-input';

/** `--again` tries the name, then NAME-2 … NAME-{MAX_AGAIN}. */
export const MAX_AGAIN = 99;

/** A start older than this when StartExecution answers means Step Functions returned a running execution. */
const REATTACH_AFTER_MS = 60_000;

export interface StartRequest {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: ManualInput;
  /** Start under the first free name of NAME, NAME-2, NAME-3, … */
  readonly again: boolean;
  readonly now: () => number;
}

export type StartOutcome =
  | {
      readonly kind: 'started';
      readonly executionArn: string;
      readonly name: string;
      readonly startDate?: Date;
      /** StartExecution with the name and input of a running execution returns that execution. */
      readonly alreadyRunning: boolean;
    }
  | {
      readonly kind: 'exists';
      readonly executionArn: string;
      readonly name: string;
      readonly execution?: DescribeExecutionCommandOutput;
    };

type Attempt = StartOutcome | { readonly kind: 'taken' };

async function startAs(sfn: SFNClient, request: StartRequest, name: string): Promise<Attempt> {
  const requestedAt = request.now();
  try {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: request.stateMachineArn,
        name,
        input: JSON.stringify(request.input),
      }),
    );
    const startDate = started.startDate;
    return {
      kind: 'started',
      executionArn: started.executionArn ?? executionArnFor(request.stateMachineArn, name),
      name,
      startDate,
      alreadyRunning: startDate !== undefined && startDate.getTime() < requestedAt - REATTACH_AFTER_MS,
    };
  } catch (error) {
    if (errorName(error) === 'ExecutionAlreadyExists') return { kind: 'taken' };
    if (errorName(error) === 'StateMachineDoesNotExist') {
      throw new CliError(
        `state machine ${request.stateMachineArn} does not exist: check --state-machine-arn or --stack`,
      );
    }
    throw awsFailure('StartExecution', error);
  }
}

async function startUnderFreeName(sfn: SFNClient, request: StartRequest): Promise<StartOutcome> {
  for (const name of againNames(request.name, MAX_AGAIN)) {
    if (await describeExecution(sfn, executionArnFor(request.stateMachineArn, name))) continue;
    const attempt = await startAs(sfn, request, name);
    if (attempt.kind !== 'taken') return attempt;
  }
  throw new CliError(`${request.name} and ${request.name}-2 … -${MAX_AGAIN} are all taken: change the input`);
}

/**
 * Start the run under its derived name. A name Step Functions already knows (the same input ran
 * in the last 90 days) is reported with that execution's status, never silently repeated;
 * `again` picks the first free NAME-n instead.
 */
export async function startRun(sfn: SFNClient, request: StartRequest): Promise<StartOutcome> {
  if (request.again) return startUnderFreeName(sfn, request);
  const attempt = await startAs(sfn, request, request.name);
  if (attempt.kind !== 'taken') return attempt;
  const executionArn = executionArnFor(request.stateMachineArn, request.name);
  return { kind: 'exists', executionArn, name: request.name, execution: await describeExecution(sfn, executionArn) };
}
