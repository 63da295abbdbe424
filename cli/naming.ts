import { createHash } from 'node:crypto';
import type { ManualInput } from './run-input';

/** Step Functions execution names: 1-80 of these characters (no `:`, so no raw ISO timestamps). */
export const EXECUTION_NAME = /^[0-9A-Za-z_-]{1,80}$/;

/** `2026-11-01T00:00:00Z` → `20261101T0000Z` (or `20261101T000000Z`): readable in the console, valid in a name. */
export function compactTime(iso: string, withSeconds = false): string {
  const date = new Date(iso).toISOString();
  const seconds = withSeconds ? date.slice(17, 19) : '';
  return `${date.slice(0, 4)}${date.slice(5, 7)}${date.slice(8, 10)}T${date.slice(11, 13)}${date.slice(14, 16)}${seconds}Z`;
}

/** JSON with object keys sorted, so equal inputs hash equally whatever order their keys came in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 8 hex digits of the SHA-256 of the normalized input. */
export function inputHash(input: ManualInput): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex').slice(0, 8);
}

/**
 * The execution name of a manual run: `manual-{from}-{to}-{hash}`. The same input always gives
 * the same name, so starting a run twice is caught by Step Functions (ExecutionAlreadyExists)
 * instead of archiving and trimming twice; the range shows in the console at a glance.
 */
export function executionName(input: ManualInput, prefix = 'manual'): string {
  return `${prefix}-${compactTime(input.from)}-${compactTime(input.to)}-${inputHash(input)}`;
}

/** The names `--again` tries, in order: the name itself, then `-2`, `-3`, … up to `-{max}`. */
export function againNames(name: string, max: number): string[] {
  return [name, ...Array.from({ length: max - 1 }, (_, index) => `${name}-${index + 2}`)];
}

/**
 * A local run's name: the manual name plus the start time, because a local run's report prefix
 * is its name and a second run must not mix its results with the first one's.
 */
export function localExecutionName(input: ManualInput, now: number): string {
  return `${executionName(input, 'local')}-${compactTime(new Date(now).toISOString(), true)}`;
}
