// A crash proxy in front of s3rver: each request is classified by S3 operation and by the
// kind of key it writes (archive, staging, run state, exports, …), and a chosen call dies
// before or after s3rver applies it, answered with a non-retryable S3 error.
import type { IncomingMessage } from 'node:http';
import {
  CHECKPOINTS_PREFIX,
  CLOUDWATCH_PREFIX,
  EXPORTS_PREFIX,
  FORWARD_FAILED_PREFIX,
  PARSED_PREFIX,
  RDS_EVENTS_PREFIX,
  RUNS_PREFIX,
  STAGING_PREFIX,
} from '../tasks/common/layout';
import { type ClassifiedCall, type CrashProxy, type CrashRule, startCrashProxy } from './faults/crash-proxy';

/** Key classes by prefix, longest first where one prefix holds another; anything else is archive. */
export const S3_KEY_CLASSES = {
  checkpoints: CHECKPOINTS_PREFIX,
  runs: RUNS_PREFIX,
  staging: STAGING_PREFIX,
  cloudwatch: CLOUDWATCH_PREFIX,
  exports: EXPORTS_PREFIX,
  parsed: PARSED_PREFIX,
  'rds-events': RDS_EVENTS_PREFIX,
  'forward-failed': FORWARD_FAILED_PREFIX,
} as const;

export type S3KeyClass = keyof typeof S3_KEY_CLASSES | 'archive' | 'bucket';

export const S3_WRITE_OPERATIONS = [
  'PutObject',
  'CopyObject',
  'DeleteObject',
  'DeleteObjects',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
] as const;
export type S3WriteOperation = (typeof S3_WRITE_OPERATIONS)[number];

export interface S3CrashRule extends CrashRule {
  readonly operation: S3WriteOperation;
  readonly target: S3KeyClass;
}

export function keyClass(key: string): S3KeyClass {
  const found = Object.entries(S3_KEY_CLASSES).find(([, prefix]) => key.startsWith(prefix));
  return found ? (found[0] as S3KeyClass) : 'archive';
}

function operationOf(method: string, query: URLSearchParams, headers: IncomingMessage['headers'], hasKey: boolean) {
  if (!hasKey) return method === 'POST' && query.has('delete') ? 'DeleteObjects' : `${method} bucket`;
  if (method === 'PUT' && query.has('uploadId')) return 'UploadPart';
  if (method === 'PUT') return headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'DELETE') return query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  return method === 'HEAD' ? 'HeadObject' : 'GetObject';
}

/** Path-style requests (`/{bucket}/{key}`); a DeleteObjects is classed by the first key it names. */
export function classifyS3(
  method: string,
  url: URL,
  body: Buffer,
  headers: IncomingMessage['headers'],
): ClassifiedCall {
  const [, , ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const operation = operationOf(method, url.searchParams, headers, key !== '');
  if (operation === 'DeleteObjects') {
    const first = /<Key>([^<]*)<\/Key>/.exec(body.toString('utf8'))?.[1];
    return { operation, target: first === undefined ? 'bucket' : keyClass(first), resource: first };
  }
  return { operation, target: key === '' ? 'bucket' : keyClass(key), resource: key };
}

const crashXml = (call: ClassifiedCall, when: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  `<Error><Code>InjectedCrash</Code><Message>sandbox crash ${when} ${call.operation} on a ${call.target} key</Message></Error>`;

/** Starts the proxy in front of `s3Endpoint`; point the tasks' AWS_ENDPOINT_URL_S3 at it. */
export function startS3FaultProxy(s3Endpoint: string, rules: readonly S3CrashRule[]): Promise<CrashProxy> {
  return startCrashProxy({
    target: s3Endpoint,
    classify: classifyS3,
    rules,
    answer: (call, when) => ({ contentType: 'application/xml', body: crashXml(call, when) }),
  });
}
