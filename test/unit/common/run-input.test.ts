import { InvalidInputError } from '../../../tasks/common/errors';
import { parseRunInput } from '../../../tasks/common/run-input';

function invalidInputFor(input: unknown): InvalidInputError {
  try {
    parseRunInput(input);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

const range = { from: '2026-11-01', to: '2026-11-20T09:00:00Z' };

describe('parseRunInput', () => {
  it('reads a scheduled input', () => {
    const input = parseRunInput({ scheduledTime: '2026-11-20T12:00:00Z' });

    expect(input).toEqual({ mode: 'scheduled', scheduledTime: new Date('2026-11-20T12:00:00Z') });
  });

  it('reads a manual input with every option', () => {
    const input = parseRunInput({
      ...range,
      clusters: ['aurora-a'],
      instances: ['mysql-1', 'mysql-1'],
      logTypes: ['audit'],
      logGroups: ['/aws/rds/cluster/aurora-a/error', '/aws/rds/instance/*'],
      trimMode: 'retention',
      force: true,
      dryRun: true,
    });

    expect(input).toEqual({
      mode: 'manual',
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-20T09:00:00Z'),
      clusters: ['aurora-a'],
      instances: ['mysql-1'],
      logTypes: ['audit'],
      logGroups: ['/aws/rds/cluster/aurora-a/error', '/aws/rds/instance/*'],
      trimMode: 'retention',
      force: true,
      dryRun: true,
    });
  });

  it('reads a manual input without options as a real run over the configured scope', () => {
    const input = parseRunInput(range);

    expect(input).toMatchObject({ mode: 'manual', clusters: undefined, instances: undefined, dryRun: false });
  });

  it('accepts a date-time whose zone offset moves it into the next month', () => {
    const input = parseRunInput({ from: '2026-11-30T22:00:00-05:00', to: '2026-12-31T23:30:00-02:00' });

    expect(input).toMatchObject({
      from: new Date('2026-12-01T03:00:00Z'),
      to: new Date('2027-01-01T01:30:00Z'),
    });
  });

  it.each([
    ['a month that does not exist', { ...range, from: '2026-13-01' }, 'from'],
    ['a day that does not exist', { ...range, from: '2026-02-30' }, 'from'],
    ['a day that does not exist, with a time', { ...range, to: '2026-02-30T10:00:00Z' }, 'to'],
    ['a date-time without a zone', { ...range, to: '2026-11-20T09:00:00' }, 'to'],
    ['a word', { ...range, to: 'yesterday' }, 'to'],
    ['a number', { ...range, from: 1795165200000 }, 'from'],
    ['a missing "to"', { from: '2026-11-01' }, 'to'],
    ['an unparseable scheduled time', { scheduledTime: '2026-11-20T25:00:00Z' }, 'scheduledTime'],
    ['"from" after "to"', { from: '2026-11-21', to: '2026-11-20' }, 'from'],
    ['an unknown log type', { ...range, logTypes: ['audit', 'binlog'] }, 'logTypes[1]'],
    ['an empty log type list', { ...range, logTypes: [] }, 'logTypes'],
    ['an empty cluster list', { ...range, clusters: [] }, 'clusters'],
    ['a cluster list that is a string', { ...range, clusters: 'aurora-a' }, 'clusters'],
    ['an empty identifier', { ...range, clusters: [''] }, 'clusters[0]'],
    ['a path as identifier', { ...range, instances: ['db-1', '../x'] }, 'instances[1]'],
    ['an underscore in an identifier', { ...range, instances: ['a_b'] }, 'instances[0]'],
    ['a 64-character identifier', { ...range, clusters: [`a${'b'.repeat(63)}`] }, 'clusters[0]'],
    ['an identifier that is not a string', { ...range, clusters: [42] }, 'clusters[0]'],
    ['an unknown key beside scheduledTime', { scheduledTime: '2026-11-20T12:00:00Z', dryRun: true }, 'dryRun'],
    ['an unknown key in a manual input', { ...range, cluster: ['aurora-a'] }, 'cluster'],
    ['a dryRun that is not a boolean', { ...range, dryRun: 'yes' }, 'dryRun'],
    ['a force that is not a boolean', { ...range, force: 1 }, 'force'],
    ['an empty log group list', { ...range, logGroups: [] }, 'logGroups'],
    ['a log group with a space', { ...range, logGroups: ['/aws/rds/a b'] }, 'logGroups[0]'],
    ['a log group that is not a string', { ...range, logGroups: ['/ok', 7] }, 'logGroups[1]'],
    ['a star inside a log group', { ...range, logGroups: ['/aws/*/error'] }, 'logGroups[0]'],
    ['an unknown trim mode', { ...range, trimMode: 'truncate' }, 'trimMode'],
    ['null', null, 'input'],
    ['an array', [range], 'input'],
    ['a string', JSON.stringify(range), 'input'],
  ])('rejects %s, naming the field', (_case, input, field) => {
    const error = invalidInputFor(input);

    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it('accepts an identifier of 63 characters', () => {
    const longest = `a${'b'.repeat(62)}`;

    const input = parseRunInput({ ...range, clusters: [longest] });

    expect(input).toMatchObject({ clusters: [longest] });
  });
});
