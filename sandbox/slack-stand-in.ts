// A loopback stand-in for Slack: the incoming webhook the notifications post Block Kit
// messages to, and the Web API calls @slack/web-api's files.uploadV2 makes to upload graphs
// (plus chat.postMessage). The real @slack/webhook and @slack/web-api clients talk to it
// unchanged (webhook URL and `slackApiUrl`), so the tests see Slack's answers and errors;
// everything posted is kept in order, and written to a folder for a person to look at.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from './loopback-server';
import { readRequest } from './slack/http';
import { type SlackCall, type SlackMessage, SlackRecorder, type SlackUpload } from './slack/records';
import { API_PREFIX, handleApiCall, handleUpload, UPLOAD_PREFIX, type WebApiContext } from './slack/web-api';
import { handleWebhook, WEBHOOK_PATH, type WebhookContext, type WebhookFault } from './slack/webhook';

export type { MessageSource, SlackCall, SlackMessage, SlackUpload } from './slack/records';
export type { WebhookFault } from './slack/webhook';

/** The sandbox's bot token (obviously fake; the stand-in accepts only the one it is given). */
export const SANDBOX_SLACK_BOT_TOKEN = 'xoxb-sandbox-not-a-real-token';

export interface SlackStandInOptions {
  /** The only bot token the Web API accepts. @default SANDBOX_SLACK_BOT_TOKEN */
  botToken?: string;
  /** Where messages (NNNN-<how>.json) and uploaded files (NNNN-<filename>) are written; files NNNN-… already there are removed at start. @default nothing is written */
  directory?: string;
  /** Refuses the first webhook posts with 429 (Retry-After) or 500. @default none */
  webhookFault?: WebhookFault;
  /** The clock of message timestamps and file dates. @default Date.now */
  now?: () => number;
  /** @default 0 (any free port) */
  port?: number;
}

export interface SlackStandIn {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** The incoming webhook URL (the value of the webhook secret). */
  webhookUrl: string;
  /** The Web API base URL, for WebClient's `slackApiUrl` (SLACK_API_URL). */
  apiUrl: string;
  botToken: string;
  /** Every request in arrival order. */
  calls: readonly SlackCall[];
  /** Messages posted: by the webhook, chat.postMessage, and files shared to a channel. */
  messages: readonly SlackMessage[];
  /** Files in the order their upload URLs were asked for. */
  uploads: readonly SlackUpload[];
  /** Refuses the next webhook posts from now on (undefined: none), as `webhookFault` does from the start. */
  setWebhookFault(fault: WebhookFault | undefined): void;
  stop(): Promise<void>;
}

type Context = WebhookContext & WebApiContext;

async function handleRequest(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = await readRequest(req);
  if (request.path.startsWith('/services/')) return handleWebhook(ctx, request, res);
  if (request.path.startsWith(API_PREFIX)) return handleApiCall(ctx, request, res);
  if (request.path.startsWith(UPLOAD_PREFIX)) return handleUpload(ctx, request, res);
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not_found');
}

function counters(now: () => number) {
  let messages = 0;
  let files = 0;
  return {
    nextTs: () => {
      messages += 1;
      return `${Math.floor(now() / 1000)}.${String(messages).padStart(6, '0')}`;
    },
    nextFileId: () => {
      files += 1;
      return `F${String(files).padStart(10, '0')}`;
    },
  };
}

const countdown = (fault: WebhookFault | undefined): Context['fault'] =>
  fault && { status: fault.status, remaining: fault.times, retryAfterSeconds: fault.retryAfterSeconds ?? 1 };

export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const now = options.now ?? Date.now;
  const botToken = options.botToken ?? SANDBOX_SLACK_BOT_TOKEN;
  const recorder = new SlackRecorder(options.directory);
  let endpoint = '';
  const ctx: Context = {
    recorder,
    botToken,
    endpoint: () => endpoint,
    now,
    fault: countdown(options.webhookFault),
    ...counters(now),
  };
  const server = await startLoopbackServer((req, res) => handleRequest(ctx, req, res), options.port);
  endpoint = server.endpoint;
  return {
    endpoint,
    webhookUrl: `${endpoint}${WEBHOOK_PATH}`,
    apiUrl: `${endpoint}${API_PREFIX}`,
    botToken,
    calls: recorder.calls,
    messages: recorder.messages,
    uploads: recorder.uploads,
    setWebhookFault: (fault) => {
      ctx.fault = countdown(fault);
    },
    stop: server.stop,
  };
}
