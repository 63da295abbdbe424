import { Token } from 'aws-cdk-lib';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { IDENTIFIER } from '../../tasks/common/config';
import { LOG_TYPES, type LogType } from '../../tasks/common/types';
import { secretProblems } from './notification-props';
import { describe, isSet } from './prop-checks';

/** Where the forward function sends documents. */
export const FORWARD_TARGETS = ['opensearch', 'https'] as const;
export type ForwardTarget = (typeof FORWARD_TARGETS)[number];

/** The SigV4 signing name: an OpenSearch Service domain (`es`) or a Serverless collection (`aoss`). */
export const OPENSEARCH_SERVICES = ['es', 'aoss'] as const;
export type OpenSearchService = (typeof OPENSEARCH_SERVICES)[number];

/** What a log group's events are filed under when its name does not tell (`/aws/rds/cluster/{cluster}/{type}`). */
export interface ForwardLogGroupMapping {
  readonly cluster?: string;
  readonly instance?: string;
  readonly type?: LogType;
}

/** Forwarding of CloudWatch Logs events (and RDS events) to OpenSearch or an HTTPS endpoint, as they arrive. */
export interface ForwardingProps {
  /**
   * Where the forward function sends documents: `opensearch` (an OpenSearch Service domain or a
   * Serverless collection, signed with SigV4) or `https` (an ingest URL). Forwarding is off unless set.
   * @default - no forwarding
   */
  readonly forwardTarget?: ForwardTarget;
  /** The https URL of the domain or collection endpoint, or of the HTTPS ingest endpoint. Required with forwardTarget. */
  readonly forwardEndpoint?: string;
  /**
   * The SigV4 signing name with `opensearch`: `es` for a domain, `aoss` for a Serverless collection.
   * @default 'es'
   */
  readonly forwardOpenSearchService?: OpenSearchService;
  /**
   * The domain ARN (`arn:aws:es:{region}:{account}:domain/{name}`) or collection ARN
   * (`arn:aws:aoss:{region}:{account}:collection/{id}`) the function's role is allowed to write to.
   * @default - no identity policy for OpenSearch: the domain's access policy must allow the role (the synth warns)
   */
  readonly forwardOpenSearchArn?: string;
  /**
   * Documents go to `{prefix}-{cluster}-{type}-YYYY.MM.DD`.
   * @default 'rds-logs'
   */
  readonly forwardIndexPrefix?: string;
  /**
   * With `https`: the secret holding the request's authorization header, by name, ARN or as the
   * secret: a JSON object `{"header": "...", "value": "..."}` or a plain string sent as `Authorization`.
   * @default - no authorization header
   */
  readonly forwardAuthSecret?: ISecret | string;
  /**
   * The CloudWatch Logs groups (exact names) whose events are forwarded: each gets a subscription
   * filter to the forward function. A group takes two subscription filters at most.
   * @default - none
   */
  readonly forwardLogGroups?: readonly string[];
  /** Overrides what is read from a group's name, by group name (one of forwardLogGroups). @default - none */
  readonly forwardLogGroupMapping?: Readonly<Record<string, ForwardLogGroupMapping>>;
  /**
   * Also forward the RDS events of the RDS event rule (the capture function stays its other target).
   * @default false
   */
  readonly forwardRdsEvents?: boolean;
}

/** What forwarding falls back to, in one place so docs and tests can name them. */
export const FORWARD_DEFAULTS = { openSearchService: 'es', indexPrefix: 'rds-logs' } as const;

