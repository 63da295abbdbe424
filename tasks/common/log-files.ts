import type { LogType } from './types';

/**
 * Naming rules of RDS log files, per engine (docs/log-files.md explains each):
 * - MySQL, MariaDB, Aurora MySQL write `slowquery/mysql-slowquery.log`, `general/mysql-general.log`,
 *   `error/mysql-error-running.log` (or `mysql-error.log`) and rotate them hourly to `NAME.YYYY-MM-DD.HH`.
 *   The unsuffixed file is always active: its content reappears under the rotated name.
 * - The MySQL/MariaDB audit plugin writes `audit/server_audit.log` and rotates by renaming to
 *   `server_audit.log.1`, `.2`, …; a rotated file keeps its content and last write but its number moves on.
 * - Aurora MySQL advanced auditing writes up to four series `audit/audit.log.N.YYYY-MM-DD-HH-MM.M`;
 *   the newest file of a series may still grow.
 * - PostgreSQL writes `error/postgresql.log.YYYY-MM-DD-HH[MM]`; the newest file may still grow.
 */
export interface LogFileName {
  readonly logType: LogType;
  readonly baseName: string;
  /** Files of one series replace each other; only the newest of a series can be active. */
  readonly series: string;
  readonly rotation: 'active' | 'hourly' | 'series' | 'renumbered';
  /** The time the name carries, if any (UTC). */
  readonly nameTime?: Date;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** File names come from the RDS API and end up in S3 keys: refuse anything but plain segments. */
export function isSafeFileName(name: string): boolean {
  return name.length <= 255 && SAFE_NAME.test(name) && !name.split('/').some((segment) => /^\.+$/.test(segment));
}

function utc(y: string, mo: string, d: string, h = '0', mi = '0'): Date | undefined {
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)));
  const roundTrips = date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d);
  return roundTrips && Number(h) < 24 && Number(mi) < 60 ? date : undefined;
}

const MYSQL_BASES: Record<string, LogType> = {
  'slowquery/mysql-slowquery.log': 'slowquery',
  'general/mysql-general.log': 'general',
  'error/mysql-error-running.log': 'error',
  'error/mysql-error.log': 'error',
};

function parseMysql(name: string): LogFileName | undefined {
  for (const [base, logType] of Object.entries(MYSQL_BASES)) {
    if (!name.startsWith(base)) continue;
    const suffix = name.slice(base.length);
    const baseName = name.slice(name.indexOf('/') + 1);
    if (suffix === '') return { logType, baseName, series: base, rotation: 'active' };
    const hourly = /^\.(\d{4})-(\d{2})-(\d{2})\.(\d{1,2})$/.exec(suffix);
    if (hourly) {
      const nameTime = utc(hourly[1] ?? '', hourly[2] ?? '', hourly[3] ?? '', hourly[4]);
      return nameTime ? { logType, baseName, series: base, rotation: 'hourly', nameTime } : undefined;
    }
    if (/^\.\d{1,4}$/.test(suffix)) return { logType, baseName, series: base, rotation: 'renumbered' };
  }
  return undefined;
}

function parseAudit(name: string): LogFileName | undefined {
  const baseName = name.slice('audit/'.length);
  if (baseName === 'server_audit.log') return { logType: 'audit', baseName, series: name, rotation: 'active' };
  if (/^server_audit\.log\.\d{1,4}$/.test(baseName)) {
    return { logType: 'audit', baseName, series: 'audit/server_audit.log', rotation: 'renumbered' };
  }
  const aurora = /^audit\.log\.(\d+)\.(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})\.\d+$/.exec(baseName);
  if (!aurora) return undefined;
  const nameTime = utc(aurora[2] ?? '', aurora[3] ?? '', aurora[4] ?? '', aurora[5], aurora[6]);
  if (!nameTime) return undefined;
  return { logType: 'audit', baseName, series: `audit/audit.log.${aurora[1]}`, rotation: 'series', nameTime };
}

function parsePostgres(name: string): LogFileName | undefined {
  const match = /^error\/(postgres(?:ql)?\.log)(?:\.(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})?)?$/.exec(name);
  if (!match) return undefined;
  const baseName = name.slice('error/'.length);
  if (!match[2]) return { logType: 'postgresql', baseName, series: name, rotation: 'active' };
  const nameTime = utc(match[2], match[3] ?? '', match[4] ?? '', match[5], match[6]);
  return nameTime
    ? { logType: 'postgresql', baseName, series: `error/${match[1]}`, rotation: 'series', nameTime }
    : undefined;
}

/** Recognise a log file by its name; undefined for names this archive does not know. */
export function parseLogFileName(name: string): LogFileName | undefined {
  if (!isSafeFileName(name)) return undefined;
  if (name.startsWith('audit/')) return parseAudit(name);
  return parseMysql(name) ?? parsePostgres(name);
}

export interface ListedFile {
  readonly name: string;
  readonly size: number;
  readonly lastWritten: number;
}

/**
 * A file is closed (safe to archive) when it can no longer grow: a rotated file, or the
 * newest file of a series that has not been written for `quietMs`, or an older file of a series.
 */
export function isClosed(file: ListedFile, parsed: LogFileName, newestOfSeries: number, now: number, quietMs: number) {
  switch (parsed.rotation) {
    case 'active':
      return false;
    case 'hourly':
    case 'renumbered':
      return true;
    case 'series':
      return (parsed.nameTime?.getTime() ?? 0) < newestOfSeries || now - file.lastWritten >= quietMs;
  }
}

const pad = (value: number) => String(value).padStart(2, '0');

function compactUtc(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * `{cluster}/{logType}/{YYYY}/{MM}/{DD}/{HH}/{instance}/{fileName}.gz`, the time from the name where it
 * carries one, else the last write (UTC). Renumbered audit files are keyed by their last write instead of
 * their number, so a file renamed from `.1` to `.2` maps to the object it was archived as.
 */
export function archiveKey(clusterId: string, instanceId: string, file: ListedFile, parsed: LogFileName): string {
  const time = parsed.nameTime ?? new Date(file.lastWritten);
  const fileName =
    parsed.rotation === 'renumbered'
      ? `${parsed.baseName.replace(/\.\d+$/, '')}.${compactUtc(file.lastWritten)}`
      : parsed.baseName;
  const hour = `${time.getUTCFullYear()}/${pad(time.getUTCMonth() + 1)}/${pad(time.getUTCDate())}/${pad(time.getUTCHours())}`;
  return `${clusterId}/${parsed.logType}/${hour}/${instanceId}/${fileName}.gz`;
}
