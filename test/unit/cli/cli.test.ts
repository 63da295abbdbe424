import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  GetExecutionHistoryCommand,
  ListMapRunsCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { executionArnFor } from '../../../cli/arns';
import { runCli } from '../../../cli/cli';
import { executionName } from '../../../cli/naming';
import { finishOn, mockRecordedRun, NOW, STATE_MACHINE_ARN, testCli } from './helpers';

const sfnMock = mockClient(SFNClient);
const cfnMock = mockClient(CloudFormationClient);
const meta = { $metadata: {} };

const RANGE = ['--from', '2026-11-20', '--to', '2026-11-21'];
const INPUT = { from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z', clusters: ['orders-aurora'] };
const NAME = executionName(INPUT);
const EXECUTION_ARN = executionArnFor(STATE_MACHINE_ARN, NAME);
const CONSOLE = `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION_ARN}`;
const BUCKET = 'rdslogarchive-archivebucket-1a2b3c';

function stackWith(...keys: string[]) {
  const values: Record<string, string> = { StateMachineArn: STATE_MACHINE_ARN, BucketName: BUCKET };
  cfnMock.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'RdsLogArchive',
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: new Date(NOW),
        Outputs: keys.map((key) => ({ OutputKey: key, OutputValue: values[key] })),
      },
    ],
  });
}

const summary = (status: 'succeeded' | 'failed') => ({
  status,
  message: `${status === 'failed' ? '1' : '0'} instances failed`,
  runId: NAME,
  dryRun: false,
  reportKey: `_runs/2026/11/22/${NAME}/report.json`,
  instances: 1,
  archivedFiles: 4,
  archivedBytes: 4096,
  compressedBytes: 1024,
  plannedFiles: 4,
  skippedFiles: 0,
  failedFiles: 0,
  failedInstances: status === 'failed' ? 1 : 0,
  unavailable: 0,
  logGroups: 0,
  failedLogGroups: 0,
  trimmedStreams: 0,
  skippedStreams: 0,
  failedStreams: 0,
});

beforeEach(() => {
  sfnMock.reset();
  cfnMock.reset();
  stackWith('StateMachineArn', 'BucketName', 'ScheduleName', 'ConsoleLink', 'AlarmTopicArn');
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN, startDate: new Date(NOW) });
});

describe('help and usage errors', () => {
  it('prints the global help with the commands and exit codes', async () => {
    const cli = testCli();

    await expect(runCli(['--help'], cli.deps)).resolves.toBe(0);

    expect(cli.stdout.text).toContain('Usage:\n  rds-log-archive <command> [flags]');
    expect(cli.stdout.text).toMatch(/start\s+start a manual run/);
    expect(cli.stdout.text).toContain('Exit codes: 0 success, 1 the run failed, 2 usage error, 3 AWS or other error.');
  });

  it.each([[['start', '--help']], [['help', 'start']], [['start', '--from', 'junk', '-h']]])(
    '%j prints the command help: usage, every flag with its form, examples',
    async (argv) => {
      const cli = testCli();

      await expect(runCli(argv, cli.deps)).resolves.toBe(0);

      expect(cli.stdout.text).toContain('Usage: rds-log-archive start --from DATE --to DATE [flags]');
      expect(cli.stdout.text).toMatch(/--trim-mode MODE\s+rewrite, retention, delete-exported or none/);
      expect(cli.stdout.text).toContain('Examples:\n  rds-log-archive start --from 2026-11-20');
      expect(sfnMock.calls()).toHaveLength(0);
    },
  );

  it.each([
    [[], ''],
    [['archive'], 'rds-log-archive: unknown command "archive"; commands: start, status, run'],
    [['--verbose'], 'rds-log-archive: unknown flag --verbose before a command; commands: start, status, run'],
    [['help', 'nope'], 'rds-log-archive: unknown command "nope"'],
    [['start', ...RANGE, '--colour'], 'rds-log-archive start: unknown flag --colour for "start"'],
    [['start', '--from', '-3x', '--to', 'now'], 'rds-log-archive start: --from: got "-3x"'],
    [['status'], 'rds-log-archive status: status needs an execution: NAME or ARN'],
    [['status', 'a', 'b'], 'rds-log-archive status: status takes one execution, got 2'],
    [['run', ...RANGE, '--clusters', 'a'], 'rds-log-archive run: run needs --local'],
    [
      ['run', '--local', ...RANGE],
      'rds-log-archive run: run --local needs sources: --clusters, --instances or --log-groups',
    ],
  ])('%j exits 2 before any AWS call: %s', async (argv, message) => {
    const cli = testCli();

    await expect(runCli(argv, cli.deps)).resolves.toBe(2);

    expect(cli.stderr.text).toContain(message);
    expect(sfnMock.calls()).toHaveLength(0);
    expect(cfnMock.calls()).toHaveLength(0);
  });

  it('with --json, a usage error is also the one JSON document on stdout', async () => {
    const cli = testCli();

    await expect(runCli(['start', '--json', '--from', 'soon', '--to', 'now'], cli.deps)).resolves.toBe(2);

    expect(JSON.parse(cli.stdout.text)).toEqual({
      error: { kind: 'usage', message: expect.stringMatching(/^--from: got "soon"; expected an ISO-8601/) },
      exitCode: 2,
    });
  });
});

