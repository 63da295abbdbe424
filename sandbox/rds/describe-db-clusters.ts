// DescribeDBClusters: one cluster by id, or all of them narrowed by filters, paged.
import type { SeedCluster } from '../seed-format/types';
import { clusterArn } from './arns';
import { dbClusterNotFound } from './errors';
import { pageOf, readMaxRecords } from './paging';
import { applyFilters, readFilters } from './query-params';
import type { RdsWorld } from './world';
import { element, wrap } from './xml';

function clusterXml(world: RdsWorld, cluster: SeedCluster): string {
  const members = cluster.members.map((member, i) =>
    wrap(
      'DBClusterMember',
      element('DBInstanceIdentifier', member.instance) +
        element('IsClusterWriter', member.writer) +
        element('DBClusterParameterGroupStatus', 'in-sync') +
        element('PromotionTier', i + 1),
    ),
  );
  return wrap(
    'DBCluster',
    element('DBClusterIdentifier', cluster.id) +
      element('DBClusterArn', clusterArn(world.region, cluster.id)) +
      element('Engine', cluster.engine) +
      element('EngineMode', 'provisioned') +
      element('Status', 'available') +
      wrap('DBClusterMembers', members.join('')),
  );
}

export function describeDbClusters(world: RdsWorld, params: URLSearchParams): string {
  const maxRecords = readMaxRecords(params.get('MaxRecords'), { min: 20, max: 100, fallback: 100 });
  const id = params.get('DBClusterIdentifier');
  let clusters: readonly SeedCluster[] = world.clusters;
  if (id !== null && id !== '') {
    const cluster = world.cluster(id) ?? world.clusters.find((c) => clusterArn(world.region, c.id) === id);
    if (cluster === undefined) throw dbClusterNotFound(id);
    clusters = [cluster];
  }
  clusters = applyFilters(clusters, readFilters(params), {
    'db-cluster-id': (c) => [c.id, clusterArn(world.region, c.id)],
    engine: (c) => [c.engine],
  });
  const { page, nextMarker } = pageOf(clusters, (c) => c.id, params.get('Marker'), maxRecords, 'DescribeDBClusters');
  return wrap('DBClusters', page.map((cluster) => clusterXml(world, cluster)).join('')) + element('Marker', nextMarker);
}
