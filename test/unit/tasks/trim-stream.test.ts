import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  DeleteLogStreamCommand,
  GetLogEventsCommand,
  type GetLogEventsCommandInput,
  PutLogEventsCommand,
  type PutLogEventsCommandInput,
  type PutLogEventsResponse,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { checkpointPrefix, streamResultKey, trimPlanKey } from '../../../tasks/common/cloudwatch-layout';
import type {
  LogEvent,
  LogGroupRef,
  StreamAction,
  StreamOutcome,
  TrimCheckpoint,
  TrimPlan,
  TrimProgress,
} from '../../../tasks/common/cloudwatch-types';
import { InvalidInputError, RejectedLogEventsError, TransientAwsError } from '../../../tasks/common/errors';
import { packBatches } from '../../../tasks/common/log-batches';
import { READ_AFTER_PUT_MS, trimStream } from '../../../tasks/trim-stream';
import { testConfig } from '../../helpers/config';
import { silenceLogger } from '../../helpers/logger';
import { runContext } from '../../helpers/run-context';
import { MemoryRunStore } from '../../helpers/run-store';

const logs = new CloudWatchLogsClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const logsMock = mockClient(logs);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NOW = Date.parse('2026-11-20T12:00:00Z');
const run = runContext();
const CUTOFF = Date.parse(run.cloudwatch.cutoff);
const GROUP: LogGroupRef = { name: '/aws/rds/cluster/aurora-a/error', dataProtected: false };
const STREAM = 'aurora-a-1';
const PLAN_KEY = trimPlanKey(run, GROUP.name);
const RESULT_KEY = streamResultKey(run, GROUP.name, STREAM);
const EVENTS_KEY = `${checkpointPrefix(GROUP.name, CUTOFF, STREAM)}events.json`;
const PROGRESS_KEY = `${checkpointPrefix(GROUP.name, CUTOFF, STREAM)}progress.json`;
const PAGE_SIZE = 3;

const OLD: readonly LogEvent[] = [
  { timestamp: CUTOFF - 2_000, message: 'exported 1' },
  { timestamp: CUTOFF - 1, message: 'exported 2' },
];
/**
 * Packed into three calls: [a b] [b d e e] [f]. The two b are identical and split by a call boundary,
 * the two e are identical within a call: only counting events one by one tells what is in the stream.
 */
const KEPT: readonly LogEvent[] = [
  { timestamp: CUTOFF, message: 'a'.repeat(400_000) },
  { timestamp: CUTOFF + 1_000, message: 'b'.repeat(400_000) },
  { timestamp: CUTOFF + 1_000, message: 'b'.repeat(400_000) },
  { timestamp: CUTOFF + 2_000, message: 'd'.repeat(400_000) },
  { timestamp: CUTOFF + 3_000, message: 'e' },
  { timestamp: CUTOFF + 3_000, message: 'e' },
  { timestamp: CUTOFF + 4_000, message: 'f'.repeat(400_000) },
];
const BATCHES = packBatches(KEPT);

/** The side-effecting calls of an uninterrupted rewrite of OLD + KEPT, in order. */
const CLEAN_REWRITE = [
  'events',
  'progress checkpointed 0',
  'delete',
  'progress deleted 0',
  'create',
  'progress recreated 0',
  'progress recreated 0 in flight 0',
  'put 2 events',
  'progress recreated 1',
  'progress recreated 1 in flight 1',
  'put 4 events',
  'progress recreated 2',
  'progress recreated 2 in flight 2',
  'put 1 events',
  'progress recreated 3',
  'progress done 3',
  'result rewritten',
];

const crashError = (label: string) => Object.assign(new Error(`crash at ${label}`), { name: 'Crash' });
const notFound = () =>
  new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: {} });

/**
 * One stream and the archive bucket, consistent across calls, with a crash that can be set on the
 * n-th side-effecting call, just before or just after its effect.
 */
