// The incoming webhook: a JSON message (or a form field `payload` holding one) posted to
// /services/T…/B…/…, answered with the plain text `ok`, or with Slack's error texts. An
// optional fault answers the first posts with 429 (Retry-After) or 500, as Slack does under
// rate limiting or an outage, so the posting code's handling of both can be watched.
import type { ServerResponse } from 'node:http';
import { type SlackRequest, sendText } from './http';
import type { SlackCall, SlackRecorder } from './records';

/** The path of the stand-in's one webhook (Slack's own are /services/T…/B…/<secret>). */
export const WEBHOOK_PATH = '/services/T000/B000/XXXX';

/** Answers the first `times` posts with `status` instead of posting them. */
export interface WebhookFault {
  readonly status: 429 | 500;
  readonly times: number;
  /** The Retry-After of a 429, in seconds. @default 1 */
  readonly retryAfterSeconds?: number;
}

export interface WebhookContext {
  readonly recorder: SlackRecorder;
  /** Posts the fault still has to refuse (counts down). */
  fault: { status: 429 | 500; remaining: number; retryAfterSeconds: number } | undefined;
  nextTs(): string;
}

function parsePayload(request: SlackRequest): Record<string, unknown> | undefined {
  const text = request.contentType.startsWith('application/x-www-form-urlencoded')
    ? (new URLSearchParams(request.body.toString('utf8')).get('payload') ?? '')
    : request.body.toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers?: Record<string, string>;
}

function answerPost(ctx: WebhookContext, request: SlackRequest): Answer {
  if (request.path !== WEBHOOK_PATH) return { status: 404, text: 'no_service' };
  if (request.method !== 'POST') return { status: 405, text: 'invalid_method' };
  const fault = ctx.fault;
  if (fault !== undefined && fault.remaining > 0) {
    fault.remaining -= 1;
    if (fault.status === 500) return { status: 500, text: 'rollup_error' };
    return { status: 429, text: 'rate_limited', headers: { 'retry-after': String(fault.retryAfterSeconds) } };
  }
  const payload = parsePayload(request);
  if (payload === undefined) return { status: 400, text: 'invalid_payload' };
  if (payload.text === undefined && payload.blocks === undefined && payload.attachments === undefined) {
    return { status: 400, text: 'no_text' };
  }
  ctx.recorder.message({
    via: 'webhook',
    ...(typeof payload.text === 'string' ? { text: payload.text } : {}),
    ...(payload.blocks === undefined ? {} : { blocks: payload.blocks }),
    ts: ctx.nextTs(),
    payload,
  });
  return { status: 200, text: 'ok', headers: { 'content-type': 'text/html' } };
}

/** Slack's webhook answers: `ok`, or an error text with its HTTP status. */
export function handleWebhook(ctx: WebhookContext, request: SlackRequest, res: ServerResponse): void {
  const call: SlackCall = { method: 'webhook', status: 0 };
  ctx.recorder.calls.push(call);
  const answer = answerPost(ctx, request);
  call.status = answer.status;
  if (answer.status !== 200) call.error = answer.text;
  sendText(res, answer.status, answer.text, answer.headers);
}
