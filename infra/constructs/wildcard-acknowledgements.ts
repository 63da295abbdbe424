import { AspectPriority, Aspects, Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * The actions granted on `*` because they take no resource-level permission, with what needs
 * them. IAM refuses any narrower resource for these.
 */
export const ACTIONS_WITHOUT_RESOURCES: Readonly<Record<string, string>> = {
  'xray:PutTraceSegments': 'uploads traces (active tracing)',
  'xray:PutTelemetryRecords': 'uploads tracing telemetry',
  'xray:GetSamplingRules': 'reads the X-Ray sampling rules (state machine tracing)',
  'xray:GetSamplingTargets': 'reads the X-Ray sampling targets (state machine tracing)',
  'logs:DescribeLogGroups':
    'lists log groups (Plan Exports resolves the configured prefixes; Step Functions checks its log group)',
  'logs:DescribeExportTasks': 'reads the state of export tasks (Start Export, Check Export)',
  'logs:CreateLogDelivery': 'sets up the state machine execution log (vended log delivery)',
  'logs:GetLogDelivery': 'reads the state machine log delivery',
  'logs:UpdateLogDelivery': 'updates the state machine log delivery',
  'logs:DeleteLogDelivery': 'removes the state machine log delivery',
  'logs:ListLogDeliveries': 'lists log deliveries for the state machine log',
  'logs:PutResourcePolicy': 'lets the state machine log delivery write to its log group',
  'logs:DescribeResourcePolicies': 'reads the log resource policies for the state machine log delivery',
  'cloudwatch:GetMetricWidgetImage':
    'renders the configured metric widgets as images (Notify Run with the run report, Post Metric Graphs); it reads metrics only',
};

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([value].flat() as T[]));

/**
 * A resolved CloudFormation value as cdk-nag writes it in a finding: `Ref`s and `Fn::GetAtt`s in
 * angle brackets, `Fn::Join`s joined (`<ArchiveBucket1234.Arn>/_runs/*`).
 */
export function flattenReference(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  const node = value as Record<string, unknown> | undefined;
  if (!node) return '';
  if (Array.isArray(node['Fn::Join'])) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub'] !== undefined) return flattenReference(node['Fn::Sub']);
  if (Array.isArray(node['Fn::GetAtt'])) {
    const [resource, attribute] = node['Fn::GetAtt'] as unknown[];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node.Ref !== undefined) return `<${flattenReference(node.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * Records why each wildcard resource of the construct's IAM policies is needed, and acknowledges
 * the AwsSolutions-IAM5 findings for exactly those resources, with that reason and the actions the
 * policy grants on them. A wildcard without a recorded reason stays a finding: a new `*` needs a
 * written justification before cdk-nag lets it through.
 */
export class WildcardAcknowledgements {
  private readonly reasons: { readonly resource: string; readonly reason: string }[] = [];

  constructor(scope: IConstruct) {
    // Read-only priority: the policies are complete when it runs, after every mutating aspect.
    Aspects.of(scope).add({ visit: (node) => this.visit(node) }, { priority: AspectPriority.READONLY });
  }

  /** Notes why `resource` (which contains `*`) is granted; returns it for use in the statement. */
  because(resource: string, reason: string): string {
    this.reasons.push({ resource, reason });
    return resource;
  }

  private visit(node: IConstruct): void {
    const stack = Stack.of(node);
    if (node instanceof CfnPolicy) {
      this.acknowledge(node, list<Statement>(stack.resolve(node.policyDocument)?.Statement));
    } else if (node instanceof CfnRole) {
      const policies = list<{ policyDocument?: { Statement?: Statement[] } }>(stack.resolve(node.policies));
      this.acknowledge(
        node,
        policies.flatMap((policy) => list(policy.policyDocument?.Statement)),
      );
    }
  }

  private acknowledge(node: IConstruct, statements: readonly Statement[]): void {
    const known = new Map(
      this.reasons.map(({ resource, reason }) => [flattenReference(Stack.of(node).resolve(resource)), reason]),
    );
    const actionsOn = new Map<string, Set<string>>();
    for (const statement of statements.filter((candidate) => candidate.Effect === 'Allow')) {
      for (const resource of list(statement.Resource).map(flattenReference)) {
        if (!resource.includes('*')) continue;
        const actions = actionsOn.get(resource) ?? new Set<string>();
        for (const action of list(statement.Action)) actions.add(action);
        actionsOn.set(resource, actions);
      }
    }
    for (const [resource, actionSet] of actionsOn) {
      const actions = [...actionSet].sort();
      const reason = resource === '*' ? reasonForAnyResource(actions) : reasonFor(known.get(resource), actions);
      if (reason) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
    }
  }
}

function reasonFor(why: string | undefined, actions: readonly string[]): string | undefined {
  return why && `${actions.join(', ')}: ${why}`;
}

/** Only when every action on `*` is one that takes no resource. */
function reasonForAnyResource(actions: readonly string[]): string | undefined {
  if (!actions.every((action) => ACTIONS_WITHOUT_RESOURCES[action])) return undefined;
  const each = actions.map((action) => `${action} ${ACTIONS_WITHOUT_RESOURCES[action]}`);
  return `these actions take no resource-level permission, so IAM accepts only *: ${each.join('; ')}`;
}
