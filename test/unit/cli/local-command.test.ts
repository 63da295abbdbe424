import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { runCli } from '../../../cli/cli';
import type { LocalEvent, LocalRunRequest } from '../../../cli/on-this-machine';
import type { LocalRunResult } from '../../../sandbox/local-runner';
import type { InstancePlan } from '../../../tasks/common/types';
import type { RunSummary } from '../../../tasks/summarize-run';
import { NOW, testCli } from './helpers';

const cfnMock = mockClient(CloudFormationClient);
const BUCKET = 'rdslogarchive-archivebucket-1a2b3c';
const RANGE = ['--from', '2026-11-20', '--to', '2026-11-21'];
const PLAN_KEY = '_runs/2026/11/22/local-x/plans/orders-aurora-1.json';

const summary = (status: 'succeeded' | 'failed', dryRun: boolean): RunSummary => ({
  status,
  message: dryRun ? 'dry run: 2 files would be archived' : 'files failed',
  runId: 'local-x',
  dryRun,
  reportKey: '_runs/2026/11/22/local-x/report.json',
  instances: 1,
  archivedFiles: 0,
  archivedBytes: 0,
  compressedBytes: 0,
  plannedFiles: 2,
  skippedFiles: 1,
  failedFiles: status === 'failed' ? 2 : 0,
  unavailable: 0,
  failedInstances: 0,
  logGroups: 0,
  failedLogGroups: 0,
  trimmedStreams: 0,
  skippedStreams: 0,
  failedStreams: 0,
});

const plan: InstancePlan = {
  instance: { instanceId: 'orders-aurora-1', clusterId: 'orders-aurora', engine: 'aurora-mysql' },
  status: 'listed',
  listedAt: '2026-11-22T10:15:31Z',
  files: [
    {
      name: 'audit/audit.log.0.2026-11-20-09-00.0',
      logType: 'audit',
      size: 2048,
      lastWritten: 1,
      key: 'k1',
      reason: 'new',
    },
    {
      name: 'error/mysql-error-running.log.2026-11-20.09',
      logType: 'error',
      size: 1024,
      lastWritten: 2,
      key: 'k2',
      reason: 'grew since archived',
    },
  ],
  skipped: [{ name: 'audit/audit.log', reason: 'still being written' }],
  deferred: 0,
};

const exited = (name: string, output: unknown, timestamp = 1): LocalEvent => ({
  type: 'StateExited',
  timestamp,
  state: { name, output },
});

/** A stand-in for the local runner: replays a dry run's events and answers like runLocally. */
function fakeRunner(result: LocalRunResult, runSummary: RunSummary) {
  const requests: LocalRunRequest[] = [];
  const runLocal = async (request: LocalRunRequest) => {
    requests.push(request);
    const run = { dryRun: runSummary.dryRun, cloudwatch: { skipped: 'no log groups configured or named' } };
    request.onEvent(exited('Resolve Run', { run }));
    request.onEvent({ type: 'StateEntered', state: { name: 'List Instances' } });
    request.onEvent(exited('List Instances', { instances: [plan.instance], unavailable: [] }));
    request.onEvent(exited('List Log Files', { run, instance: plan.instance, planKey: PLAN_KEY, cursor: 0, total: 2 }));
    request.onEvent(exited('Instance Done', { status: 'done' }));
    request.onEvent(exited('Summarize Run', runSummary));
    return result;
  };
  return { requests, runLocal };
}

beforeEach(() => {
  cfnMock.reset();
  cfnMock.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'RdsLogArchive',
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: new Date(NOW),
        Outputs: [{ OutputKey: 'BucketName', OutputValue: BUCKET }],
      },
    ],
  });
});