describe('start', () => {
  it("starts under the derived name on the stack's state machine and prints the ARN and console link", async () => {
    const cli = testCli();

    await expect(
      runCli(['start', ...RANGE, '--clusters', 'orders-aurora', '--stack', 'Archive-Test'], cli.deps),
    ).resolves.toBe(0);

    expect(cfnMock).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'Archive-Test' });
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: NAME,
      input: JSON.stringify(INPUT),
    });
    expect(cli.stdout.text).toBe(`started ${NAME}\n  execution  ${EXECUTION_ARN}\n  console    ${CONSOLE}\n`);
  });

  it('uses --state-machine-arn without reading the stack, in the ARN region', async () => {
    const arn = 'arn:aws:states:us-east-2:123456789012:stateMachine:Other';
    const regions: (string | undefined)[] = [];
    const cli = testCli({
      sfn: (region) => {
        regions.push(region);
        return new SFNClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      },
    });

    await expect(runCli(['start', ...RANGE, '--state-machine-arn', arn], cli.deps)).resolves.toBe(0);

    expect(cfnMock.calls()).toHaveLength(0);
    expect(regions).toEqual(['us-east-2']);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: arn });
  });

  it('prints what relative dates resolved to', async () => {
    const cli = testCli();

    await runCli(['start', '--from', '-2d', '--to', 'now', '--instances', 'billing-pg'], cli.deps);

    expect(cli.stderr.text).toContain('range: 2026-11-20T10:15:30Z (-2d) to 2026-11-22T10:15:30Z (now)');
  });

  it('with --json prints one document: the execution, its link and the exact input', async () => {
    const cli = testCli();

    await runCli(['start', ...RANGE, '--clusters', 'orders-aurora', '--json'], cli.deps);

    expect(JSON.parse(cli.stdout.text)).toEqual({
      started: true,
      alreadyRunning: false,
      executionName: NAME,
      executionArn: EXECUTION_ARN,
      stateMachineArn: STATE_MACHINE_ARN,
      consoleLink: CONSOLE,
      input: INPUT,
    });
    expect(cli.stderr.text).toContain(`started ${NAME}`);
  });

  it('says that this exact run already ran, with its status and link, and how to run it again (exit 3)', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', ...meta }));
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION_ARN,
      stateMachineArn: STATE_MACHINE_ARN,
      status: 'SUCCEEDED',
      startDate: new Date('2026-11-21T01:00:00Z'),
      stopDate: new Date('2026-11-21T01:12:00Z'),
    });
    const cli = testCli();

    await expect(runCli(['start', ...RANGE, '--clusters', 'orders-aurora'], cli.deps)).resolves.toBe(3);

    expect(cli.stderr.text).toBe(
      [
        `this exact run already exists: ${NAME} is SUCCEEDED`,
        '  started    2026-11-21T01:00:00.000Z',
        '  stopped    2026-11-21T01:12:00.000Z',
        `  execution  ${EXECUTION_ARN}`,
        `  console    ${CONSOLE}`,
        'The same input always gets the same name, so it is not started twice.',
        `To run it once more, add --again (it starts as ${NAME}-2, or the next free number).`,
        '',
      ].join('\n'),
    );
  });

  it('with --json reports the existing run as a document', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', ...meta }));
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', startDate: new Date(NOW - 3_600_000) });
    const cli = testCli();

    await expect(runCli(['start', ...RANGE, '--clusters', 'orders-aurora', '--json'], cli.deps)).resolves.toBe(3);

    expect(JSON.parse(cli.stdout.text)).toMatchObject({
      started: false,
      reason: 'already-exists',
      executionName: NAME,
      status: 'RUNNING',
      consoleLink: CONSOLE,
      hint: 'add --again to run it once more',
    });
  });

  it('with --again starts the next free name', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', ...meta }))
      .on(DescribeExecutionCommand, { executionArn: EXECUTION_ARN })
      .resolves({ status: 'SUCCEEDED' });
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${EXECUTION_ARN}-2`, startDate: new Date(NOW) });
    const cli = testCli();

    await expect(runCli(['start', ...RANGE, '--clusters', 'orders-aurora', '--again'], cli.deps)).resolves.toBe(0);

    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, { name: `${NAME}-2` });
    expect(cli.stdout.text).toContain(`started ${NAME}-2`);
  });

  it.each([
    [
      'a missing stack',
      () =>
        cfnMock.on(DescribeStacksCommand).rejects(
          new CloudFormationServiceException({
            name: 'ValidationError',
            $fault: 'client',
            message: 'Stack with id RdsLogArchive does not exist',
            ...meta,
          }),
        ),
      'stack "RdsLogArchive" not found in eu-west-1',
    ],
    ['a missing output', () => stackWith('BucketName'), 'has no output StateMachineArn (outputs: BucketName)'],
    [
      'an AWS error',
      () =>
        sfnMock.on(StartExecutionCommand).rejects(
          new SFNServiceException({
            name: 'AccessDeniedException',
            $fault: 'client',
            message: 'not authorized',
            ...meta,
          }),
        ),
      'StartExecution failed: AccessDeniedException: not authorized',
    ],
  ])('exits 3 on %s', async (_, arrange, message) => {
    arrange();
    const cli = testCli();

    await expect(runCli(['start', ...RANGE], cli.deps)).resolves.toBe(3);

    expect(cli.stderr.text).toContain(message);
  });
});

describe('start --wait', () => {
  it('shows progress from the history and Map Runs, then the summary; a failed run exits 1', async () => {
    const recorded = mockRecordedRun(sfnMock);
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: recorded.executionArn, startDate: new Date(NOW) });
    const cli = testCli({ sleep: finishOn(recorded) });

    await expect(runCli(['start', ...RANGE, '--wait'], cli.deps)).resolves.toBe(1);

    const progress = cli.stderr.text.trim().split('\n');
    expect(progress).toHaveLength(2);
    expect(progress[0]).toContain('RUNNING | instances 1/2 done · 1 running · 1 unavailable | files 290/350 archived');
    expect(progress[1]).toContain('[11m 40s] FAILED | instances 1/2 done · 1 failed');
    expect(progress[1]).toContain('streams 2/3 trimmed · 1 failed');
    expect(cli.stdout.text).toContain('status     FAILED');
    expect(cli.stdout.text).toContain(`error      RunFailed: ${recorded.summary.message}`);
    expect(cli.stdout.text).toContain(`failed: ${recorded.summary.message}`);
    expect(cli.stdout.text).toContain('  instances 2 · files 250 archived (1.0 GiB, 128.0 MiB gzipped)');
  });

  it('with --json puts the execution, summary and progress in the document and progress on stderr', async () => {
    const recorded = mockRecordedRun(sfnMock);
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: recorded.executionArn, startDate: new Date(NOW) });
    const cli = testCli({ sleep: finishOn(recorded) });

    await expect(runCli(['start', ...RANGE, '--wait', '--json'], cli.deps)).resolves.toBe(1);

    const document = JSON.parse(cli.stdout.text);
    expect(document).toMatchObject({
      started: true,
      executionArn: recorded.executionArn,
      status: 'FAILED',
      error: 'RunFailed',
      startDate: '2026-11-22T00:00:00.000Z',
      stopDate: '2026-11-22T00:11:40.000Z',
      summary: recorded.summary,
      progress: { files: { planned: 350, done: 290 }, streams: { planned: 3, done: 2, failed: 1 } },
    });
    expect(cli.stderr.text).toContain('FAILED | instances');
  });

  it('exits 0 when the execution succeeded with a succeeded summary', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION_ARN,
      name: NAME,
      status: 'SUCCEEDED',
      startDate: new Date(NOW),
      stopDate: new Date(NOW + 60_000),
      output: JSON.stringify(summary('succeeded')),
    });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
    sfnMock.on(ListMapRunsCommand).resolves({ mapRuns: [] });
    const cli = testCli();

    await expect(runCli(['start', ...RANGE, '--wait'], cli.deps)).resolves.toBe(0);

    expect(cli.sleeps).toEqual([]);
    expect(cli.stdout.text).toContain('succeeded: 0 instances failed');
  });
});

describe('status', () => {
  const describeAs = (status: ExecutionStatus, output?: object) =>
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION_ARN,
      stateMachineArn: STATE_MACHINE_ARN,
      name: NAME,
      status,
      startDate: new Date('2026-11-22T01:00:00Z'),
      stopDate: new Date('2026-11-22T01:12:04Z'),
      output: output && JSON.stringify(output),
    });

  it("resolves a bare name against the stack's state machine and prints status, times, summary and link", async () => {
    describeAs('SUCCEEDED', summary('succeeded'));
    const cli = testCli();

    await expect(runCli(['status', NAME], cli.deps)).resolves.toBe(0);

    expect(sfnMock).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: EXECUTION_ARN });
    expect(cli.stdout.text.split('\n')).toEqual([
      `execution  ${NAME}`,
      'status     SUCCEEDED',
      'started    2026-11-22T01:00:00.000Z',
      'stopped    2026-11-22T01:12:04.000Z (12m 04s)',
      'succeeded: 0 instances failed',
      '  instances 1 · files 4 archived (4.0 KiB, 1.0 KiB gzipped) · 0 skipped · 0 failed',
      '  log groups 0 · streams 0 trimmed, 0 skipped, 0 failed',
      `  report _runs/2026/11/22/${NAME}/report.json`,
      `console    ${CONSOLE}`,
      '',
    ]);
  });

  it('takes an execution ARN as it is, without the stack', async () => {
    describeAs('SUCCEEDED', summary('succeeded'));
    const cli = testCli();

    await expect(runCli(['status', EXECUTION_ARN], cli.deps)).resolves.toBe(0);

    expect(cfnMock.calls()).toHaveLength(0);
    expect(sfnMock).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: EXECUTION_ARN });
  });

  it('shows the progress so far of a running execution', async () => {
    const recorded = mockRecordedRun(sfnMock);
    const cli = testCli();

    await expect(runCli(['status', recorded.executionArn], cli.deps)).resolves.toBe(0);

    expect(cli.stdout.text).toContain('status     RUNNING');
    expect(cli.stdout.text).toContain(
      ['progress', '  instances  1/2 done · 1 running · 1 unavailable', '  files      290/350 archived'].join('\n'),
    );
    expect(cli.stdout.text).not.toContain('no run summary');
  });

  it('reads the summary of a failed run from its history and exits 1', async () => {
    const recorded = mockRecordedRun(sfnMock);
    recorded.phase = 'finished';
    const cli = testCli();

    await expect(runCli(['status', recorded.executionArn, '--json'], cli.deps)).resolves.toBe(1);

    expect(JSON.parse(cli.stdout.text)).toEqual({
      executionName: recorded.executionArn.split(':').pop(),
      executionArn: recorded.executionArn,
      consoleLink: expect.stringContaining('#/v2/executions/details/'),
      status: 'FAILED',
      startDate: '2026-11-22T00:00:00.000Z',
      stopDate: '2026-11-22T00:11:40.000Z',
      error: 'RunFailed',
      cause: recorded.summary.message,
      summary: recorded.summary,
    });
  });

  it('with --wait follows a running execution to its end', async () => {
    const recorded = mockRecordedRun(sfnMock);
    const cli = testCli({ sleep: finishOn(recorded) });

    await expect(runCli(['status', recorded.executionArn, '--wait'], cli.deps)).resolves.toBe(1);

    expect(cli.stderr.text).toContain('RUNNING | instances');
    expect(cli.stdout.text).toContain('status     FAILED');
  });

  it('exits 3 for an execution that does not exist', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', ...meta }));
    const cli = testCli();

    await expect(runCli(['status', 'manual-nope'], cli.deps)).resolves.toBe(3);

    expect(cli.stderr.text).toContain(`no execution ${executionArnFor(STATE_MACHINE_ARN, 'manual-nope')}`);
  });
});
