// A loopback stand-in for the backends logs are forwarded to: OpenSearch's `POST /_bulk`
// (SigV4 verified, NDJSON action lines, the real answer shape with a status per item) and a
// generic `POST /ingest` taking JSON lines behind an auth header. Documents are kept by index
// and id, so a re-send overwrites as OpenSearch does, and written to `{directory}/{index}.ndjson`
// for a person to look at. Faults make chosen items fail, or the whole backend be down.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from './credentials';
import { startLoopbackServer } from './loopback-server';
import { type RejectSignature, readSignedRequest } from './rds/sigv4-verify';

/** Items whose id matches `idPattern`, or every `every`-th item received, answer `status`. */
export interface BulkFaultRule {
  readonly every?: number;
  readonly idPattern?: string;
  /** 429 and 5xx are worth a retry to the client; 400 is a refusal. */
  readonly status: number;
  /** Failures per matching id before it is accepted. @default every time */
  readonly times?: number;
}

export interface BulkFaults {
  /** Every request answers 503, as a backend that is down. */
  readonly down?: boolean;
  readonly items?: readonly BulkFaultRule[];
}

export interface BulkStandInOptions {
  /** Where `{index}.ndjson` files are written; `*.ndjson` already there are removed at start. @default nothing written */
  directory?: string;
  faults?: BulkFaults;
  /** The SigV4 signing name `_bulk` expects. @default 'es' */
  service?: 'es' | 'aoss';
  /** @default SANDBOX_REGION */
  region?: string;
  /** @default SANDBOX_CREDENTIALS */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The header `/ingest` requires; unset: none. */
  ingestAuth?: { header: string; value: string };
  /** @default 0 (any free port) */
  port?: number;
}

export interface BulkCall {
  readonly path: string;
  readonly status: number;
  /** Documents in the request, and how many of them were refused. */
  readonly documents: number;
  readonly failed: number;
}

export interface StoredDocument {
  readonly index: string;
  readonly id: string;
  readonly source: Record<string, unknown>;
  /** 1 when created, +1 for each overwrite. */
  readonly version: number;
}

export interface BulkStandIn {
  /** http://127.0.0.1:PORT, the OpenSearch endpoint (`FORWARD_ENDPOINT`). */
  readonly endpoint: string;
  /** `${endpoint}/ingest`, the HTTPS target's URL. */
  readonly ingestUrl: string;
  readonly region: string;
  readonly service: 'es' | 'aoss';
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Every request in arrival order. */
  readonly calls: readonly BulkCall[];
  /** Stored documents, all or of one index, in first-arrival order. */
  documents(index?: string): StoredDocument[];
  /** Document count by index. */
  counts(): Record<string, number>;
  setFaults(faults: BulkFaults): void;
  stop(): Promise<void>;
}

type Json = Record<string, unknown>;

class BulkFault extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'BulkFault';
  }
}

const rejectSignature: RejectSignature = (problem, message) =>
  new BulkFault(403, 'security_exception', problem === 'missing' ? 'Missing Authentication Token' : message);

const ITEM_ERRORS: Readonly<Record<number, readonly [string, string]>> = {
  400: ['mapper_parsing_exception', 'failed to parse field [statement] of type [keyword]'],
  429: ['es_rejected_execution_exception', 'rejected execution of coordinating operation'],
};

function itemError(status: number): { type: string; reason: string } {
  const [type, reason] = ITEM_ERRORS[status] ?? ['unavailable_shards_exception', 'primary shard is not active'];
  return { type, reason };
}

interface State {
  faults: BulkFaults;
  received: number;
  readonly failures: Map<string, number>;
  readonly store: Map<string, Map<string, StoredDocument>>;
  readonly calls: BulkCall[];
}

