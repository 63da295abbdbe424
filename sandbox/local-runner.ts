import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { loadDefinition, substitute, taskStates, toLocalDefinition, waitStates } from './local-definition';

/** A task as the local interpreter calls it: the Lambda's input in, its output out. */
export type LocalTask = (input: unknown) => Promise<unknown>;

export interface LocalRunOptions {
  readonly input: unknown;
  readonly executionName: string;
  /** Handlers by substitution name (e.g. `ArchiveLogFilesFunctionArn`). */
  readonly tasks: Readonly<Record<string, LocalTask>>;
  readonly definitionFile?: string;
  /** Retry pauses in ms (the real ones are seconds to minutes). */
  readonly retryPauseMs?: number;
  /** Every Wait state's wait in ms (the real ones are seconds to minutes). @default 0 */
  readonly waitMs?: number;
  readonly onEvent?: (event: { type: string; state?: { name: string }; index?: number }) => void;
}

export interface LocalRunResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

/** Run the state machine file in aws-local-stepfunctions with local task handlers. */
export async function runLocally(options: LocalRunOptions): Promise<LocalRunResult> {
  const raw = loadDefinition(options.definitionFile);
  const states = taskStates(raw);
  const arns = Object.fromEntries(
    [...new Set(states.values())].map((name) => [name, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`]),
  );
  const definition = toLocalDefinition(substitute(raw, arns));
  const handlers: Record<string, LocalTask> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const [stateName, functionName] of states) {
    const task = options.tasks[functionName];
    if (!task) throw new Error(`no local handler for ${functionName} (state "${stateName}")`);
    handlers[stateName] = task;
    retryIntervalOverrides[stateName] = options.retryPauseMs ?? 10;
  }
  const waitTimeOverrides = Object.fromEntries(waitStates(raw).map((name) => [name, options.waitMs ?? 0]));
  const machine = new StateMachine(definition as never, { validationOptions: { checkPaths: true, checkArn: true } });
  const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:rds-log-archive:${options.executionName}`;
  const execution = machine.run(options.input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides, waitTimeOverrides },
    context: {
      Execution: {
        Id: executionArn,
        Name: options.executionName,
        Input: options.input,
        StartTime: new Date().toISOString(),
      },
    } as never,
  });
  const events = (async () => {
    for await (const event of execution.eventLogs) options.onEvent?.(event as never);
  })();
  try {
    const output = await execution.result;
    await events;
    return { status: 'SUCCEEDED', output };
  } catch (error) {
    await events.catch(() => undefined);
    const failure = error instanceof ExecutionError ? (error.cause as Error) : (error as Error);
    return { status: 'FAILED', error: failure.name, cause: failure.message };
  }
}
