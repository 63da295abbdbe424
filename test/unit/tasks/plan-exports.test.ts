import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  type LogGroup,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { TransientAwsError } from '../../../tasks/common/errors';
import { planExports } from '../../../tasks/plan-exports';
import { silenceLogger } from '../../helpers/logger';
import { runContext } from '../../helpers/run-context';

const logs = new CloudWatchLogsClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const logsMock = mockClient(logs);

const ARN = 'arn:aws:logs:eu-west-1:123456789012:log-group:';
const group = (name: string, extra: Partial<LogGroup> = {}): LogGroup => ({
  logGroupName: name,
  arn: `${ARN}${name}:*`,
  ...extra,
});

function scope(...logGroups: string[]) {
  const run = runContext();
  return { run: { ...run, cloudwatch: { ...run.cloudwatch, logGroups } } };
}

const plan = (...logGroups: string[]) => planExports(scope(...logGroups), { logs });
const names = (output: Awaited<ReturnType<typeof plan>>) => output.groups.map((item) => item.name);

beforeEach(() => {
  logsMock.reset();
  logsMock.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  silenceLogger();
});

afterEach(() => jest.restoreAllMocks());

describe('planExports', () => {
  it('takes an exact name only when a group has exactly that name, not the longer names of the prefix search', async () => {
    logsMock
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/rds/cluster/a/error' })
      .resolves({ logGroups: [group('/aws/rds/cluster/a/error'), group('/aws/rds/cluster/a/error-old')] });

    const output = await plan('/aws/rds/cluster/a/error');

    expect(names(output)).toEqual(['/aws/rds/cluster/a/error']);
    expect(output.unavailable).toEqual([]);
  });

  it('reports an exact name that only exists as the start of longer names as missing', async () => {
    logsMock
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/rds/cluster/a/error' })
      .resolves({ logGroups: [group('/aws/rds/cluster/a/error-old')] });

    const output = await plan('/aws/rds/cluster/a/error');

    expect(output).toEqual({
      groups: [],
      unavailable: [{ name: '/aws/rds/cluster/a/error', reason: 'no such log group' }],
    });
  });

  it('takes every group under a prefix written with a trailing *, through every page', async () => {
    logsMock
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/rds/cluster/a/', nextToken: undefined })
      .resolves({ logGroups: [group('/aws/rds/cluster/a/audit')], nextToken: 'page-2' })
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/rds/cluster/a/', nextToken: 'page-2' })
      .resolves({ logGroups: [group('/aws/rds/cluster/a/error'), group('/aws/rds/cluster/a/slowquery')] });

    const output = await plan('/aws/rds/cluster/a/*');

    expect(names(output)).toEqual([
      '/aws/rds/cluster/a/audit',
      '/aws/rds/cluster/a/error',
      '/aws/rds/cluster/a/slowquery',
    ]);
    expect(logsMock).toHaveReceivedCommandTimes(DescribeLogGroupsCommand, 2);
  });

  it('finds an exact name on a later page of the prefix search', async () => {
    logsMock
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/app', nextToken: undefined })
      .resolves({ logGroups: [group('/app-a'), group('/app-b')], nextToken: 'page-2' })
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/app', nextToken: 'page-2' })
      .resolves({ logGroups: [group('/app')] });

    const output = await plan('/app');

    expect(names(output)).toEqual(['/app']);
  });

  it('reports a prefix that matches no group', async () => {
    const output = await plan('/aws/rds/cluster/gone/*');

    expect(output.unavailable).toEqual([
      { name: '/aws/rds/cluster/gone/*', reason: 'no log group matches the prefix' },
    ]);
  });

  it('keeps the found groups and reports the missing ones in the same run', async () => {
    logsMock
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/present' })
      .resolves({ logGroups: [group('/present')] });

    const output = await plan('/missing', '/present');

    expect(names(output)).toEqual(['/present']);
    expect(output.unavailable).toEqual([{ name: '/missing', reason: 'no such log group' }]);
  });

  it('lists each group once, in the configured order, when entries overlap', async () => {
    logsMock
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/b' })
      .resolves({ logGroups: [group('/b')] })
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/a/' })
      .resolves({ logGroups: [group('/a/1'), group('/a/2')] })
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/a/2' })
      .resolves({ logGroups: [group('/a/2')] });

    const output = await plan('/b', '/a/*', '/a/2', '/b');

    expect(names(output)).toEqual(['/b', '/a/1', '/a/2']);
  });

  it('describes each group by its ARN without the trailing :*, its retention and its data protection', async () => {
    logsMock.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/g/' }).resolves({
      logGroups: [
        group('/g/protected', { retentionInDays: 30, dataProtectionStatus: 'ACTIVATED' }),
        group('/g/policy-removed', { dataProtectionStatus: 'DELETED' }),
        group('/g/plain'),
      ],
    });

    const output = await plan('/g/*');

    expect(output.groups).toEqual([
      { name: '/g/protected', arn: `${ARN}/g/protected`, retentionInDays: 30, dataProtected: true },
      { name: '/g/policy-removed', arn: `${ARN}/g/policy-removed`, retentionInDays: undefined, dataProtected: false },
      { name: '/g/plain', arn: `${ARN}/g/plain`, retentionInDays: undefined, dataProtected: false },
    ]);
  });

  it('lists every group for a lone *, without a prefix', async () => {
    logsMock.on(DescribeLogGroupsCommand).resolves({ logGroups: [group('/x'), group('/y')] });

    const output = await plan('*');

    expect(names(output)).toEqual(['/x', '/y']);
    expect(logsMock.commandCalls(DescribeLogGroupsCommand)[0]?.args[0].input.logGroupNamePrefix).toBeUndefined();
  });

  it('does nothing when the run skips the CloudWatch branch', async () => {
    const run = runContext();
    const skipped = { run: { ...run, cloudwatch: { ...run.cloudwatch, skipped: 'no log groups configured' } } };

    const output = await planExports(skipped, { logs });

    expect(output).toEqual({ groups: [], unavailable: [] });
    expect(logsMock).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
  });

  it('turns throttling into a TransientAwsError naming the entry', async () => {
    logsMock
      .on(DescribeLogGroupsCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));

    const error = await plan('/aws/rds/cluster/a/*').catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(TransientAwsError);
    expect((error as Error).message).toBe('describing log groups /aws/rds/cluster/a/*: ThrottlingException');
  });
});
