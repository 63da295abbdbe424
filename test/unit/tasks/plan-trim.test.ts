import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  type LogStream,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { checkpointPrefix, manifestKey, trimPlanKey } from '../../../tasks/common/cloudwatch-layout';
import type {
  GroupProgress,
  LogGroupRef,
  PlannedStream,
  TrimMode,
  TrimPlan,
  TrimProgress,
} from '../../../tasks/common/cloudwatch-types';
import { InvalidInputError, TransientAwsError } from '../../../tasks/common/errors';
import type { RunContext } from '../../../tasks/common/types';
import { mergeSpans, type PlanTrimDeps, planTrim, retentionDays, uncoveredSpan } from '../../../tasks/plan-trim';
import { testConfig } from '../../helpers/config';
import { logsThrottled } from '../../helpers/logs-errors';
import { runContext } from '../../helpers/run-context';
import { MemoryRunStore } from '../../helpers/run-store';

const logs = new CloudWatchLogsClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const logsMock = mockClient(logs);

const at = (iso: string) => Date.parse(iso);
const GROUP = '/aws/rds/cluster/aurora-a/error';
const FROM = at('2026-11-12T00:00:00Z');
const CUTOFF = at('2026-11-13T00:00:00Z');
const NOW = at('2026-11-20T12:00:00Z');
const MANIFEST = manifestKey(GROUP, FROM, CUTOFF);
const minutesAgo = (minutes: number) => NOW - minutes * 60_000;

let store: MemoryRunStore;

function run(mode: TrimMode = 'rewrite', overrides: Partial<RunContext['cloudwatch']> = {}, dryRun = false) {
  const base = runContext();
  return runContext({ dryRun, cloudwatch: { ...base.cloudwatch, trimMode: mode, ...overrides } });
}

function event(runContextValue: RunContext = run(), group: Partial<LogGroupRef> = {}): GroupProgress {
  return { run: runContextValue, group: { name: GROUP, dataProtected: false, ...group }, manifestKey: MANIFEST };
}

const deps = (env: Record<string, string> = {}, now = NOW): PlanTrimDeps => ({
  logs,
  store,
  config: testConfig(env),
  now: () => now,
});

function verified(from: string, cutoff: string, groupName = GROUP) {
  store.objects.set(manifestKey(groupName, at(from), at(cutoff)), JSON.stringify({ logGroupName: groupName }));
}

function checkpoint(stream: string, phase?: TrimProgress['phase']) {
  const prefix = checkpointPrefix(GROUP, CUTOFF, stream);
  store.objects.set(`${prefix}events.json`, JSON.stringify({ events: [] }));
  if (phase) store.objects.set(`${prefix}progress.json`, JSON.stringify({ phase, batchesDone: 0, updatedAt: '' }));
}

/** A stream whose events begin `first` and were last written `last` (lastEventTimestamp = lastIngestionTime). */
function stream(name: string, first: string | undefined, last: string): LogStream {
  return {
    logStreamName: name,
    firstEventTimestamp: first ? at(first) : undefined,
    lastEventTimestamp: at(last),
    lastIngestionTime: at(last),
  };
}

const closedStream = (name = 'closed') => stream(name, '2026-11-12T01:00:00Z', '2026-11-12T23:00:00Z');
const spanningStream = (name = 'spanning') => stream(name, '2026-11-12T01:00:00Z', '2026-11-18T09:00:00Z');

function streams(...list: LogStream[]) {
  logsMock.on(DescribeLogStreamsCommand).callsFake(async (input: { nextToken?: string }) => {
    const start = Number(input.nextToken ?? 0);
    const next = start + 2 < list.length ? String(start + 2) : undefined;
    return { logStreams: list.slice(start, start + 2), nextToken: next };
  });
}

async function plan(input: GroupProgress = event(), planDeps: PlanTrimDeps = deps()) {
  const output = await planTrim(input, planDeps);
  return { output, plan: store.read<TrimPlan>(output.trim.planKey) as TrimPlan };
}

const decisions = (written: TrimPlan) =>
  Object.fromEntries(written.streams.map((entry) => [entry.name, `${entry.action}: ${entry.reason}`]));
