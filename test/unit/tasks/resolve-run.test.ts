import { InvalidInputError } from '../../../tasks/common/errors';
import { type ResolveRunInput, resolveRun } from '../../../tasks/resolve-run';
import { testConfig } from '../../helpers/config';

const execution = {
  executionId: 'arn:aws:states:eu-west-1:123456789012:execution:archive:manual-42',
  executionName: 'manual-42',
  startTime: '2026-11-21T08:15:00.000Z',
};

const event = (input: unknown): ResolveRunInput => ({ input, ...execution });

const settings = testConfig({ CLUSTERS: 'aurora-a,aurora-b', INSTANCES: 'mysql-1', LOG_TYPES: 'audit,slowquery' });

describe('resolveRun', () => {
  it('resolves a scheduled run over the configured scope, filed under the scheduled day', () => {
    const { run } = resolveRun(event({ scheduledTime: '2026-11-20T23:59:00Z' }), settings);

    expect(run).toEqual({
      runId: 'manual-42',
      executionId: execution.executionId,
      mode: 'scheduled',
      scheduledTime: '2026-11-20T23:59:00.000Z',
      startedAt: execution.startTime,
      clusters: ['aurora-a', 'aurora-b'],
      instances: ['mysql-1'],
      logTypes: ['audit', 'slowquery'],
      dryRun: false,
      reportPrefix: '_runs/2026/11/20/manual-42',
    });
  });

  it('resolves a manual run with its range, log types and dry run, filed under the start day', () => {
    const input = { from: '2026-11-01', to: '2026-11-10T12:00:00Z', logTypes: ['error'], dryRun: true };

    const { run } = resolveRun(event(input), settings);

    expect(run).toMatchObject({
      mode: 'manual',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-10T12:00:00.000Z',
      clusters: ['aurora-a', 'aurora-b'],
      instances: ['mysql-1'],
      logTypes: ['error'],
      dryRun: true,
      reportPrefix: '_runs/2026/11/21/manual-42',
    });
    expect(run.scheduledTime).toBeUndefined();
  });

  it('resolves the same input to the same scope every time', () => {
    const input = { from: '2026-11-01', to: '2026-11-10', instances: ['mysql-2'] };

    const first = resolveRun(event(input), settings);
    const second = resolveRun(event(structuredClone(input)), settings);

    expect(second).toEqual(first);
  });

  it('lets the clusters of a manual input replace the configured clusters and instances', () => {
    const { run } = resolveRun(event({ from: '2026-11-01', to: '2026-11-02', clusters: ['aurora-c'] }), settings);

    expect(run.clusters).toEqual(['aurora-c']);
    expect(run.instances).toEqual([]);
  });

  it('lets the instances of a manual input replace the configured clusters and instances', () => {
    const { run } = resolveRun(event({ from: '2026-11-01', to: '2026-11-02', instances: ['mysql-9'] }), settings);

    expect(run.clusters).toEqual([]);
    expect(run.instances).toEqual(['mysql-9']);
  });

  it('rejects a run with no cluster or instance anywhere', () => {
    const unscoped = testConfig({ CLUSTERS: undefined });

    expect(() => resolveRun(event({ scheduledTime: '2026-11-20T12:00:00Z' }), unscoped)).toThrow(
      expect.objectContaining({ name: 'InvalidInputError', field: 'clusters' }),
    );
  });

  it('rejects bad input with an InvalidInputError naming the field', () => {
    const act = () => resolveRun(event({ from: '2026-11-01', to: 'tomorrow' }), settings);

    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(/^to: /);
  });
});
