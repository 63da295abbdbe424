/**
 * Errors of log forwarding. CloudWatch Logs subscriptions and EventBridge invoke the task
 * directly, so these names are matched by Lambda's retry and by alarms, not by the ASL.
 */
import { ArchiveError } from '../errors';

/**
 * One delivery request failed as a whole: no answer, a timeout, or an HTTP status that says
 * nothing was taken. `retriable` is true for throttling, 5xx and network errors.
 */
export class DeliveryRequestError extends ArchiveError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Documents that could not be delivered could not be stored in the archive bucket either.
 * The invocation fails so that Lambda delivers the payload again: nothing is acknowledged
 * that is held nowhere.
 */
export class FailedStoreError extends ArchiveError {}