const actionOf = (written: TrimPlan, name: string) =>
  written.streams.find((entry: PlannedStream) => entry.name === name)?.action;

beforeEach(() => {
  logsMock.reset();
  logsMock.on(PutRetentionPolicyCommand).resolves({});
  store = new MemoryRunStore();
  verified('2026-11-12T00:00:00Z', '2026-11-13T00:00:00Z');
});

describe('planTrim in rewrite mode', () => {
  it('deletes a stream that ended before the cutoff and rewrites one that goes on after it', async () => {
    streams(closedStream(), spanningStream());

    const { output, plan: written } = await plan();

    expect(decisions(written)).toEqual({
      closed: 'delete: every event is before the cutoff and in a verified export',
      spanning: 'rewrite: events before the cutoff are in a verified export; later ones are put back',
    });
    expect(output.trim).toEqual({
      planKey: trimPlanKey(output.run, GROUP),
      mode: 'rewrite',
      streams: ['closed', 'spanning'],
      deferred: 0,
    });
  });

  it('writes the plan with the group, mode, cutoff, manifest and stream times', async () => {
    streams(closedStream());

    const { plan: written } = await plan();

    expect(written).toEqual({
      group: { name: GROUP, dataProtected: false },
      mode: 'rewrite',
      cutoff: '2026-11-13T00:00:00.000Z',
      manifestKey: MANIFEST,
      streams: [
        {
          name: 'closed',
          action: 'delete',
          reason: 'every event is before the cutoff and in a verified export',
          firstEventTimestamp: at('2026-11-12T01:00:00Z'),
          lastEventTimestamp: at('2026-11-12T23:00:00Z'),
          lastIngestionTime: at('2026-11-12T23:00:00Z'),
        },
      ],
    });
  });

  it('leaves streams without events before the cutoff, and empty ones', async () => {
    streams(stream('new', '2026-11-13T00:00:00Z', '2026-11-18T00:00:00Z'), { logStreamName: 'empty' });

    const { output, plan: written } = await plan();

    expect(decisions(written)).toEqual({
      new: 'leave: no events before the cutoff',
      empty: 'leave: no events before the cutoff',
    });
    expect(output.trim.streams).toEqual([]);
  });

  it('rewrites, not deletes, a stream whose last event timestamp lags behind an ingestion after the cutoff', async () => {
    streams({ ...closedStream('lagging'), lastIngestionTime: at('2026-11-13T00:30:00Z') });

    const { plan: written } = await plan();

    expect(actionOf(written, 'lagging')).toBe('rewrite');
  });

  it('skips a stream written to within the quiet period', async () => {
    streams({ ...spanningStream('busy'), lastIngestionTime: minutesAgo(10) });

    const { output, plan: written } = await plan();

    expect(decisions(written)).toEqual({
      busy: 'skip: written to 10 min ago, within TRIM_QUIET_MINUTES (30); a forced run trims it',
    });
    expect(output.trim.streams).toEqual([]);
  });

  it('rewrites a stream written to within the quiet period when the run is forced', async () => {
    streams({ ...spanningStream('busy'), lastIngestionTime: minutesAgo(10) });

    const { plan: written } = await plan(event(run('rewrite', { force: true })));

    expect(actionOf(written, 'busy')).toBe('rewrite');
  });

  it('trims a stream last written just before the quiet period began', async () => {
    streams({ ...spanningStream('idle'), lastIngestionTime: minutesAgo(31) });

    const { plan: written } = await plan();

    expect(actionOf(written, 'idle')).toBe('rewrite');
  });

  it('skips rewriting a data-protected group when unmasking is off, but still deletes closed streams', async () => {
    streams(closedStream(), spanningStream());

    const { output, plan: written } = await plan(event(run(), { dataProtected: true }), deps({ CW_UNMASK: 'false' }));

    expect(decisions(written).spanning).toBe(
      'skip: group has a data protection policy; set CW_UNMASK=true and allow logs:Unmask',
    );
    expect(output.trim.streams).toEqual(['closed']);
  });

  it('rewrites a data-protected group when unmasking is on', async () => {
    streams(spanningStream());

    const { plan: written } = await plan(event(run(), { dataProtected: true }), deps({ CW_UNMASK: 'true' }));

    expect(actionOf(written, 'spanning')).toBe('rewrite');
  });
});

