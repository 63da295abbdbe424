import { setTimeout as delay } from 'node:timers/promises';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  IncomingWebhook,
  IncomingWebhookHTTPError,
  IncomingWebhookRequestError,
  type IncomingWebhookSendArguments,
} from '@slack/webhook';
import type { NotifyConfig } from './notify-config';
import { SecretUnavailableError, SlackPostError } from './notify-errors';
import { readSecret } from './secrets';

/** A Slack message: `text` is the notification and fallback line, `blocks` the Block Kit layout. */
export interface SlackMessage {
  text: string;
  blocks?: readonly Record<string, unknown>[];
}

export interface PostOptions {
  /** Waits between attempts; tests pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts in all, the first included. @default 5 */
  maxAttempts?: number;
}

const DEFAULT_ATTEMPTS = 5;
/** Exponential backoff when Slack gives no Retry-After: 1 s, 2 s, 4 s, … up to 30 s. */
const FIRST_DELAY_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
/** A longer Retry-After is not waited out inside the function: the invocation fails and is retried later. */
const MAX_RETRY_AFTER_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** What Slack's short error bodies mean for the person who reads the log. */
const HINTS: Readonly<Record<string, string>> = {
  invalid_payload: 'the message is not valid Block Kit',
  no_text: 'the message has no text',
  no_service: 'the webhook was disabled or removed; create a new one and store its URL in the secret',
  invalid_token: 'the webhook was disabled or removed; create a new one and store its URL in the secret',
  channel_not_found: "the webhook's channel no longer exists; create a new webhook",
  channel_is_archived: "the webhook's channel is archived",
  action_prohibited: 'a workspace admin restricted posting to this channel',
  posting_to_general_channel_denied: 'only admins may post to this channel',
};

interface Attempt {
  /** Undefined when no answer came (network error or timeout). */
  readonly status: number | undefined;
  /** Slack's answer, such as `rate_limited` or `no_service`. */
  readonly body: string;
  /** Why no answer came. */
  readonly reason: string;
  readonly retryAfterMs: number | undefined;
  readonly cause: unknown;
}

const retryable = (attempt: Attempt) => attempt.status === undefined || attempt.status === 429 || attempt.status >= 500;

function describe(attempt: Attempt): string {
  if (attempt.status === undefined) return `could not be reached (${attempt.reason})`;
  const hint = HINTS[attempt.body];
  return `answered ${attempt.status} ${attempt.body || '(empty body)'}${hint ? ` (${hint})` : ''}`;
}

function failure(attempt: Attempt, attempts: number, message: string): SlackPostError {
  return new SlackPostError(message, attempt.status, attempt.body, attempts, { cause: attempt.cause });
}

function retryAfterMs(header: string | null): number | undefined {
  const seconds = header === null ? Number.NaN : Number(header.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function outcome(error: unknown, retryAfter: number | undefined): Attempt {
  if (error instanceof IncomingWebhookHTTPError) {
    const body = error.body.trim().slice(0, 200);
    return { status: error.statusCode, body, reason: '', retryAfterMs: retryAfter, cause: error };
  }
  if (error instanceof IncomingWebhookRequestError) {
    const reason = error.original.message;
    return { status: undefined, body: '', reason, retryAfterMs: undefined, cause: error.original };
  }
  throw error;
}

/**
 * A webhook client that keeps Retry-After (the library does not expose response headers) and
 * says why a request got no answer (fetch only says "fetch failed"; the reason is its cause).
 */
function webhookClient(url: string, onRetryAfter: (value: string | null) => void): IncomingWebhook {
  return new IncomingWebhook(url, {
    timeout: REQUEST_TIMEOUT_MS,
    fetch: async (input, init) => {
      const response = await fetch(input, init).catch((error: Error) => {
        const cause = error.cause as { code?: string; message?: string } | undefined;
        const reason = cause?.code ?? cause?.message;
        throw new Error(reason ? `${error.message}: ${reason}` : error.message, { cause: error });
      });
      onRetryAfter(response.headers.get('retry-after'));
      return response;
    },
  });
}

/**
 * Post a message to an incoming webhook. Rate limiting (429) and Slack's 5xx answers are
 * retried with exponential backoff, waiting what Retry-After asks when Slack sends it; network
 * errors too. Other answers fail at once. Errors never contain the URL: it is the secret.
 */
export async function postWebhook(url: string, message: SlackMessage, options: PostOptions = {}): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const maxAttempts = options.maxAttempts ?? DEFAULT_ATTEMPTS;
  let retryAfter: string | null = null;
  const webhook = webhookClient(url, (value) => {
    retryAfter = value;
  });
  const payload = { text: message.text, blocks: message.blocks } as IncomingWebhookSendArguments;
  for (let number = 1; ; number++) {
    retryAfter = null;
    const attempt = await webhook.send(payload).then(
      () => undefined,
      (error: unknown) => outcome(error, retryAfterMs(retryAfter)),
    );
    if (!attempt) return;
    if (!retryable(attempt)) throw failure(attempt, number, `Slack webhook ${describe(attempt)}`);
    const wait = attempt.retryAfterMs ?? Math.min(FIRST_DELAY_MS * 2 ** (number - 1), MAX_BACKOFF_MS);
    if (number >= maxAttempts) {
      throw failure(attempt, number, `Slack webhook still ${describe(attempt)} after ${number} attempts`);
    }
    if (wait > MAX_RETRY_AFTER_MS) {
      throw failure(attempt, number, `Slack webhook ${describe(attempt)} and asked to wait ${wait / 1000} s`);
    }
    await sleep(wait);
  }
}

/** Posts to the configured webhook; says 'not configured' when no webhook secret is set. */
export interface SlackNotifier {
  post(message: SlackMessage): Promise<'posted' | 'not configured'>;
}

/**
 * The webhook URL from the secret text: the URL alone, or a JSON object with a `url` field (the
 * console's key/value form). The value itself never appears in an error.
 */
function webhookUrl(value: string, secretId: string): string {
  let candidate: unknown = value.trim();
  if (typeof candidate === 'string' && candidate.startsWith('{')) {
    try {
      candidate = (JSON.parse(candidate) as { url?: unknown }).url;
    } catch {
      candidate = undefined;
    }
  }
  if (typeof candidate !== 'string' || !/^https?:\/\/[^\s/]+\/\S*$/.test(candidate)) {
    throw new SecretUnavailableError(
      secretId,
      'does not hold an incoming webhook URL',
      'store the URL (https://hooks.slack.com/services/…) as the secret text, alone or as {"url": "…"}',
    );
  }
  return candidate;
}

/**
 * The Slack side of a task: reads the webhook secret when the first message is posted (so a
 * task without Slack configured never touches Secrets Manager) and posts with retries.
 */
export function slackNotifier(deps: {
  secrets: SecretsManagerClient;
  config: NotifyConfig;
  sleep?: (ms: number) => Promise<void>;
}): SlackNotifier {
  return {
    async post(message) {
      const secretId = deps.config.slackWebhookSecret;
      if (!secretId) return 'not configured';
      const url = webhookUrl(await readSecret(deps.secrets, secretId), secretId);
      await postWebhook(url, message, { sleep: deps.sleep });
      return 'posted';
    },
  };
}