class World {
  exists = true;
  events: LogEvent[] = [];
  /** Messages read back masked unless the read asks for them unmasked. */
  masked = false;
  putResponse: PutLogEventsResponse = {};
  crash?: { at: number; when: 'before' | 'after' };
  /** Called after each effect: a writer acting in between. */
  afterEffect?: (label: string) => void;
  readonly done: string[] = [];
  effects = 0;

  effect<T>(label: string, apply: () => T): T {
    this.effects += 1;
    const crashing = this.crash?.at === this.effects ? this.crash.when : undefined;
    if (crashing === 'before') throw crashError(label);
    const result = apply();
    this.done.push(label);
    this.afterEffect?.(label);
    if (crashing === 'after') throw crashError(label);
    return result;
  }

  append(events: readonly LogEvent[]): void {
    this.events = [...this.events, ...events].sort((a, b) => a.timestamp - b.timestamp);
  }

  get(input: GetLogEventsCommandInput) {
    if (!this.exists) throw notFound();
    const inRange = this.events.filter(
      (event) =>
        (input.startTime === undefined || event.timestamp >= input.startTime) &&
        (input.endTime === undefined || event.timestamp < input.endTime),
    );
    const offset = input.nextToken ? Number(input.nextToken.slice(2)) : 0;
    const page = inRange.slice(offset, offset + PAGE_SIZE).map((event) => ({
      timestamp: event.timestamp,
      message: this.masked && !input.unmask ? '****' : event.message,
      ingestionTime: NOW,
    }));
    return { events: page, nextForwardToken: `f/${offset + page.length}`, nextBackwardToken: 'b/0' };
  }

  put(input: PutLogEventsCommandInput): PutLogEventsResponse {
    if (!this.exists) throw notFound();
    this.append(
      (input.logEvents ?? []).map((event) => ({ timestamp: event.timestamp ?? 0, message: event.message ?? '' })),
    );
    return this.putResponse;
  }
}

/** The archive bucket, counting its writes as side effects of the world. */
class WorldStore extends MemoryRunStore {
  constructor(private readonly world: World) {
    super();
  }

  override async putJson(key: string, value: unknown): Promise<void> {
    this.world.effect(label(key, value), () => {
      this.objects.set(key, JSON.stringify(value));
    });
  }
}

function label(key: string, value: unknown): string {
  if (key === EVENTS_KEY) return 'events';
  if (key === RESULT_KEY) return `result ${(value as StreamOutcome).status}`;
  const progress = value as TrimProgress;
  const inFlight = progress.batchInFlight === undefined ? '' : ` in flight ${progress.batchInFlight}`;
  return `progress ${progress.phase} ${progress.batchesDone}${inFlight}`;
}

let world: World;
let store: WorldStore;
let slept: number[];

function installFakeStream() {
  logsMock.on(GetLogEventsCommand).callsFake(async (input: GetLogEventsCommandInput) => world.get(input));
  logsMock
    .on(PutLogEventsCommand)
    .callsFake(async (input: PutLogEventsCommandInput) =>
      world.effect(`put ${input.logEvents?.length} events`, () => world.put(input)),
    );
  logsMock.on(DeleteLogStreamCommand).callsFake(async () =>
    world.effect('delete', () => {
      if (!world.exists) throw notFound();
      world.exists = false;
      world.events = [];
      return {};
    }),
  );
  logsMock.on(CreateLogStreamCommand).callsFake(async () =>
    world.effect('create', () => {
      if (world.exists) throw new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} });
      world.exists = true;
      return {};
    }),
  );
}

function plan(action: StreamAction, group: LogGroupRef = GROUP): TrimPlan {
  return {
    group,
    mode: 'rewrite',
    cutoff: run.cloudwatch.cutoff,
    streams: [
      { name: STREAM, action, reason: 'planned in the test' },
      { name: 'other', action: 'leave', reason: 'no events before the cutoff' },
    ],
  };
}

/** Arrange a stream holding `events`, a plan for it, and nothing else. */
function arrange(events: readonly LogEvent[], action: StreamAction = 'rewrite', group: LogGroupRef = GROUP) {
  world = new World();
  world.append(events);
  store = new WorldStore(world);
  store.objects.set(PLAN_KEY, JSON.stringify(plan(action, group)));
  installFakeStream();
}