describe('planTrim coverage', () => {
  it('counts two adjacent verified exports as one span', async () => {
    verified('2026-11-10T00:00:00Z', '2026-11-12T00:00:00Z');
    streams(stream('long', '2026-11-10T06:00:00Z', '2026-11-12T20:00:00Z'));

    const { plan: written } = await plan();

    expect(actionOf(written, 'long')).toBe('delete');
  });

  it('skips a stream with events in a gap between verified exports and names the range to export', async () => {
    verified('2026-11-08T00:00:00Z', '2026-11-10T00:00:00Z');
    streams(stream('gappy', '2026-11-09T00:00:00Z', '2026-11-12T20:00:00Z'), closedStream());

    const { output, plan: written } = await plan();

    expect(decisions(written).gappy).toBe(
      'skip: events from 2026-11-10T00:00:00.000Z to 2026-11-12T00:00:00.000Z are in no verified export; ' +
        'export them with a manual run from 2026-11-10T00:00:00.000Z to 2026-11-12T00:00:00.000Z',
    );
    expect(output.trim.streams).toEqual(['closed']);
  });

  it('skips a stream whose first events are older than every verified export', async () => {
    streams(stream('old', '2026-11-01T00:00:00Z', '2026-11-12T20:00:00Z'));

    const { plan: written } = await plan();

    expect(decisions(written).old).toContain('events from 2026-11-01T00:00:00.000Z to 2026-11-12T00:00:00.000Z');
  });

  it('ignores the manifests of a nested group that shares the prefix', async () => {
    verified('2026-11-01T00:00:00Z', '2026-11-12T00:00:00Z', `${GROUP}/nested`);
    streams(stream('old', '2026-11-01T00:00:00Z', '2026-11-12T20:00:00Z'));

    const { plan: written } = await plan();

    expect(actionOf(written, 'old')).toBe('skip');
  });
});

describe('planTrim in delete-exported mode', () => {
  it('deletes covered streams that ended before the cutoff and leaves the others', async () => {
    streams(closedStream(), spanningStream(), stream('old', '2026-11-01T00:00:00Z', '2026-11-12T20:00:00Z'));

    const { output, plan: written } = await plan(event(run('delete-exported')));

    expect(decisions(written)).toEqual({
      closed: 'delete: every event is before the cutoff and in a verified export',
      spanning: 'leave: has events after the cutoff',
      old: expect.stringMatching(/^skip: events from 2026-11-01T00:00:00.000Z to .* are in no verified export/),
    });
    expect(output.trim).toMatchObject({ mode: 'delete-exported', streams: ['closed'] });
  });
});

describe('planTrim in none mode', () => {
  it('leaves every stream but still resumes an unfinished rewrite', async () => {
    streams(closedStream(), spanningStream());
    checkpoint('spanning', 'recreated');

    const { output, plan: written } = await plan(event(run('none')));

    expect(decisions(written).closed).toBe('leave: trim mode none');
    expect(actionOf(written, 'spanning')).toBe('resume');
    expect(output.trim.streams).toEqual(['spanning']);
  });
});

