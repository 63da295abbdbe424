import { isoText, isRelativeDate, resolveDate } from '../../../cli/dates';
import { UsageError } from '../../../cli/errors';

const NOW = Date.parse('2026-11-22T10:15:30.250Z');

describe('resolveDate', () => {
  it.each([
    ['now', '2026-11-22T10:15:30Z'],
    ['-30m', '2026-11-22T09:45:30Z'],
    ['-12h', '2026-11-21T22:15:30Z'],
    ['-2d', '2026-11-20T10:15:30Z'],
    ['-0d', '2026-11-22T10:15:30Z'],
  ])('resolves %s against the fixed clock, to the whole second', (value, expected) => {
    expect(resolveDate(value, '--from', NOW)).toBe(expected);
  });

  it('passes ISO-8601 text through for parseRunInput to validate', () => {
    expect(resolveDate('2026-11-20', '--from', NOW)).toBe('2026-11-20');
    expect(resolveDate(' 2026-11-20T09:00:00+02:00 ', '--to', NOW)).toBe('2026-11-20T09:00:00+02:00');
  });

  it.each(['yesterday', '2d', '-2w', '+1d', '-d', '', '20261120'])(
    'refuses %j naming the flag and both forms',
    (value) => {
      expect(() => resolveDate(value, '--to', NOW)).toThrow(UsageError);
      expect(() => resolveDate(value, '--to', NOW)).toThrow(
        /^--to: got ".*"; expected an ISO-8601 date or date-time with a zone .* or a time relative to now \(now, -30m, -12h, -2d\)$/,
      );
    },
  );
});

describe('isRelativeDate and isoText', () => {
  it('tells the relative forms from ISO dates', () => {
    expect(['now', '-5m', '-1h', '-30d'].map(isRelativeDate)).toEqual([true, true, true, true]);
    expect(['2026-11-20', 'soon'].map(isRelativeDate)).toEqual([false, false]);
  });

  it('drops zero milliseconds and keeps others', () => {
    expect(isoText(Date.parse('2026-11-20T00:00:00Z'))).toBe('2026-11-20T00:00:00Z');
    expect(isoText(Date.parse('2026-11-20T00:00:00.5Z'))).toBe('2026-11-20T00:00:00.500Z');
  });
});
