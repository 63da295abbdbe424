// The errors the stand-in answers, with the codes of the CloudWatch Logs API model, so the
// real SDK maps each one to its own exception class. awsJson services answer them all with
// HTTP 400 and a body `{"__type": code, "message": …}`.
import type { RejectSignature } from '../rds/sigv4-verify';

export class LogsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'LogsFault';
  }
}

export const invalidParameter = (message: string) => new LogsFault('InvalidParameterException', message);

/** The wording of AWS's model validation (`1 validation error detected: …`). */
export const validationError = (field: string, value: unknown, constraint: string) =>
  invalidParameter(
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`} at '${field}' failed to satisfy constraint: ${constraint}`,
  );

export const groupNotFound = () =>
  new LogsFault('ResourceNotFoundException', 'The specified log group does not exist.');

export const streamNotFound = () =>
  new LogsFault('ResourceNotFoundException', 'The specified log stream does not exist.');

export const streamExists = () =>
  new LogsFault('ResourceAlreadyExistsException', 'The specified log stream already exists');

export const limitExceeded = () => new LogsFault('LimitExceededException', 'Resource limit exceeded.');

export const invalidToken = () => invalidParameter('The specified nextToken is invalid.');

export const throttled = () => new LogsFault('ThrottlingException', 'Rate exceeded');

/** The calling process "died": the call answers this instead of its result. Not retryable. */
export const injectedCrash = (operation: string, when: 'before' | 'after') =>
  new LogsFault(
    'InjectedCrash',
    `Injected crash ${when} ${operation} took effect (sandbox seed fault): the call ${when === 'after' ? 'was' : 'was not'} applied.`,
  );

export const unknownOperation = (target: string) =>
  new LogsFault('UnknownOperationException', `The operation ${target || '(none)'} is not supported by this service.`);

/** How CloudWatch Logs words a refused signature. */
export const logsSignatureRejection: RejectSignature = (problem, message) => {
  if (problem === 'missing') return new LogsFault('MissingAuthenticationTokenException', message);
  if (problem === 'unknown-key') return new LogsFault('UnrecognizedClientException', message);
  return new LogsFault('InvalidSignatureException', message);
};
