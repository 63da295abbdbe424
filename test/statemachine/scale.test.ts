import { loadDefinition } from '../../sandbox/local-definition';
import { runLocally } from '../../sandbox/local-runner';
import { parseConfig } from '../../tasks/common/config';
import type { InstanceProgress, InstanceRef, RunContext } from '../../tasks/common/types';
import { type AslState, EVENTS_PER_EXECUTION, EVENTS_PER_RETRY, estimateHistory } from './history-model';
import { listingInstances, stubTaskSet } from './stub-tasks';

const HISTORY_LIMIT = 25_000;
const PAYLOAD_LIMIT = 256 * 1024;
const definition = loadDefinition() as unknown as { States: Record<string, AslState> };
const defaults = parseConfig({ AWS_REGION: 'us-east-1', ARCHIVE_BUCKET: 'b-b-b' });
const { maxFilesPerInstance } = defaults;

/** One instance's child execution when every batch manages a single file (the slowest case). */
function childEvents(files: number) {
  const visits = { 'Archive Log Files': files, 'More Files To Archive?': files + 1, 'Instance Failed': 0 };
  return estimateHistory(definition.States, visits, {}).children['Archive Each Instance'] ?? Number.NaN;
}

describe('history events at scale (100 instances x 2,000 files)', () => {
  it('keeps the parent execution small whatever the number of instances', () => {
    const parent = (instances: number) =>
      EVENTS_PER_EXECUTION + estimateHistory(definition.States, {}, { 'Archive Each Instance': instances }).events;

    expect(parent(100)).toBeLessThan(100);
    expect(parent(10_000)).toBe(parent(100));
  });

  it('keeps each instance execution under 25,000 events with 2,000 files archived one per batch, with retries to spare', () => {
    const retries = 1_000;

    const events = childEvents(2_000) + retries * EVENTS_PER_RETRY;

    expect(events).toBeLessThan(HISTORY_LIMIT);
  });

  it('keeps each instance execution under 25,000 events at the configured per-run file cap', () => {
    expect(childEvents(maxFilesPerInstance)).toBeLessThan(HISTORY_LIMIT);
  });
});

describe('history events of one log group (the export loop and the stream map)', () => {
  /** Check Export waits grow by half up to five minutes; count the checks until the maximum wait. */
  function pollsUntil(maxWaitMinutes: number, firstWaitSeconds: number): number {
    let waited = 0;
    let wait = firstWaitSeconds;
    let polls = 0;
    while (waited <= maxWaitMinutes * 60) {
      waited += wait;
      wait = Math.min(300, wait * 1.5);
      polls++;
    }
    return polls;
  }

  it('stays under 25,000 events at the longest export wait, a held export slot and the per-run stream cap', () => {
    const polls = pollsUntil(defaults.exportMaxWaitMinutes, defaults.exportPollSeconds);
    // Start Export waits at least half its backoff (15 s at first) between attempts for the slot.
    const slotAttempts = Math.ceil((defaults.exportSlotWaitMinutes * 60) / 15);
    const visits = {
      'Start Export': slotAttempts + 1,
      'Export Started?': slotAttempts + 1,
      'Wait For Export Slot': slotAttempts,
      'Wait For Export': polls,
      'Check Export': polls,
      'Export Finished?': polls,
    };

    const child = estimateHistory(definition.States, visits, { 'Trim Each Stream': defaults.maxStreamsPerGroup })
      .children['Export Each Log Group'];

    expect(polls).toBeGreaterThan(100);
    expect(child).toBeGreaterThan(5_000);
    expect(child).toBeLessThan(HISTORY_LIMIT);
  });
});

describe('state payloads at scale', () => {
  const longId = (prefix: string, index: number) => `${prefix}-${String(index).padStart(4, '0')}`.padEnd(63, 'x');
  const clusters = Array.from({ length: 25 }, (_, index) => longId('cluster', index));

  it('stays under 256 KiB in every state for 100 instances x 2,000 files, with failures reported', async () => {
    const settings = parseConfig({
      AWS_REGION: 'us-east-1',
      ARCHIVE_BUCKET: 'archive-bucket',
      CLUSTERS: clusters.join(','),
    });
    const instances: InstanceRef[] = Array.from({ length: 100 }, (_, index) => ({
      instanceId: longId('instance', index),
      clusterId: clusters[index % clusters.length] ?? '',
      engine: 'aurora-postgresql',
    }));
    let largest = 0;
    const measure = (value: unknown) => {
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify(value ?? null)));
    };

    const result = await runLocally({
      input: { scheduledTime: '2026-11-21T01:00:00Z' },
      executionName: 'scale-payloads',
      retryPauseMs: 0,
      tasks: {
        ...stubTaskSet(settings).tasks,
        ListInstancesFunctionArn: listingInstances(instances),
        ListLogFilesFunctionArn: async (input) => {
          const { run, instance } = input as { run: RunContext; instance: InstanceRef };
          if (instance.instanceId.includes('9'))
            throw Object.assign(new Error('x'.repeat(30_000)), { name: 'DBLogFileNotFoundFault' });
          return {
            run,
            instance,
            planKey: `${run.reportPrefix}/plans/${instance.instanceId}.json`,
            cursor: 0,
            total: 2_000,
            done: false,
          };
        },
        ArchiveLogFilesFunctionArn: async (input) => {
          const progress = input as InstanceProgress;
          const cursor = progress.cursor + 200;
          return { ...progress, cursor, done: cursor >= progress.total };
        },
        SummarizeRunFunctionArn: async () => ({ status: 'failed', message: 'x'.repeat(400) }),
      },
      onEvent: (event) => {
        const state = (event as { state?: { input?: unknown; output?: unknown } }).state;
        measure(state?.input);
        measure(state?.output);
      },
    });

    expect(result.status).toBe('FAILED');
    expect(largest).toBeGreaterThan(10_000);
    expect(largest).toBeLessThan(PAYLOAD_LIMIT);
  });
});

