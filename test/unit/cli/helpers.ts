import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListMapRunsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { CliDeps } from '../../../cli/context';
import type { Output } from '../../../cli/output';
import type { RunSummary } from '../../../tasks/summarize-run';

/** An Output that keeps what was written. */
export class TextOutput implements Output {
  text = '';

  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}

  write(text: string): boolean {
    this.text += text;
    return true;
  }
}

export const NOW = Date.parse('2026-11-22T10:15:30.250Z');
export const REGION = 'eu-west-1';
export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:RdsLogArchive-Archive';
const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };

export interface TestCli {
  readonly deps: CliDeps;
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  readonly sleeps: number[];
}

/** Dependencies for runCli: clients whose send aws-sdk-client-mock replaces, a fixed clock, an instant sleep. */
export function testCli(overrides: Partial<CliDeps> = {}, tty = false): TestCli {
  const stdout = new TextOutput();
  const stderr = new TextOutput(tty, 100);
  const sleeps: number[] = [];
  const deps: CliDeps = {
    sfn: (region) => new SFNClient({ region: region ?? REGION, credentials }),
    cloudFormation: (region) => new CloudFormationClient({ region: region ?? REGION, credentials }),
    lambda: (region) => new LambdaClient({ region: region ?? REGION, credentials }),
    readJson: async () => {
      throw new Error('readJson not expected');
    },
    runLocal: async () => {
      throw new Error('runLocal not expected');
    },
    now: () => NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    stdin: Readable.from([]),
    stdout,
    stderr,
    env: {},
    pollMs: 10_000,
    ...overrides,
  };
  return { deps, stdout, stderr, sleeps };
}

type RawEvents = readonly Record<string, unknown>[];

interface RawCounts {
  readonly pending: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly aborted: number;
  readonly total: number;
  readonly resultsWritten: number;
}

interface RawRun {
  readonly executionArn: string;
  readonly startDate: string;
  readonly stopDate: string;
  readonly summary: RunSummary;
  readonly mapRuns: Record<'instances' | 'groups', { mapRunArn: string; running: RawCounts; finished: RawCounts }>;
  readonly children: {
    readonly instanceA: { executionArn: string; finished: RawEvents };
    readonly instanceB: { executionArn: string; running: RawEvents; finished: RawEvents };
    readonly group: { executionArn: string; running: RawEvents; finished: RawEvents };
  };
  readonly parent: { running: RawEvents; finished: RawEvents };
}

/** test/unit/cli/fixtures/run-history.json with its timestamps as Dates, as the SDK returns them. */
export function runHistory(): RawRun & { events: (raw: RawEvents) => HistoryEvent[] } {
  const raw = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'run-history.json'), 'utf8')) as RawRun;
  return {
    ...raw,
    events: (events) =>
      events.map((event) => ({ ...event, timestamp: new Date(event.timestamp as string) }) as HistoryEvent),
  };
}

type Phase = 'running' | 'finished';

/** What mockRecordedRun answers: switch it to the finished histories with finish() (e.g. from the injected sleep). */
export interface RecordedRun {
  readonly executionArn: string;
  readonly summary: RunSummary;
  phase: Phase;
  /** GetExecutionHistory calls per execution ARN. */
  readonly historyCalls: Map<string, number>;
}

/**
 * Answer the Step Functions reads of a run from fixtures/run-history.json: DescribeExecution,
 * GetExecutionHistory (the finished parent history in two pages), ListMapRuns, DescribeMapRun,
 * ListExecutions of each Map Run. Running first, finished once `phase` is set so.
 */
export function mockRecordedRun(sfnMock: AwsClientStub<SFNClient>): RecordedRun {
  const run = runHistory();
  const state: RecordedRun = {
    executionArn: run.executionArn,
    summary: run.summary,
    phase: 'running',
    historyCalls: new Map(),
  };
  const name = run.executionArn.split(':').pop();
  const children = run.children;
  const histories = (arn: string): readonly Record<string, unknown>[] => {
    if (arn === run.executionArn) return run.parent[state.phase];
    if (arn === children.instanceA.executionArn) return children.instanceA.finished;
    if (arn === children.instanceB.executionArn) return children.instanceB[state.phase];
    if (arn === children.group.executionArn) return children.group[state.phase];
    throw new Error(`no history for ${arn}`);
  };
  const on = (command: unknown, fake: (input: Record<string, string | undefined>) => unknown) =>
    sfnMock.on(command as typeof DescribeExecutionCommand).callsFake(fake as never);
  on(DescribeExecutionCommand, ({ executionArn }) => {
    if (executionArn !== run.executionArn) throw new Error(`unexpected DescribeExecution ${executionArn}`);
    const base = { executionArn, stateMachineArn: STATE_MACHINE_ARN, name, startDate: new Date(run.startDate) };
    return state.phase === 'running'
      ? { ...base, status: 'RUNNING' }
      : { ...base, status: 'FAILED', stopDate: new Date(run.stopDate), error: 'RunFailed', cause: run.summary.message };
  });
  on(GetExecutionHistoryCommand, ({ executionArn = '', nextToken }) => {
    state.historyCalls.set(executionArn, (state.historyCalls.get(executionArn) ?? 0) + 1);
    const events = run.events(histories(executionArn));
    if (executionArn !== run.executionArn || state.phase === 'running') return { events };
    const half = Math.floor(events.length / 2);
    return nextToken === 'page-2'
      ? { events: events.slice(half) }
      : { events: events.slice(0, half), nextToken: 'page-2' };
  });
  on(ListMapRunsCommand, () => ({
    mapRuns: [run.mapRuns.groups, run.mapRuns.instances].map(({ mapRunArn }) => ({
      executionArn: run.executionArn,
      mapRunArn,
      stateMachineArn: STATE_MACHINE_ARN,
      startDate: new Date(run.startDate),
    })),
  }));
  on(DescribeMapRunCommand, ({ mapRunArn }) => {
    const mapRun = mapRunArn === run.mapRuns.instances.mapRunArn ? run.mapRuns.instances : run.mapRuns.groups;
    return { mapRunArn, status: state.phase === 'running' ? 'RUNNING' : 'SUCCEEDED', itemCounts: mapRun[state.phase] };
  });
  on(ListExecutionsCommand, ({ mapRunArn }) => {
    const status = state.phase === 'running' ? 'RUNNING' : 'SUCCEEDED';
    const listed =
      mapRunArn === run.mapRuns.instances.mapRunArn
        ? [
            { executionArn: children.instanceA.executionArn, status: 'SUCCEEDED' },
            { executionArn: children.instanceB.executionArn, status },
          ]
        : [{ executionArn: children.group.executionArn, status }];
    return {
      executions: listed.map((item) => ({
        ...item,
        stateMachineArn: STATE_MACHINE_ARN,
        name: 'child',
        startDate: new Date(run.startDate),
      })),
    };
  });
  return state;
}

/** A sleep for the poll loop that lets the recorded run finish during the pause. */
export function finishOn(recorded: RecordedRun): (ms: number) => Promise<void> {
  return async () => {
    recorded.phase = 'finished';
  };
}