/** The status a document is answered with by the fault rules, or undefined to accept it. */
function faultFor(state: State, id: string): number | undefined {
  state.received += 1;
  for (const [position, rule] of (state.faults.items ?? []).entries()) {
    const matches =
      (rule.idPattern !== undefined && new RegExp(rule.idPattern).test(id)) ||
      (rule.every !== undefined && state.received % rule.every === 0);
    if (!matches) continue;
    const key = `${position}\n${id}`;
    const count = state.failures.get(key) ?? 0;
    if (rule.times !== undefined && count >= rule.times) continue;
    state.failures.set(key, count + 1);
    return rule.status;
  }
  return undefined;
}

function put(state: State, index: string, id: string, source: Json): StoredDocument {
  const documents = state.store.get(index) ?? new Map<string, StoredDocument>();
  state.store.set(index, documents);
  const stored = { index, id, source, version: (documents.get(id)?.version ?? 0) + 1 };
  documents.set(id, stored);
  return stored;
}

function writeIndexes(directory: string | undefined, state: State, indexes: Iterable<string>): void {
  if (directory === undefined) return;
  mkdirSync(directory, { recursive: true });
  for (const index of new Set(indexes)) {
    const lines = [...(state.store.get(index)?.values() ?? [])].map((doc) =>
      JSON.stringify({ _id: doc.id, _source: doc.source }),
    );
    writeFileSync(path.join(directory, `${index}.ndjson`), `${lines.join('\n')}\n`);
  }
}

function parseLine(line: string, number: number): Json {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  } catch {
    // answered below
  }
  throw new BulkFault(400, 'parse_exception', `line [${number}]: expected a JSON object`);
}

const lines = (body: Buffer) =>
  body
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

