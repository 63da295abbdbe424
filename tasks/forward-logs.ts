/**
 * The target of CloudWatch Logs subscription filters and of the RDS event rule: parse each log
 * event, enrich it with its cluster and instance, and deliver it to OpenSearch or an HTTPS
 * endpoint; store what cannot be delivered under forward-failed/ and replay it on request.
 * docs/forwarding.md describes the whole path.
 */

import { InvalidInputError } from './common/errors';
import { decodeAwsLogs, isAwsLogsEvent } from './common/forward/awslogs';
import { logDocuments, rdsEventDocument } from './common/forward/documents';
import { type ForwardConfig, forwardConfig } from './common/forward/forward-config';
import { forwardDeps } from './common/forward/forward-deps';
import { type ForwardDeps, type ForwardOutcome, forwardDocuments } from './common/forward/forward-documents';
import { logSource } from './common/forward/log-source';
import { parseReplayRequest, type ReplayOutcome, replayFailed } from './common/forward/replay';
import { makeHandler } from './common/handler';
import { logger } from './common/logger';
import { parseRdsEvent } from './common/rds-events';

export interface ForwardLogsDeps extends ForwardDeps {
  readonly config: ForwardConfig;
}

export type ForwardLogsOutput =
  | ({ readonly source: 'awslogs'; readonly logGroup: string } & ForwardOutcome)
  | { readonly source: 'awslogs'; readonly skipped: 'control message' }
  | ({ readonly source: 'rds-event'; readonly id: string } & ForwardOutcome)
  | ({ readonly source: 'replay' } & ReplayOutcome);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function forwardAwsLogs(input: unknown, deps: ForwardLogsDeps): Promise<ForwardLogsOutput> {
  const data = decodeAwsLogs(input);
  if (data.messageType === 'CONTROL_MESSAGE') return { source: 'awslogs', skipped: 'control message' };
  const source = logSource(data.logGroup, data.logStream, deps.config.logGroupMapping);
  const documents = logDocuments(data, source, deps.config.indexPrefix);
  const outcome = await forwardDocuments(documents, deps);
  logger.info('forwarded log events', {
    logGroup: data.logGroup,
    logStream: data.logStream,
    events: data.logEvents.length,
    ...outcome,
  });
  return { source: 'awslogs', logGroup: data.logGroup, ...outcome };
}

/** Dispatch on the input's shape: a subscription delivery, an RDS event, or a replay request. */
export async function forwardLogs(input: unknown, deps: ForwardLogsDeps): Promise<ForwardLogsOutput> {
  if (isAwsLogsEvent(input)) return forwardAwsLogs(input, deps);
  if (isObject(input) && 'replay' in input) {
    return { source: 'replay', ...(await replayFailed(parseReplayRequest(input.replay), deps)) };
  }
  if (isObject(input) && input.source === 'aws.rds') {
    const event = parseRdsEvent(input);
    const outcome = await forwardDocuments([rdsEventDocument(event, deps.config.indexPrefix)], deps);
    return { source: 'rds-event', id: event.id, ...outcome };
  }
  throw new InvalidInputError(
    'event',
    'a CloudWatch Logs subscription delivery {"awslogs":…}, an RDS event (source aws.rds) or {"replay":{"prefix":…}}',
  );
}

export const handler = makeHandler('forward logs', (event: unknown) => {
  const config = forwardConfig();
  return forwardLogs(event, { ...forwardDeps(config), config });
});