function trim(options: { group?: LogGroupRef; env?: Record<string, string>; stream?: string } = {}) {
  return trimStream(
    { run, group: options.group ?? GROUP, planKey: PLAN_KEY, stream: options.stream ?? STREAM },
    {
      logs,
      store,
      config: testConfig(options.env),
      now: () => NOW,
      sleep: async (ms) => {
        slept.push(ms);
      },
    },
  );
}

/** Store a checkpoint as an earlier attempt left it. */
function checkpointed(
  progress: Omit<TrimProgress, 'updatedAt'>,
  events: readonly LogEvent[] = KEPT,
  updatedAt = NOW - MINUTE,
) {
  const checkpoint: TrimCheckpoint = {
    logGroupName: GROUP.name,
    stream: STREAM,
    cutoff: run.cloudwatch.cutoff,
    createdAt: new Date(NOW - MINUTE).toISOString(),
    events,
  };
  store.objects.set(EVENTS_KEY, JSON.stringify(checkpoint));
  store.objects.set(PROGRESS_KEY, JSON.stringify({ ...progress, updatedAt: new Date(updatedAt).toISOString() }));
}

const putBatchSizes = () =>
  logsMock.commandCalls(PutLogEventsCommand).map((call) => call.args[0].input.logEvents?.length);

beforeAll(() => silenceLogger());

beforeEach(() => {
  logsMock.reset();
  slept = [];
});

describe('trimStream: delete', () => {
  it('deletes a stream whose events are all before the cutoff and records the outcome', async () => {
    arrange(OLD, 'delete');

    const outcome = await trim();

    expect(outcome).toEqual({ stream: STREAM, status: 'deleted', reason: 'all events before the cutoff and exported' });
    expect(logsMock).toHaveReceivedCommandWith(DeleteLogStreamCommand, {
      logGroupName: GROUP.name,
      logStreamName: STREAM,
    });
    expect(world.exists).toBe(false);
    expect(store.read(RESULT_KEY)).toEqual(outcome);
  });

  it('counts a stream that is already gone as deleted', async () => {
    arrange([], 'delete');
    world.exists = false;

    await expect(trim()).resolves.toMatchObject({ status: 'deleted', reason: 'already deleted' });
  });

  it('leaves the stream alone when events at or after the cutoff appeared since the plan', async () => {
    arrange([...OLD, { timestamp: NOW, message: 'new' }], 'delete');

    await expect(trim()).resolves.toEqual({ stream: STREAM, status: 'skipped', reason: 'written during trim' });
    expect(logsMock).not.toHaveReceivedCommand(DeleteLogStreamCommand);
  });
});

