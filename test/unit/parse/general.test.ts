import { parseText } from '../../../tasks/common/parse/index';

const general = (...lines: string[]) => parseText('general', lines.join('\n'));

describe('general log parser', () => {
  it('carries the last time to MariaDB lines that have none', () => {
    expect(
      general(
        '261121 23:22:55\t     3 Connect\troot@localhost on  using Socket',
        '\t\t     3 Init DB\tshop',
        '\t\t     3 Quit\t',
      ),
    ).toEqual([
      {
        type: 'general',
        time: '2026-11-21T23:22:55.000Z',
        threadId: 3,
        command: 'Connect',
        argument: 'root@localhost on  using Socket',
      },
      { type: 'general', time: '2026-11-21T23:22:55.000Z', threadId: 3, command: 'Init DB', argument: 'shop' },
      { type: 'general', time: '2026-11-21T23:22:55.000Z', threadId: 3, command: 'Quit', argument: '' },
    ]);
  });

  it('reads the MySQL 8 form with a time on every line', () => {
    expect(general('2019-03-10T11:35:33.462818Z\t    3 Query\tSELECT 1')).toEqual([
      { type: 'general', time: '2019-03-10T11:35:33.462818Z', threadId: 3, command: 'Query', argument: 'SELECT 1' },
    ]);
  });

  it('joins a statement that continues on the next lines', () => {
    const [record, next] = general(
      "\t\t     9 Query\tINSERT INTO notes VALUES (1, 'leave at the door,",
      'ring twice,',
      "\t\tthanks')",
      '\t\t     9 Quit\t',
    );
    expect(record).toEqual({
      type: 'general',
      threadId: 9,
      command: 'Query',
      argument: "INSERT INTO notes VALUES (1, 'leave at the door,\nring twice,\n\t\tthanks')",
    });
    expect(next).toMatchObject({ command: 'Quit' });
  });

  it('skips the server start header lines', () => {
    expect(
      general(
        '/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:',
        'Tcp port: 3317  Unix socket: /tmp/mysqld.sock',
        'Time\t\t    Id Command\tArgument',
        '261121 23:22:55\t     3 Quit\t',
      ),
    ).toHaveLength(1);
  });

  it('keeps lines it cannot read as unparsed records and skips a blank line outside a statement', () => {
    expect(general('', 'no entry before this line', '261121 23:22:55\tnot an entry')).toEqual([
      { type: 'general', parseError: 'continuation line without a preceding entry', raw: 'no entry before this line' },
      { type: 'general', parseError: 'unrecognised general log line', raw: '261121 23:22:55\tnot an entry' },
    ]);
  });
});
