import {
  type DBClusterSnapshot,
  type DBSnapshot,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type CheckBackupsDeps, checkBackups } from '../../../tasks/check-backups';
import { TransientAwsError } from '../../../tasks/common/errors';
import { parseNotifyConfig } from '../../../tasks/common/notify-config';
import type { SlackMessage } from '../../../tasks/common/slack-webhook';
import { rdsError } from '../../helpers/aws-errors';
import { silenceLogger } from '../../helpers/logger';

const rds = new RDSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const rdsMock = mockClient(rds);

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const hoursAgo = (hours: number) => new Date(NOW - hours * 3_600_000);

const clusterSnapshot = (hours: number, Status = 'available'): DBClusterSnapshot => ({
  DBClusterSnapshotIdentifier: `rds:aurora-a-${hours}`,
  SnapshotCreateTime: hoursAgo(hours),
  Status,
});
const instanceSnapshot = (hours: number, Status = 'available'): DBSnapshot => ({
  DBSnapshotIdentifier: `rds:mysql-b-${hours}`,
  SnapshotCreateTime: hoursAgo(hours),
  Status,
});

let posted: SlackMessage[];

function deps(env: Record<string, string> = {}, answer: 'posted' | 'not configured' = 'posted'): CheckBackupsDeps {
  return {
    rds,
    notifier: {
      post: async (message) => {
        posted.push(message);
        return answer;
      },
    },
    config: parseNotifyConfig({ ARCHIVE_BUCKET: 'archive-bucket', BACKUP_MAX_AGE_HOURS: '26', ...env }),
    now: () => NOW,
  };
}

const clusters = (env: string) => ({ CLUSTERS: env });
const instances = (env: string) => ({ INSTANCES: env });

function givenCluster(id: string, snapshots: DBClusterSnapshot[]) {
  rdsMock
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: id })
    .resolves({ DBClusters: [{ DBClusterIdentifier: id }] });
  rdsMock
    .on(DescribeDBClusterSnapshotsCommand, { DBClusterIdentifier: id })
    .resolves({ DBClusterSnapshots: snapshots });
}

function givenInstance(id: string, snapshots: DBSnapshot[], latestRestorableHours?: number) {
  const LatestRestorableTime = latestRestorableHours === undefined ? undefined : hoursAgo(latestRestorableHours);
  rdsMock
    .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: id })
    .resolves({ DBInstances: [{ DBInstanceIdentifier: id, LatestRestorableTime }] });
  rdsMock.on(DescribeDBSnapshotsCommand, { DBInstanceIdentifier: id }).resolves({ DBSnapshots: snapshots });
}

const alertText = () => JSON.stringify(posted[0]?.blocks ?? []);

beforeEach(() => {
  rdsMock.reset();
  posted = [];
  silenceLogger();
});

afterEach(() => jest.restoreAllMocks());