describe('trimStream: rewrite', () => {
  it('checkpoints, deletes, recreates and puts the kept events back once, in chronological calls', async () => {
    arrange([...OLD, ...KEPT]);

    const outcome = await trim();

    expect(outcome).toEqual({
      stream: STREAM,
      status: 'rewritten',
      reason: 'kept events put back',
      keptEvents: 7,
      putCalls: 3,
    });
    expect(world.done).toEqual(CLEAN_REWRITE);
    expect(world.events).toEqual(KEPT);
    expect(putBatchSizes()).toEqual([2, 4, 1]);
    expect(store.read<TrimCheckpoint>(EVENTS_KEY)).toMatchObject({ cutoff: run.cloudwatch.cutoff, events: KEPT });
    expect(store.read<TrimProgress>(PROGRESS_KEY)).toEqual({
      phase: 'done',
      batchesDone: 3,
      updatedAt: new Date(NOW).toISOString(),
    });
    expect(store.read(RESULT_KEY)).toEqual(outcome);
  });

  it('reads only the events at or after the cutoff', async () => {
    arrange([...OLD, ...KEPT]);

    await trim();

    expect(logsMock.commandCalls(GetLogEventsCommand)[0]?.args[0].input).toMatchObject({
      logGroupName: GROUP.name,
      logStreamName: STREAM,
      startTime: CUTOFF,
      startFromHead: true,
    });
  });

  it('only deletes a stream with no event at or after the cutoff', async () => {
    arrange(OLD);

    await expect(trim()).resolves.toEqual({
      stream: STREAM,
      status: 'deleted',
      reason: 'no events at or after the cutoff',
    });
    expect(world.done).toEqual(['delete', 'result deleted']);
    expect(store.read(EVENTS_KEY)).toBeUndefined();
  });

  it('does not delete a stream written to while it was checkpointed, and abandons the checkpoint', async () => {
    arrange([...OLD, ...KEPT]);
    const late = { timestamp: NOW, message: 'written meanwhile' };
    world.afterEffect = (done) => {
      if (done === 'progress checkpointed 0') world.append([late]);
    };

    const outcome = await trim();

    expect(outcome).toEqual({ stream: STREAM, status: 'skipped', reason: 'written during trim' });
    expect(logsMock).not.toHaveReceivedCommand(DeleteLogStreamCommand);
    expect(world.events).toEqual([...OLD, ...KEPT, late]);
    expect(store.read<TrimProgress>(PROGRESS_KEY)?.phase).toBe('abandoned');
  });

  it('fails with RejectedLogEventsError when PutLogEvents drops events, and keeps the checkpoint', async () => {
    arrange([...OLD, ...KEPT]);
    world.putResponse = { rejectedLogEventsInfo: { tooOldLogEventEndIndex: 1 } };

    const error = await trim().catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(RejectedLogEventsError);
    expect((error as Error).message).toContain('tooOld 1, expired 0, tooNew 0');
    expect(store.read<TrimCheckpoint>(EVENTS_KEY)?.events).toEqual(KEPT);
    expect(store.read<TrimProgress>(PROGRESS_KEY)).toMatchObject({ phase: 'recreated', batchInFlight: 0 });
    expect(store.read<StreamOutcome>(RESULT_KEY)).toEqual({
      stream: STREAM,
      status: 'failed',
      reason: expect.stringMatching(/^RejectedLogEventsError: PutLogEvents rejected/),
    });
  });

  it('turns throttling into a TransientAwsError and records the failure', async () => {
    arrange([...OLD, ...KEPT]);
    logsMock.on(GetLogEventsCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

    const error = await trim().catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(TransientAwsError);
    expect(store.read<StreamOutcome>(RESULT_KEY)).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('TransientAwsError'),
    });
    expect(world.exists).toBe(true);
  });
});

