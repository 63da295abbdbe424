import { parseText } from '../../../tasks/common/parse/index';

const errorLog = (...lines: string[]) => parseText('error', lines.join('\n'));

describe('error log parser', () => {
  it('reads the MariaDB form', () => {
    expect(errorLog("2026-11-21 23:23:00 10 [Warning] Access denied for user 'app_user'@'127.0.0.1'")).toEqual([
      {
        type: 'error',
        time: '2026-11-21T23:23:00.000Z',
        threadId: 10,
        severity: 'Warning',
        message: "Access denied for user 'app_user'@'127.0.0.1'",
      },
    ]);
  });

  it('reads the MySQL 8 form with error code and subsystem', () => {
    expect(
      errorLog(
        "2019-03-10T11:35:33.462818Z 0 [Warning] [MY-010055] [Server] IP address '10.0.0.1' could not be resolved",
      ),
    ).toEqual([
      {
        type: 'error',
        time: '2019-03-10T11:35:33.462818Z',
        threadId: 0,
        severity: 'Warning',
        errorCode: 'MY-010055',
        subsystem: 'Server',
        message: "IP address '10.0.0.1' could not be resolved",
      },
    ]);
  });

  it('reads the MySQL 5.7 form and converts a local offset to UTC', () => {
    const [first, second] = errorLog(
      '2019-03-10T11:35:33.462818Z 0 [Note] InnoDB: Buffer pool(s) load completed',
      '2019-03-10T12:35:34.000001+01:00 3 [ERROR] Slave SQL: Error executing row event',
    );
    expect(first).toEqual({
      type: 'error',
      time: '2019-03-10T11:35:33.462818Z',
      threadId: 0,
      severity: 'Note',
      message: 'InnoDB: Buffer pool(s) load completed',
    });
    expect(first).not.toHaveProperty('errorCode');
    expect(second).toMatchObject({ time: '2019-03-10T11:35:34.000001Z', threadId: 3, severity: 'ERROR' });
  });

  it('gives timed lines without a level, such as the audit plugin and mysqld_safe, the level Note', () => {
    expect(errorLog('261121 23:22:55 server_audit: MariaDB Audit Plugin version 1.4.14 STARTED.')).toEqual([
      {
        type: 'error',
        time: '2026-11-21T23:22:55.000Z',
        severity: 'Note',
        message: 'server_audit: MariaDB Audit Plugin version 1.4.14 STARTED.',
      },
    ]);
  });

  it('joins continuation lines to the entry before them', () => {
    const records = errorLog(
      '2026-11-21 23:22:55 0 [Note] /usr/sbin/mariadbd: ready for connections.',
      "Version: '10.11.19-MariaDB'  socket: '/run/mysqld.sock'  port: 3306",
      '2026-11-21 23:22:57 5 [Warning] next entry',
    );
    expect(records.map((r) => ('message' in r ? r.message : r))).toEqual([
      "/usr/sbin/mariadbd: ready for connections.\nVersion: '10.11.19-MariaDB'  socket: '/run/mysqld.sock'  port: 3306",
      'next entry',
    ]);
  });

  it('keeps a continuation line with no entry before it and an impossible date as unparsed records', () => {
    expect(errorLog('stack_bottom = 0 thread_stack 0x100000', '2026-13-45 23:22:55 0 [Note] x')).toEqual([
      {
        type: 'error',
        parseError: 'continuation line without a preceding entry',
        raw: 'stack_bottom = 0 thread_stack 0x100000',
      },
      { type: 'error', parseError: 'invalid date or time', raw: '2026-13-45 23:22:55 0 [Note] x' },
    ]);
  });
});
