/**
 * RDS events as EventBridge delivers them: validation, the kind a person cares about, and the
 * archive key. docs/notifications.md has the classification table.
 */
import { InvalidInputError } from './errors';
import { RDS_EVENTS_PREFIX } from './layout';
import type { RdsEventKind } from './notify-config';

/** The `detail` of an RDS event (the same fields as DescribeEvents, with the event id). */
export interface RdsEventDetail {
  readonly EventCategories: readonly string[];
  /** DB_INSTANCE, CLUSTER, SNAPSHOT, CLUSTER_SNAPSHOT, DB_PARAMETER_GROUP, … */
  readonly SourceType: string;
  readonly SourceArn: string;
  readonly Date: string;
  readonly Message: string;
  /** The instance, cluster or snapshot id; automated snapshots are named `rds:{db}-{YYYY-MM-DD-HH-mm}`. */
  readonly SourceIdentifier: string;
  readonly EventID: string;
}

/** The EventBridge envelope around an RDS event. */
export interface RdsEvent {
  readonly version: string;
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: 'aws.rds';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: RdsEventDetail;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Key segments come from the event: only plain characters, no `/` and no `..`. */
const KEY_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,254}$/;

const FIELDS: readonly (readonly [string, RegExp, string])[] = [
  ['version', /^\S+$/, 'a version string such as "0"'],
  ['id', /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/, 'the EventBridge event id (letters, digits, -)'],
  ['detail-type', /^RDS .*Event$/, 'an RDS detail-type such as "RDS DB Cluster Event"'],
  ['source', /^aws\.rds$/, '"aws.rds"'],
  ['account', /^\d{12}$/, 'a 12-digit AWS account id'],
  ['time', /^\d{4}-\d{2}-\d{2}T/, 'an ISO-8601 time'],
  ['region', /^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as ap-northeast-2'],
];

const DETAIL_FIELDS: readonly (readonly [string, RegExp, string])[] = [
  ['SourceType', /^[A-Z][A-Z_]*$/, 'an RDS source type such as CLUSTER or DB_INSTANCE'],
  ['SourceArn', /^arn:aws[\w-]*:rds:/, 'an RDS ARN'],
  ['Date', /^\d{4}-\d{2}-\d{2}T/, 'an ISO-8601 time'],
  ['Message', /^[\s\S]*$/, 'a string'],
  ['SourceIdentifier', KEY_SEGMENT, 'an RDS identifier (letters, digits, : . _ -)'],
  ['EventID', /^RDS-EVENT-\d{4,}$/, 'an RDS event id such as RDS-EVENT-0169'],
];

function checkString(value: unknown, field: string, pattern: RegExp, expected: string): void {
  if (typeof value !== 'string') {
    throw new InvalidInputError(field, expected, value === undefined ? 'missing' : `got ${typeof value}`);
  }
  if (!pattern.test(value)) throw new InvalidInputError(field, expected, `got "${value.slice(0, 80)}"`);
}

function checkStrings(value: unknown, field: string): void {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new InvalidInputError(field, 'an array of strings', value === undefined ? 'missing' : undefined);
  }
}

function checkDate(value: string, field: string): void {
  if (Number.isNaN(Date.parse(value))) throw new InvalidInputError(field, 'an ISO-8601 time', `got "${value}"`);
}

/**
 * Check that `input` is an RDS event in EventBridge's envelope and return it typed. A
 * malformed event throws an InvalidInputError naming the field (`detail.EventID`, …).
 */
export function parseRdsEvent(input: unknown): RdsEvent {
  if (!isObject(input)) throw new InvalidInputError('event', 'an EventBridge event object');
  for (const [field, pattern, expected] of FIELDS) checkString(input[field], field, pattern, expected);
  checkDate(input.time as string, 'time');
  checkStrings(input.resources, 'resources');
  const detail = input.detail;
  if (!isObject(detail)) throw new InvalidInputError('detail', 'an object with the RDS event fields');
  checkStrings(detail.EventCategories, 'detail.EventCategories');
  for (const [field, pattern, expected] of DETAIL_FIELDS) {
    checkString(detail[field], `detail.${field}`, pattern, expected);
  }
  checkDate(detail.Date as string, 'detail.Date');
  return input as unknown as RdsEvent;
}

