// A loopback proxy in front of a stand-in that refuses some calls the way the service does
// under load: a drawn fraction throttled, and bursts of consecutive 5xx answers. Requests
// pass through byte for byte (Host header included), so the SigV4 signature the client made
// for the proxy's address still verifies at the stand-in behind it.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { startLoopbackServer } from '../loopback-server';

/** How the proxied service words a refusal. */
export interface RefusalStyle {
  readonly throttle: (res: ServerResponse) => void;
  readonly serverError: (res: ServerResponse) => void;
}

export interface FaultProxyOptions {
  readonly target: string;
  readonly style: RefusalStyle;
  /** Fraction (0–1) of calls answered as throttled. */
  readonly throttleRate: number;
  /** A burst of `length` consecutive 5xx answers starts at each of these call numbers (1-based). */
  readonly burstsAt: readonly number[];
  readonly burstLength: number;
  readonly random: () => number;
}

export interface ProxiedCall {
  readonly method: string;
  /** `throttled` and `5xx` calls never reached the stand-in. */
  readonly outcome: 'passed' | 'throttled' | '5xx';
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly calls: readonly ProxiedCall[];
  stop(): Promise<void>;
}

/** Reads the body away so the client, still sending, sees an answer rather than a broken pipe. */
async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discarded
  }
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', () => {
          res.destroy();
          resolve();
        });
      },
    );
    upstream.on('error', () => {
      res.destroy();
      resolve();
    });
    req.pipe(upstream);
  });
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const calls: ProxiedCall[] = [];
  let burstLeft = 0;
  const server = await startLoopbackServer(async (req, res) => {
    const number = calls.length + 1;
    if (options.burstsAt.includes(number)) burstLeft = options.burstLength;
    const outcome = burstLeft > 0 ? '5xx' : options.random() < options.throttleRate ? 'throttled' : 'passed';
    calls.push({ method: req.method ?? 'GET', outcome });
    if (outcome === 'passed') return forward(target, req, res);
    if (outcome === '5xx') burstLeft--;
    await drain(req);
    (outcome === '5xx' ? options.style.serverError : options.style.throttle)(res);
  });
  return { endpoint: server.endpoint, calls, stop: server.stop };
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>LOADPROXY</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}

/** S3 throttles with 503 SlowDown and fails with 500 InternalError. */
export const S3_REFUSALS: RefusalStyle = {
  throttle: (res) => s3Error(res, 503, 'SlowDown', 'Please reduce your request rate.'),
  serverError: (res) => s3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.'),
};

function jsonError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** CloudWatch Logs throttles with 400 ThrottlingException and fails with 500 ServiceUnavailableException. */
export const LOGS_REFUSALS: RefusalStyle = {
  throttle: (res) => jsonError(res, 400, 'ThrottlingException', 'Rate exceeded'),
  serverError: (res) => jsonError(res, 500, 'ServiceUnavailableException', 'The service is unavailable.'),
};
