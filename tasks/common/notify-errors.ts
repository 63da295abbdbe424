/**
 * Errors of the notification side. They are thrown by tasks that EventBridge or a schedule
 * invokes directly, so their names are matched by Lambda's retry and by alarms, not by the ASL.
 */
import { ArchiveError } from './errors';

/**
 * A configured secret cannot be read, or holds no usable value. Says which secret and what
 * to do, like a ConfigurationError: retries do not fix it, a change to the secret or the role does.
 */
export class SecretUnavailableError extends ArchiveError {
  constructor(
    readonly secretId: string,
    readonly problem: string,
    readonly remedy: string,
    options?: { cause?: unknown },
  ) {
    super(`secret "${secretId}": ${problem}; ${remedy}`, options);
  }
}

/**
 * Slack refused a message, or kept failing after the retries. `status` is the HTTP status
 * (undefined when Slack could not be reached) and `body` Slack's answer, such as `no_service`.
 */
export class SlackPostError extends ArchiveError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly body: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Slack's Web API refused the metric graph upload, or kept failing after the client's retries.
 * `slackError` is Slack's error code when it answered one (`not_in_channel`, `missing_scope`, …).
 */
export class SlackUploadError extends ArchiveError {
  constructor(
    message: string,
    readonly slackError: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
