import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBLogFilesCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBLogFiles,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { type RdsStandIn, startRdsStandIn } from '../../../sandbox/rds-stand-in';
import { ordersCluster, rdsClient, seedOf } from './helpers';

const HOUR = 3600 * 1000;
const logFile = (i: number) => ({
  instance: 'orders-aurora-1',
  name: `audit/audit.log.${i % 4}.2026-11-20-${String(i).padStart(4, '0')}.0`,
  lastWritten: new Date(Date.UTC(2026, 10, 20) + i * HOUR).toISOString(),
  content: { text: 'x'.repeat(i) },
});

const seed = seedOf({
  region: 'eu-central-1',
  clusters: [
    ordersCluster(),
    ...Array.from({ length: 24 }, (_, i) => ({
      id: `spare-${String(i).padStart(2, '0')}`,
      engine: 'aurora-postgresql',
    })),
  ],
  instances: [{ id: 'billing-pg', engine: 'postgres' }],
  files: Array.from({ length: 250 }, (_, i) => logFile(i)),
});

let standIn: RdsStandIn;
let rds: RDSClient;

beforeAll(async () => {
  standIn = await startRdsStandIn({ seed });
  rds = rdsClient(standIn);
});

afterAll(async () => {
  rds.destroy();
  await standIn.stop();
});

describe('DescribeDBClusters', () => {
  it('returns the members with their writer flag', async () => {
    const { DBClusters } = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'orders-aurora' }));

    expect(DBClusters).toEqual([
      expect.objectContaining({
        DBClusterIdentifier: 'orders-aurora',
        DBClusterArn: 'arn:aws:rds:eu-central-1:123456789012:cluster:orders-aurora',
        Engine: 'aurora-mysql',
        Status: 'available',
        DBClusterMembers: [
          expect.objectContaining({ DBInstanceIdentifier: 'orders-aurora-1', IsClusterWriter: true }),
          expect.objectContaining({ DBInstanceIdentifier: 'orders-aurora-2', IsClusterWriter: false }),
        ],
      }),
    ]);
  });

  it('filters by db-cluster-id', async () => {
    const { DBClusters } = await rds.send(
      new DescribeDBClustersCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['spare-03', 'spare-07', 'nope'] }] }),
    );

    expect(DBClusters?.map((c) => c.DBClusterIdentifier)).toEqual(['spare-03', 'spare-07']);
  });

  it('pages with MaxRecords 20 and returns each cluster once', async () => {
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeDBClusters({ client: rds, pageSize: 20 }, {})) {
      pages++;
      ids.push(...(page.DBClusters ?? []).map((c) => c.DBClusterIdentifier ?? ''));
    }

    expect(pages).toBe(2);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
  });

  it.each([19, 101])('rejects MaxRecords %i with InvalidParameterValue', async (maxRecords) => {
    await expect(rds.send(new DescribeDBClustersCommand({ MaxRecords: maxRecords }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('DescribeDBInstances', () => {
  it('lists the members of a cluster with their cluster id', async () => {
    const { DBInstances } = await rds.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['orders-aurora'] }] }),
    );

    expect(
      DBInstances?.map((i) => [i.DBInstanceIdentifier, i.DBClusterIdentifier, i.Engine, i.DBInstanceStatus]),
    ).toEqual([
      ['orders-aurora-1', 'orders-aurora', 'aurora-mysql', 'available'],
      ['orders-aurora-2', 'orders-aurora', 'aurora-mysql', 'available'],
    ]);
  });

  it('describes a stand-alone instance without a cluster id', async () => {
    const { DBInstances } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'billing-pg' }));

    expect(DBInstances).toEqual([expect.objectContaining({ DBInstanceIdentifier: 'billing-pg', Engine: 'postgres' })]);
    expect(DBInstances?.[0]?.DBClusterIdentifier).toBeUndefined();
  });
});

describe('DescribeDBLogFiles', () => {
  it('pages over 250 files with the SDK paginator and returns each exactly once', async () => {
    const names: string[] = [];
    const pageSizes: number[] = [];
    for await (const page of paginateDescribeDBLogFiles({ client: rds }, { DBInstanceIdentifier: 'orders-aurora-1' })) {
      pageSizes.push(page.DescribeDBLogFiles?.length ?? 0);
      names.push(...(page.DescribeDBLogFiles ?? []).map((f) => f.LogFileName ?? ''));
    }

    expect(pageSizes).toEqual([100, 100, 50]);
    expect([...names].sort()).toEqual(seed.files.map((f) => f.name).sort());
    expect(new Set(names).size).toBe(250);
  });

  it('reports LastWritten in epoch milliseconds and Size in bytes', async () => {
    const { DescribeDBLogFiles } = await rds.send(
      new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'orders-aurora-1', FilenameContains: '-0042.' }),
    );

    expect(DescribeDBLogFiles).toEqual([
      { LogFileName: logFile(42).name, LastWritten: Date.UTC(2026, 10, 20) + 42 * HOUR, Size: 42 },
    ]);
  });

  it('keeps files written since FileLastWritten and larger than FileSize', async () => {
    const { DescribeDBLogFiles } = await rds.send(
      new DescribeDBLogFilesCommand({
        DBInstanceIdentifier: 'orders-aurora-1',
        FileLastWritten: Date.UTC(2026, 10, 20) + 240 * HOUR,
        FileSize: 245,
      }),
    );

    expect(DescribeDBLogFiles?.map((f) => f.Size).sort()).toEqual([246, 247, 248, 249]);
  });

  it('neither repeats nor skips files when one is removed between pages', async () => {
    const local = await startRdsStandIn({ seed });
    const client = rdsClient(local);
    const names: string[] = [];
    for await (const page of paginateDescribeDBLogFiles(
      { client, pageSize: 100 },
      { DBInstanceIdentifier: 'orders-aurora-1' },
    )) {
      names.push(...(page.DescribeDBLogFiles ?? []).map((f) => f.LogFileName ?? ''));
      if (names.length === 100) local.removeFile('orders-aurora-1', names[0] ?? '');
    }
    client.destroy();
    await local.stop();

    expect(names).toHaveLength(250);
    expect(new Set(names).size).toBe(250);
  });

  it('rejects a marker issued for another instance', async () => {
    const first = await rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'orders-aurora-1' }));

    await expect(
      rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'billing-pg', Marker: first.Marker })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('records each call with its operation, instance and status', async () => {
    const local = await startRdsStandIn({ seed });
    const client = rdsClient(local);
    await client.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'billing-pg' }));
    client.destroy();
    await local.stop();

    expect(local.calls).toEqual([{ operation: 'DescribeDBLogFiles', instance: 'billing-pg', status: 200 }]);
  });
});
