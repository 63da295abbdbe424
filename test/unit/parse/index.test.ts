import { createParser, isUnparsed, parseText } from '../../../tasks/common/parse/index';
import { LOG_TYPES } from '../../../tasks/common/types';

describe('parser entry points', () => {
  it.each(LOG_TYPES)('creates a %s parser that keeps unreadable lines as unparsed records of its type', (type) => {
    const parser = createParser(type);
    const records = [...parser.line('\u0001 not a log line'), ...parser.end()];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ type, raw: '\u0001 not a log line' });
    expect(records.every(isUnparsed)).toBe(true);
  });

  it('gives each createParser call its own state', () => {
    const first = createParser('error');
    const second = createParser('error');
    first.line('2026-11-21 23:22:55 0 [Note] first');
    expect(second.end()).toEqual([]);
    expect(first.end()).toHaveLength(1);
  });

  it('reads \\r\\n line ends in parseText and ignores the final newline', () => {
    expect(parseText('general', '261121 23:22:55\t     3 Query\tSELECT 1\r\n\t\t     3 Quit\t\r\n')).toEqual([
      { type: 'general', time: '2026-11-21T23:22:55.000Z', threadId: 3, command: 'Query', argument: 'SELECT 1' },
      { type: 'general', time: '2026-11-21T23:22:55.000Z', threadId: 3, command: 'Quit', argument: '' },
    ]);
  });

  it('tells unparsed records from parsed ones', () => {
    const [parsed, broken] = parseText('audit', '20261121 23:22:55,h,u,localhost,3,0,CONNECT,,,0\nbroken');
    expect(parsed && isUnparsed(parsed)).toBe(false);
    expect(broken && isUnparsed(broken)).toBe(true);
  });
});