describe('checkBackups', () => {
  it('sends no message when every backup is fresh', async () => {
    givenCluster('aurora-a', [clusterSnapshot(30), clusterSnapshot(6)]);
    givenInstance('mysql-b', [instanceSnapshot(20)]);

    const output = await checkBackups(deps({ ...clusters('aurora-a'), ...instances('mysql-b') }));

    expect(output).toEqual({ checked: 2, stale: [] });
    expect(posted).toEqual([]);
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClusterSnapshotsCommand, {
      DBClusterIdentifier: 'aurora-a',
      SnapshotType: 'automated',
    });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBSnapshotsCommand, {
      DBInstanceIdentifier: 'mysql-b',
      SnapshotType: 'automated',
    });
  });

  it('reports a cluster whose newest completed automated snapshot is too old, with its age', async () => {
    givenCluster('aurora-a', [clusterSnapshot(50), clusterSnapshot(30), clusterSnapshot(1, 'creating')]);

    const output = await checkBackups(deps({ ...clusters('aurora-a'), NOTIFY_TIME_ZONE: 'Asia/Seoul' }));

    expect(output.stale).toEqual([
      { id: 'aurora-a', kind: 'cluster', newest: '2026-11-19T06:00:00.000Z', ageHours: 30, reason: 'too old' },
    ]);
    expect(posted).toHaveLength(1);
    expect(alertText()).toContain(
      '• cluster *aurora-a*: newest automated backup 30 h old (2026-11-19 15:00:00 KST (Asia/Seoul))',
    );
    expect(alertText()).toContain('Backups older than 26 h are reported.');
  });

  it('reports missing clusters and instances, and those without any automated backup, in one alert', async () => {
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'aurora-gone' })
      .rejects(rdsError('DBClusterNotFoundFault', 404));
    givenCluster('aurora-new', []);
    rdsMock
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'mysql-gone' })
      .rejects(rdsError('DBInstanceNotFoundFault', 404));
    givenInstance('mysql-nobackup', []);

    const output = await checkBackups(
      deps({ ...clusters('aurora-gone,aurora-new'), ...instances('mysql-gone,mysql-nobackup') }),
    );

    expect(output).toEqual({
      checked: 4,
      stale: [
        { id: 'aurora-gone', kind: 'cluster', reason: 'not found' },
        { id: 'aurora-new', kind: 'cluster', reason: 'no automated backup' },
        { id: 'mysql-gone', kind: 'instance', reason: 'not found' },
        { id: 'mysql-nobackup', kind: 'instance', reason: 'no automated backup' },
      ],
    });
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toBe(
      'RDS backups need attention: cluster aurora-gone (not found), cluster aurora-new (no automated backup), instance mysql-gone (not found), instance mysql-nobackup (no automated backup)',
    );
    expect(alertText()).toContain('4 of 4 RDS backups need attention');
    expect(alertText()).toContain('• instance *mysql-gone*: not found');
  });

  it('pages through the cluster snapshots to find the newest', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: 'aurora-a' }] });
    rdsMock
      .on(DescribeDBClusterSnapshotsCommand, { Marker: undefined })
      .resolves({ DBClusterSnapshots: [clusterSnapshot(70)], Marker: 'page-2' })
      .on(DescribeDBClusterSnapshotsCommand, { Marker: 'page-2' })
      .resolves({ DBClusterSnapshots: [clusterSnapshot(5)] });

    const output = await checkBackups(deps(clusters('aurora-a')));

    expect(output.stale).toEqual([]);
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBClusterSnapshotsCommand, 2);
  });

  it('pages through the instance snapshots to find the newest', async () => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'mysql-b' }] });
    rdsMock
      .on(DescribeDBSnapshotsCommand, { Marker: undefined })
      .resolves({ DBSnapshots: [instanceSnapshot(5)], Marker: 'page-2' })
      .on(DescribeDBSnapshotsCommand, { Marker: 'page-2' })
      .resolves({ DBSnapshots: [instanceSnapshot(80)] });

    const output = await checkBackups(deps(instances('mysql-b')));

    expect(output.stale).toEqual([]);
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBSnapshotsCommand, 2);
  });

  it("counts an instance's latest restorable time as a fresh backup", async () => {
    givenInstance('mysql-b', [instanceSnapshot(100)], 0.1);

    const output = await checkBackups(deps(instances('mysql-b')));

    expect(output.stale).toEqual([]);
  });

  it('reports an instance whose latest restorable time and snapshots are both too old', async () => {
    givenInstance('mysql-b', [instanceSnapshot(100)], 40);

    const output = await checkBackups(deps(instances('mysql-b')));

    expect(output.stale).toEqual([
      { id: 'mysql-b', kind: 'instance', newest: hoursAgo(40).toISOString(), ageHours: 40, reason: 'too old' },
    ]);
  });

  it('returns the stale list without failing when no notification is configured', async () => {
    givenCluster('aurora-a', []);

    const output = await checkBackups(deps(clusters('aurora-a'), 'not configured'));

    expect(output.stale).toHaveLength(1);
  });

  it('leaves throttling to a later attempt', async () => {
    rdsMock.on(DescribeDBClustersCommand).rejects(rdsError('Throttling', 400));

    await expect(checkBackups(deps(clusters('aurora-a')))).rejects.toBeInstanceOf(TransientAwsError);
    expect(posted).toEqual([]);
  });
});