/** Snapshot created: automated DB (0091), manual DB (0042), automated cluster (0169), manual cluster (0075). */
export const SNAPSHOT_CREATED_EVENTS: readonly string[] = [
  'RDS-EVENT-0091',
  'RDS-EVENT-0042',
  'RDS-EVENT-0169',
  'RDS-EVENT-0075',
];

/** A message that reports something failing, whatever the category ("export task failed", "Error restarting mysql"). */
const FAILED_MESSAGE = /\b(failed|failure|error)\b/i;
const REBOOT_MESSAGE = /\b(reboot(ed|ing)?|restarted)\b/i;

/**
 * The rules in order; the first that matches decides. Categories are compared in lower case.
 * docs/notifications.md shows the same table.
 */
const RULES: readonly (readonly [RdsEventKind, (detail: RdsEventDetail, categories: readonly string[]) => boolean])[] =
  [
    ['failure', (_, categories) => categories.includes('failure')],
    ['failure', (detail) => FAILED_MESSAGE.test(detail.Message)],
    ['snapshot', (detail) => SNAPSHOT_CREATED_EVENTS.includes(detail.EventID)],
    ['backup', (_, categories) => categories.includes('backup')],
    ['failover', (_, categories) => categories.includes('failover') || categories.includes('global failover')],
    ['reboot', (detail) => detail.EventID === 'RDS-EVENT-0006' || REBOOT_MESSAGE.test(detail.Message)],
    ['maintenance', (_, categories) => categories.includes('maintenance') || categories.includes('security patching')],
  ];

/** The kind of an RDS event, from its categories, its event id and its message. */
export function classify(event: RdsEvent): RdsEventKind {
  const categories = event.detail.EventCategories.map((category) => category.toLowerCase());
  return RULES.find(([, matches]) => matches(event.detail, categories))?.[0] ?? 'other';
}

/**
 * Where the event is stored: `rds-events/{YYYY}/{MM}/{DD}/{sourceIdentifier}/{eventId}-{id}.json`,
 * dated by `detail.Date` in UTC. The envelope id makes the key unique per delivery of a
 * distinct event, and the same for every redelivery of it.
 */
export function eventKey(event: RdsEvent): string {
  const date = new Date(event.detail.Date).toISOString();
  const day = `${date.slice(0, 4)}/${date.slice(5, 7)}/${date.slice(8, 10)}`;
  return `${RDS_EVENTS_PREFIX}${day}/${event.detail.SourceIdentifier}/${event.detail.EventID}-${event.id}.json`;
}

/** The object that records that an event was posted to Slack, beside the event itself. */
export function postedMarkerKey(key: string): string {
  return key.replace(/\.json$/, '.posted');
}

/** What kind of thing the event is about, for messages and console links. */
export type RdsSourceKind = 'cluster' | 'instance' | 'cluster snapshot' | 'snapshot' | 'other';

const SOURCE_KINDS: Readonly<Record<string, RdsSourceKind>> = {
  CLUSTER: 'cluster',
  DB_CLUSTER: 'cluster',
  DB_INSTANCE: 'instance',
  SNAPSHOT: 'snapshot',
  DB_SNAPSHOT: 'snapshot',
  CLUSTER_SNAPSHOT: 'cluster snapshot',
  DB_CLUSTER_SNAPSHOT: 'cluster snapshot',
};

export function sourceKind(event: RdsEvent): RdsSourceKind {
  return SOURCE_KINDS[event.detail.SourceType] ?? 'other';
}

const AUTOMATED_SNAPSHOT = /^rds:([A-Za-z][A-Za-z0-9-]*)-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}$/;

/**
 * The cluster or instance a snapshot event is about, read from an automated snapshot's name
 * (`rds:aurora-a-2026-11-21-15-30` → `aurora-a`); undefined for manual snapshots, whose names are free.
 */
export function snapshotDatabase(event: RdsEvent): string | undefined {
  const kind = sourceKind(event);
  if (kind !== 'snapshot' && kind !== 'cluster snapshot') return undefined;
  return AUTOMATED_SNAPSHOT.exec(event.detail.SourceIdentifier)?.[1];
}
