/**
 * Log times to ISO-8601 UTC. The servers write local time without a zone in the older forms;
 * RDS and Aurora always run in UTC, so those are read as UTC.
 */

const n = (match: RegExpExecArray, index: number): number => Number(match[index]);
const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `fraction` is the digits after the decimal point as written; more than three are kept (microseconds). */
export function isoTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction = '',
  offsetMinutes = 0,
): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  const iso = new Date(epoch).toISOString();
  return fraction.length > 3 ? `${iso.slice(0, 20)}${fraction.slice(0, 6).padEnd(6, '0')}Z` : iso;
}

/** Epoch microseconds (Aurora advanced auditing) to ISO with six fractional digits. */
export function isoFromMicros(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  return `${secondsPrefix(seconds)}${pad(micros - seconds * 1_000_000, 6)}Z`;
}

let prefixSeconds = Number.NaN;
let prefix = '';

/** `2026-11-21T23:22:55.` for an epoch second; consecutive lines mostly share it. */
function secondsPrefix(seconds: number): string {
  if (seconds !== prefixSeconds) {
    prefix = new Date(seconds * 1000).toISOString().slice(0, 20);
    prefixSeconds = seconds;
  }
  return prefix;
}

/** Epoch seconds (`SET timestamp=N;`) to ISO. */
export function isoFromSeconds(seconds: number): string {
  return `${secondsPrefix(seconds)}000Z`;
}

/**
 * Remembers the last answer: a log writes the same second on many lines in a row, and building a
 * Date for each line was the largest cost of the simpler formats.
 */
export function lastValueCache(parse: (text: string) => string | undefined): (text: string) => string | undefined {
  let lastText: string | undefined;
  let lastValue: string | undefined;
  return (text) => {
    if (text !== lastText) {
      lastValue = parse(text);
      lastText = text;
    }
    return lastValue;
  };
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** `2019-03-10T11:35:33.462818Z`, `2019-03-10T12:35:33.462818+01:00`, `2026-11-21 23:22:55`. */
export const parseIsoLike = lastValueCache((text: string): string | undefined => {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const zone = m[8] ?? 'Z';
  const offset =
    zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  return isoTime(n(m, 1), n(m, 2), n(m, 3), n(m, 4), n(m, 5), n(m, 6), m[7] ?? '', offset);
});

const SHORT_TIME = /^(\d{2})(\d{2})(\d{2}) +(\d{1,2}):(\d{2}):(\d{2})$/;

/** The `YYMMDD H:MM:SS` form of MariaDB and MySQL 5.6 (`261121 23:22:57`, `190310  1:35:33`). */
export const parseShortTime = lastValueCache((text: string): string | undefined => {
  const m = SHORT_TIME.exec(text);
  if (!m) return undefined;
  return isoTime(2000 + n(m, 1), n(m, 2), n(m, 3), n(m, 4), n(m, 5), n(m, 6));
});

const COMPACT_TIME = /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** The `YYYYMMDD HH:MM:SS` form of the MariaDB audit plugin. */
export const parseCompactTime = lastValueCache((text: string): string | undefined => {
  const m = COMPACT_TIME.exec(text);
  if (!m) return undefined;
  return isoTime(n(m, 1), n(m, 2), n(m, 3), n(m, 4), n(m, 5), n(m, 6));
});