describe('planTrim resuming checkpoints', () => {
  it('resumes a stream whose checkpoint is not done, whatever else holds', async () => {
    streams({ ...stream('busy', '2026-11-13T00:00:00Z', '2026-11-20T11:55:00Z') });
    checkpoint('busy', 'deleted');

    const { output, plan: written } = await plan();

    expect(decisions(written).busy).toBe(
      'resume: an earlier rewrite stopped at phase deleted: its kept events are put back first',
    );
    expect(output.trim.streams).toEqual(['busy']);
  });

  it('lists a stream that no longer exists when its checkpoint is unfinished', async () => {
    streams(closedStream());
    checkpoint('app/gone 1', 'deleted');

    const { output, plan: written } = await plan();

    expect(written.streams.at(-1)).toEqual({
      name: 'app/gone 1',
      action: 'resume',
      reason: 'an earlier rewrite stopped at phase deleted: its kept events are put back first (the stream is gone)',
    });
    expect(output.trim.streams).toEqual(['app/gone 1', 'closed']);
  });

  it('resumes a checkpoint that has no progress yet', async () => {
    streams(spanningStream());
    checkpoint('spanning');

    const { plan: written } = await plan();

    expect(decisions(written).spanning).toBe(
      'resume: an earlier rewrite left a checkpoint without progress: its kept events are put back first',
    );
  });

  it('plans afresh streams whose checkpoint is done or abandoned', async () => {
    streams(closedStream(), stream('new', '2026-11-13T00:00:00Z', '2026-11-18T00:00:00Z'));
    checkpoint('closed', 'abandoned');
    checkpoint('new', 'done');
    checkpoint('gone', 'done');

    const { output, plan: written } = await plan();

    expect(written.streams.map((entry) => `${entry.name} ${entry.action}`)).toEqual(['closed delete', 'new leave']);
    expect(output.trim.streams).toEqual(['closed']);
  });
});

describe('planTrim cap', () => {
  it('takes resumes first, then the oldest events, and defers the rest', async () => {
    streams(
      stream('c', '2026-11-12T03:00:00Z', '2026-11-12T23:00:00Z'),
      stream('a', '2026-11-12T01:00:00Z', '2026-11-12T23:00:00Z'),
      stream('b', '2026-11-12T02:00:00Z', '2026-11-18T00:00:00Z'),
      stream('r', '2026-11-13T00:00:00Z', '2026-11-18T00:00:00Z'),
    );
    checkpoint('r', 'checkpointed');

    const { output, plan: written } = await plan(event(), deps({ MAX_STREAMS_PER_GROUP: '2' }));

    expect(output.trim).toMatchObject({ streams: ['r', 'a'], deferred: 2 });
    expect(decisions(written)).toMatchObject({
      b: 'skip: to rewrite in a later run (MAX_STREAMS_PER_GROUP 2)',
      c: 'skip: to delete in a later run (MAX_STREAMS_PER_GROUP 2)',
    });
  });
});

describe('planTrim in retention mode', () => {
  async function retention(options: { env?: Record<string, string>; now?: number; current?: number } = {}) {
    const input = event(run('retention'), { retentionInDays: options.current });
    return plan(input, deps({ TRIM_MODE: 'retention', ...options.env }, options.now));
  }

  it('leaves every stream and sets the shortest retention that expires only exported events', async () => {
    streams(closedStream(), spanningStream());

    const { output, plan: written } = await retention({ now: at('2026-11-20T00:00:00Z') });

    expect(decisions(written)).toEqual({
      closed: 'leave: trim mode retention: the retention policy expires them',
      spanning: 'leave: trim mode retention: the retention policy expires them',
    });
    expect(written.retention).toEqual({ after: 7, reason: 'set to 7 days: older events are in verified exports' });
    expect(logsMock).toHaveReceivedCommandWith(PutRetentionPolicyCommand, { logGroupName: GROUP, retentionInDays: 7 });
    expect(output.trim.streams).toEqual([]);
  });

  it('keeps events newer than the verified exports: half a day past seven days needs fourteen', async () => {
    streams(closedStream());

    const { plan: written } = await retention();

    expect(logsMock).toHaveReceivedCommandWith(PutRetentionPolicyCommand, { retentionInDays: 14 });
    expect(written.retention?.after).toBe(14);
  });

  it('rounds CW_OLDER_THAN_DAYS up to an allowed retention value', async () => {
    streams(closedStream());

    await retention({ env: { CW_OLDER_THAN_DAYS: '20' } });

    expect(logsMock).toHaveReceivedCommandWith(PutRetentionPolicyCommand, { retentionInDays: 30 });
  });

  it('shortens a longer retention', async () => {
    streams(closedStream());

    const { plan: written } = await retention({ current: 30 });

    expect(written.retention).toEqual({
      before: 30,
      after: 14,
      reason: 'set to 14 days: older events are in verified exports',
    });
  });

  it('never lengthens a shorter retention, and warns when it is shorter than the export delay', async () => {
    streams(closedStream());

    const { plan: written } = await retention({ current: 5 });

    expect(logsMock).not.toHaveReceivedCommand(PutRetentionPolicyCommand);
    expect(written.retention).toEqual({
      before: 5,
      after: 5,
      reason:
        'left at 5 days: never lengthened (would be 14); shorter than CW_OLDER_THAN_DAYS (7): ' +
        'events may expire before they are exported',
    });
  });

  it('does not set a retention while any stream has events before the cutoff in no verified export', async () => {
    streams(closedStream(), stream('old', '2026-11-01T00:00:00Z', '2026-11-12T20:00:00Z'));

    const { plan: written } = await retention();

    expect(logsMock).not.toHaveReceivedCommand(PutRetentionPolicyCommand);
    expect(written.retention?.reason).toBe(
      'not set: 1 stream(s) have events before the cutoff in no verified export (old)',
    );
  });

  it('turns a throttled PutRetentionPolicy into a TransientAwsError', async () => {
    streams(closedStream());
    logsMock.on(PutRetentionPolicyCommand).rejects(logsThrottled());

    await expect(retention()).rejects.toBeInstanceOf(TransientAwsError);
  });
});