function bulkItem(state: State, actionLine: Json, source: Json, number: number): Json {
  const [action, meta] = Object.entries(actionLine)[0] ?? [];
  if ((action !== 'index' && action !== 'create') || typeof meta !== 'object' || meta === null) {
    throw new BulkFault(400, 'illegal_argument_exception', `line [${number}]: expected an index or create action`);
  }
  const { _index: index, _id: givenId } = meta as { _index?: unknown; _id?: unknown };
  if (typeof index !== 'string' || !index) {
    throw new BulkFault(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing;');
  }
  const id = typeof givenId === 'string' && givenId ? givenId : `auto-${state.received + 1}`;
  const failure = faultFor(state, id);
  if (failure !== undefined)
    return { [action]: { _index: index, _id: id, status: failure, error: itemError(failure) } };
  if (action === 'create' && state.store.get(index)?.has(id)) {
    const error = {
      type: 'version_conflict_engine_exception',
      reason: `[${id}]: version conflict, document already exists`,
    };
    return { create: { _index: index, _id: id, status: 409, error } };
  }
  const stored = put(state, index, id, source);
  const created = stored.version === 1;
  return {
    [action]: {
      _index: index,
      _id: id,
      _version: stored.version,
      result: created ? 'created' : 'updated',
      _shards: { total: 2, successful: 1, failed: 0 },
      status: created ? 201 : 200,
    },
  };
}

function bulk(state: State, body: Buffer): { answer: Json; indexes: string[] } {
  const all = lines(body);
  if (all.length % 2 !== 0)
    throw new BulkFault(400, 'illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]');
  const items: Json[] = [];
  for (let at = 0; at < all.length; at += 2) {
    items.push(bulkItem(state, parseLine(all[at] as string, at + 1), parseLine(all[at + 1] as string, at + 2), at + 1));
  }
  const results = items.map((item) => Object.values(item)[0] as { status: number; _index: string });
  return {
    answer: { took: items.length, errors: results.some((result) => result.status >= 300), items },
    indexes: results.filter((result) => result.status < 300).map((result) => result._index),
  };
}

function ingest(state: State, body: Buffer): string[] {
  const documents = lines(body).map((line, at) => {
    const value = parseLine(line, at + 1) as { index?: unknown; id?: unknown; document?: unknown };
    if (typeof value.index !== 'string' || typeof value.id !== 'string' || typeof value.document !== 'object') {
      throw new BulkFault(400, 'parse_exception', `line [${at + 1}]: expected {"index","id","document"}`);
    }
    return value as { index: string; id: string; document: Json };
  });
  // A generic endpoint takes a request or refuses it whole.
  const failure = documents.map((doc) => faultFor(state, doc.id)).find((status) => status !== undefined);
  if (failure !== undefined) throw new BulkFault(failure, itemError(failure).type, itemError(failure).reason);
  for (const doc of documents) put(state, doc.index, doc.id, doc.document);
  return documents.map((doc) => doc.index);
}

function send(res: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

interface Context {
  readonly state: State;
  readonly options: BulkStandInOptions;
  readonly signing: { region: string; service: string; credentials: { accessKeyId: string; secretAccessKey: string } };
}

async function readIngest(ctx: Context, req: IncomingMessage): Promise<Buffer> {
  const body = Buffer.concat((await req.toArray()) as Buffer[]);
  const auth = ctx.options.ingestAuth;
  if (auth && req.headers[auth.header.toLowerCase()] !== auth.value) {
    throw new BulkFault(401, 'unauthorized', `missing or wrong ${auth.header} header`);
  }
  return body;
}

async function handleRequest(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestPath = (req.url ?? '/').split('?')[0] ?? '/';
  const call = { path: requestPath, status: 200, documents: 0, failed: 0 };
  ctx.state.calls.push(call);
  try {
    if (req.method !== 'POST' || (requestPath !== '/_bulk' && requestPath !== '/ingest')) {
      throw new BulkFault(404, 'not_found', `no handler for ${req.method} ${requestPath}`);
    }
    const isBulk = requestPath === '/_bulk';
    const body = isBulk ? await readSignedRequest(req, ctx.signing, rejectSignature) : await readIngest(ctx, req);
    call.documents = lines(body).length / (isBulk ? 2 : 1);
    if (ctx.state.faults.down) throw new BulkFault(503, 'unavailable', 'the backend is down (sandbox fault)');
    if (isBulk) {
      const { answer, indexes } = bulk(ctx.state, body);
      call.failed = (answer.items as unknown[]).length - indexes.length;
      writeIndexes(ctx.options.directory, ctx.state, indexes);
      send(res, 200, answer);
    } else {
      writeIndexes(ctx.options.directory, ctx.state, ingest(ctx.state, body));
      send(res, 200, { accepted: call.documents });
    }
  } catch (error) {
    const fault = error instanceof BulkFault ? error : new BulkFault(500, 'exception', String(error));
    call.status = fault.status;
    call.failed = call.documents;
    if (fault.type === 'security_exception') send(res, fault.status, { message: fault.message });
    else send(res, fault.status, { error: { type: fault.type, reason: fault.message }, status: fault.status });
  }
}

export async function startBulkStandIn(options: BulkStandInOptions = {}): Promise<BulkStandIn> {
  const region = options.region ?? SANDBOX_REGION;
  const service = options.service ?? 'es';
  const credentials = { ...(options.credentials ?? SANDBOX_CREDENTIALS) };
  if (options.directory) {
    mkdirSync(options.directory, { recursive: true });
    for (const file of readdirSync(options.directory)) {
      if (file.endsWith('.ndjson')) rmSync(path.join(options.directory, file));
    }
  }
  const state: State = { faults: options.faults ?? {}, received: 0, failures: new Map(), store: new Map(), calls: [] };
  const ctx: Context = { state, options, signing: { region, service, credentials } };
  const server = await startLoopbackServer((req, res) => handleRequest(ctx, req, res), options.port);
  return {
    endpoint: server.endpoint,
    ingestUrl: `${server.endpoint}/ingest`,
    region,
    service,
    credentials,
    calls: state.calls,
    documents: (index) =>
      [...state.store.entries()]
        .filter(([name]) => index === undefined || name === index)
        .flatMap(([, docs]) => [...docs.values()]),
    counts: () => Object.fromEntries([...state.store.entries()].map(([name, docs]) => [name, docs.size])),
    setFaults(faults) {
      state.faults = faults;
      state.failures.clear();
    },
    stop: server.stop,
  };
}
