import { UsageError } from './errors';

/** What --from and --to accept, as error messages and the help show it. */
export const DATE_FORM =
  'an ISO-8601 date or date-time with a zone (2026-11-20, 2026-11-20T09:00:00Z) or a time relative to now (now, -30m, -12h, -2d)';

const RELATIVE = /^-(\d{1,7})([mhd])$/;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const LOOKS_ISO = /^\d{4}-\d{2}-\d{2}/;

/** An instant as ISO-8601 without milliseconds when it has none (`2026-11-20T09:00:00Z`). */
export function isoText(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}

/** True when the value is one of the relative forms (`now`, `-30m`, `-12h`, `-2d`). */
export function isRelativeDate(value: string): boolean {
  return value === 'now' || RELATIVE.test(value);
}

/**
 * Resolve a --from/--to value to the text the state machine accepts. Relative forms count back
 * from `now` (taken once per command, to the whole second, so both flags share it); ISO-8601
 * text passes through unchanged and parseRunInput validates it, as Resolve Run will.
 */
export function resolveDate(value: string, flag: string, now: number): string {
  const text = value.trim();
  const second = Math.floor(now / 1000) * 1000;
  if (text === 'now') return isoText(second);
  const relative = RELATIVE.exec(text);
  if (relative) return isoText(second - Number(relative[1]) * (UNIT_MS[relative[2] ?? ''] ?? 0));
  if (LOOKS_ISO.test(text)) return text;
  throw new UsageError(`${flag}: got "${value.slice(0, 40)}"; expected ${DATE_FORM}`);
}
