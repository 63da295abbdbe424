import { parseCommandLine } from '../../../cli/args';
import { awsFlags } from '../../../cli/aws-flags';
import { commandSpec } from '../../../cli/commands';
import { UsageError } from '../../../cli/errors';
import { manualInputFrom } from '../../../cli/run-input';
import { parseRunInput } from '../../../tasks/common/run-input';
import { NOW } from './helpers';

const start = commandSpec('start');
if (!start) throw new Error('no start command');

const parse = (argv: string[]) => parseCommandLine('start', argv, start.flags, false);
const inputOf = (...argv: string[]) =>
  manualInputFrom(parse(['--from', '2026-11-20', '--to', '2026-11-21', ...argv]), NOW);
const usage = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('manualInputFrom', () => {
  it('builds the input with only the keys given', () => {
    expect(inputOf()).toEqual({ from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' });
  });

  it('normalizes every flag: UTC dates, sorted and deduplicated lists, repeated or comma-separated', () => {
    const input = inputOf(
      '--clusters',
      'orders-b, orders-a',
      '--clusters',
      'orders-a',
      '--instances',
      'billing-pg',
      '--log-types',
      'error,audit',
      '--trim-mode',
      'retention',
      '--force',
      '--dry-run',
    );

    expect(input).toEqual({
      from: '2026-11-20T00:00:00Z',
      to: '2026-11-21T00:00:00Z',
      clusters: ['orders-a', 'orders-b'],
      instances: ['billing-pg'],
      logTypes: ['audit', 'error'],
      trimMode: 'retention',
      force: true,
      dryRun: true,
    });
    expect(parseRunInput(input).mode).toBe('manual');
  });

  it('resolves relative dates once, written as separate values or joined with =', () => {
    const input = manualInputFrom(parse(['--from', '-2d', '--to=-30m', '--instances', 'billing-pg']), NOW);

    expect(input).toMatchObject({ from: '2026-11-20T10:15:30Z', to: '2026-11-22T09:45:30Z' });
  });

  it('converts a date-time with an offset to UTC', () => {
    const input = manualInputFrom(parse(['--from', '2026-11-20T09:00:00+02:00', '--to', 'now']), NOW);
    expect(input.from).toBe('2026-11-20T07:00:00Z');
  });
});

describe('flag validation', () => {
  it.each([
    [['--to', '2026-11-21'], /^--from is required: an ISO-8601 date/],
    [['--from', '2026-11-21'], /^--to is required: an ISO-8601 date/],
    [['--from', 'last week', '--to', 'now'], /^--from: got "last week"; expected an ISO-8601 date .* relative to now/],
    [
      ['--from', '2026-02-30', '--to', 'now'],
      /^--from: got "2026-02-30"; expected an ISO-8601 date .* relative to now/,
    ],
    [['--from', '2026-11-20T09:00', '--to', 'now'], /^--from: got "2026-11-20T09:00"; expected an ISO-8601/],
    [['--from', '2026-11-20', '--to', '2026-11-19'], /^--from: expected a time no later than --to$/],
  ])('%j → %s', (argv, message) => {
    expect(usage(() => manualInputFrom(parse(argv), NOW))).toMatch(message);
  });

  it.each([
    [
      ['--clusters', 'orders_aurora'],
      '--clusters (item 1): got "orders_aurora"; expected a comma-separated list of at most 500 DB identifiers',
    ],
    [
      ['--clusters', 'a,'],
      '--clusters (item 2): got ""; expected a comma-separated list of at most 500 DB identifiers',
    ],
    [
      ['--instances', 'ok,9bad'],
      '--instances (item 2): got "9bad"; expected a comma-separated list of at most 500 DB identifiers',
    ],
    [
      ['--log-types', 'audit,slow'],
      '--log-types (item 2): got "slow"; expected a comma-separated list of audit, slowquery, error, general, postgresql',
    ],
    [
      ['--log-groups', '/aws/rds/$bad'],
      '--log-groups (item 1): got "/aws/rds/$bad"; expected a comma-separated list of at most 200 log group names or prefixes ending in *',
    ],
    [['--trim-mode', 'shred'], '--trim-mode: got "shred"; expected one of rewrite, retention, delete-exported, none'],
  ])('%j names the flag and the expected form', (argv, message) => {
    expect(usage(() => inputOf(...argv))).toContain(message);
  });

  it('refuses log groups with a range ending less than 12 hours ago, as Resolve Run would', () => {
    const message = usage(() =>
      manualInputFrom(parse(['--from', '-2d', '--to', '-11h', '--log-groups', '/aws/rds/x']), NOW),
    );

    expect(message).toBe(
      '--to: got 2026-11-21T23:15:30Z; expected a time at least 12 hours ago when --log-groups is given (CloudWatch Logs data may not be exportable yet)',
    );
    expect(() =>
      manualInputFrom(parse(['--from', '-2d', '--to', '-12h', '--log-groups', '/aws/rds/x']), NOW),
    ).not.toThrow();
  });

  it.each([
    [['--region', 'Europe'], '--region: got "Europe"; expected an AWS region such as eu-west-1'],
    [
      ['--stack', '1stack'],
      '--stack: got "1stack"; expected a stack name (a letter, then letters, digits or -) or a stack ARN',
    ],
    [
      ['--state-machine-arn', 'arn:aws:states:eu-west-1:123:stateMachine:x'],
      '--state-machine-arn: got "arn:aws:states:eu-west-1:123:stateMachine:x"; expected a state machine ARN',
    ],
  ])('%j is refused before any AWS call', (argv, message) => {
    expect(usage(() => awsFlags(parse(argv)))).toContain(message);
  });

  it('refuses a bad bucket name', () => {
    const run = commandSpec('run');
    if (!run) throw new Error('no run command');
    const message = usage(() => awsFlags(parseCommandLine('run', ['--bucket', 'My_Bucket'], run.flags, false)));

    expect(message).toBe('--bucket: got "My_Bucket"; expected an S3 bucket name (3-63 of a-z 0-9 . -)');
  });

  it('defaults the stack to RdsLogArchive', () => {
    expect(awsFlags(parse([]))).toEqual({ stack: 'RdsLogArchive' });
  });
});

describe('parseCommandLine', () => {
  it.each([
    [['--colour'], 'unknown flag --colour for "start"'],
    [['-x'], 'unknown flag -x for "start"'],
    [['--from'], '--from needs a value: DATE (start of the range (required)'],
    [['--force=yes'], '--force takes no value'],
    [['extra'], 'unexpected argument extra for "start"'],
  ])('%j → %s', (argv, message) => {
    expect(usage(() => parse(argv))).toContain(message);
  });

  it('keeps positionals for commands that take them', () => {
    const status = commandSpec('status');
    if (!status) throw new Error('no status command');

    expect(parseCommandLine('status', ['name-1', '--json'], status.flags, true)).toEqual({
      values: { json: true },
      positionals: ['name-1'],
    });
  });
});
