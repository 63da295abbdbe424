// The crash proxies a sandbox puts between the tasks and the services, and the endpoints the
// tasks are then given (the services' own when no crash is asked for there).
import type { BulkStandIn } from '../bulk-stand-in';
import { type S3CrashRule, startS3FaultProxy } from '../s3-fault-proxy';
import type { S3Server } from '../s3-server';
import { API_PREFIX } from '../slack/web-api';
import { WEBHOOK_PATH } from '../slack/webhook';
import type { SlackStandIn } from '../slack-stand-in';
import { type ClassifiedCall, type CrashProxy, type CrashRule, type CrashWhen, startCrashProxy } from './crash-proxy';

/** Slack calls: `webhook`, a Web API method (`chat.postMessage`, `files.completeUploadExternal`, …). */
export interface SlackCrashRule extends CrashRule {
  readonly target: 'slack';
}

/** Forwarded documents: `_bulk` (OpenSearch) or `ingest` (the generic HTTPS target). */
export interface ForwardCrashRule extends CrashRule {
  readonly operation: '_bulk' | 'ingest';
  readonly target: 'forward';
}

export interface SandboxCrashes {
  readonly s3?: readonly S3CrashRule[];
  readonly slack?: readonly SlackCrashRule[];
  readonly forward?: readonly ForwardCrashRule[];
}

export function classifySlack(_method: string, url: URL): ClassifiedCall {
  const { pathname } = url;
  if (pathname === WEBHOOK_PATH) return { operation: 'webhook', target: 'slack' };
  if (pathname.startsWith(API_PREFIX)) return { operation: pathname.slice(API_PREFIX.length), target: 'slack' };
  return { operation: pathname, target: 'slack' };
}

export function classifyForward(_method: string, url: URL): ClassifiedCall {
  return { operation: url.pathname.replace(/^\//, ''), target: 'forward' };
}

const crashText = (call: ClassifiedCall, when: string) => `injected_crash ${when} ${call.operation}`;

/**
 * Slack's own non-retryable answers: the webhook's 400 with an error text, and the Web API's
 * HTTP 200 with `ok: false` (@slack/web-api retries any other HTTP status by itself).
 */
function slackCrashAnswer(call: ClassifiedCall, when: CrashWhen) {
  if (call.operation === 'webhook') return { contentType: 'text/plain', body: crashText(call, when), status: 400 };
  return { contentType: 'application/json', body: JSON.stringify({ ok: false, error: 'injected_crash' }), status: 200 };
}

interface Services {
  readonly s3: S3Server;
  readonly slack: SlackStandIn;
  readonly bulk: BulkStandIn;
}

export interface StartedCrashProxies {
  readonly started: { s3?: CrashProxy; slack?: CrashProxy; forward?: CrashProxy };
  readonly endpoints: { s3: string; slackWebhookUrl: string; slackApiUrl: string; forward: string };
  stop(): Promise<void>;
}

export async function startCrashProxies(crashes: SandboxCrashes, services: Services): Promise<StartedCrashProxies> {
  const { s3, slack, bulk } = services;
  const started: StartedCrashProxies['started'] = {};
  if (crashes.s3) started.s3 = await startS3FaultProxy(s3.endpoint, crashes.s3);
  if (crashes.slack) {
    started.slack = await startCrashProxy({
      target: slack.endpoint,
      classify: classifySlack,
      rules: crashes.slack,
      answer: slackCrashAnswer,
    });
  }
  if (crashes.forward) {
    started.forward = await startCrashProxy({
      target: bulk.endpoint,
      classify: classifyForward,
      rules: crashes.forward,
      answer: (call, when) => ({
        contentType: 'application/json',
        body: JSON.stringify({ error: { type: 'injected_crash', reason: crashText(call, when) }, status: 400 }),
      }),
    });
  }
  const slackBase = started.slack?.endpoint ?? slack.endpoint;
  return {
    started,
    endpoints: {
      s3: started.s3?.endpoint ?? s3.endpoint,
      slackWebhookUrl: `${slackBase}${WEBHOOK_PATH}`,
      slackApiUrl: `${slackBase}${API_PREFIX}`,
      forward: started.forward?.endpoint ?? bulk.endpoint,
    },
    async stop() {
      for (const proxy of Object.values(started)) await proxy.stop();
    },
  };
}
