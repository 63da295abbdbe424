// One request through the stand-in: read it, check its signature, apply the faults that are
// due, answer it (awsJson 1.1), and record the call for the tests and the local runner.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Expectation, verifySignature } from '../rds/sigv4-verify';
import type { LogsContext } from './context';
import { injectedCrash, LogsFault, logsSignatureRejection, throttled, unknownOperation } from './errors';
import type { CallTarget } from './fault-plan';
import { isOperation, OPERATIONS } from './operations';
import type { Input } from './params';
import { expandMessage } from './seed-events';

const TARGET_PREFIX = 'Logs_20140328.';
/** Room for a full PutLogEvents batch (1 MB of messages) in its JSON encoding. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface CallRecord {
  operation: string;
  logGroupName?: string;
  logStreamName?: string;
  /** HTTP status of the answer (0 while it is being answered). */
  status: number;
  /** The `__type` of an error answer. */
  error?: string;
}

export interface StandInContext extends LogsContext {
  readonly signing: Omit<Expectation, 'now'>;
  readonly calls: CallRecord[];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new LogsFault('RequestEntityTooLarge', 'The request body is too large.', 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseInput(body: Buffer): Input | undefined {
  try {
    const value: unknown = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Input) : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: object | undefined, requestId: string): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

/** The group and stream a call names, for the record and the faults. */
function describeCall(call: CallRecord, input: Input | undefined): void {
  if (typeof input?.logGroupName === 'string') call.logGroupName = input.logGroupName;
  if (typeof input?.logStreamName === 'string') call.logStreamName = input.logStreamName;
}

/** Throttling, crashes and writers around the operation itself. */
async function perform(ctx: StandInContext, target: CallTarget, input: Input): Promise<object | undefined> {
  if (ctx.plan.throttles()) throw throttled();
  if (ctx.plan.takeCrash(target, 'before')) throw injectedCrash(target.operation, 'before');
  const output = await OPERATIONS[target.operation](ctx, input);
  for (const writer of ctx.plan.takeWriters(target)) {
    const now = ctx.now();
    const event = { timestamp: now, message: expandMessage(writer.message, now) };
    ctx.world.append(writer.logGroupName, writer.logStreamName, event, now);
  }
  if (ctx.plan.takeCrash(target, 'after')) throw injectedCrash(target.operation, 'after');
  return output;
}

export async function handleRequest(ctx: StandInContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target || 'Unknown';
  const call: CallRecord = { operation, status: 0 };
  ctx.calls.push(call);
  try {
    const body = await readBody(req);
    const input = parseInput(body);
    // Describe the call before checking its signature, so rejected calls are recorded by name too.
    describeCall(call, input);
    const [path = '/', rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const query = new URLSearchParams(rawQuery);
    const received = { method: req.method ?? 'POST', path, query, headers: req.headers, body };
    await verifySignature(received, { ...ctx.signing, now: new Date() }, logsSignatureRejection);
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX) || !isOperation(operation)) {
      throw unknownOperation(target);
    }
    if (input === undefined) throw new LogsFault('SerializationException', 'The request body is not a JSON object.');
    const output = await perform(ctx, { ...call, operation }, input);
    call.status = 200;
    send(res, 200, output, requestId);
  } catch (error) {
    const fault = error instanceof LogsFault ? error : new LogsFault('InternalFailure', String(error), 500);
    call.status = fault.status;
    call.error = fault.code;
    send(res, fault.status, { __type: fault.code, message: fault.message }, requestId);
  }
}
