import { readFileSync } from 'node:fs';
// Readers for untyped seed JSON. They collect every problem (with its field path and
// the expected form) instead of stopping at the first, so one run shows all mistakes.

export class SeedError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: ErrorOptions) {
    const summary = problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`;
    super(`invalid seed: ${summary}`, options);
    this.name = 'SeedError';
    this.problems = problems;
  }
}

export type RawObject = Readonly<Record<string, unknown>>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const child = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
export const item = (path: string, index: number): string => `${path}[${index}]`;

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

export class FieldReader {
  readonly problems: string[] = [];

  problem(path: string, text: string): undefined {
    this.problems.push(`${path === '' ? '(seed)' : path}: ${text}`);
    return undefined;
  }

  expected(path: string, form: string, value: unknown): undefined {
    return this.problem(
      path,
      value === undefined ? `expected ${form}, but it is missing` : `expected ${form}, got ${show(value)}`,
    );
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new SeedError([...this.problems]);
  }

  object(path: string, value: unknown, allowedKeys: readonly string[]): RawObject | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.expected(path, 'an object', value);
    }
    for (const key of Object.keys(value)) {
      if (!allowedKeys.includes(key)) {
        this.problem(child(path, key), `unknown key (allowed here: ${allowedKeys.join(', ')})`);
      }
    }
    return value as RawObject;
  }

  /** A missing list is an empty one: every list in the seed is optional. */
  list(path: string, value: unknown): readonly unknown[] {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    this.expected(path, 'an array', value);
    return [];
  }

  string(path: string, value: unknown, form = 'a non-empty string', pattern?: RegExp): string | undefined {
    if (typeof value !== 'string' || value === '' || (pattern !== undefined && !pattern.test(value))) {
      return this.expected(path, form, value);
    }
    return value;
  }

  /** Unlike `string`, accepts the empty string (log text may legitimately be empty). */
  text(path: string, value: unknown): string | undefined {
    return typeof value === 'string' ? value : this.expected(path, 'a string', value);
  }

  boolean(path: string, value: unknown): boolean | undefined {
    return typeof value === 'boolean' ? value : this.expected(path, 'true or false', value);
  }

  integer(path: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.expected(path, `an integer from ${min} to ${max}`, value);
    }
    return value;
  }

  fraction(path: string, value: unknown): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
      return this.expected(path, 'a number from 0 to 1', value);
    }
    return value;
  }

  oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    return this.expected(path, `one of ${allowed.join(', ')}`, value);
  }

  /** Returns the date normalised to `toISOString()` form. */
  isoDate(path: string, value: unknown): string | undefined {
    const form = 'an ISO-8601 date like 2026-11-20T10:00:00Z';
    if (typeof value !== 'string' || !ISO_DATE.test(value)) return this.expected(path, form, value);
    const time = Date.parse(value);
    return Number.isNaN(time) ? this.expected(path, form, value) : new Date(time).toISOString();
  }
}

/** A seed file's JSON; an unreadable file or bad JSON is a SeedError naming the file. */
export function readSeedJson(absolutePath: string): unknown {
  try {
    return JSON.parse(readFileSync(absolutePath, 'utf8'));
  } catch (error) {
    throw new SeedError([`${absolutePath}: expected a readable JSON file (${(error as Error).message})`], {
      cause: error,
    });
  }
}
