import { paginateDescribeDBClusters, paginateDescribeDBInstances, type RDSClient } from '@aws-sdk/client-rds';
import { rdsClient } from './common/clients';
import { asTaskError } from './common/errors';
import { makeHandler } from './common/handler';
import { logger } from './common/logger';
import type { InstanceRef, RunContext, UnavailableSource } from './common/types';

export interface ListInstancesOutput {
  readonly run: RunContext;
  readonly instances: InstanceRef[];
  readonly unavailable: UnavailableSource[];
}

/** Instance states in which no log file can be downloaded. */
const UNAVAILABLE_STATES = new Set([
  'stopped',
  'stopping',
  'deleting',
  'creating',
  'inaccessible-encryption-credentials',
]);
const NOT_FOUND = new Set(['DBClusterNotFoundFault', 'DBInstanceNotFoundFault']);

async function clusterMembers(rds: RDSClient, clusterId: string): Promise<InstanceRef[]> {
  const members: InstanceRef[] = [];
  for await (const page of paginateDescribeDBClusters({ client: rds }, { DBClusterIdentifier: clusterId })) {
    for (const cluster of page.DBClusters ?? []) {
      for (const member of cluster.DBClusterMembers ?? []) {
        if (member.DBInstanceIdentifier) {
          members.push({ instanceId: member.DBInstanceIdentifier, clusterId, engine: cluster.Engine ?? 'unknown' });
        }
      }
    }
  }
  return members;
}

async function standaloneInstance(rds: RDSClient, instanceId: string): Promise<InstanceRef | UnavailableSource> {
  for await (const page of paginateDescribeDBInstances({ client: rds }, { DBInstanceIdentifier: instanceId })) {
    for (const instance of page.DBInstances ?? []) {
      const status = instance.DBInstanceStatus ?? 'unknown';
      if (UNAVAILABLE_STATES.has(status)) return { kind: 'instance', id: instanceId, reason: `instance is ${status}` };
      // A configured instance that belongs to a cluster is filed under its cluster, like the cluster's members.
      return {
        instanceId,
        clusterId: instance.DBClusterIdentifier ?? instanceId,
        engine: instance.Engine ?? 'unknown',
      };
    }
  }
  return { kind: 'instance', id: instanceId, reason: 'not found' };
}

async function reportMissing<T>(kind: 'cluster' | 'instance', id: string, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (!NOT_FOUND.has((error as Error).name)) throw asTaskError(error, `describing ${kind} ${id}`);
    return { kind, id, reason: 'not found' } satisfies UnavailableSource;
  }
}

/** Configured clusters (their members) and standalone instances; missing ones are reported, not fatal. */
export async function listInstances(event: { run: RunContext }, rds: RDSClient): Promise<ListInstancesOutput> {
  const found = new Map<string, InstanceRef>();
  const unavailable: UnavailableSource[] = [];
  for (const clusterId of event.run.clusters) {
    const result = await reportMissing('cluster', clusterId, () => clusterMembers(rds, clusterId));
    if (!Array.isArray(result)) unavailable.push(result);
    else if (result.length === 0)
      unavailable.push({ kind: 'cluster', id: clusterId, reason: 'cluster has no instances' });
    else for (const member of result) found.set(member.instanceId, member);
  }
  for (const instanceId of event.run.instances) {
    if (found.has(instanceId)) continue;
    const result = await reportMissing('instance', instanceId, () => standaloneInstance(rds, instanceId));
    if ('instanceId' in result) found.set(instanceId, result);
    else unavailable.push(result);
  }
  if (unavailable.length > 0) logger.warn('sources unavailable', { unavailable });
  return { run: event.run, instances: [...found.values()], unavailable };
}

export const handler = makeHandler('list instances', (event: { run: RunContext }) => listInstances(event, rdsClient()));