/**
 * The three shapes the scale promise names, each end to end through the real ASL with stand-in
 * tasks: history events per execution from the model, the largest state payload measured.
 */
describe('the documented scale scenarios', () => {
  const longName = (prefix: string, index: number) => `${prefix}-${String(index).padStart(4, '0')}`.padEnd(63, 'x');
  const clusters = Array.from({ length: 25 }, (_, index) => longName('cluster', index));
  const instances: InstanceRef[] = Array.from({ length: 100 }, (_, index) => ({
    instanceId: longName('instance', index),
    clusterId: clusters[index % clusters.length] ?? '',
    engine: 'aurora-mysql',
  }));
  const logGroups = (count: number) =>
    Array.from({ length: count }, (_, index) => `/aws/rds/cluster/${clusters[index % clusters.length]}/log-${index}`);
  /** Hourly files of four log types, plus four Aurora audit series rotating hourly, for `days`. */
  const filesPerInstance = (days: number) => days * 24 * 4 + days * 24 * 4;

  async function largestPayload(input: unknown, env: Record<string, string>, files: number, streams: number) {
    const settings = parseConfig({ AWS_REGION: 'us-east-1', ARCHIVE_BUCKET: 'archive-bucket', ...env });
    const streamNames = Array.from({ length: streams }, (_, index) => longName('stream', index));
    let largest = 0;
    const result = await runLocally({
      input,
      executionName: 'scale-scenario',
      retryPauseMs: 0,
      tasks: stubTaskSet(settings, {
        ListInstancesFunctionArn: listingInstances(instances),
        ListLogFilesFunctionArn: async (event) => {
          const { run, instance } = event as { run: RunContext; instance: InstanceRef };
          return { run, instance, planKey: `${run.reportPrefix}/plans/x.json`, cursor: 0, total: files, done: false };
        },
        ArchiveLogFilesFunctionArn: async (event) => {
          const progress = event as InstanceProgress;
          const cursor = Math.min(progress.total, progress.cursor + 200);
          return { ...progress, cursor, done: cursor >= progress.total };
        },
        PlanTrimFunctionArn: async (event) => ({
          ...(event as object),
          trim: { planKey: 'plan.json', mode: 'rewrite', streams: streamNames, deferred: 0 },
        }),
      }).tasks,
      onEvent: (event) => {
        const state = (event as { state?: { input?: unknown; output?: unknown } }).state;
        for (const value of [state?.input, state?.output]) {
          largest = Math.max(largest, Buffer.byteLength(JSON.stringify(value ?? null)));
        }
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    return largest;
  }

  /** One log group's child execution: the export polled `polls` times, then `streams` streams trimmed. */
  function groupEvents(streams: number, polls: number): number {
    const visits = { 'Wait For Export': polls, 'Check Export': polls, 'Export Finished?': polls };
    return (
      estimateHistory(definition.States, visits, { 'Trim Each Stream': streams }).children['Export Each Log Group'] ??
      Number.NaN
    );
  }

  it('runs 100 instances x 2,000 files with every execution under 25,000 events and 256 KiB', async () => {
    const parent =
      EVENTS_PER_EXECUTION + estimateHistory(definition.States, {}, { 'Archive Each Instance': 100 }).events;

    const payload = await largestPayload(
      { scheduledTime: '2026-11-21T01:00:00Z' },
      { CLUSTERS: clusters.join(',') },
      2_000,
      0,
    );

    expect(parent).toBeLessThan(HISTORY_LIMIT);
    expect(childEvents(2_000)).toBeLessThan(HISTORY_LIMIT);
    expect(payload).toBeLessThan(PAYLOAD_LIMIT);
  });

  it('runs 200 log groups x 20 streams with every execution under 25,000 events and 256 KiB', async () => {
    const parent =
      EVENTS_PER_EXECUTION + estimateHistory(definition.States, {}, { 'Export Each Log Group': 200 }).events;
    // An export polled for the longest configured wait, as in the per-group test above.
    const polls = Math.ceil((defaults.exportMaxWaitMinutes * 60) / 300) + 10;

    const payload = await largestPayload(
      { scheduledTime: '2026-11-21T01:00:00Z' },
      { LOG_GROUPS: logGroups(200).join(',') },
      0,
      20,
    );

    expect(parent).toBeLessThan(HISTORY_LIMIT);
    expect(groupEvents(20, polls)).toBeLessThan(HISTORY_LIMIT);
    expect(payload).toBeGreaterThan(10_000);
    expect(payload).toBeLessThan(PAYLOAD_LIMIT);
  });

  it('runs a manual backfill of 7 days over 100 instances and 200 log groups within both limits', async () => {
    const files = filesPerInstance(7);
    const polls = Math.ceil((defaults.exportMaxWaitMinutes * 60) / 300) + 10;

    const payload = await largestPayload(
      { from: '2026-11-10T00:00:00Z', to: '2026-11-17T00:00:00Z' },
      { CLUSTERS: clusters.join(','), LOG_GROUPS: logGroups(200).join(',') },
      files,
      20,
    );

    expect(files).toBeLessThanOrEqual(maxFilesPerInstance);
    expect(childEvents(files)).toBeLessThan(HISTORY_LIMIT);
    expect(groupEvents(20, polls)).toBeLessThan(HISTORY_LIMIT);
    expect(payload).toBeLessThan(PAYLOAD_LIMIT);
  });
});
