import type { App } from 'aws-cdk-lib';
import { TRIM_MODES } from '../tasks/common/cloudwatch-types';
import { RDS_EVENT_KINDS } from '../tasks/common/notify-config';
import { BUCKET_ENCRYPTIONS, OBJECT_LOCK_MODES, type RdsLogArchiveProps } from './constructs/archive-props';
import { FORWARD_TARGETS, type ForwardLogGroupMapping, OPENSEARCH_SERVICES } from './constructs/forward-props';
import { POWERTOOLS_LOG_LEVELS } from './constructs/task-function';

/** The error for a context value of the wrong form: it names the key and the expected form. */
function wrongForm(key: string, expected: string, value: unknown): Error {
  return new Error(`context "${key}": expected ${expected}, got ${JSON.stringify(value)}`);
}

/**
 * A context list from cdk.json (a JSON array) or from the command line (`-c clusters=a,b`);
 * undefined when the key is not set. The error names the key and the expected form.
 */
export function contextList(app: App, key: string): string[] | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw wrongForm(key, 'an array of strings or a comma-separated string', value);
}

/** A list of `choices`, from cdk.json or the command line (comma-separated); undefined when the key is not set. */
export function contextChoices<T extends string>(app: App, key: string, choices: readonly T[]): T[] | undefined {
  const values = contextList(app, key);
  const wrong = values?.find((value) => !(choices as readonly string[]).includes(value));
  if (wrong !== undefined) throw wrongForm(key, `a list of ${choices.join(', ')}`, wrong);
  return values as T[] | undefined;
}

/**
 * A list of JSON objects: a JSON array in cdk.json, its JSON text on the command line
 * (`-c 'metricWidgets=[{…}]'`); undefined when the key is not set.
 */
export function contextObjects(app: App, key: string): Record<string, unknown>[] | undefined {
  let value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw wrongForm(key, 'a JSON array of objects', value);
    }
  }
  const isObject = (item: unknown) => typeof item === 'object' && item !== null && !Array.isArray(item);
  if (Array.isArray(value) && value.every(isObject)) return value as Record<string, unknown>[];
  throw wrongForm(key, 'a JSON array of objects', value);
}

/**
 * A JSON object: an object in cdk.json, its JSON text on the command line
 * (`-c 'forwardLogGroupMapping={…}'`); undefined when the key is not set.
 */
export function contextRecord(app: App, key: string): Record<string, unknown> | undefined {
  const given: unknown = app.node.tryGetContext(key);
  if (given === undefined) return undefined;
  let value = given;
  if (typeof given === 'string') {
    try {
      value = JSON.parse(given);
    } catch {
      throw wrongForm(key, 'a JSON object', given);
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw wrongForm(key, 'a JSON object', given);
}

/** One of `choices`, from cdk.json or the command line; undefined when the key is not set. */
export function contextChoice<T extends string>(app: App, key: string, choices: readonly T[]): T | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value.trim() : value;
  if ((choices as readonly unknown[]).includes(text)) return text as T;
  throw wrongForm(key, `one of ${choices.join(', ')}`, value);
}

/** A whole number: a JSON number in cdk.json, digits on the command line; undefined when not set. */
export function contextInteger(app: App, key: string): number | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  throw wrongForm(key, 'a whole number', value);
}

/** true or false: a JSON boolean in cdk.json, the word on the command line; undefined when not set. */
export function contextFlag(app: App, key: string): boolean | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw wrongForm(key, 'true or false', value);
}

/** A non-empty text value; undefined when the key is not set. The construct checks its form. */
export function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim().length > 0) return value.trim();
  throw wrongForm(key, 'a non-empty string', value);
}

/** A whole number of days, or false to leave the step out; undefined when the key is not set. */
export function contextDaysOrOff(app: App, key: string): number | false | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === false || value === 'false') return false;
  try {
    return contextInteger(app, key);
  } catch {
    throw wrongForm(key, 'a whole number of days, or false', value);
  }
}

/**
 * The archive's configuration from the app's context. Each key is named as the construct's prop,
 * so a value the construct refuses is reported under the same name.
 */
