import { FAILED_PREFIX, MAX_REPLAY_OBJECTS } from '../tasks/common/forward/failed-store';
import type { ReplayRequest } from '../tasks/common/forward/replay';
import { type ParsedArgs, stringFlag } from './args';
import { UsageError } from './errors';

const PREFIX = /^forward-failed\/[A-Za-z0-9/_.-]*$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const FUNCTION = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$/;

function prefixOf(args: ParsedArgs): string {
  const prefix = stringFlag(args, 'prefix');
  const date = stringFlag(args, 'date');
  if (prefix !== undefined && date !== undefined) throw new UsageError('give --prefix or --date, not both');
  if (date !== undefined) {
    const [, year, month, day] = DAY.exec(date) ?? [];
    const time = Date.parse(`${date}T00:00:00Z`);
    // Date.parse rolls 2026-02-30 over into March; a real day reads back the same.
    const valid = year && !Number.isNaN(time) && new Date(time).toISOString().startsWith(date);
    if (!valid) throw new UsageError(`--date: got "${date.slice(0, 40)}"; expected a UTC day YYYY-MM-DD`);
    return `${FAILED_PREFIX}${year}/${month}/${day}/`;
  }
  if (prefix === undefined) return FAILED_PREFIX;
  if (!PREFIX.test(prefix) || prefix.includes('..')) {
    throw new UsageError(
      `--prefix: got "${prefix.slice(0, 90)}"; expected a key prefix under ${FAILED_PREFIX} (${FAILED_PREFIX}2026/11/22/)`,
    );
  }
  return prefix;
}

function maxObjectsOf(args: ParsedArgs): number | undefined {
  const given = stringFlag(args, 'max-objects');
  if (given === undefined) return undefined;
  const value = Number(given);
  if (!/^\d+$/.test(given) || value < 1 || value > MAX_REPLAY_OBJECTS) {
    throw new UsageError(
      `--max-objects: got "${given.slice(0, 40)}"; expected a whole number from 1 to ${MAX_REPLAY_OBJECTS}`,
    );
  }
  return value;
}

/** The validated replay request, from --prefix or --date and --max-objects. */
export function replayRequestOf(args: ParsedArgs): ReplayRequest {
  const maxObjects = maxObjectsOf(args);
  return { prefix: prefixOf(args), ...(maxObjects !== undefined && { maxObjects }) };
}

/** --function: a function name, a qualified name or a function ARN. */
export function functionFlag(args: ParsedArgs): string | undefined {
  const name = stringFlag(args, 'function');
  if (name !== undefined && !FUNCTION.test(name)) {
    throw new UsageError(
      `--function: got "${name.slice(0, 90)}"; expected a Lambda function name or ARN (arn:aws:lambda:{region}:{account}:function:{name})`,
    );
  }
  return name;
}