const DOMAIN_ARN = /^arn:aws[\w-]*:es:[a-z0-9-]+:\d{12}:domain\/[a-z][a-z0-9-]{2,27}$/;
const COLLECTION_ARN = /^arn:aws[\w-]*:aoss:[a-z0-9-]+:\d{12}:collection\/[a-z0-9]{3,40}$/;
/** OpenSearch index names: lowercase, no spaces or \ / * ? " < > | , # :, not starting with - _ +. */
const INDEX_PREFIX = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const LOG_GROUP_NAME = /^[\w\-/.#]{1,512}$/;
/** The mapping shares Lambda's 4 KB of variables with the rest. */
const MAX_MAPPING_CHARACTERS = 2000;

function https(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Every problem with the forwarding props, each naming the prop and the expected form. */
export function forwardingProblems(props: ForwardingProps): string[] {
  const target = props.forwardTarget;
  if (target === undefined) {
    const set = (Object.keys(props) as (keyof ForwardingProps)[]).filter(
      (key) => key.startsWith('forward') && props[key] !== undefined,
    );
    return set.map((key) => `${key}: set forwardTarget too (${FORWARD_TARGETS.join(' or ')}); forwarding is off`);
  }
  const problems: string[] = [];
  if (!(FORWARD_TARGETS as readonly string[]).includes(target)) {
    problems.push(`forwardTarget: ${describe(target)} is not one of ${FORWARD_TARGETS.join(', ')}`);
  }
  const endpoint = props.forwardEndpoint;
  if (endpoint === undefined) problems.push('forwardEndpoint: required with forwardTarget; an https URL');
  else if (isSet(endpoint) && !https(endpoint))
    problems.push(`forwardEndpoint: ${describe(endpoint)} is not an https URL such as https://search.example.com`);
  problems.push(...openSearchProblems(props), ...logGroupProblems(props));
  if (props.forwardAuthSecret !== undefined && target !== 'https') {
    problems.push('forwardAuthSecret: only for forwardTarget https; OpenSearch requests are signed with the role');
  }
  problems.push(...secretProblems('forwardAuthSecret', props.forwardAuthSecret));
  const prefix = props.forwardIndexPrefix;
  if (isSet(prefix) && !INDEX_PREFIX.test(prefix)) {
    problems.push(
      `forwardIndexPrefix: ${describe(prefix)} is not an index name prefix (lowercase letters, digits, . _ -, a letter or digit first)`,
    );
  }
  return problems;
}

function openSearchProblems(props: ForwardingProps): string[] {
  const problems: string[] = [];
  const service = props.forwardOpenSearchService;
  const arn = props.forwardOpenSearchArn;
  if (props.forwardTarget !== 'opensearch') {
    if (service !== undefined) problems.push('forwardOpenSearchService: only for forwardTarget opensearch');
    if (arn !== undefined) problems.push('forwardOpenSearchArn: only for forwardTarget opensearch');
    return problems;
  }
  if (service !== undefined && !(OPENSEARCH_SERVICES as readonly string[]).includes(service)) {
    problems.push(`forwardOpenSearchService: ${describe(service)} is not one of ${OPENSEARCH_SERVICES.join(', ')}`);
  }
  const aoss = service === 'aoss';
  if (isSet(arn) && !(aoss ? COLLECTION_ARN : DOMAIN_ARN).test(arn)) {
    problems.push(
      aoss
        ? `forwardOpenSearchArn: ${describe(arn)} is not a collection ARN (arn:aws:aoss:{region}:{account}:collection/{id})`
        : `forwardOpenSearchArn: ${describe(arn)} is not a domain ARN (arn:aws:es:{region}:{account}:domain/{name})`,
    );
  }
  return problems;
}

function mappingProblems(group: string, entry: unknown, subscribed: readonly string[]): string[] {
  const at = `forwardLogGroupMapping[${describe(group)}]`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return [`${at}: ${describe(entry)} is not an object such as {"cluster": "orders-aurora", "type": "error"}`];
  }
  const problems: string[] = [];
  if (!subscribed.includes(group)) problems.push(`${at}: not one of forwardLogGroups`);
  const { cluster, instance, type, ...unknown } = entry as Record<string, unknown>;
  for (const [field, value] of Object.entries({ cluster, instance })) {
    if (value !== undefined && (typeof value !== 'string' || !IDENTIFIER.test(value))) {
      problems.push(
        `${at}.${field}: ${describe(value)} is not a DB identifier (letter first, then letters, digits, -)`,
      );
    }
  }
  if (type !== undefined && !(LOG_TYPES as readonly unknown[]).includes(type)) {
    problems.push(`${at}.type: ${describe(type)} is not one of ${LOG_TYPES.join(', ')}`);
  }
  for (const field of Object.keys(unknown))
    problems.push(`${at}.${field}: unknown; expected cluster, instance or type`);
  return problems;
}

function logGroupProblems(props: ForwardingProps): string[] {
  const problems: string[] = [];
  const groups = props.forwardLogGroups ?? [];
  groups.forEach((group, index) => {
    if (!Token.isUnresolved(group) && !LOG_GROUP_NAME.test(group)) {
      problems.push(
        `forwardLogGroups[${index}]: ${describe(group)} is not a log group name (letters, digits, _ - / . #; no prefixes)`,
      );
    }
  });
  if (groups.length === 0 && !props.forwardRdsEvents) {
    problems.push('forwardLogGroups, forwardRdsEvents: nothing to forward; name log groups or set forwardRdsEvents');
  }
  const mapping = props.forwardLogGroupMapping;
  if (mapping === undefined) return problems;
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    return [...problems, `forwardLogGroupMapping: ${describe(mapping)} is not an object of log group name → mapping`];
  }
  for (const [group, entry] of Object.entries(mapping)) problems.push(...mappingProblems(group, entry, groups));
  const characters = JSON.stringify(mapping).length;
  if (characters > MAX_MAPPING_CHARACTERS) {
    problems.push(
      `forwardLogGroupMapping: ${characters} characters as JSON, more than the ${MAX_MAPPING_CHARACTERS} that fit ` +
        "beside the function's other variables (Lambda allows 4 KB for all of them)",
    );
  }
  return problems;
}
