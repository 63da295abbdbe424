import type { LoadResult } from '../../sandbox/load/run-load';
import type { LoadShape } from '../../sandbox/load/seeds';

/** The large run scaled down to fit CI: the same code path and invariants, `npm run load -- --large` for full size. */
const SCALED_DOWN: LoadShape = {
  instances: 10,
  filesPerInstance: 50,
  fileBytes: [2048, 6144],
  logGroups: 5,
  streamsPerGroup: 10,
  everyMinutes: 120,
};

/** Each run gets freshly loaded task modules: their SDK clients are bound to the sandbox's ports at first use. */
async function load(options: Parameters<typeof import('../../sandbox/load/run-load').runLoad>[0]): Promise<LoadResult> {
  jest.resetModules();
  const { runLoad } = await import('../../sandbox/load/run-load');
  return runLoad(options);
}

const broken = (result: LoadResult) => result.invariants.filter((invariant) => !invariant.held);

describe('the archive under transient faults', () => {
  let result: LoadResult;
  beforeAll(async () => {
    result = await load({ throttleRate: 0.1, randomSeed: 7 });
  }, 170_000);

  it('keeps every invariant: files once and byte-exact, events kept or exported, a truthful report', () => {
    expect(broken(result)).toEqual([]);
  });

  it('fails the run by name for the file rotated away between listing and download', () => {
    expect(result.execution).toMatchObject({ status: 'FAILED', error: 'RunFailed' });
    expect(result.execution.cause).toMatch(/, 1 failed,/);
  });

  it('met every kind of fault it injects', () => {
    const { rds, cloudwatchLogs, s3, slack } = result.figures;

    expect(rds.throttled).toBeGreaterThan(0);
    expect(rds.serverErrors).toBeGreaterThanOrEqual(7);
    expect(rds.resets).toBe(1);
    expect(cloudwatchLogs.throttled).toBeGreaterThan(0);
    expect(cloudwatchLogs.serverErrors).toBe(6);
    expect(cloudwatchLogs.exportSlotBusy).toBeGreaterThanOrEqual(6);
    expect(s3.throttled).toBeGreaterThan(0);
    expect(s3.serverErrors).toBe(6);
    expect(slack.throttled).toBe(2);
  });
});

describe('a large run, scaled down', () => {
  let result: LoadResult;
  beforeAll(async () => {
    result = await load({ large: true, shape: SCALED_DOWN, randomSeed: 11 });
  }, 170_000);

  it('archives every file and trims every stream, with a report that says so', () => {
    expect(result.execution.status).toBe('SUCCEEDED');
    expect(broken(result)).toEqual([]);
    expect(result.invariants.map((invariant) => invariant.detail).join('\n')).toContain(
      `${SCALED_DOWN.instances * SCALED_DOWN.filesPerInstance} files archived, 0 failed, ${SCALED_DOWN.logGroups} groups, ${SCALED_DOWN.logGroups * SCALED_DOWN.streamsPerGroup} streams trimmed`,
    );
  });

  it('injects no fault', () => {
    expect(result.figures.rds.retries + result.figures.cloudwatchLogs.throttled).toBe(0);
  });
});
