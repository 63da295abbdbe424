import { isUnparsed, parseText, type SlowQueryRecord } from '../../../tasks/common/parse/index';

const slow = (...lines: string[]) => parseText('slowquery', lines.join('\n'));
const parsed = (...lines: string[]) => slow(...lines).filter((r) => !isUnparsed(r)) as SlowQueryRecord[];

describe('slow query log parser', () => {
  it('reads a MySQL 5.7 / 8.0 entry with # Time in microseconds and the Id on the User@Host line', () => {
    const [record] = parsed(
      '# Time: 2019-03-10T11:35:33.462818Z',
      '# User@Host: app[app] @ web-1.internal [10.0.1.15]  Id:    12',
      '# Query_time: 1.502349  Lock_time: 0.000112 Rows_sent: 20  Rows_examined: 120394',
      'use shop;',
      'SET timestamp=1552217732;',
      "SELECT * FROM orders WHERE city = 'Dublin';",
    );
    expect(record).toEqual({
      type: 'slowquery',
      time: '2019-03-10T11:35:33.462818Z',
      user: 'app',
      host: 'web-1.internal',
      clientIp: '10.0.1.15',
      threadId: 12,
      database: 'shop',
      queryTime: 1.502349,
      lockTime: 0.000112,
      rowsSent: 20,
      rowsExamined: 120394,
      statement: "SELECT * FROM orders WHERE city = 'Dublin'",
      fingerprint: 'select * from orders where city = ?',
    });
  });

  it('takes the time of MariaDB entries without # Time from SET timestamp', () => {
    const records = parsed(
      '# Time: 261121 23:22:57',
      '# User@Host: root[root] @ localhost []',
      '# Thread_id: 5  Schema:   QC_hit: No',
      '# Query_time: 0.000750  Lock_time: 0.000000  Rows_sent: 0  Rows_examined: 0',
      '# Rows_affected: 1  Bytes_sent: 11',
      'SET timestamp=1795303377;',
      'CREATE DATABASE shop;',
      '# User@Host: admin[admin] @  [127.0.0.1]',
      '# Thread_id: 6  Schema: shop  QC_hit: No',
      '# Query_time: 0.000178  Lock_time: 0.000000  Rows_sent: 1  Rows_examined: 0',
      '# Rows_affected: 0  Bytes_sent: 65',
      '# Full_scan: Yes  Full_join: No  Tmp_table: No  Tmp_table_on_disk: No',
      'SET timestamp=1795303380;',
      'SELECT 1;',
    );
    expect(records.map((r) => r.time)).toEqual(['2026-11-21T23:22:57.000Z', '2026-11-21T23:23:00.000Z']);
    expect(records[0]).toMatchObject({ user: 'root', host: 'localhost', threadId: 5, rowsAffected: 1, bytesSent: 11 });
    expect(records[0]?.database).toBeUndefined();
    expect(records[0]?.clientIp).toBeUndefined();
    expect(records[1]).toMatchObject({
      clientIp: '127.0.0.1',
      threadId: 6,
      database: 'shop',
      extra: { qcHit: 'No', fullScan: 'Yes', fullJoin: 'No', tmpTable: 'No', tmpTableOnDisk: 'No' },
    });
  });

  it('reads the MySQL 5.6 / MariaDB short # Time with a space-padded hour', () => {
    const [record] = parsed(
      '# Time: 190310  1:35:33',
      '# User@Host: app[app] @  [10.0.1.15]',
      '# Query_time: 0.1  Lock_time: 0.0 Rows_sent: 0  Rows_examined: 0',
      'SELECT 1;',
    );
    expect(record?.time).toBe('2019-03-10T01:35:33.000Z');
  });

  it('turns administrator command entries into statements pt-query-digest recognises', () => {
    const [record] = parsed(
      '# Time: 2024-05-02T08:15:11.000000Z',
      '# User@Host: app_user[app_user] @  [10.0.2.31]  Id:    41',
      '# Query_time: 0.000011  Lock_time: 0.000000 Rows_sent: 0  Rows_examined: 0',
      'SET timestamp=1714637711;',
      '# administrator command: Quit;',
    );
    expect(record).toMatchObject({
      statement: 'administrator command: Quit',
      fingerprint: 'administrator command: Quit',
    });
  });

  it('keeps throttle summaries as statements with an empty user', () => {
    const [record] = parsed(
      '# Time: 2024-05-02T08:15:10.000000Z',
      '# User@Host: [] @  []  Id:     0',
      '# Query_time: 0.000000  Lock_time: 0.000000 Rows_sent: 0  Rows_examined: 0',
      'SET timestamp=1714637710;',
      "throttle:         10 'index not used' warning(s) suppressed.;",
    );
    expect(record).toMatchObject({ user: '', threadId: 0, statement: expect.stringMatching(/^throttle: +10 /) });
    expect(record?.host).toBeUndefined();
  });

  it('joins multi-line and multi-statement entries and strips only the terminator the log adds', () => {
    const [record] = parsed(
      '# User@Host: a[a] @  [10.0.0.1]',
      '# Query_time: 0.1  Lock_time: 0.0  Rows_sent: 2  Rows_examined: 2',
      'SET timestamp=1714637704;',
      'SELECT 1;',
      'SELECT 2;;',
    );
    expect(record?.statement).toBe('SELECT 1;\nSELECT 2;');
  });

  it('strips backticks from use and carries the last use to later entries, as the server writes it only on change', () => {
    const records = parsed(
      '# User@Host: a[a] @  [10.0.0.1]  Id: 1',
      '# Query_time: 0.1  Lock_time: 0.0  Rows_sent: 0  Rows_examined: 0',
      'use `analytics`;',
      'SET timestamp=1714637704;',
      'SELECT 1;',
      '# User@Host: a[a] @  [10.0.0.1]  Id: 1',
      '# Query_time: 0.1  Lock_time: 0.0  Rows_sent: 0  Rows_examined: 0',
      'SET timestamp=1714637705;',
      'SELECT 2;',
    );
    expect(records.map((r) => r.database)).toEqual(['analytics', 'analytics']);
  });

  it('skips the server start header lines without parse errors', () => {
    const records = slow(
      '/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:',
      'Tcp port: 3317  Unix socket: /tmp/mysqld.sock',
      'Time\t\t    Id Command\tArgument',
      '# User@Host: a[a] @  [10.0.0.1]',
      '# Query_time: 0.1  Lock_time: 0.0  Rows_sent: 0  Rows_examined: 0',
      'SET timestamp=1714637704;',
      'SELECT 1;',
      '/rdsdbbin/mysql/bin/mysqld, Version: 8.0.35 (Source distribution). started with:',
      'Tcp port: 3306  Unix socket: /tmp/mysql.sock',
      'Time                 Id Command    Argument',
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ statement: 'SELECT 1' });
  });

  it('keeps lines outside an entry and incomplete entries as unparsed records', () => {
    const records = slow(
      'garbage before the first entry',
      '# Time: 2024-05-02T08:15:10.000000Z',
      '# User@Host: a[a] @  [10.0.0.1]',
      'SELECT without a Query_time line;',
      '# User@Host: a[a] @  [10.0.0.1]',
      '# Query_time: 0.1  Lock_time: 0.0  Rows_sent: 0  Rows_examined: 0',
    );
    expect(records).toEqual([
      { type: 'slowquery', parseError: 'line outside a slow query entry', raw: 'garbage before the first entry' },
      {
        type: 'slowquery',
        parseError: 'slow query entry without # Query_time and Lock_time',
        raw: '# Time: 2024-05-02T08:15:10.000000Z\n# User@Host: a[a] @  [10.0.0.1]\nSELECT without a Query_time line;',
      },
      {
        type: 'slowquery',
        parseError: 'slow query entry without a statement',
        raw: '# User@Host: a[a] @  [10.0.0.1]\n# Query_time: 0.1  Lock_time: 0.0  Rows_sent: 0  Rows_examined: 0',
      },
    ]);
  });

  it('reports an unreadable # Time as an unparsed entry', () => {
    const [record] = slow(
      '# Time: yesterday',
      '# User@Host: a[a] @  [10.0.0.1]',
      '# Query_time: 0.1  Lock_time: 0.0  Rows_sent: 0  Rows_examined: 0',
      'SELECT 1;',
    );
    expect(record).toMatchObject({ parseError: 'unrecognised # Time line' });
  });
});
