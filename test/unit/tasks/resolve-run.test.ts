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
      cloudwatch: {
        logGroups: [],
        from: '2026-11-12T00:00:00.000Z',
        cutoff: '2026-11-13T00:00:00.000Z',
        trimMode: 'rewrite',
        force: false,
        skipped: 'no log groups configured or named',
      },
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

  describe('the CloudWatch branch scope', () => {
    const withGroups = testConfig({ LOG_GROUPS: '/aws/rds/cluster/aurora-a/error', CW_OLDER_THAN_DAYS: '3' });

    it('exports the UTC day that has just become older than CW_OLDER_THAN_DAYS on a scheduled run', () => {
      const { run } = resolveRun(event({ scheduledTime: '2026-11-20T01:30:00Z' }), withGroups);

      expect(run.cloudwatch).toEqual({
        logGroups: ['/aws/rds/cluster/aurora-a/error'],
        from: '2026-11-16T00:00:00.000Z',
        cutoff: '2026-11-17T00:00:00.000Z',
        trimMode: 'rewrite',
        force: false,
      });
    });

    it('exports [from, to) of a manual run with its trim mode and force', () => {
      const input = { from: '2026-11-01', to: '2026-11-05', trimMode: 'retention', force: true };

      const { run } = resolveRun(event(input), withGroups);

      expect(run.cloudwatch).toMatchObject({
        from: '2026-11-01T00:00:00.000Z',
        cutoff: '2026-11-05T00:00:00.000Z',
        trimMode: 'retention',
        force: true,
      });
      expect(run.cloudwatch.skipped).toBeUndefined();
    });

    it('covers only the named kinds of source when a manual input names some', () => {
      const onlyFiles = resolveRun(event({ from: '2026-11-01', to: '2026-11-02', clusters: ['aurora-c'] }), withGroups);
      const onlyLogs = resolveRun(event({ from: '2026-11-01', to: '2026-11-02', logGroups: ['/x/*'] }), withGroups);

      expect(onlyFiles.run.cloudwatch).toMatchObject({ logGroups: [], skipped: 'no log groups configured or named' });
      expect(onlyLogs.run).toMatchObject({ clusters: [], instances: [], cloudwatch: { logGroups: ['/x/*'] } });
    });

    it('skips, with the reason, configured log groups when the range ends less than 12 hours before the start', () => {
      const { run } = resolveRun(event({ from: '2026-11-20', to: '2026-11-20T21:00:00Z' }), withGroups);

      expect(run.cloudwatch.skipped).toMatch(/^range ends less than 12 hours before the run/);
    });

    it('rejects named log groups whose range ends less than 12 hours before the start, naming "to"', () => {
      const input = { from: '2026-11-20', to: '2026-11-20T21:00:00Z', logGroups: ['/aws/rds/cluster/aurora-a/error'] };

      expect(() => resolveRun(event(input), withGroups)).toThrow(
        expect.objectContaining({ name: 'InvalidInputError', field: 'to' }),
      );
    });

    it('accepts a run with log groups and no cluster or instance', () => {
      const logsOnly = testConfig({ CLUSTERS: undefined, LOG_GROUPS: '/aws/rds/instance/*' });

      const { run } = resolveRun(event({ scheduledTime: '2026-11-20T12:00:00Z' }), logsOnly);

      expect(run).toMatchObject({ clusters: [], instances: [], cloudwatch: { logGroups: ['/aws/rds/instance/*'] } });
    });
  });
});
