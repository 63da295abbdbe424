import {
  archiveKey,
  isClosed,
  isSafeFileName,
  type ListedFile,
  type LogFileName,
  parseLogFileName,
} from '../../../tasks/common/log-files';

const at = (iso: string) => Date.parse(iso);

function parsed(name: string): LogFileName {
  const result = parseLogFileName(name);
  if (!result) throw new Error(`expected ${name} to be recognised`);
  return result;
}

describe('parseLogFileName', () => {
  it.each([
    ['slowquery/mysql-slowquery.log', 'slowquery', 'active', undefined],
    ['slowquery/mysql-slowquery.log.2026-11-20.09', 'slowquery', 'hourly', '2026-11-20T09:00:00Z'],
    ['general/mysql-general.log.2026-11-20.7', 'general', 'hourly', '2026-11-20T07:00:00Z'],
    ['error/mysql-error-running.log', 'error', 'active', undefined],
    ['error/mysql-error-running.log.2026-11-20.23', 'error', 'hourly', '2026-11-20T23:00:00Z'],
    ['error/mysql-error.log', 'error', 'active', undefined],
    ['audit/server_audit.log', 'audit', 'active', undefined],
    ['audit/server_audit.log.3', 'audit', 'renumbered', undefined],
    ['audit/audit.log.2.2026-11-20-09-45.1', 'audit', 'series', '2026-11-20T09:45:00Z'],
    ['error/postgresql.log.2026-11-20-09', 'postgresql', 'series', '2026-11-20T09:00:00Z'],
    ['error/postgresql.log.2026-11-20-0930', 'postgresql', 'series', '2026-11-20T09:30:00Z'],
    ['error/postgresql.log', 'postgresql', 'active', undefined],
  ])('reads %s as %s, rotation %s', (name, logType, rotation, nameTime) => {
    const result = parseLogFileName(name);

    expect(result).toMatchObject({ logType, rotation });
    expect(result?.nameTime?.toISOString()).toBe(nameTime ? new Date(nameTime).toISOString() : undefined);
  });

  it('files the four Aurora audit writers as four series', () => {
    const series = ['0', '1', '2', '3'].map((n) => parsed(`audit/audit.log.${n}.2026-11-20-09-45.0`).series);

    expect(new Set(series).size).toBe(4);
  });

  it('files hourly MySQL files and their active file in one series', () => {
    const rotated = parsed('slowquery/mysql-slowquery.log.2026-11-20.09');
    const active = parsed('slowquery/mysql-slowquery.log');

    expect(rotated.series).toBe(active.series);
  });

  it.each([
    'slowquery/mysql-slowquery.log.2026-02-30.09',
    'error/postgresql.log.2026-11-20-25',
    'audit/audit.log.1.2026-11-20-09-61.0',
    'trace/alert_ORCL.log',
    'slowquery/mysql-slowquery.log.backup',
  ])('does not recognise %s', (name) => {
    expect(parseLogFileName(name)).toBeUndefined();
  });

  it.each([
    '../etc/passwd',
    'audit/../../x',
    'audit/./server_audit.log',
    '/error/postgresql.log',
    'audit//server_audit.log',
    'error/postgresql.log.2026-11-20-09 ',
    'error/my slow log.log',
    'error/pöstgresql.log.2026-11-20-09',
    'error/postgresql.log.2026-11-20-09;id',
    `error/${'a'.repeat(250)}`,
  ])('rejects the unsafe name %p', (name) => {
    expect(isSafeFileName(name)).toBe(false);
    expect(parseLogFileName(name)).toBeUndefined();
  });
});

describe('isClosed', () => {
  const now = at('2026-11-20T12:00:00Z');
  const quietMs = 15 * 60_000;
  const file = (name: string, lastWritten: number): ListedFile => ({ name, size: 10, lastWritten });

  it('keeps an unsuffixed active file open however long it has been quiet', () => {
    const active = file('error/mysql-error-running.log', at('2026-11-19T12:00:00Z'));

    expect(isClosed(active, parsed(active.name), 0, now, quietMs)).toBe(false);
  });

  it('closes an hourly rotated file even when written a moment ago', () => {
    const rotated = file('slowquery/mysql-slowquery.log.2026-11-20.11', now - 1000);

    expect(isClosed(rotated, parsed(rotated.name), 0, now, quietMs)).toBe(true);
  });

  it('closes a renumbered audit file', () => {
    const renumbered = file('audit/server_audit.log.1', now - 1000);

    expect(isClosed(renumbered, parsed(renumbered.name), 0, now, quietMs)).toBe(true);
  });

  it('keeps the newest file of a series open while it was written recently', () => {
    const newest = file('error/postgresql.log.2026-11-20-11', now - quietMs + 1000);
    const name = parsed(newest.name);

    expect(isClosed(newest, name, name.nameTime?.getTime() ?? 0, now, quietMs)).toBe(false);
  });

  it('closes the newest file of a series once it has been quiet for the quiet time', () => {
    const newest = file('error/postgresql.log.2026-11-20-11', now - quietMs);
    const name = parsed(newest.name);

    expect(isClosed(newest, name, name.nameTime?.getTime() ?? 0, now, quietMs)).toBe(true);
  });

  it('closes an older file of a series even when it was written recently', () => {
    const older = file('audit/audit.log.0.2026-11-20-10-00.0', now - 1000);

    expect(isClosed(older, parsed(older.name), at('2026-11-20T11:00:00Z'), now, quietMs)).toBe(true);
  });
});

describe('archiveKey', () => {
  const key = (name: string, lastWritten: string, clusterId = 'aurora-a', instanceId = 'aurora-a-1') => {
    const file: ListedFile = { name, size: 10, lastWritten: at(lastWritten) };
    return archiveKey(clusterId, instanceId, file, parsed(name));
  };

  it('files an hourly MySQL file under the hour its name carries, not its last write', () => {
    expect(key('slowquery/mysql-slowquery.log.2026-11-20.09', '2026-11-20T10:00:05Z')).toBe(
      'aurora-a/slowquery/2026/11/20/09/aurora-a-1/mysql-slowquery.log.2026-11-20.09.gz',
    );
  });

  it('files an Aurora audit file under the hour its name carries', () => {
    expect(key('audit/audit.log.3.2026-01-02-03-04.1', '2026-01-02T05:00:00Z')).toBe(
      'aurora-a/audit/2026/01/02/03/aurora-a-1/audit.log.3.2026-01-02-03-04.1.gz',
    );
  });

  it('files a PostgreSQL file under its log type, not its folder', () => {
    expect(key('error/postgresql.log.2026-11-20-0930', '2026-11-20T10:00:00Z', 'pg-1', 'pg-1')).toBe(
      'pg-1/postgresql/2026/11/20/09/pg-1/postgresql.log.2026-11-20-0930.gz',
    );
  });

  it('files a renumbered audit file under the UTC hour of its last write, named by that time', () => {
    expect(key('audit/server_audit.log.2', '2026-11-20T23:30:15.123-05:00', 'mysql-1', 'mysql-1')).toBe(
      'mysql-1/audit/2026/11/21/04/mysql-1/server_audit.log.20261121T043015Z.gz',
    );
  });

  it('keeps the key of a renumbered audit file when its number moves on', () => {
    const before = key('audit/server_audit.log.1', '2026-11-20T08:00:00Z');
    const after = key('audit/server_audit.log.2', '2026-11-20T08:00:00Z');

    expect(after).toBe(before);
  });
});