describe('planTrim dry run', () => {
  it('writes the plan but visits no stream and changes no retention', async () => {
    streams(closedStream(), spanningStream());

    const rewrite = await plan(event(run('rewrite', {}, true)));
    const kept = await plan(event(run('retention', {}, true)), deps({ TRIM_MODE: 'retention' }));

    expect(rewrite.output.trim).toMatchObject({ streams: [], deferred: 0 });
    expect(actionOf(rewrite.plan, 'closed')).toBe('delete');
    expect(kept.plan.retention?.reason).toBe('dry run: would set 14 days');
    expect(logsMock).not.toHaveReceivedCommand(PutRetentionPolicyCommand);
  });

  it('plans without a manifest key, which a dry run never gets', async () => {
    streams(closedStream());
    const input = { ...event(run('rewrite', {}, true)), manifestKey: undefined };

    const { output } = await plan(input);

    expect(output.trim.streams).toEqual([]);
  });
});

describe('planTrim input and errors', () => {
  it('refuses a real run without a verified export', async () => {
    const input = { ...event(), manifestKey: undefined };

    await expect(planTrim(input, deps())).rejects.toThrow(
      new InvalidInputError('manifestKey', 'the manifest key Verify Export returns', 'missing'),
    );
  });

  it('turns throttling of DescribeLogStreams into a TransientAwsError and writes no plan', async () => {
    logsMock.on(DescribeLogStreamsCommand).rejects(logsThrottled());

    await expect(planTrim(event(), deps())).rejects.toBeInstanceOf(TransientAwsError);
    expect(store.read(trimPlanKey(run(), GROUP))).toBeUndefined();
  });
});

describe('coverage and retention arithmetic', () => {
  it('merges overlapping and touching spans, not separate ones', () => {
    expect(
      mergeSpans([
        { from: 20, to: 30 },
        { from: 0, to: 10 },
        { from: 10, to: 15 },
        { from: 12, to: 14 },
      ]),
    ).toEqual([
      { from: 0, to: 15 },
      { from: 20, to: 30 },
    ]);
  });

  it('finds the uncovered part of a range from its first to its last uncovered instant', () => {
    const union = [
      { from: 0, to: 10 },
      { from: 20, to: 30 },
      { from: 40, to: 50 },
    ];
    expect(uncoveredSpan(union, 5, 45)).toEqual({ from: 10, to: 40 });
    expect(uncoveredSpan(union, 20, 30)).toBeUndefined();
    expect(uncoveredSpan(union, 25, 35)).toEqual({ from: 30, to: 35 });
  });

  it('picks the smallest allowed retention of at least the days asked and the days not yet exported', () => {
    const day = 86_400_000;
    expect(retentionDays(7, 10 * day, 3 * day)).toBe(7);
    expect(retentionDays(7, 10 * day, 2.5 * day)).toBe(14);
    expect(retentionDays(366, 0, 0)).toBe(400);
    expect(retentionDays(3650, 0, 0)).toBe(3653);
    expect(retentionDays(1, 0, Number.POSITIVE_INFINITY)).toBe(1);
  });
});
