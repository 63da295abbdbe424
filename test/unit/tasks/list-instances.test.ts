import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { TransientAwsError } from '../../../tasks/common/errors';
import type { RunContext } from '../../../tasks/common/types';
import { listInstances } from '../../../tasks/list-instances';
import { rdsError } from '../../helpers/aws-errors';
import { silenceLogger } from '../../helpers/logger';
import { runContext } from '../../helpers/run-context';

const rds = new RDSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const rdsMock = mockClient(rds);

const scope = (clusters: string[], instances: string[] = []): { run: RunContext } => ({
  run: runContext({ clusters, instances }),
});

const cluster = (id: string, members: string[], engine = 'aurora-mysql') => ({
  DBClusterIdentifier: id,
  Engine: engine,
  DBClusterMembers: members.map((member) => ({ DBInstanceIdentifier: member })),
});

beforeEach(() => {
  rdsMock.reset();
  silenceLogger();
});

afterEach(() => jest.restoreAllMocks());

describe('listInstances', () => {
  it('lists the members of each configured cluster under the cluster id', async () => {
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'aurora-a' })
      .resolves({ DBClusters: [cluster('aurora-a', ['aurora-a-1', 'aurora-a-2'])] });

    const output = await listInstances(scope(['aurora-a']), rds);

    expect(output.instances).toEqual([
      { instanceId: 'aurora-a-1', clusterId: 'aurora-a', engine: 'aurora-mysql' },
      { instanceId: 'aurora-a-2', clusterId: 'aurora-a', engine: 'aurora-mysql' },
    ]);
    expect(output.unavailable).toEqual([]);
  });

  it('pages through DescribeDBClusters until no marker is left', async () => {
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'aurora-a', Marker: undefined })
      .resolves({ DBClusters: [cluster('aurora-a', ['aurora-a-1'])], Marker: 'page-2' })
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'aurora-a', Marker: 'page-2' })
      .resolves({ DBClusters: [cluster('aurora-a', ['aurora-a-2'])] });

    const output = await listInstances(scope(['aurora-a']), rds);

    expect(output.instances.map((instance) => instance.instanceId)).toEqual(['aurora-a-1', 'aurora-a-2']);
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBClustersCommand, 2);
  });

  it('pages through DescribeDBInstances until the instance shows up', async () => {
    rdsMock
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'mysql-1', Marker: undefined })
      .resolves({ DBInstances: [], Marker: 'page-2' })
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'mysql-1', Marker: 'page-2' })
      .resolves({ DBInstances: [{ DBInstanceIdentifier: 'mysql-1', DBInstanceStatus: 'available', Engine: 'mysql' }] });

    const output = await listInstances(scope([], ['mysql-1']), rds);

    expect(output.instances).toEqual([{ instanceId: 'mysql-1', clusterId: 'mysql-1', engine: 'mysql' }]);
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 2);
  });

  it('reports a missing cluster and still lists the other clusters', async () => {
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'gone' })
      .rejects(rdsError('DBClusterNotFoundFault', 404))
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'aurora-b' })
      .resolves({ DBClusters: [cluster('aurora-b', ['aurora-b-1'])] });

    const output = await listInstances(scope(['gone', 'aurora-b']), rds);

    expect(output.unavailable).toEqual([{ kind: 'cluster', id: 'gone', reason: 'not found' }]);
    expect(output.instances.map((instance) => instance.instanceId)).toEqual(['aurora-b-1']);
  });

  it('reports a cluster without instances', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster('aurora-a', [])] });

    const output = await listInstances(scope(['aurora-a']), rds);

    expect(output.unavailable).toEqual([{ kind: 'cluster', id: 'aurora-a', reason: 'cluster has no instances' }]);
  });

  it('reports a missing standalone instance', async () => {
    rdsMock.on(DescribeDBInstancesCommand).rejects(rdsError('DBInstanceNotFoundFault', 404));

    const output = await listInstances(scope([], ['mysql-9']), rds);

    expect(output.instances).toEqual([]);
    expect(output.unavailable).toEqual([{ kind: 'instance', id: 'mysql-9', reason: 'not found' }]);
  });

  it('reports a stopped standalone instance', async () => {
    rdsMock
      .on(DescribeDBInstancesCommand)
      .resolves({ DBInstances: [{ DBInstanceIdentifier: 'mysql-1', DBInstanceStatus: 'stopped', Engine: 'mysql' }] });

    const output = await listInstances(scope([], ['mysql-1']), rds);

    expect(output.instances).toEqual([]);
    expect(output.unavailable).toEqual([{ kind: 'instance', id: 'mysql-1', reason: 'instance is stopped' }]);
  });

  it('files a configured instance that belongs to a cluster under its cluster', async () => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: 'aurora-c-1',
          DBClusterIdentifier: 'aurora-c',
          DBInstanceStatus: 'available',
          Engine: 'aurora-postgresql',
        },
      ],
    });

    const output = await listInstances(scope([], ['aurora-c-1']), rds);

    expect(output.instances).toEqual([
      { instanceId: 'aurora-c-1', clusterId: 'aurora-c', engine: 'aurora-postgresql' },
    ]);
  });

  it('does not describe a configured instance again when its cluster already listed it', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster('aurora-a', ['aurora-a-1'])] });

    const output = await listInstances(scope(['aurora-a'], ['aurora-a-1']), rds);

    expect(output.instances).toHaveLength(1);
    expect(rdsMock).not.toHaveReceivedCommand(DescribeDBInstancesCommand);
  });

  it('turns throttling that outlasts the SDK retries into a TransientAwsError', async () => {
    const throttled = rdsError('ThrottlingException');
    rdsMock.on(DescribeDBClustersCommand).rejects(throttled);

    const error = await listInstances(scope(['aurora-a']), rds).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(TransientAwsError);
    expect((error as Error).message).toBe('describing cluster aurora-a: ThrottlingException');
    expect((error as Error).cause).toBe(throttled);
  });

  it('fails on an error that is neither missing nor transient', async () => {
    rdsMock.on(DescribeDBInstancesCommand).rejects(rdsError('AccessDenied', 403));

    await expect(listInstances(scope([], ['mysql-1']), rds)).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
