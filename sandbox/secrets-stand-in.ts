// A loopback stand-in for the one Secrets Manager call the notifications make,
// GetSecretValue (awsJson 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`), answering
// from secrets seeded by name. The real @aws-sdk/client-secrets-manager talks to it
// unchanged (endpoint override), so the tasks' secret look-ups and their handling of a
// missing secret are exercised as they would be against AWS.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { SANDBOX_ACCOUNT_ID, SANDBOX_CREDENTIALS, SANDBOX_REGION } from './credentials';
import { startLoopbackServer } from './loopback-server';
import { type RejectSignature, readSignedRequest } from './rds/sigv4-verify';

const TARGET = 'secretsmanager.GetSecretValue';
const CURRENT_STAGE = 'AWSCURRENT';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface SecretsStandInOptions {
  /** SecretString of each secret, by secret name (e.g. `rds-log-archive/slack-webhook`). */
  secrets: Readonly<Record<string, string>>;
  /** @default SANDBOX_REGION */
  region?: string;
  /** @default 0 (any free port) */
  port?: number;
  /** The only credentials whose signatures are accepted. @default SANDBOX_CREDENTIALS */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The secrets' CreatedDate. @default Date.now at start */
  now?: () => number;
}

export interface SecretsCall {
  operation: string;
  /** The SecretId asked for (never the value). */
  secretId?: string;
  status: number;
  /** The `__type` of an error answer. */
  error?: string;
}

export interface SecretsStandIn {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Every request in arrival order. */
  calls: SecretsCall[];
  /** The full ARN of a seeded secret (the name plus AWS's six-character suffix). */
  arn(name: string): string;
  stop(): Promise<void>;
}

class SecretsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SecretsFault';
  }
}

/** How Secrets Manager words a refused signature (awsJson: all HTTP 400). */
const rejectSignature: RejectSignature = (problem, message) => {
  if (problem === 'missing') return new SecretsFault('MissingAuthenticationTokenException', message);
  if (problem === 'unknown-key') return new SecretsFault('UnrecognizedClientException', message);
  return new SecretsFault('InvalidSignatureException', message);
};

interface Secret {
  readonly name: string;
  readonly arn: string;
  readonly value: string;
  readonly versionId: string;
  readonly createdDate: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** AWS appends a random `-xxxxxx` to secret ARNs; here it follows from the name, so ARNs are stable. */
export function secretArn(name: string, region: string = SANDBOX_REGION, account: string = SANDBOX_ACCOUNT_ID): string {
  const suffix = [...digest(name).subarray(0, 6)].map((byte) => SUFFIX_ALPHABET[byte % 62]).join('');
  return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffix}`;
}

function versionIdOf(name: string, value: string): string {
  const hex = digest(`${name}\n${value}`).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A secret by name, full ARN, or ARN without its suffix (AWS accepts all three). */
function find(secrets: readonly Secret[], id: string): Secret | undefined {
  return secrets.find((secret) => id === secret.name || id === secret.arn || id === secret.arn.slice(0, -7));
}

function getSecretValue(secrets: readonly Secret[], input: Record<string, unknown>): object {
  const { SecretId: id, VersionId: versionId, VersionStage: stage } = input;
  if (typeof id !== 'string' || id.length < 1 || id.length > 2048) {
    throw new SecretsFault(
      'ValidationException',
      `1 validation error detected: Value ${typeof id === 'string' ? `'${id}'` : 'null'} at 'secretId' failed to satisfy constraint: Member must have length between 1 and 2048`,
    );
  }
  const secret = find(secrets, id);
  if (secret === undefined) {
    throw new SecretsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }
  if (versionId !== undefined && versionId !== secret.versionId) {
    throw new SecretsFault(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${String(versionId)}`,
    );
  }
  if (stage !== undefined && stage !== CURRENT_STAGE) {
    throw new SecretsFault(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for staging label: ${String(stage)}`,
    );
  }
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: secret.versionId,
    SecretString: secret.value,
    VersionStages: [CURRENT_STAGE],
    CreatedDate: secret.createdDate / 1000,
  };
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

function parseInput(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new SecretsFault('SerializationException', 'The request body is not a JSON object.');
}

interface Context {
  readonly secrets: readonly Secret[];
  readonly signing: { region: string; service: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  readonly calls: SecretsCall[];
}

async function handleRequest(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const call: SecretsCall = { operation: target.replace(/^secretsmanager\./, '') || 'Unknown', status: 0 };
  ctx.calls.push(call);
  try {
    const body = await readSignedRequest(req, ctx.signing, rejectSignature);
    if (req.method !== 'POST' || target !== TARGET) {
      throw new SecretsFault('UnknownOperationException', `The operation ${target || '(none)'} is not supported.`);
    }
    const input = parseInput(body);
    if (typeof input.SecretId === 'string') call.secretId = input.SecretId;
    const output = getSecretValue(ctx.secrets, input);
    call.status = 200;
    send(res, 200, output);
  } catch (error) {
    const fault = error instanceof SecretsFault ? error : new SecretsFault('InternalServiceError', String(error));
    call.status = fault.code === 'InternalServiceError' ? 500 : 400;
    call.error = fault.code;
    send(res, call.status, { __type: fault.code, Message: fault.message });
  }
}

/** The settings a SecretsManagerClient needs to talk to the stand-in. */
export function secretsClientConfig(standIn: SecretsStandIn): SecretsManagerClientConfig {
  return { endpoint: standIn.endpoint, region: standIn.region, credentials: { ...standIn.credentials } };
}

export async function startSecretsStandIn(options: SecretsStandInOptions): Promise<SecretsStandIn> {
  const region = options.region ?? SANDBOX_REGION;
  const credentials = { ...(options.credentials ?? SANDBOX_CREDENTIALS) };
  const createdDate = (options.now ?? Date.now)();
  const secrets = Object.entries(options.secrets).map(([name, value]) => ({
    name,
    arn: secretArn(name, region),
    value,
    versionId: versionIdOf(name, value),
    createdDate,
  }));
  const ctx: Context = { secrets, signing: { region, service: 'secretsmanager', credentials }, calls: [] };
  const server = await startLoopbackServer((req, res) => handleRequest(ctx, req, res), options.port);
  return {
    endpoint: server.endpoint,
    region,
    credentials,
    calls: ctx.calls,
    arn: (name) => secretArn(name, region),
    stop: server.stop,
  };
}
