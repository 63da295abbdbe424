import { TRIM_MODES, type TrimMode } from './cloudwatch-types';
import { IDENTIFIER, LOG_GROUP_FORM, LOG_GROUP_PATTERN } from './config';
import { InvalidInputError } from './errors';
import { LOG_TYPES, type LogType } from './types';

/** The two inputs the state machine accepts (samples in events/). */
export type RunInput =
  | { readonly mode: 'scheduled'; readonly scheduledTime: Date }
  | {
      readonly mode: 'manual';
      readonly from: Date;
      readonly to: Date;
      readonly clusters?: readonly string[];
      readonly instances?: readonly string[];
      readonly logTypes?: readonly LogType[];
      readonly logGroups?: readonly string[];
      readonly trimMode?: TrimMode;
      readonly force: boolean;
      readonly dryRun: boolean;
    };

const SCHEDULED_KEYS = ['scheduledTime'];
const MANUAL_KEYS = ['from', 'to', 'clusters', 'instances', 'logTypes', 'logGroups', 'trimMode', 'force', 'dryRun'];
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;
const ISO_FORM = 'an ISO-8601 date or date-time with a zone, such as 2026-11-20 or 2026-11-20T09:00:00Z';

function isoDate(value: unknown, field: string): Date {
  if (typeof value !== 'string') throw new InvalidInputError(field, ISO_FORM, 'missing or not a string');
  const match = ISO_8601.exec(value);
  const date = new Date(match?.[4] ? value : `${value}T00:00:00Z`);
  const [, year, month, day] = match ?? [];
  // Check the written calendar date on its own: with a zone offset the UTC instant may fall on another day.
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const calendarOk =
    calendar.getUTCFullYear() === Number(year) &&
    calendar.getUTCMonth() + 1 === Number(month) &&
    calendar.getUTCDate() === Number(day);
  if (!match || Number.isNaN(date.getTime()) || !calendarOk) {
    throw new InvalidInputError(field, ISO_FORM, `got "${value.slice(0, 40)}"`);
  }
  return date;
}

/**
 * The run context, lists included, travels in every state's payload (256 KiB at most): the lists
 * are bounded here, with a named error, rather than failing a later state with
 * States.DataLimitExceeded. docs/scale.md has the arithmetic.
 */
export const MAX_INPUT_IDENTIFIERS = 500;
export const MAX_INPUT_LOG_GROUPS = 200;

function identifiers(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  const expected = `a non-empty list of at most ${MAX_INPUT_IDENTIFIERS} DB identifiers (1-63 letters, digits or -, starting with a letter)`;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_INPUT_IDENTIFIERS) {
    throw new InvalidInputError(field, expected, Array.isArray(value) ? `got ${value.length} items` : undefined);
  }
  value.forEach((item, index) => {
    if (typeof item !== 'string' || !IDENTIFIER.test(item)) {
      throw new InvalidInputError(`${field}[${index}]`, expected, `got ${JSON.stringify(item)?.slice(0, 70)}`);
    }
  });
  return [...new Set(value as string[])];
}

function logTypes(value: unknown): LogType[] | undefined {
  if (value === undefined) return undefined;
  const expected = `a non-empty list of ${LOG_TYPES.join(', ')}`;
  if (!Array.isArray(value) || value.length === 0) throw new InvalidInputError('logTypes', expected);
  value.forEach((item, index) => {
    if (!(LOG_TYPES as readonly unknown[]).includes(item)) {
      throw new InvalidInputError(`logTypes[${index}]`, expected, `got ${JSON.stringify(item)?.slice(0, 40)}`);
    }
  });
  return [...new Set(value as LogType[])];
}

function logGroups(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const expected = `a non-empty list of at most ${MAX_INPUT_LOG_GROUPS} ${LOG_GROUP_FORM}`;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_INPUT_LOG_GROUPS) {
    throw new InvalidInputError('logGroups', expected, Array.isArray(value) ? `got ${value.length} items` : undefined);
  }
  value.forEach((item, index) => {
    if (typeof item !== 'string' || !LOG_GROUP_PATTERN.test(item)) {
      throw new InvalidInputError(`logGroups[${index}]`, expected, `got ${JSON.stringify(item)?.slice(0, 70)}`);
    }
  });
  return [...new Set(value as string[])];
}

function trimMode(value: unknown): TrimMode | undefined {
  if (value === undefined) return undefined;
  if (!(TRIM_MODES as readonly unknown[]).includes(value)) {
    throw new InvalidInputError(
      'trimMode',
      `one of ${TRIM_MODES.join(', ')}`,
      `got ${JSON.stringify(value)?.slice(0, 40)}`,
    );
  }
  return value as TrimMode;
}

function flag(value: unknown, field: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new InvalidInputError(field, 'true or false');
  return value === true;
}

function rejectUnknownKeys(input: Record<string, unknown>, allowed: string[]): void {
  const unknown = Object.keys(input).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new InvalidInputError(unknown[0] ?? '', `only ${allowed.join(', ')}`, 'unknown key');
  }
}

/** Validate the execution input; the error names the field and the expected form. */
export function parseRunInput(input: unknown): RunInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError('input', 'a JSON object: {"scheduledTime": …} or {"from": …, "to": …}');
  }
  const record = input as Record<string, unknown>;
  if ('scheduledTime' in record) {
    rejectUnknownKeys(record, SCHEDULED_KEYS);
    return { mode: 'scheduled', scheduledTime: isoDate(record.scheduledTime, 'scheduledTime') };
  }
  rejectUnknownKeys(record, MANUAL_KEYS);
  const from = isoDate(record.from, 'from');
  const to = isoDate(record.to, 'to');
  if (from.getTime() > to.getTime()) throw new InvalidInputError('from', 'a time no later than "to"');
  return {
    mode: 'manual',
    from,
    to,
    clusters: identifiers(record.clusters, 'clusters'),
    instances: identifiers(record.instances, 'instances'),
    logTypes: logTypes(record.logTypes),
    logGroups: logGroups(record.logGroups),
    trimMode: trimMode(record.trimMode),
    force: flag(record.force, 'force'),
    dryRun: flag(record.dryRun, 'dryRun'),
  };
}
