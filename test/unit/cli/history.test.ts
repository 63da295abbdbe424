import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { historyEvents, RunReader, readExecution, summaryOf } from '../../../cli/history';
import { mockRecordedRun, REGION, runHistory } from './helpers';

const sfn = new SFNClient({ region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const sfnMock = mockClient(SFNClient);

beforeEach(() => sfnMock.reset());

describe('RunReader', () => {
  it('reads the execution, its history and each Map Run with its children, labelled by Map state', async () => {
    const recorded = mockRecordedRun(sfnMock);

    const snapshot = await new RunReader(sfn).snapshot(recorded.executionArn);

    expect(snapshot.execution).toMatchObject({ status: 'RUNNING', executionArn: recorded.executionArn });
    expect(snapshot.mapRuns).toEqual([
      {
        stateName: 'Export Each Log Group',
        status: 'RUNNING',
        total: 1,
        succeeded: 0,
        failed: 0,
        running: 1,
        pending: 0,
      },
      {
        stateName: 'Archive Each Instance',
        status: 'RUNNING',
        total: 2,
        succeeded: 1,
        failed: 0,
        running: 1,
        pending: 0,
      },
    ]);
    const names = new Set(snapshot.events.map((event) => event.name));
    expect([...names]).toEqual(
      expect.arrayContaining(['Resolve Run', 'List Log Files', 'Archive Log Files', 'Check Export']),
    );
  });

  it('reads a finished child execution once and a running one on every poll', async () => {
    const recorded = mockRecordedRun(sfnMock);
    const reader = new RunReader(sfn);
    const run = runHistory();

    await reader.snapshot(recorded.executionArn);
    recorded.phase = 'finished';
    const snapshot = await reader.snapshot(recorded.executionArn);

    expect(recorded.historyCalls.get(run.children.instanceA.executionArn)).toBe(1);
    expect(recorded.historyCalls.get(run.children.instanceB.executionArn)).toBe(2);
    expect(snapshot.execution).toMatchObject({ status: 'FAILED', error: 'RunFailed' });
    expect(snapshot.events.filter((event) => event.name === 'Instance Failed')).toHaveLength(1);
  });
});

describe('historyEvents', () => {
  it('follows nextToken through every page, with the execution data', async () => {
    const recorded = mockRecordedRun(sfnMock);
    recorded.phase = 'finished';

    const events = await historyEvents(sfn, recorded.executionArn);

    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)?.type).toBe('ExecutionFailed');
    expect(sfnMock).toHaveReceivedCommandTimes(GetExecutionHistoryCommand, 2);
    expect(sfnMock).toHaveReceivedCommandWith(GetExecutionHistoryCommand, {
      includeExecutionData: true,
      nextToken: 'page-2',
    });
  });
});

describe('summaryOf', () => {
  it('reads the summary of a run that ended in Run Failed from Summarize Run in the history', async () => {
    const recorded = mockRecordedRun(sfnMock);
    recorded.phase = 'finished';
    sfnMock
      .on(GetExecutionHistoryCommand)
      .resolves({ events: runHistory().events(runHistory().parent.finished).reverse() });

    const summary = await summaryOf(sfn, await readExecution(sfn, recorded.executionArn));

    expect(summary).toEqual(recorded.summary);
    expect(sfnMock).toHaveReceivedCommandWith(GetExecutionHistoryCommand, { reverseOrder: true, maxResults: 50 });
  });

  it('takes the output of a succeeded run without reading the history', async () => {
    const summary = { status: 'succeeded', message: 'ok' };

    const read = await summaryOf(sfn, { executionArn: 'arn', status: 'SUCCEEDED', output: summary });

    expect(read).toBe(summary);
    expect(sfnMock).not.toHaveReceivedCommand(GetExecutionHistoryCommand);
  });
});
