// A loopback HTTP proxy that makes one chosen call die the way a Lambda that times out leaves
// it: `before`, the call never reaches the service; `after`, the service applies it and the
// caller still gets a non-retryable failure. Requests are forwarded byte for byte with their
// Host header, so SigV4 signatures made for the proxy's address still verify behind it.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { type LoopbackServer, startLoopbackServer } from '../loopback-server';

export type CrashWhen = 'before' | 'after';

/** A request as the rules see it: what it does and which kind of resource it touches. */
export interface ClassifiedCall {
  readonly operation: string;
  readonly target: string;
  /** The resource named (an object key, a path), for rules that pick one. */
  readonly resource?: string;
}

/** Fails the `nth` call (1-based) that matches `operation` and `target`, once. */
export interface CrashRule {
  readonly operation: string;
  readonly target: string;
  /** Only calls whose resource contains this. @default any */
  readonly resourceIncludes?: string;
  readonly when: CrashWhen;
  /** @default 1 */
  readonly nth?: number;
}

export interface ProxiedCall extends ClassifiedCall {
  readonly method: string;
  readonly path: string;
  /** The status the caller was answered with. */
  status: number;
  crashed?: CrashWhen;
}

/** The body of the caller's failure, in the service's own error format. */
export type CrashAnswer = (
  call: ClassifiedCall,
  when: CrashWhen,
) => { contentType: string; body: string /** @default 400 */; status?: number };

export interface CrashProxyOptions {
  /** http://127.0.0.1:PORT of the service. */
  readonly target: string;
  readonly classify: (method: string, url: URL, body: Buffer, headers: IncomingMessage['headers']) => ClassifiedCall;
  readonly rules: readonly CrashRule[];
  readonly answer: CrashAnswer;
}

export interface CrashProxy extends LoopbackServer {
  /** Every call in arrival order. */
  readonly calls: readonly ProxiedCall[];
  /** Rules that have not fired yet. */
  pending(): readonly CrashRule[];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function forward(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        readBody(answer).then(
          (data) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: data }),
          reject,
        );
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

/** Counts matching calls per rule, so each rule fires on exactly its nth match and never again. */
function crashPlan(rules: readonly CrashRule[]) {
  const state = rules.map((rule) => ({ rule, seen: 0, fired: false }));
  const matches = (rule: CrashRule, call: ClassifiedCall) =>
    rule.operation === call.operation &&
    rule.target === call.target &&
    (rule.resourceIncludes === undefined || (call.resource ?? '').includes(rule.resourceIncludes));
  return {
    /** The rule due on this call, counted as fired. */
    take(call: ClassifiedCall): CrashRule | undefined {
      let due: CrashRule | undefined;
      for (const entry of state) {
        if (entry.fired || !matches(entry.rule, call)) continue;
        entry.seen += 1;
        if (due === undefined && entry.seen === (entry.rule.nth ?? 1)) {
          entry.fired = true;
          due = entry.rule;
        }
      }
      return due;
    },
    /** An `after` rule whose call the service refused waits for the next matching call. */
    rearm(rule: CrashRule): void {
      const entry = state.find((candidate) => candidate.rule === rule);
      if (entry) {
        entry.fired = false;
        entry.seen -= 1;
      }
    },
    pending: () => state.filter((entry) => !entry.fired).map((entry) => entry.rule),
  };
}

export async function startCrashProxy(options: CrashProxyOptions): Promise<CrashProxy> {
  const target = new URL(options.target);
  const plan = crashPlan(options.rules);
  const calls: ProxiedCall[] = [];
  const fail = (res: ServerResponse, call: ProxiedCall, when: CrashWhen) => {
    const { contentType, body, status = 400 } = options.answer(call, when);
    call.status = status;
    call.crashed = when;
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = await startLoopbackServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', options.target);
    const method = req.method ?? 'GET';
    const call: ProxiedCall = {
      ...options.classify(method, url, body, req.headers),
      method,
      path: url.pathname,
      status: 0,
    };
    calls.push(call);
    const due = plan.take(call);
    if (due?.when === 'before') return fail(res, call, 'before');
    const answer = await forward(target, req, body);
    if (due?.when === 'after') {
      if (answer.status < 300) return fail(res, call, 'after');
      plan.rearm(due);
    }
    call.status = answer.status;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  return { ...server, calls, pending: plan.pending };
}
