import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { rdsClient, secretsClient } from './common/clients';
import { asTaskError } from './common/errors';
import { makeHandler } from './common/handler';
import { logger } from './common/logger';
import { type NotifyConfig, notifyConfig } from './common/notify-config';
import { clip, context, header, listWithMore, section } from './common/run-report-format';
import { escapeMrkdwn, formatLocalTime } from './common/slack-format';
import { type SlackMessage, type SlackNotifier, slackNotifier } from './common/slack-webhook';

/** A cluster or instance the alert lists, and why. */
export interface StaleBackup {
  readonly id: string;
  readonly kind: 'cluster' | 'instance';
  /** The newest completed automated backup (ISO-8601), if there is one. */
  readonly newest?: string;
  /** Age of that backup in hours, one decimal. */
  readonly ageHours?: number;
  readonly reason: 'not found' | 'no automated backup' | 'too old';
}

export interface CheckBackupsOutput {
  /** Clusters and instances looked at. */
  readonly checked: number;
  readonly stale: StaleBackup[];
}

/** Clients, settings and the clock, passed in so tests can give their own. */
export interface CheckBackupsDeps {
  readonly rds: RDSClient;
  readonly notifier: SlackNotifier;
  readonly config: NotifyConfig;
  readonly now: () => number;
}

const later = (a: number | undefined, b: Date | undefined) => (b && b.getTime() > (a ?? 0) ? b.getTime() : a);

/** Whether the cluster exists, and when its newest completed automated snapshot was taken. */
async function newestOfCluster(rds: RDSClient, id: string): Promise<{ found: boolean; newest?: number }> {
  try {
    await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    let newest: number | undefined;
    const pages = paginateDescribeDBClusterSnapshots(
      { client: rds },
      { DBClusterIdentifier: id, SnapshotType: 'automated' },
    );
    for await (const page of pages) {
      for (const snapshot of page.DBClusterSnapshots ?? [])
        if (snapshot.Status === 'available') newest = later(newest, snapshot.SnapshotCreateTime);
    }
    return { found: true, newest };
  } catch (error) {
    if ((error as Error).name === 'DBClusterNotFoundFault') return { found: false };
    throw asTaskError(error, `describing backups of cluster ${id}`);
  }
}

/** Whether the instance exists, and how fresh its backups are: the later of its latest restorable time (continuous backup) and its newest completed automated snapshot. */
async function newestOfInstance(rds: RDSClient, id: string): Promise<{ found: boolean; newest?: number }> {
  try {
    const described = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    let newest = later(undefined, described.DBInstances?.[0]?.LatestRestorableTime);
    const pages = paginateDescribeDBSnapshots({ client: rds }, { DBInstanceIdentifier: id, SnapshotType: 'automated' });
    for await (const page of pages) {
      for (const snapshot of page.DBSnapshots ?? [])
        if (snapshot.Status === 'available') newest = later(newest, snapshot.SnapshotCreateTime);
    }
    return { found: true, newest };
  } catch (error) {
    if ((error as Error).name === 'DBInstanceNotFoundFault') return { found: false };
    throw asTaskError(error, `describing backups of instance ${id}`);
  }
}

function judge(
  id: string,
  kind: StaleBackup['kind'],
  { found, newest }: { found: boolean; newest?: number },
  deps: CheckBackupsDeps,
): StaleBackup | undefined {
  if (!found) return { id, kind, reason: 'not found' };
  if (newest === undefined) return { id, kind, reason: 'no automated backup' };
  const ageHours = Math.round((deps.now() - newest) / 360_000) / 10;
  if (ageHours <= deps.config.backupMaxAgeHours) return undefined;
  return { id, kind, newest: new Date(newest).toISOString(), ageHours, reason: 'too old' };
}

function describe(item: StaleBackup, timeZone: string): string {
  const name = `${item.kind} *${escapeMrkdwn(item.id)}*`;
  if (item.reason === 'not found') return `• ${name}: not found`;
  if (item.reason === 'no automated backup') return `• ${name}: no completed automated backup`;
  return `• ${name}: newest automated backup ${item.ageHours} h old (${formatLocalTime(item.newest ?? '', timeZone)})`;
}

/** One alert listing every stale or missing backup. */
export function formatStaleBackups(stale: readonly StaleBackup[], checked: number, config: NotifyConfig): SlackMessage {
  const lines = listWithMore(stale.map((item) => describe(item, config.timeZone)));
  return {
    text: clip(
      `RDS backups need attention: ${stale.map((item) => `${item.kind} ${item.id} (${item.reason})`).join(', ')}`,
      1000,
    ),
    blocks: [
      header(`:warning: ${stale.length} of ${checked} RDS backups need attention`),
      section(lines.join('\n')),
      context(`Backups older than ${config.backupMaxAgeHours} h are reported.`),
    ],
  };
}

/** The daily check: every configured cluster and instance has a recent completed automated backup. */
export async function checkBackups(deps: CheckBackupsDeps): Promise<CheckBackupsOutput> {
  const stale: StaleBackup[] = [];
  for (const id of deps.config.clusters) {
    const verdict = judge(id, 'cluster', await newestOfCluster(deps.rds, id), deps);
    if (verdict) stale.push(verdict);
  }
  for (const id of deps.config.instances) {
    const verdict = judge(id, 'instance', await newestOfInstance(deps.rds, id), deps);
    if (verdict) stale.push(verdict);
  }
  const checked = deps.config.clusters.length + deps.config.instances.length;
  if (stale.length === 0) {
    logger.info('backups fresh', { checked });
    return { checked, stale };
  }
  const posted = await deps.notifier.post(formatStaleBackups(stale, checked, deps.config));
  logger.warn('backups need attention', { checked, stale, posted });
  return { checked, stale };
}

export const handler = makeHandler('check backups', () => {
  const config = notifyConfig();
  return checkBackups({
    rds: rdsClient(),
    notifier: slackNotifier({ secrets: secretsClient(), config }),
    config,
    now: Date.now,
  });
});
