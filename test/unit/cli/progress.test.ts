import { mapRunStateNames } from '../../../cli/history';
import {
  type MapRunCounts,
  type StepEvent,
  stepEventFromLocal,
  stepEventsFromHistory,
  tallyProgress,
} from '../../../cli/progress';
import { runHistory } from './helpers';

const run = runHistory();
const counts = (stateName: string, total: number, running: number, succeeded: number): MapRunCounts => ({
  stateName,
  total,
  running,
  succeeded,
  failed: 0,
  pending: 0,
});

function eventsOf(phase: 'running' | 'finished'): StepEvent[] {
  const { children, parent } = run;
  return [
    ...stepEventsFromHistory(run.events(parent[phase])),
    ...stepEventsFromHistory(run.events(children.instanceA.finished)),
    ...stepEventsFromHistory(run.events(children.instanceB[phase])),
    ...stepEventsFromHistory(run.events(children.group[phase])),
  ];
}

describe('stepEventsFromHistory', () => {
  it('keeps state exits with their parsed output and Map iterations, nothing else', () => {
    const events = stepEventsFromHistory(run.events(run.children.group.finished));

    expect(events.filter((event) => event.kind === 'iteration')).toHaveLength(3);
    expect(events.find((event) => event.kind === 'exited' && event.name === 'Trim Stream')).toMatchObject({
      output: { stream: 'orders-aurora-1', status: 'rewritten' },
    });
    expect(events.every((event) => event.at !== undefined)).toBe(true);
  });
});

describe('mapRunStateNames', () => {
  it('finds each Map Run state from its MapRunStarted event back to MapStateEntered', () => {
    const names = mapRunStateNames(run.events(run.parent.running));

    expect(Object.fromEntries(names)).toEqual({
      [run.mapRuns.instances.mapRunArn]: 'Archive Each Instance',
      [run.mapRuns.groups.mapRunArn]: 'Export Each Log Group',
    });
  });
});

describe('tallyProgress', () => {
  it('counts instances, files, exports and streams of a running run from its histories and Map Runs', () => {
    const progress = tallyProgress(eventsOf('running'), [
      counts('Archive Each Instance', 2, 1, 1),
      counts('Export Each Log Group', 1, 1, 0),
    ]);

    expect(progress).toMatchObject({
      dryRun: false,
      instances: { total: 2, listed: 2, done: 1, failed: 0, running: 1, unavailable: 1 },
      files: { planned: 350, done: 290 },
      logGroups: { total: 1, done: 0, failed: 0, running: 1, unavailable: 0 },
      exports: {
        started: 1,
        checks: 1,
        verified: 0,
        latest: { group: '/aws/rds/cluster/orders-aurora/error', status: 'RUNNING' },
      },
      streams: { planned: 0, done: 0, failed: 0 },
      failedChildExecutions: 0,
    });
    expect(progress.summary).toBeUndefined();
    expect(progress.stateCounts['Archive Log Files']).toBe(3);
  });

  it('counts the end: failed instance and stream, verified export, and the summary of a failed run', () => {
    const progress = tallyProgress(eventsOf('finished'), [
      counts('Archive Each Instance', 2, 0, 2),
      counts('Export Each Log Group', 1, 0, 1),
    ]);

    expect(progress).toMatchObject({
      instances: { total: 2, done: 1, failed: 1, running: 0 },
      files: { planned: 350, done: 290 },
      logGroups: { total: 1, done: 1, failed: 0 },
      exports: { started: 1, checks: 2, verified: 1 },
      streams: { planned: 3, done: 2, failed: 1 },
    });
    expect(progress.iterations).toEqual({ 'Trim Each Stream': 3 });
    expect(progress.stateCounts).toMatchObject({ 'Instance Done': 1, 'Instance Failed': 1, 'Log Group Done': 1 });
    expect(progress.summary).toEqual(run.summary);
  });

  it('takes totals and failed children from the Map Runs when no listing output is at hand', () => {
    const progress = tallyProgress(
      [],
      [
        { stateName: 'Archive Each Instance', total: 7, running: 2, pending: 3, succeeded: 1, failed: 1 },
        { total: 9, running: 0, pending: 0, succeeded: 9, failed: 0 },
      ],
    );

    expect(progress.instances).toMatchObject({ total: 7, running: 5 });
    expect(progress.logGroups.total).toBeUndefined();
    expect(progress.failedChildExecutions).toBe(1);
  });

  it('tallies the local runner events the same way', () => {
    const local = [
      { type: 'StateExited', timestamp: 1, state: { name: 'Resolve Run', output: { run: { dryRun: true } } } },
      { type: 'StateEntered', timestamp: 2, state: { name: 'List Log Files' } },
      {
        type: 'StateExited',
        timestamp: 3,
        state: { name: 'List Log Files', output: { instance: { instanceId: 'a' }, total: 12, planKey: 'k' } },
      },
      { type: 'MapIterationSucceeded', timestamp: 4, parentState: { name: 'Archive Each Instance' } },
    ].flatMap((event) => stepEventFromLocal(event) ?? []);

    const progress = tallyProgress(local);

    expect(local).toHaveLength(3);
    expect(progress).toMatchObject({ dryRun: true, files: { planned: 12, done: 0 }, instances: { listed: 1 } });
    expect(progress.iterations).toEqual({ 'Archive Each Instance': 1 });
  });
});