describe('trimStream: guards before anything is deleted', () => {
  /** Arrange a stream with one kept event at `timestamp` and a plan cut off just before it. */
  function keptAt(timestamp: number) {
    arrange([{ timestamp, message: 'kept' }]);
    store.objects.set(PLAN_KEY, JSON.stringify({ ...plan('rewrite'), cutoff: new Date(timestamp).toISOString() }));
  }

  async function expectRefused(outcome: Promise<StreamOutcome>, reason: string) {
    await expect(outcome).resolves.toMatchObject({ status: 'refused', reason: expect.stringContaining(reason) });
    expect(world.done).toEqual(['result refused']);
    expect(logsMock).not.toHaveReceivedCommand(DeleteLogStreamCommand);
  }

  it('refuses when a kept event is older than 14 days less the margin', async () => {
    keptAt(NOW - 14 * DAY + 30 * MINUTE);

    await expectRefused(
      trim(),
      '1 kept events (the oldest at 2026-11-06T12:30:00.000Z) are older than 2026-11-06T13:00:00.000Z: PutLogEvents takes events up to 14 days old, less TRIM_MARGIN_MINUTES=60',
    );
  });

  it('refuses when a kept event is older than the group retention less the margin', async () => {
    keptAt(NOW - 7 * DAY + 30 * MINUTE);
    const group = { ...GROUP, retentionInDays: 7 };

    await expectRefused(
      trim({ group }),
      "older than 2026-11-13T13:00:00.000Z: PutLogEvents takes events up to the group's retention of 7 days old",
    );
  });

  it('takes an event inside the limit once the margin no longer covers it', async () => {
    keptAt(NOW - 14 * DAY + 30 * MINUTE);

    await expect(trim({ env: { TRIM_MARGIN_MINUTES: '0' } })).resolves.toMatchObject({ status: 'rewritten' });
  });

  it('refuses when a kept event is more than 2 hours in the future', async () => {
    arrange([...KEPT, { timestamp: NOW + 2 * 60 * MINUTE + 1, message: 'ahead' }]);

    await expectRefused(
      trim(),
      '1 kept events (the newest at 2026-11-20T14:00:00.001Z) are more than 2 hours after 2026-11-20T12:00:00.000Z',
    );
  });

  it('refuses when a kept event is larger than one PutLogEvents call', async () => {
    arrange([...KEPT, { timestamp: CUTOFF + 5_000, message: 'z'.repeat(1_048_551) }]);

    await expectRefused(
      trim(),
      'the kept event at 2026-11-13T00:00:05.000Z is 1048577 bytes: PutLogEvents takes at most 1048576',
    );
  });

  it('refuses a data-protected group without unmasking, before reading anything', async () => {
    const group = { ...GROUP, dataProtected: true };
    arrange(KEPT, 'rewrite', group);

    await expectRefused(trim({ group, env: { CW_UNMASK: 'false' } }), 'data protection policy and CW_UNMASK is false');
    expect(logsMock).not.toHaveReceivedCommand(GetLogEventsCommand);
  });

  it('reads a data-protected group unmasked and puts the original text back', async () => {
    const group = { ...GROUP, dataProtected: true };
    arrange(KEPT, 'rewrite', group);
    world.masked = true;

    await expect(trim({ group })).resolves.toMatchObject({ status: 'rewritten' });
    expect(logsMock.commandCalls(GetLogEventsCommand)[0]?.args[0].input.unmask).toBe(true);
    expect(world.events).toEqual(KEPT);
  });
});

describe('trimStream: resume', () => {
  it('does nothing for a checkpoint already done', async () => {
    arrange(KEPT, 'resume');
    checkpointed({ phase: 'done', batchesDone: 3 });

    await expect(trim()).resolves.toEqual({
      stream: STREAM,
      status: 'rewritten',
      reason: 'already rewritten',
      keptEvents: 7,
      putCalls: 0,
    });
    expect(world.done).toEqual(['result rewritten']);
  });

  it('recreates the stream and puts everything back after a recorded delete', async () => {
    arrange([], 'resume');
    world.exists = false;
    checkpointed({ phase: 'deleted', batchesDone: 0 });

    await expect(trim()).resolves.toMatchObject({ status: 'rewritten', putCalls: 3 });
    expect(world.events).toEqual(KEPT);
  });

  it('does not put again a batch in flight whose events are already in the stream', async () => {
    arrange([...(BATCHES[0] ?? []), ...(BATCHES[1] ?? [])], 'resume');
    checkpointed({ phase: 'recreated', batchesDone: 1, batchInFlight: 1 });

    await expect(trim()).resolves.toMatchObject({ status: 'rewritten', putCalls: 1 });
    expect(putBatchSizes()).toEqual([1]);
    expect(world.events).toEqual(KEPT);
  });

  it('gives a batch put just before a crash time to become readable before looking for it', async () => {
    arrange([...(BATCHES[0] ?? []), ...(BATCHES[1] ?? [])], 'resume');
    checkpointed({ phase: 'recreated', batchesDone: 1, batchInFlight: 1 }, KEPT, NOW - 5_000);

    await trim();

    expect(slept).toEqual([READ_AFTER_PUT_MS - 5_000]);
    expect(putBatchSizes()).toEqual([1]);
  });

  it('puts a batch in flight whose events never arrived', async () => {
    arrange(BATCHES[0] ?? [], 'resume');
    checkpointed({ phase: 'recreated', batchesDone: 1, batchInFlight: 1 });

    await expect(trim()).resolves.toMatchObject({ status: 'rewritten', putCalls: 2 });
    expect(putBatchSizes()).toEqual([4, 1]);
    expect(world.events).toEqual(KEPT);
  });

  it('starts over after an abandoned checkpoint', async () => {
    arrange([...OLD, ...KEPT], 'resume');
    checkpointed({ phase: 'abandoned', batchesDone: 0 }, KEPT.slice(0, 2));

    await expect(trim()).resolves.toMatchObject({ status: 'rewritten', keptEvents: 7 });
    expect(world.events).toEqual(KEPT);
  });

  it('does not delete again a stream that a writer recreated after the unrecorded delete', async () => {
    const fresh = { timestamp: NOW, message: 'written after the delete' };
    arrange([fresh], 'resume');
    checkpointed({ phase: 'checkpointed', batchesDone: 0 });

    await expect(trim()).resolves.toMatchObject({ status: 'rewritten', putCalls: 3 });
    expect(logsMock).not.toHaveReceivedCommand(DeleteLogStreamCommand);
    expect(world.events).toEqual([...KEPT, fresh]);
  });

  it('refuses an untouched stream whose kept events have grown too old since they were checkpointed', async () => {
    arrange([...OLD, ...KEPT], 'resume');
    checkpointed({ phase: 'checkpointed', batchesDone: 0 });

    const outcome = trimStream(
      { run, group: { ...GROUP, retentionInDays: 7 }, planKey: PLAN_KEY, stream: STREAM },
      { logs, store, config: testConfig(), now: () => CUTOFF + 7 * DAY },
    );

    await expect(outcome).resolves.toMatchObject({ status: 'refused' });
    expect(logsMock).not.toHaveReceivedCommand(DeleteLogStreamCommand);
    expect(store.read<TrimProgress>(PROGRESS_KEY)?.phase).toBe('abandoned');
    expect(world.events).toEqual([...OLD, ...KEPT]);
  });
});

