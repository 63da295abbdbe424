import { type AuditRecord, isUnparsed, parseText } from '../../../tasks/common/parse/index';

const audit = (...lines: string[]) => parseText('audit', lines.join('\n'));

describe('audit log parser', () => {
  it('reads Aurora advanced auditing lines and keeps the microseconds', () => {
    expect(audit('1795303375167647,ip-10-0-1-23,root,localhost,3,0,CONNECT,,,0')).toEqual([
      {
        type: 'audit',
        time: '2026-11-21T23:22:55.167647Z',
        timeMicros: 1795303375167647,
        serverHost: 'ip-10-0-1-23',
        user: 'root',
        host: 'localhost',
        connectionId: 3,
        queryId: 0,
        operation: 'CONNECT',
        retcode: 0,
      },
    ]);
  });

  it('reads MariaDB audit plugin lines in the same file, telling the formats apart per line', () => {
    const records = audit(
      '20261121 23:22:57,ip-10-0-1-23,admin,127.0.0.1,6,21,WRITE,shop,customers,',
      "1795303377009793,ip-10-0-1-23,root,localhost,5,3,QUERY,,'CREATE DATABASE shop',0",
    ) as AuditRecord[];
    expect(records[0]).toEqual({
      type: 'audit',
      time: '2026-11-21T23:22:57.000Z',
      serverHost: 'ip-10-0-1-23',
      user: 'admin',
      host: '127.0.0.1',
      connectionId: 6,
      queryId: 21,
      operation: 'WRITE',
      database: 'shop',
      object: 'customers',
    });
    expect(records[1]).toMatchObject({ timeMicros: 1795303377009793, object: 'CREATE DATABASE shop', retcode: 0 });
  });

  it.each(['CONNECT', 'DISCONNECT', 'FAILED_CONNECT', 'QUERY', 'READ', 'WRITE', 'CREATE', 'ALTER', 'DROP', 'RENAME'])(
    'reads %s events',
    (operation) => {
      const [record] = audit(`20261121 23:23:00,ip-10-0-1-23,app_user,127.0.0.1,10,7,${operation},shop,orders,1045`);
      expect(record).toMatchObject({ operation, database: 'shop', object: 'orders', retcode: 1045 });
    },
  );

  it('unquotes the object and undoes its escapes, commas included', () => {
    const [record] = audit(
      "20261121 23:22:59,ip-10-0-1-23,admin,127.0.0.1,9,77,QUERY,shop,'UPDATE c SET n = \\'Liam O\\'\\'Brien\\', p = \\'a,b\\\\\\\\c\\' WHERE x = \\'1\\n2\\'',0",
    );
    expect(record).toMatchObject({
      object: "UPDATE c SET n = 'Liam O''Brien', p = 'a,b\\\\c' WHERE x = '1\n2'",
      retcode: 0,
    });
  });

  it('joins a quoted object that spans lines until its quote closes', () => {
    const records = audit(
      "1714637700300004,ip-10-0-2-15,app_user,10.0.2.31,41,1002,QUERY,shop,'INSERT INTO notes VALUES (1, \\'leave at the door,",
      'ring twice,',
      "thanks\\')',0",
      '1714637700300005,ip-10-0-2-15,app_user,10.0.2.31,41,1002,WRITE,shop,notes,',
    );
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      object: "INSERT INTO notes VALUES (1, 'leave at the door,\nring twice,\nthanks')",
      retcode: 0,
    });
    expect(records[1]).toMatchObject({ operation: 'WRITE', object: 'notes' });
  });

  it('gives up on a quote that never closes when the next record starts, keeping both', () => {
    const records = audit(
      "20261121 23:22:58,ip-10-0-1-23,root,localhost,5,4,QUERY,,'SELECT \\'never closed",
      '20261121 23:22:59,ip-10-0-1-23,root,localhost,5,0,DISCONNECT,,,0',
    );
    expect(records[0]).toEqual({
      type: 'audit',
      parseError: 'quoted object never closes',
      raw: "20261121 23:22:58,ip-10-0-1-23,root,localhost,5,4,QUERY,,'SELECT \\'never closed",
    });
    expect(records[1]).toMatchObject({ operation: 'DISCONNECT' });
  });

  it('keeps and counts every line that is not an audit record', () => {
    const records = audit(
      'hello',
      '20261121 23:22:57,ip-10-0-1-23,root,localhost',
      '20261121 23:22:57,ip-10-0-1-23,root,localhost,x,0,CONNECT,,,0',
      '20261121 23:22:57,ip-10-0-1-23,root,localhost,5,0,CONNECT,,,0,extra',
      '20261121 23:22:57,ip-10-0-1-23,root,localhost,5,0,CONNECT,,,0',
    );
    expect(records.filter(isUnparsed).map((r) => r.parseError)).toEqual([
      'fewer than 10 comma-separated fields',
      'fewer than 10 comma-separated fields',
      'connection or query id is not a number',
      'more than 10 comma-separated fields',
    ]);
    expect(records.filter((r) => !isUnparsed(r))).toHaveLength(1);
  });
});
