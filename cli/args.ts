import { parseArgs } from 'node:util';
import { UsageError } from './errors';

/** One flag of a command: how node:util parseArgs reads it and how the help shows it. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** Lists may be given comma-separated, repeated, or both. */
  readonly multiple?: boolean;
  /** One-letter alias (`-h`). */
  readonly short?: string;
  /** The value's placeholder in the help (`DATE`, `LIST`, `ARN`). */
  readonly value?: string;
  readonly help: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** What a command line parsed into, before any meaning is given to it. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

const DATE_FLAGS = new Set(['--from', '--to']);
/** No flag starts with a digit: after --from/--to, `-2d` (or a mistyped `-3x`) is the value. */
const DASH_DIGIT_VALUE = /^-\d/;

/**
 * parseArgs refuses `--from -2d` (a value that starts with a dash looks like a flag), yet that is
 * the natural way to write a relative date; join such pairs into `--from=-2d` first.
 */
function joinRelativeDates(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index] ?? '';
    const next = argv[index + 1];
    if (DATE_FLAGS.has(token) && next !== undefined && DASH_DIGIT_VALUE.test(next)) {
      joined.push(`${token}=${next}`);
      index += 1;
    } else {
      joined.push(token);
    }
  }
  return joined;
}

function quotedFlag(message: string): string {
  return /'(-[^' ]+)/.exec(message)?.[1] ?? 'a flag';
}

/** Turn parseArgs' own errors into messages that name the flag and say what to do. */
function usageErrorFrom(error: unknown, command: string, flags: FlagSpecs): UsageError {
  const { code, message } = error as { code?: string; message: string };
  const flag = quotedFlag(message);
  const spec = flags[flag.replace(/^-+/, '')];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown flag ${flag} for "${command}"`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''} for "${command}"`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (spec?.type === 'boolean') return new UsageError(`${flag} takes no value`);
      return new UsageError(`${flag} needs a value: ${spec?.value ?? 'VALUE'} (${spec?.help ?? ''})`);
    default:
      return new UsageError(message);
  }
}

/** Parse one command's flags strictly: unknown flags and missing values are usage errors (exit 2). */
export function parseCommandLine(
  command: string,
  argv: readonly string[],
  flags: FlagSpecs,
  allowPositionals: boolean,
): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, spec]) => [
      name,
      { type: spec.type, multiple: spec.multiple ?? false, ...(spec.short ? { short: spec.short } : {}) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: joinRelativeDates(argv),
      options,
      strict: true,
      allowPositionals,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    throw usageErrorFrom(error, command, flags);
  }
}

/** A string flag's value, or undefined. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean flag: true only when given. */
export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** A list flag, from `--x a,b`, `--x a --x b` or both; undefined when not given. */
export function listFlag(args: ParsedArgs, name: string): string[] | undefined {
  const value = args.values[name];
  if (value === undefined || typeof value === 'boolean') return undefined;
  const given = Array.isArray(value) ? value : [value];
  return given.flatMap((item) => item.split(',')).map((item) => item.trim());
}