export function archiveProps(app: App): RdsLogArchiveProps {
  return {
    clusters: contextList(app, 'clusters'),
    instances: contextList(app, 'instances'),
    logTypes: contextList(app, 'logTypes'),
    logGroups: contextList(app, 'logGroups'),
    trimMode: contextChoice(app, 'trimMode', TRIM_MODES),
    cloudWatchOlderThanDays: contextInteger(app, 'cloudWatchOlderThanDays'),
    unmask: contextFlag(app, 'unmask'),
    schedule: contextString(app, 'schedule'),
    timeZone: contextString(app, 'timeZone'),
    scheduleEnabled: contextFlag(app, 'scheduleEnabled'),
    encryption: contextChoice(app, 'encryption', BUCKET_ENCRYPTIONS),
    transitions: transitions(app),
    objectLockRetentionDays: contextInteger(app, 'objectLockRetentionDays'),
    objectLockMode: contextChoice(app, 'objectLockMode', OBJECT_LOCK_MODES),
    logRetentionDays: contextInteger(app, 'logRetentionDays'),
    logLevel: contextChoice(app, 'logLevel', POWERTOOLS_LOG_LEVELS),
    alarmEmail: contextString(app, 'alarmEmail'),
    ...notificationProps(app),
    ...forwardingProps(app),
    ...athenaProps(app),
  };
}

/** Forwarding, by the construct's prop names; the mapping as a JSON object of log group name → mapping. */
function forwardingProps(app: App): Partial<RdsLogArchiveProps> {
  return {
    forwardTarget: contextChoice(app, 'forwardTarget', FORWARD_TARGETS),
    forwardEndpoint: contextString(app, 'forwardEndpoint'),
    forwardOpenSearchService: contextChoice(app, 'forwardOpenSearchService', OPENSEARCH_SERVICES),
    forwardOpenSearchArn: contextString(app, 'forwardOpenSearchArn'),
    forwardIndexPrefix: contextString(app, 'forwardIndexPrefix'),
    forwardAuthSecret: contextString(app, 'forwardAuthSecret'),
    forwardLogGroups: contextList(app, 'forwardLogGroups'),
    forwardLogGroupMapping: contextRecord(app, 'forwardLogGroupMapping') as
      | Record<string, ForwardLogGroupMapping>
      | undefined,
    forwardRdsEvents: contextFlag(app, 'forwardRdsEvents'),
  };
}

/** The Athena tables and the parsed output, by the construct's prop names. */
function athenaProps(app: App): Partial<RdsLogArchiveProps> {
  return {
    parsedOutput: contextList(app, 'parsedOutput'),
    athenaTables: contextFlag(app, 'athenaTables'),
    athenaDatabaseName: contextString(app, 'athenaDatabaseName'),
    athenaInstances: contextList(app, 'athenaInstances'),
  };
}

/** The notification settings, by the same names; the secrets by name or ARN. */
function notificationProps(app: App): Partial<RdsLogArchiveProps> {
  return {
    slackWebhookSecret: contextString(app, 'slackWebhookSecret'),
    slackBotTokenSecret: contextString(app, 'slackBotTokenSecret'),
    slackChannelId: contextString(app, 'slackChannelId'),
    notifyTimeZone: contextString(app, 'notifyTimeZone'),
    rdsEventKinds: contextChoices(app, 'rdsEventKinds', RDS_EVENT_KINDS),
    rdsEventDetailTypes: contextList(app, 'rdsEventDetailTypes'),
    rdsEventCategories: contextList(app, 'rdsEventCategories'),
    backupCheckSchedule: contextString(app, 'backupCheckSchedule'),
    backupMaxAgeHours: contextInteger(app, 'backupMaxAgeHours'),
    metricWidgets: contextObjects(app, 'metricWidgets'),
    metricGraphSchedule: contextString(app, 'metricGraphSchedule'),
  };
}

/** Set only when a key is, so that the construct's own defaults apply otherwise. */
function transitions(app: App): RdsLogArchiveProps['transitions'] {
  const glacierInstantRetrievalAfterDays = contextDaysOrOff(app, 'glacierInstantRetrievalAfterDays');
  const deepArchiveAfterDays = contextDaysOrOff(app, 'deepArchiveAfterDays');
  if (glacierInstantRetrievalAfterDays === undefined && deepArchiveAfterDays === undefined) return undefined;
  return { glacierInstantRetrievalAfterDays, deepArchiveAfterDays };
}
