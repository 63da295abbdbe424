import type { InstanceRef, RunContext } from '../../tasks/common/types';

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    runId: 'run-20261120',
    executionId: 'arn:aws:states:eu-west-1:123456789012:execution:archive:run-20261120',
    mode: 'scheduled',
    scheduledTime: '2026-11-20T12:00:00.000Z',
    startedAt: '2026-11-20T12:00:01.000Z',
    clusters: ['aurora-a'],
    instances: [],
    logTypes: ['audit', 'slowquery', 'error', 'general', 'postgresql'],
    dryRun: false,
    reportPrefix: '_runs/2026/11/20/run-20261120',
    cloudwatch: {
      logGroups: ['/aws/rds/cluster/aurora-a/error'],
      from: '2026-11-12T00:00:00.000Z',
      cutoff: '2026-11-13T00:00:00.000Z',
      trimMode: 'rewrite',
      force: false,
    },
    ...overrides,
  };
}

export function instanceRef(overrides: Partial<InstanceRef> = {}): InstanceRef {
  return { instanceId: 'aurora-a-1', clusterId: 'aurora-a', engine: 'aurora-mysql', ...overrides };
}
