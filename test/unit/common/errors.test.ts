import asl from '../../../statemachines/archive.asl.json';
import {
  asTaskError,
  ConfigurationError,
  InvalidInputError,
  isTransient,
  RunStateError,
  TASK_ERROR_NAMES,
  TransientAwsError,
} from '../../../tasks/common/errors';

type Json = Record<string, unknown>;

/** Every name in a Retry or Catch ErrorEquals, through Parallel branches and Map processors. */
function errorNamesIn(machine: Json): Set<string> {
  const names = new Set<string>();
  const visit = (states: Json) => {
    for (const state of Object.values(states) as Json[]) {
      for (const rule of [...((state.Retry ?? []) as Json[]), ...((state.Catch ?? []) as Json[])]) {
        for (const name of rule.ErrorEquals as string[]) names.add(name);
      }
      for (const branch of (state.Branches ?? []) as Json[]) visit(branch.States as Json);
      const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
      if (processor) visit(processor.States as Json);
    }
  };
  visit(machine.States as Json);
  return names;
}

const isOwnName = (name: string) => !name.startsWith('States.') && !name.startsWith('Lambda.');

describe('error names, the contract with the state machine', () => {
  const aslNames = [...errorNamesIn(asl as Json)].filter(isOwnName);

  it('finds the names retried inside the Map item processor', () => {
    expect(aslNames).toContain('TimeoutError');
  });

  it('defines every error name the state machine retries or catches', () => {
    const undefinedNames = aslNames.filter((name) => !TASK_ERROR_NAMES.includes(name));

    expect(undefinedNames).toEqual([]);
  });

  it('uses every task error name in a Retry or Catch of the state machine', () => {
    const unusedNames = TASK_ERROR_NAMES.filter((name) => !aslNames.includes(name));

    expect(unusedNames).toEqual([]);
  });
});

describe('error classes', () => {
  it.each([
    ['InvalidInputError', () => new InvalidInputError('from', 'a date')],
    ['ConfigurationError', () => new ConfigurationError('ARCHIVE_BUCKET', 'an S3 bucket name')],
    ['TransientAwsError', () => new TransientAwsError('throttled')],
    ['RunStateError', () => new RunStateError('plan missing')],
  ])('sets name to %s', (name, create) => {
    const error = create();

    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(Error);
    expect(TASK_ERROR_NAMES).toContain(name);
  });

  it('keeps the low-level cause', () => {
    const cause = new Error('socket hang up');

    const error = new TransientAwsError('listing failed', { cause });

    expect(error.cause).toBe(cause);
  });

  it('names the field and the expected form in an InvalidInputError', () => {
    const error = new InvalidInputError('to', 'an ISO-8601 date', 'got "soon"');

    expect(error.field).toBe('to');
    expect(error.message).toBe('to: got "soon"; expected an ISO-8601 date');
  });

  it('names the variable and the expected form in a ConfigurationError', () => {
    const error = new ConfigurationError('GZIP_LEVEL', 'a whole number from 1 to 9', 'got "fast"');

    expect(error.variable).toBe('GZIP_LEVEL');
    expect(error.message).toBe('GZIP_LEVEL: got "fast"; expected a whole number from 1 to 9');
  });
});

const named = (name: string) => Object.assign(new Error(name), { name });

describe('isTransient', () => {
  it.each([
    ['throttling by name', named('ThrottlingException')],
    ['S3 slow down', named('SlowDown')],
    ['a CloudWatch Logs conflict', named('OperationAbortedException')],
    ['a reset connection by code', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a 5xx answer', Object.assign(named('InternalServerError'), { $metadata: { httpStatusCode: 503 } })],
  ])('is true for %s', (_case, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['access denied', Object.assign(named('AccessDenied'), { $metadata: { httpStatusCode: 403 } })],
    ['a missing instance', named('DBInstanceNotFoundFault')],
    ['something that is not an Error', { name: 'ThrottlingException' }],
  ])('is false for %s', (_case, error) => {
    expect(isTransient(error)).toBe(false);
  });
});

describe('asTaskError', () => {
  it('wraps a transient error in a TransientAwsError that says what was being done', () => {
    const cause = named('ThrottlingException');

    const wrapped = asTaskError(cause, 'describing cluster aurora-a');

    expect(wrapped).toBeInstanceOf(TransientAwsError);
    expect((wrapped as Error).message).toBe('describing cluster aurora-a: ThrottlingException');
    expect((wrapped as Error).cause).toBe(cause);
  });

  it('returns any other error unchanged', () => {
    const error = named('AccessDenied');

    expect(asTaskError(error, 'reading the plan')).toBe(error);
  });
});
