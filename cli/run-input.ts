import { EXPORTABLE_AFTER_MS } from '../tasks/common/cloudwatch-types';
import { InvalidInputError } from '../tasks/common/errors';
import { parseRunInput } from '../tasks/common/run-input';
import { booleanFlag, listFlag, type ParsedArgs, stringFlag } from './args';
import { DATE_FORM, isoText, resolveDate } from './dates';
import { UsageError } from './errors';

/**
 * A manual run's input in its one normal form: dates as ISO-8601 UTC, lists deduplicated and
 * sorted, only the keys given. The execution name hashes exactly this, and exactly this is sent.
 */
export interface ManualInput {
  readonly from: string;
  readonly to: string;
  readonly clusters?: readonly string[];
  readonly instances?: readonly string[];
  readonly logTypes?: readonly string[];
  readonly logGroups?: readonly string[];
  readonly trimMode?: string;
  readonly force?: true;
  readonly dryRun?: true;
}

const FIELD_FLAGS: Readonly<Record<string, string>> = {
  from: '--from',
  to: '--to',
  clusters: '--clusters',
  instances: '--instances',
  logTypes: '--log-types',
  logGroups: '--log-groups',
  trimMode: '--trim-mode',
  force: '--force',
  dryRun: '--dry-run',
};

/**
 * Say parseRunInput's complaint in the command line's terms: the flag instead of the input key,
 * "comma-separated" instead of "a list", the relative date forms beside ISO-8601.
 */
export function flagErrorFrom(error: InvalidInputError): UsageError {
  const [, key = error.field, index] = /^(\w+)(?:\[(\d+)\])?$/.exec(error.field) ?? [];
  const flag = `${FIELD_FLAGS[key] ?? `--${key}`}${index === undefined ? '' : ` (item ${Number(index) + 1})`}`;
  const expectedTail = `expected ${error.expected}`;
  const detail = error.message.slice(error.field.length + 2, error.message.length - expectedTail.length);
  const expected = error.expected.startsWith('an ISO-8601')
    ? DATE_FORM
    : error.expected.replace('a non-empty list of', 'a comma-separated list of').replace('"to"', '--to');
  return new UsageError(`${flag}: ${detail}expected ${expected}`);
}

function validated(input: Record<string, unknown>) {
  try {
    const parsed = parseRunInput(input);
    if (parsed.mode !== 'manual') throw new UsageError('--from and --to are required');
    return parsed;
  } catch (error) {
    if (error instanceof InvalidInputError) throw flagErrorFrom(error);
    throw error;
  }
}

const sorted = (items: readonly string[] | undefined) => (items ? [...new Set(items)].sort() : undefined);

function required(args: ParsedArgs, name: 'from' | 'to'): string {
  const value = stringFlag(args, name);
  if (value === undefined) throw new UsageError(`--${name} is required: ${DATE_FORM}`);
  return value;
}

/**
 * Build and validate a manual run's input from the flags, before any AWS call. Validation is
 * parseRunInput's, the very check Resolve Run applies, so the CLI and the state machine agree.
 * `now` resolves the relative dates once.
 */
export function manualInputFrom(args: ParsedArgs, now: number): ManualInput {
  const raw: Record<string, unknown> = {
    from: resolveDate(required(args, 'from'), '--from', now),
    to: resolveDate(required(args, 'to'), '--to', now),
    clusters: listFlag(args, 'clusters'),
    instances: listFlag(args, 'instances'),
    logTypes: listFlag(args, 'log-types'),
    logGroups: listFlag(args, 'log-groups'),
    trimMode: stringFlag(args, 'trim-mode'),
    force: booleanFlag(args, 'force') || undefined,
    dryRun: booleanFlag(args, 'dry-run') || undefined,
  };
  const parsed = validated(Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)));
  const input: ManualInput = {
    from: isoText(parsed.from.getTime()),
    to: isoText(parsed.to.getTime()),
    ...(parsed.clusters && { clusters: sorted(parsed.clusters) }),
    ...(parsed.instances && { instances: sorted(parsed.instances) }),
    ...(parsed.logTypes && { logTypes: sorted(parsed.logTypes) }),
    ...(parsed.logGroups && { logGroups: sorted(parsed.logGroups) }),
    ...(parsed.trimMode && { trimMode: parsed.trimMode }),
    ...(parsed.force && { force: true as const }),
    ...(parsed.dryRun && { dryRun: true as const }),
  };
  if (input.logGroups && Date.parse(input.to) > now - EXPORTABLE_AFTER_MS) {
    throw new UsageError(
      `--to: got ${input.to}; expected a time at least 12 hours ago when --log-groups is given (CloudWatch Logs data may not be exportable yet)`,
    );
  }
  validated({ ...input });
  return input;
}
