// Clusters and stand-alone instances. Identifiers follow the RDS rules, lowercased as
// RDS stores them, and are unique across the seed so every lookup is unambiguous.
import { child, type FieldReader, item } from './fields';
import {
  AURORA_ENGINES,
  INSTANCE_ENGINES,
  MEMBER_STATUSES,
  type SeedCluster,
  type SeedClusterMember,
  type SeedInstance,
} from './types';

const DB_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;
const DB_IDENTIFIER_FORM =
  'a DB identifier: 1-63 lowercase letters, digits or hyphens, starting with a letter, without "--" or a final "-"';

function parseMember(r: FieldReader, path: string, value: unknown): SeedClusterMember | undefined {
  const raw = r.object(path, value, ['instance', 'writer', 'status']);
  if (raw === undefined) return undefined;
  const instance = r.string(child(path, 'instance'), raw.instance, DB_IDENTIFIER_FORM, DB_IDENTIFIER);
  const writer = raw.writer === undefined ? false : r.boolean(child(path, 'writer'), raw.writer);
  const status = raw.status === undefined ? 'available' : r.oneOf(child(path, 'status'), raw.status, MEMBER_STATUSES);
  if (instance === undefined || writer === undefined || status === undefined) return undefined;
  return { instance, writer, status };
}

function parseCluster(r: FieldReader, path: string, value: unknown): SeedCluster | undefined {
  const raw = r.object(path, value, ['id', 'engine', 'members']);
  if (raw === undefined) return undefined;
  const id = r.string(child(path, 'id'), raw.id, DB_IDENTIFIER_FORM, DB_IDENTIFIER);
  const engine = r.oneOf(child(path, 'engine'), raw.engine, AURORA_ENGINES);
  const membersPath = child(path, 'members');
  const members = r.list(membersPath, raw.members).map((member, i) => parseMember(r, item(membersPath, i), member));
  const writers = members.filter((member) => member?.writer).length;
  if (members.length > 0 && writers !== 1) {
    r.problem(membersPath, `expected exactly one member with "writer": true, found ${writers}`);
  }
  if (id === undefined || engine === undefined || members.some((member) => member === undefined)) return undefined;
  return { id, engine, members: members as SeedClusterMember[] };
}

function parseInstance(r: FieldReader, path: string, value: unknown): SeedInstance | undefined {
  const raw = r.object(path, value, ['id', 'engine']);
  if (raw === undefined) return undefined;
  const id = r.string(child(path, 'id'), raw.id, DB_IDENTIFIER_FORM, DB_IDENTIFIER);
  const engine = r.oneOf(child(path, 'engine'), raw.engine, INSTANCE_ENGINES);
  return id === undefined || engine === undefined ? undefined : { id, engine };
}

export function parseClusters(r: FieldReader, value: unknown): SeedCluster[] {
  const clusters = r.list('clusters', value).map((cluster, i) => parseCluster(r, item('clusters', i), cluster));
  return clusters.filter((cluster): cluster is SeedCluster => cluster !== undefined);
}

export function parseInstances(r: FieldReader, value: unknown): SeedInstance[] {
  const instances = r.list('instances', value).map((instance, i) => parseInstance(r, item('instances', i), instance));
  return instances.filter((instance): instance is SeedInstance => instance !== undefined);
}

/** Reports identifiers used twice and returns the set of every DB instance id. */
export function checkIdentifiers(r: FieldReader, clusters: readonly SeedCluster[], instances: readonly SeedInstance[]) {
  const clusterIds = new Set<string>();
  for (const [i, cluster] of clusters.entries()) {
    if (clusterIds.has(cluster.id)) r.problem(item('clusters', i), `cluster id "${cluster.id}" is used twice`);
    clusterIds.add(cluster.id);
  }
  const instanceIds = new Set<string>();
  const claim = (path: string, id: string) => {
    if (instanceIds.has(id)) r.problem(path, `instance id "${id}" is used twice`);
    instanceIds.add(id);
  };
  for (const [i, cluster] of clusters.entries()) {
    for (const [j, member] of cluster.members.entries()) {
      claim(`${item('clusters', i)}.${item('members', j)}.instance`, member.instance);
    }
  }
  for (const [i, instance] of instances.entries()) claim(`${item('instances', i)}.id`, instance.id);
  return instanceIds;
}
