import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  type ListExecutionsCommandOutput,
  ListMapRunsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { RunSummary } from '../tasks/summarize-run';
import { awsFailure, errorName } from './aws';
import { CliError } from './errors';
import { GROUP_MAP, INSTANCE_MAP, type MapRunCounts, type StepEvent, stepEventsFromHistory } from './progress';

/** The fields of DescribeExecution the commands show. */
export interface ExecutionView {
  readonly executionArn: string;
  readonly name?: string;
  readonly status: string;
  readonly startDate?: Date;
  readonly stopDate?: Date;
  /** The execution output, parsed (a RunSummary when the run succeeded). */
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

/** Everything one poll learns about a run: the execution, its step events (parent and children), its Map Runs. */
export interface RunSnapshot {
  readonly execution: ExecutionView;
  readonly events: readonly StepEvent[];
  readonly mapRuns: readonly MapRunCounts[];
}

const PAGE = 1000;

function parsed(value: string | undefined): unknown {
  try {
    return value === undefined ? undefined : JSON.parse(value);
  } catch {
    return value;
  }
}

/** DescribeExecution, or undefined when there is no execution of that ARN. */
export async function describeExecution(
  sfn: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput | undefined> {
  try {
    return await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (errorName(error) === 'ExecutionDoesNotExist') return undefined;
    throw awsFailure('DescribeExecution', error);
  }
}

/** DescribeExecution as an ExecutionView; a missing execution is an error that names it. */
export async function readExecution(sfn: SFNClient, executionArn: string): Promise<ExecutionView> {
  const described = await describeExecution(sfn, executionArn);
  if (!described) throw new CliError(`no execution ${executionArn}`);
  return {
    executionArn,
    name: described.name,
    status: described.status ?? 'UNKNOWN',
    startDate: described.startDate,
    stopDate: described.stopDate,
    output: parsed(described.output),
    error: described.error,
    cause: described.cause,
  };
}

/** GetExecutionHistory through every page (or the first `maxEvents`), with the state inputs and outputs. */
export async function historyEvents(
  sfn: SFNClient,
  executionArn: string,
  options: { readonly reverseOrder?: boolean; readonly maxEvents?: number } = {},
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn,
          nextToken,
          maxResults: Math.min(PAGE, options.maxEvents ?? PAGE),
          reverseOrder: options.reverseOrder ?? false,
          includeExecutionData: true,
        }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken && events.length < (options.maxEvents ?? Number.POSITIVE_INFINITY));
  } catch (error) {
    throw awsFailure('GetExecutionHistory', error);
  }
  return events;
}

/**
 * The Map state each Map Run belongs to, from the parent history: a MapRunStarted event's
 * predecessors lead back to its MapStateEntered, which carries the state name. (Map Run ARNs
 * carry a label, not the state name.)
 */
export function mapRunStateNames(events: readonly HistoryEvent[]): Map<string, string> {
  const byId = new Map(events.map((event) => [event.id, event]));
  const names = new Map<string, string>();
  for (const event of events) {
    const mapRunArn = event.mapRunStartedEventDetails?.mapRunArn;
    if (event.type !== 'MapRunStarted' || !mapRunArn) continue;
    let previous = byId.get(event.previousEventId);
    for (let hops = 0; previous && !previous.stateEnteredEventDetails && hops < 10; hops += 1) {
      previous = byId.get(previous.previousEventId);
    }
    const name = previous?.stateEnteredEventDetails?.name;
    if (name) names.set(mapRunArn, name);
  }
  return names;
}

/** When the parent history does not say, the children do: their first states differ per Map. */
function stateNameFromChildren(events: readonly StepEvent[]): string | undefined {
  if (events.some((event) => event.name === 'List Log Files')) return INSTANCE_MAP;
  if (events.some((event) => event.name === 'Start Export')) return GROUP_MAP;
  return undefined;
}

/**
 * Reads a run's snapshot: the execution, its history, and for each Distributed Map's Map Run its
 * item counts and its child executions' histories (each child runs one instance or one log group,
 * with a history of its own). A finished child's events never change, so they are read once.
 */
export class RunReader {
  private readonly finishedChildren = new Map<string, readonly StepEvent[]>();

  constructor(private readonly sfn: SFNClient) {}

  async snapshot(executionArn: string): Promise<RunSnapshot> {
    const execution = await readExecution(this.sfn, executionArn);
    const parent = await historyEvents(this.sfn, executionArn);
    const stateNames = mapRunStateNames(parent);
    const events: StepEvent[] = stepEventsFromHistory(parent);
    const mapRuns: MapRunCounts[] = [];
    for (const mapRunArn of await this.mapRunArns(executionArn)) {
      const childEvents = await this.childEvents(mapRunArn);
      events.push(...childEvents);
      mapRuns.push(await this.mapRunCounts(mapRunArn, stateNames.get(mapRunArn) ?? stateNameFromChildren(childEvents)));
    }
    return { execution, events, mapRuns };
  }

  private async mapRunArns(executionArn: string): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.sfn.send(new ListMapRunsCommand({ executionArn, nextToken, maxResults: PAGE }));
        arns.push(...(page.mapRuns ?? []).map((run) => run.mapRunArn ?? '').filter(Boolean));
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (error) {
      throw awsFailure('ListMapRuns', error);
    }
    return arns;
  }

  private async mapRunCounts(mapRunArn: string, stateName: string | undefined): Promise<MapRunCounts> {
    try {
      const { status, itemCounts: counts } = await this.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      return {
        ...(stateName && { stateName }),
        status,
        total: counts?.total ?? 0,
        succeeded: counts?.succeeded ?? 0,
        failed: (counts?.failed ?? 0) + (counts?.timedOut ?? 0) + (counts?.aborted ?? 0),
        running: counts?.running ?? 0,
        pending: counts?.pending ?? 0,
      };
    } catch (error) {
      throw awsFailure('DescribeMapRun', error);
    }
  }

  private async childEvents(mapRunArn: string): Promise<StepEvent[]> {
    const events: StepEvent[] = [];
    let nextToken: string | undefined;
    do {
      let page: ListExecutionsCommandOutput;
      try {
        page = await this.sfn.send(new ListExecutionsCommand({ mapRunArn, nextToken, maxResults: PAGE }));
      } catch (error) {
        throw awsFailure('ListExecutions', error);
      }
      for (const child of page.executions ?? []) {
        const arn = child.executionArn ?? '';
        const known = this.finishedChildren.get(arn);
        if (known) {
          events.push(...known);
          continue;
        }
        const childEvents = stepEventsFromHistory(await historyEvents(this.sfn, arn));
        if (child.status !== 'RUNNING') this.finishedChildren.set(arn, childEvents);
        events.push(...childEvents);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }
}

/**
 * The run's summary: the execution output when it succeeded; otherwise (Run Failed) Summarize
 * Run's output, read from the last events of the history.
 */
export async function summaryOf(sfn: SFNClient, execution: ExecutionView): Promise<RunSummary | undefined> {
  const output = execution.output as Partial<RunSummary> | undefined;
  if (execution.status === 'SUCCEEDED' && typeof output?.status === 'string') return output as RunSummary;
  if (execution.status === 'RUNNING') return undefined;
  const tail = stepEventsFromHistory(
    await historyEvents(sfn, execution.executionArn, { reverseOrder: true, maxEvents: 50 }),
  );
  const summarized = tail.find((event) => event.kind === 'exited' && event.name === 'Summarize Run');
  return summarized?.kind === 'exited' ? (summarized.output as RunSummary | undefined) : undefined;
}
