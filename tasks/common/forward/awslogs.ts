/**
 * The payload CloudWatch Logs delivers to a subscription target: `{"awslogs":{"data":…}}`,
 * the data being base64 of gzip of JSON. Errors say which layer is wrong and never quote it:
 * log messages can hold anything a database was asked.
 */
import { gunzipSync } from 'node:zlib';
import { InvalidInputError } from '../errors';

export interface LogEvent {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly message: string;
}

export interface LogsData {
  readonly messageType: 'DATA_MESSAGE';
  readonly owner: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly subscriptionFilters: readonly string[];
  readonly logEvents: readonly LogEvent[];
}

/** What the subscription sent: data, or the control message it sends once to check the target. */
export type DecodedLogs = LogsData | { readonly messageType: 'CONTROL_MESSAGE' };

const FIELD = 'awslogs.data';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const EXPECTED = 'base64 of gzip of the CloudWatch Logs JSON';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function isAwsLogsEvent(input: unknown): input is { awslogs: unknown } {
  return isObject(input) && 'awslogs' in input;
}

function unpack(data: unknown): unknown {
  if (typeof data !== 'string' || data.length === 0) {
    throw new InvalidInputError(FIELD, EXPECTED, data === undefined ? 'missing' : 'not a non-empty string');
  }
  if (data.length % 4 !== 0 || !BASE64.test(data)) throw new InvalidInputError(FIELD, EXPECTED, 'not base64');
  const zipped = Buffer.from(data, 'base64');
  if (zipped[0] !== 0x1f || zipped[1] !== 0x8b) throw new InvalidInputError(FIELD, EXPECTED, 'not gzip');
  let text: string;
  try {
    text = gunzipSync(zipped).toString('utf8');
  } catch (error) {
    throw new InvalidInputError(FIELD, EXPECTED, `gzip stream is damaged (${(error as { code?: string }).code})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError(FIELD, EXPECTED, 'inflated data is not JSON');
  }
}

function checkEvent(value: unknown, index: number): LogEvent {
  const field = `${FIELD}.logEvents[${index}]`;
  if (!isObject(value)) throw new InvalidInputError(field, 'an object with id, timestamp and message');
  if (typeof value.id !== 'string' || !value.id) throw new InvalidInputError(`${field}.id`, 'a non-empty string');
  if (typeof value.timestamp !== 'number' || !Number.isFinite(value.timestamp)) {
    throw new InvalidInputError(`${field}.timestamp`, 'epoch milliseconds');
  }
  if (typeof value.message !== 'string') throw new InvalidInputError(`${field}.message`, 'a string');
  return { id: value.id, timestamp: value.timestamp, message: value.message };
}

function checkString(json: Json, key: string): string {
  const value = json[key];
  if (typeof value !== 'string' || !value) {
    throw new InvalidInputError(`${FIELD}.${key}`, 'a non-empty string', value === undefined ? 'missing' : undefined);
  }
  return value;
}

/** Decode and check a subscription delivery; a malformed one throws an InvalidInputError naming the field. */
export function decodeAwsLogs(input: unknown): DecodedLogs {
  if (!isObject(input) || !isObject(input.awslogs)) {
    throw new InvalidInputError('awslogs', 'an object with a "data" string');
  }
  const json = unpack(input.awslogs.data);
  if (!isObject(json)) throw new InvalidInputError(FIELD, 'a JSON object', 'inflated JSON is not an object');
  if (json.messageType === 'CONTROL_MESSAGE') return { messageType: 'CONTROL_MESSAGE' };
  if (json.messageType !== 'DATA_MESSAGE') {
    throw new InvalidInputError(`${FIELD}.messageType`, 'DATA_MESSAGE or CONTROL_MESSAGE');
  }
  if (!Array.isArray(json.logEvents)) throw new InvalidInputError(`${FIELD}.logEvents`, 'an array of log events');
  const filters = Array.isArray(json.subscriptionFilters) ? json.subscriptionFilters.map(String) : [];
  return {
    messageType: 'DATA_MESSAGE',
    owner: typeof json.owner === 'string' ? json.owner : '',
    logGroup: checkString(json, 'logGroup'),
    logStream: checkString(json, 'logStream'),
    subscriptionFilters: filters,
    logEvents: json.logEvents.map(checkEvent),
  };
}
