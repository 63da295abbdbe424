/**
 * Which database a log group belongs to. RDS publishes to `/aws/rds/cluster/{cluster}/{type}`
 * (Aurora: one stream per instance, named by the instance id) and to
 * `/aws/rds/instance/{instance}/{type}`; FORWARD_LOG_GROUP_MAPPING overrides either, and names
 * groups that follow neither form.
 */
import { ConfigurationError } from '../errors';
import { LOG_TYPES, type LogType } from '../types';
import type { LogGroupMapping } from './forward-config';

export interface LogSource {
  readonly cluster: string;
  readonly instance: string;
  readonly type: LogType;
}

const RDS_GROUP = /^\/aws\/rds\/(cluster|instance)\/([^/]+)\/([^/]+)$/;

const isLogType = (value: string | undefined): value is LogType =>
  (LOG_TYPES as readonly (string | undefined)[]).includes(value);

function fromGroupName(logGroup: string, logStream: string): Partial<LogSource> {
  const [, kind, id, type] = RDS_GROUP.exec(logGroup) ?? [];
  if (!id) return {};
  const inferredType = isLogType(type) ? type : undefined;
  // In instance groups the stream is named after the instance too; the group name is the surer source.
  if (kind === 'instance') return { cluster: id, instance: id, type: inferredType };
  return { cluster: id, instance: logStream, type: inferredType };
}

/** The cluster, instance and log type of a group's events; throws a ConfigurationError when they cannot be told. */
export function logSource(
  logGroup: string,
  logStream: string,
  mapping: Readonly<Record<string, LogGroupMapping>>,
): LogSource {
  const mapped = mapping[logGroup] ?? {};
  const inferred = fromGroupName(logGroup, logStream);
  const cluster = mapped.cluster ?? inferred.cluster;
  const type = mapped.type ?? inferred.type;
  if (cluster === undefined || type === undefined) {
    throw new ConfigurationError(
      'FORWARD_LOG_GROUP_MAPPING',
      `an entry for "${logGroup}" with "cluster" and "type" (${LOG_TYPES.join(', ')}), or a group named /aws/rds/cluster/{cluster}/{type} or /aws/rds/instance/{instance}/{type}`,
      'cannot tell the database or log type of this log group',
    );
  }
  return { cluster, instance: mapped.instance ?? inferred.instance ?? logStream, type };
}
