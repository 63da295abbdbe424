// DescribeDBInstances: one instance by id, or all of them narrowed by filters, paged.
import { clusterArn, instanceArn } from './arns';
import { dbInstanceNotFound } from './errors';
import { pageOf, readMaxRecords } from './paging';
import { applyFilters, readFilters } from './query-params';
import type { InstanceView, RdsWorld } from './world';
import { element, wrap } from './xml';

function instanceXml(world: RdsWorld, instance: InstanceView): string {
  // A paused Serverless v2 instance still reads "available" here (unconfirmed by AWS docs):
  // only DescribeDBLogFiles' DBInstanceNotReady tells the workflow it is paused.
  return wrap(
    'DBInstance',
    element('DBInstanceIdentifier', instance.id) +
      element('DBInstanceArn', instanceArn(world.region, instance.id)) +
      element('DBInstanceClass', instance.clusterId === undefined ? 'db.t4g.micro' : 'db.serverless') +
      element('Engine', instance.engine) +
      element('DBInstanceStatus', 'available') +
      element('DBClusterIdentifier', instance.clusterId),
  );
}

export function describeDbInstances(world: RdsWorld, params: URLSearchParams): string {
  const maxRecords = readMaxRecords(params.get('MaxRecords'), { min: 20, max: 100, fallback: 100 });
  const id = params.get('DBInstanceIdentifier');
  let instances: readonly InstanceView[] = world.instances;
  if (id !== null && id !== '') {
    const instance = world.instance(id) ?? world.instances.find((i) => instanceArn(world.region, i.id) === id);
    if (instance === undefined) throw dbInstanceNotFound(id);
    instances = [instance];
  }
  instances = applyFilters(instances, readFilters(params), {
    'db-cluster-id': (i) => (i.clusterId === undefined ? [] : [i.clusterId, clusterArn(world.region, i.clusterId)]),
    'db-instance-id': (i) => [i.id, instanceArn(world.region, i.id)],
    engine: (i) => [i.engine],
  });
  const { page, nextMarker } = pageOf(instances, (i) => i.id, params.get('Marker'), maxRecords, 'DescribeDBInstances');
  return wrap('DBInstances', page.map((i) => instanceXml(world, i)).join('')) + element('Marker', nextMarker);
}
