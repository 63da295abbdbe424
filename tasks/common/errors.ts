/**
 * Error classes whose `name` is the contract with statemachines/archive.asl.json:
 * every name used in a Retry or Catch there exists here, and every name here is used
 * there (test/unit/common/errors.test.ts checks both ways).
 */

/** Base class: sets `name` from the subclass and keeps the low-level `cause`. */
export abstract class ArchiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The execution input is malformed; nothing was touched. Not retried. */
export class InvalidInputError extends ArchiveError {
  constructor(
    readonly field: string,
    readonly expected: string,
    detail?: string,
  ) {
    super(`${field}: ${detail ? `${detail}; ` : ''}expected ${expected}`);
  }
}

/** A task's environment is missing or malformed. Not retried: a redeploy fixes it. */
export class ConfigurationError extends ArchiveError {
  constructor(
    readonly variable: string,
    readonly expected: string,
    detail?: string,
  ) {
    super(`${variable}: ${detail ? `${detail}; ` : ''}expected ${expected}`);
  }
}

/** AWS kept throttling or failing after the SDK's own retries; the state machine retries with backoff. */
export class TransientAwsError extends ArchiveError {}

/** The run's plan or report objects in the archive bucket are missing or unreadable. */
export class RunStateError extends ArchiveError {}

/** Another exporter kept the account's one CloudWatch Logs export slot past EXPORT_SLOT_WAIT_MINUTES. */
export class ExportSlotBusyError extends ArchiveError {}

/** The export task ended FAILED or CANCELLED, or outlasted EXPORT_MAX_WAIT_MINUTES. Nothing is trimmed. */
export class ExportFailedError extends ArchiveError {}

/** The exported objects do not hold every stream with events in the range. Nothing is trimmed. */
export class ExportVerificationError extends ArchiveError {}

/** PutLogEvents rejected events (too old, expired or too new); the checkpoint in S3 still holds them. */
export class RejectedLogEventsError extends ArchiveError {}

/**
 * Thrown by @middy/core just before the Lambda deadline. Archive tasks are idempotent,
 * so the state machine retries them and they continue where the archive stands.
 */
export const MIDDY_TIMEOUT_ERROR = 'TimeoutError';

/** Every error name the tasks can throw on purpose, for the ASL contract test. */
export const TASK_ERROR_NAMES: readonly string[] = [
  InvalidInputError.name,
  ConfigurationError.name,
  TransientAwsError.name,
  RunStateError.name,
  ExportSlotBusyError.name,
  ExportFailedError.name,
  ExportVerificationError.name,
  RejectedLogEventsError.name,
  MIDDY_TIMEOUT_ERROR,
];

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  // CloudWatch Logs: concurrent requests on the same resource conflicted; a later attempt succeeds.
  'OperationAbortedException',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** True for throttling, 5xx and network errors: worth another attempt later. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const meta = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const code = (error as { code?: string }).code;
  return (
    TRANSIENT_NAMES.has(error.name) ||
    (code !== undefined && TRANSIENT_NAMES.has(code)) ||
    (meta?.httpStatusCode !== undefined && meta.httpStatusCode >= 500)
  );
}

/** Wrap a low-level AWS error: transient ones become TransientAwsError, others are rethrown unchanged. */
export function asTaskError(error: unknown, action: string): unknown {
  if (isTransient(error)) {
    const name = error instanceof Error ? error.name : 'Error';
    return new TransientAwsError(`${action}: ${name}`, { cause: error });
  }
  return error;
}
