import { parseText } from '../../../tasks/common/parse/index';

const pg = (...lines: string[]) => parseText('postgresql', lines.join('\n'));

describe('PostgreSQL log parser', () => {
  it('reads the RDS prefix and a duration with its statement', () => {
    expect(
      pg('2026-11-21 23:23:15 UTC:127.0.0.1(51234):app_user@shop:[8027]:LOG:  duration: 1.234 ms  statement: SELECT 1'),
    ).toEqual([
      {
        type: 'postgresql',
        time: '2026-11-21T23:23:15.000Z',
        remoteHost: '127.0.0.1',
        remotePort: 51234,
        user: 'app_user',
        database: 'shop',
        pid: 8027,
        severity: 'LOG',
        message: 'duration: 1.234 ms  statement: SELECT 1',
        durationMs: 1.234,
        statement: 'SELECT 1',
        fingerprint: 'select ?',
      },
    ]);
  });

  it('reads [local], [unknown] and the empty session of background processes', () => {
    const [local, unknown, background] = pg(
      '2026-11-21 23:23:15 UTC:[local]:postgres@postgres:[8027]:LOG:  connection authorized: user=postgres',
      '2026-11-21 23:23:16 UTC:127.0.0.1(57886):[unknown]@[unknown]:[8044]:LOG:  connection received: host=127.0.0.1',
      '2026-11-21 23:22:57 UTC::@:[7508]:LOG:  database system is ready to accept connections',
    );
    expect(local).toMatchObject({ remoteHost: '[local]', user: 'postgres', database: 'postgres' });
    expect(local).not.toHaveProperty('remotePort');
    expect(unknown).not.toHaveProperty('user');
    expect(unknown).not.toHaveProperty('database');
    expect(background).toEqual({
      type: 'postgresql',
      time: '2026-11-21T23:22:57.000Z',
      pid: 7508,
      severity: 'LOG',
      message: 'database system is ready to accept connections',
    });
  });

  it('attaches DETAIL, HINT and STATEMENT of the same process to the message before them', () => {
    const records = pg(
      '2026-11-21 23:23:18 UTC:127.0.0.1(57950):postgres@shop:[8068]:ERROR:  column "totl" does not exist',
      '2026-11-21 23:23:18 UTC:127.0.0.1(57950):postgres@shop:[8068]:DETAIL:  some detail',
      '2026-11-21 23:23:18 UTC:127.0.0.1(57950):postgres@shop:[8068]:HINT:  Perhaps you meant "total".',
      '2026-11-21 23:23:18 UTC:127.0.0.1(57950):postgres@shop:[8068]:STATEMENT:  SELECT totl FROM orders WHERE id = 3;',
    );
    expect(records).toEqual([
      expect.objectContaining({
        severity: 'ERROR',
        message: 'column "totl" does not exist',
        detail: 'some detail',
        hint: 'Perhaps you meant "total".',
        statement: 'SELECT totl FROM orders WHERE id = 3;',
        fingerprint: 'select totl from orders where id = ?;',
      }),
    ]);
  });

  it('keeps a STATEMENT line of another process as its own record', () => {
    const records = pg(
      '2026-11-21 23:23:18 UTC:127.0.0.1(57950):postgres@shop:[8068]:ERROR:  boom',
      '2026-11-21 23:23:18 UTC:127.0.0.1(57951):postgres@shop:[8069]:STATEMENT:  SELECT 1;',
    );
    expect(records.map((r) => ('severity' in r ? r.severity : r))).toEqual(['ERROR', 'STATEMENT']);
  });

  it('joins tab-continued lines into the message and its statement, or into the detail', () => {
    const [statement, failure] = pg(
      "2026-11-21 23:23:18 UTC:127.0.0.1(57950):postgres@shop:[8068]:LOG:  duration: 1.041 ms  statement: INSERT INTO notes VALUES (1, 'door,",
      "\tring twice');",
      '2026-11-21 23:23:18 UTC:127.0.0.1(57972):intruder@shop:[8075]:FATAL:  password authentication failed for user "intruder"',
      '2026-11-21 23:23:18 UTC:127.0.0.1(57972):intruder@shop:[8075]:DETAIL:  Role "intruder" does not exist.',
      '\tConnection matched pg_hba.conf line 87',
    );
    expect(statement).toMatchObject({
      message: "duration: 1.041 ms  statement: INSERT INTO notes VALUES (1, 'door,\nring twice');",
      statement: "INSERT INTO notes VALUES (1, 'door,\nring twice');",
      durationMs: 1.041,
    });
    expect(failure).toMatchObject({
      detail: 'Role "intruder" does not exist.\nConnection matched pg_hba.conf line 87',
    });
  });

  it('reads execute lines and IPv6 clients', () => {
    const [record] = pg(
      '2026-11-21 23:23:18 UTC:2001:db8::15(40222):app@shop:[8031]:LOG:  duration: 0.050 ms  execute <unnamed>: SELECT $1',
    );
    expect(record).toMatchObject({
      remoteHost: '2001:db8::15',
      remotePort: 40222,
      statement: 'SELECT $1',
      durationMs: 0.05,
    });
  });

  it('keeps lines without the prefix and stray continuations as unparsed records', () => {
    expect(pg('\torphan continuation', 'LOG:  no prefix at all')).toEqual([
      { type: 'postgresql', parseError: 'continuation line without a preceding entry', raw: '\torphan continuation' },
      { type: 'postgresql', parseError: 'no RDS log_line_prefix (%t:%r:%u@%d:[%p]:)', raw: 'LOG:  no prefix at all' },
    ]);
  });
});