describe('run --local', () => {
  it('runs the dry run locally with the bucket from the stack and the sources from the flags, then lists the plan', async () => {
    const runner = fakeRunner({ status: 'SUCCEEDED', output: summary('succeeded', true) }, summary('succeeded', true));
    const reads: string[][] = [];
    const cli = testCli({
      runLocal: runner.runLocal,
      readJson: async (...args) => {
        reads.push(args);
        return plan;
      },
    });

    const code = await runCli(
      ['run', '--local', ...RANGE, '--clusters', 'orders-aurora', '--dry-run', '--region', 'eu-west-1'],
      cli.deps,
    );

    expect(code).toBe(0);
    expect(cfnMock).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'RdsLogArchive' });
    const [request] = runner.requests;
    expect(request?.input).toEqual({
      from: '2026-11-20T00:00:00Z',
      to: '2026-11-21T00:00:00Z',
      clusters: ['orders-aurora'],
      dryRun: true,
    });
    expect(request?.executionName).toMatch(/^local-20261120T0000Z-20261121T0000Z-[0-9a-f]{8}-20261122T101530Z$/);
    expect(request?.env).toEqual({
      AWS_REGION: 'eu-west-1',
      ARCHIVE_BUCKET: BUCKET,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      CLUSTERS: 'orders-aurora',
      INSTANCES: '',
      LOG_GROUPS: '',
    });
    expect(reads).toEqual([['eu-west-1', BUCKET, PLAN_KEY]]);
    expect(cli.stdout.text).toContain(
      [
        'would archive:',
        '  orders-aurora-1 (orders-aurora): 2 files, 3.0 KiB; 1 skipped',
        '    audit/audit.log.0.2026-11-20-09-00.0  2.0 KiB  new',
        '    error/mysql-error-running.log.2026-11-20.09  1.0 KiB  grew since archived',
        'would export no log groups: no log groups configured or named',
      ].join('\n'),
    );
    expect(cli.stderr.text).toContain('RUNNING | instances 1/1 done | files 2 would be archived (dry run)');
  });

  it('with --json prints the run, its summary, progress and plan as one document', async () => {
    const runner = fakeRunner({ status: 'SUCCEEDED', output: summary('succeeded', true) }, summary('succeeded', true));
    const cli = testCli({ runLocal: runner.runLocal, readJson: async () => plan });

    await runCli(
      ['run', '--local', ...RANGE, '--instances', 'orders-aurora-1', '--dry-run', '--region', 'eu-west-1', '--json'],
      cli.deps,
    );

    const document = JSON.parse(cli.stdout.text);
    expect(document).toMatchObject({
      mode: 'local',
      region: 'eu-west-1',
      bucket: BUCKET,
      status: 'SUCCEEDED',
      summary: { status: 'succeeded', dryRun: true },
      progress: { dryRun: true, files: { planned: 2 } },
      plan: {
        instances: [{ instanceId: 'orders-aurora-1', bytes: 3072, skipped: 1, filesNotListed: 0 }],
        logGroups: [],
        cloudwatchSkipped: 'no log groups configured or named',
      },
    });
    expect(document.plan.instances[0].files).toHaveLength(2);
  });

  it('with --bucket reads no stack, and keeps sources and log level already in the environment', async () => {
    const runner = fakeRunner(
      { status: 'SUCCEEDED', output: summary('succeeded', false) },
      summary('succeeded', false),
    );
    const cli = testCli({
      runLocal: runner.runLocal,
      env: { CLUSTERS: 'orders-aurora', POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    });

    await expect(
      runCli(['run', '--local', ...RANGE, '--bucket', 'my-archive', '--region', 'eu-west-1'], cli.deps),
    ).resolves.toBe(0);

    expect(cfnMock.calls()).toHaveLength(0);
    expect(runner.requests[0]?.env).toEqual({
      AWS_REGION: 'eu-west-1',
      ARCHIVE_BUCKET: 'my-archive',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
  });

  it('exits 1 when the local run fails, with the summary it wrote', async () => {
    const failed = summary('failed', false);
    const runner = fakeRunner({ status: 'FAILED', error: 'RunFailed', cause: failed.message }, failed);
    const cli = testCli({ runLocal: runner.runLocal });

    await expect(
      runCli(['run', '--local', ...RANGE, '--clusters', 'a', '--region', 'eu-west-1'], cli.deps),
    ).resolves.toBe(1);

    expect(cli.stdout.text).toMatch(/^local-\S+: FAILED \(RunFailed: files failed\)\nfailed: files failed\n/);
  });

  it('exits 3 when no region is given or configured', async () => {
    const cli = testCli({
      cloudFormation: () =>
        new CloudFormationClient({
          region: async () => {
            throw new Error('Region is missing');
          },
        }),
    });

    await expect(runCli(['run', '--local', ...RANGE, '--clusters', 'a'], cli.deps)).resolves.toBe(3);

    expect(cli.stderr.text).toContain('no AWS region: pass --region or set AWS_REGION');
  });
});
