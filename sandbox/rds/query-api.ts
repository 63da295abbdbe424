// The awsQuery actions the stand-in answers (POST form bodies, XML results).
import { describeDbClusters } from './describe-db-clusters';
import { describeDbInstances } from './describe-db-instances';
import { describeDbLogFiles } from './describe-db-log-files';
import { RdsFault } from './errors';
import type { RdsWorld } from './world';

export const QUERY_ACTIONS = ['DescribeDBClusters', 'DescribeDBInstances', 'DescribeDBLogFiles'] as const;
export type QueryAction = (typeof QUERY_ACTIONS)[number];

export function readAction(params: URLSearchParams): QueryAction {
  const action = params.get('Action');
  if (action === null || action === '') {
    throw new RdsFault('MissingAction', 400, 'The request must contain the parameter Action');
  }
  if (!(QUERY_ACTIONS as readonly string[]).includes(action)) {
    throw new RdsFault('InvalidAction', 400, `The action ${action} is not valid for this web service.`);
  }
  return action as QueryAction;
}

/** The result XML of the action, and for DescribeDBLogFiles the names it listed. */
export function runAction(
  world: RdsWorld,
  action: QueryAction,
  params: URLSearchParams,
): { xml: string; listed?: Set<string> } {
  switch (action) {
    case 'DescribeDBClusters':
      return { xml: describeDbClusters(world, params) };
    case 'DescribeDBInstances':
      return { xml: describeDbInstances(world, params) };
    case 'DescribeDBLogFiles':
      return describeDbLogFiles(world, params);
  }
}
