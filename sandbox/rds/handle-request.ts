// One request through the stand-in: read it, check its signature, apply the faults that
// are due, answer it, and record the call for the tests and the local runner.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultOperation, SeedChange } from '../seed-format/types';
import { DOWNLOAD_PREFIX, parseDownloadPath, serveDownload } from './download';
import { dbLogFileNotFound, RdsFault, throttled } from './errors';
import type { FaultPlan } from './fault-plan';
import { readAction, runAction } from './query-api';
import { type Expectation, verifySignature } from './sigv4-verify';
import type { RdsWorld } from './world';
import { errorXml, successXml } from './xml';

const MAX_QUERY_BODY_BYTES = 1024 * 1024;

export interface CallRecord {
  operation: string;
  instance?: string;
  file?: string;
  status: number;
  bytes?: number;
  /** The error code of an error answer (`Throttling`, `InternalFailure`, …). */
  error?: string;
}

export interface StandInContext {
  readonly world: RdsWorld;
  readonly plan: FaultPlan;
  readonly signing: Omit<Expectation, 'now'>;
  readonly calls: CallRecord[];
  applyChange(change: SeedChange): void;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_QUERY_BODY_BYTES) throw new RdsFault('RequestEntityTooLarge', 413, 'The request body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(xml);
}

function checkFaults(plan: FaultPlan, operation: FaultOperation): void {
  if (plan.throttles()) throw throttled();
  const failure = plan.takeFailure(operation);
  if (failure !== undefined) throw new RdsFault(failure.code, failure.status, failure.message);
}

async function answerDownload(ctx: StandInContext, call: CallRecord, path: string, res: ServerResponse) {
  checkFaults(ctx.plan, 'DownloadCompleteDBLogFile');
  const target = parseDownloadPath(path);
  if (target === undefined) throw dbLogFileNotFound('', path.slice(DOWNLOAD_PREFIX.length));
  call.status = 200;
  call.bytes = 0;
  await serveDownload(ctx.world, ctx.plan, target, res, (bytes) => {
    call.bytes = bytes;
  });
}

function answerQuery(ctx: StandInContext, params: URLSearchParams, res: ServerResponse, requestId: string) {
  const action = readAction(params);
  checkFaults(ctx.plan, action);
  const result = runAction(ctx.world, action, params);
  sendXml(res, 200, successXml(action, result.xml, requestId), requestId);
  const instance = ctx.world.instance(params.get('DBInstanceIdentifier') ?? '');
  if (instance !== undefined && result.listed !== undefined) {
    for (const change of ctx.plan.takeChangesAfterListing(instance.id, result.listed)) ctx.applyChange(change);
  }
}

export async function handleRequest(ctx: StandInContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const [path = '/', rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
  const isDownload = req.method === 'GET' && path.startsWith(DOWNLOAD_PREFIX);
  const call: CallRecord = { operation: 'DownloadCompleteDBLogFile', status: 0 };
  ctx.calls.push(call);
  try {
    const body = await readBody(req);
    // Describe the call before checking its signature, so rejected calls are recorded by name too.
    const params = new URLSearchParams(rawQuery);
    if (isDownload) {
      Object.assign(call, parseDownloadPath(path));
    } else {
      for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.append(key, value);
      call.operation = params.get('Action') ?? 'Unknown';
      const instance = params.get('DBInstanceIdentifier');
      if (instance !== null) call.instance = instance;
    }
    const query = new URLSearchParams(rawQuery);
    await verifySignature(
      { method: req.method ?? 'GET', path, query, headers: req.headers, body },
      {
        ...ctx.signing,
        now: new Date(),
      },
    );
    if (isDownload) {
      await answerDownload(ctx, call, path, res);
      return;
    }
    answerQuery(ctx, params, res, requestId);
    call.status = 200;
  } catch (error) {
    if (res.headersSent) {
      // Mid-body (client gone, or a read error): nothing more can be said on this connection.
      res.destroy();
      return;
    }
    const fault = error instanceof RdsFault ? error : new RdsFault('InternalFailure', 500, String(error));
    call.status = fault.status;
    call.error = fault.code;
    sendXml(res, fault.status, errorXml(fault, requestId), requestId);
  }
}
