import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { FunctionName, RdsLogArchive } from '../../infra/constructs/rds-log-archive';

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

export const actionsOf = (statement: Statement) => [statement.Action].flat();
/** Tracing adds X-Ray actions on `*` to every role; the policy minimizer may merge them into a task's statement. */
const ownActionsOf = (statement: Statement) => actionsOf(statement).filter((action) => !action.startsWith('xray:'));

/** The Allow statements of every policy attached to a role, without the X-Ray actions tracing adds. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
    .map((statement) => ({ ...statement, Action: ownActionsOf(statement) }))
    .filter((statement) => statement.Action.length > 0);
}

/** The statements of one task function's role. */
export function functionStatements(archive: RdsLogArchive, template: Template, task: FunctionName): Statement[] {
  const role = archive.functions[task].role;
  if (!role) throw new Error(`${task} has no role`);
  return roleStatements(template, Stack.of(archive).getLogicalId(role.node.defaultChild as never));
}

/**
 * A resource as a short readable string: `*`, `bucket`, `bucket/_exports/*`, `{LogicalId.Arn}`,
 * `log-group:/aws/…`, `cluster:orders-aurora` or `secret:name-??????` (the partition, region and
 * account of the stack left out).
 */
export function describeResource(resource: unknown, bucketId: string): string {
  const part = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const record = value as Record<string, unknown>;
    if ('Ref' in record) return `{${record.Ref}}`;
    if ('Fn::GetAtt' in record) {
      const [id, attribute] = record['Fn::GetAtt'] as string[];
      return id === bucketId ? 'bucket' : `{${id}.${attribute}}`;
    }
    if ('Fn::Join' in record) return (record['Fn::Join'] as [string, unknown[]])[1].map(part).join('');
    return JSON.stringify(value);
  };
  return part(resource).replace(/^arn:\{AWS::Partition\}:[a-z-]+:\{AWS::Region\}:\{AWS::AccountId\}:/, '');
}

/**
 * What a task may do, as `action → resources`; a condition on s3:prefix or kms:ViaService is
 * written after the resource. Exact comparisons against this show every permission a task has.
 */
export function grantsOf(archive: RdsLogArchive, template: Template, task: FunctionName): Record<string, string[]> {
  const bucketId = Stack.of(archive).getLogicalId(archive.bucket.node.defaultChild as never);
  const grants: Record<string, string[]> = {};
  for (const statement of functionStatements(archive, template, task)) {
    const condition = statement.Condition as
      | { StringLike?: Record<string, string[]>; StringEquals?: Record<string, unknown> }
      | undefined;
    const prefixes = condition?.StringLike?.['s3:prefix'];
    const viaService = condition?.StringEquals?.['kms:ViaService'];
    const suffix = prefixes
      ? ` if s3:prefix ${prefixes.join(' | ')}`
      : viaService
        ? ` via ${describeResource(viaService, bucketId)}`
        : '';
    const resources = [statement.Resource].flat().map((resource) => describeResource(resource, bucketId) + suffix);
    for (const action of actionsOf(statement)) grants[action] = [...(grants[action] ?? []), ...resources].sort();
  }
  return grants;
}