describe('trimStream: crash and re-run', () => {
  const steps = CLEAN_REWRITE.map((step, index) => [step, index + 1] as const);

  describe.each(['before', 'after'] as const)('a crash just %s the effect', (when) => {
    it.each(steps)(
      'of "%s" (call %i), then a re-run, leaves each kept event in the stream exactly once',
      async (_, at) => {
        arrange([...OLD, ...KEPT]);
        world.crash = { at, when };

        await expect(trim()).rejects.toThrow('crash at');
        world.crash = undefined;
        const outcome = await trim();

        expect(outcome.status).toBe('rewritten');
        expect(world.events).toEqual(KEPT);
        expect(store.read(RESULT_KEY)).toEqual(outcome);
      },
    );
  });

  it('survives a crash in every attempt, one step further each time', async () => {
    arrange([...OLD, ...KEPT]);
    let outcome: StreamOutcome | undefined;
    for (let attempt = 1; attempt <= 30 && !outcome; attempt++) {
      world.crash = { at: world.effects + attempt, when: 'after' };
      outcome = await trim().catch(() => undefined);
    }

    expect(outcome?.status).toBe('rewritten');
    expect(world.events).toEqual(KEPT);
  });

  it('records the failure of a crashed attempt', async () => {
    arrange([...OLD, ...KEPT]);
    world.crash = { at: 3, when: 'after' };

    await expect(trim()).rejects.toThrow('crash at delete');
    expect(store.read(RESULT_KEY)).toEqual({ stream: STREAM, status: 'failed', reason: 'Crash: crash at delete' });
  });
});

describe('trimStream: plan', () => {
  it('leaves a stream the plan leaves', async () => {
    arrange(KEPT);

    await expect(trim({ stream: 'other' })).resolves.toEqual({
      stream: 'other',
      status: 'untouched',
      reason: 'planned leave: no events before the cutoff',
    });
    expect(logsMock.calls()).toHaveLength(0);
  });

  it('fails on a stream the plan does not name, and records why', async () => {
    arrange(KEPT);

    const error = await trim({ stream: 'unknown' }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(store.read(streamResultKey(run, GROUP.name, 'unknown'))).toEqual({
      stream: 'unknown',
      status: 'failed',
      reason: `InvalidInputError: stream: got "unknown"; expected a stream named in the trim plan ${PLAN_KEY}`,
    });
  });
});
