/**
 * What JSON cannot write literally, written as small directives that are expanded before a case
 * runs: gzip and base64 layers of an `awslogs` payload, long strings, long lists, and copies of
 * the samples in events/ with fields changed or removed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

type Json = Record<string, unknown>;

export const REPO_ROOT = path.join(__dirname, '..', '..');

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function setPath(target: Json, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node: Json = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Json;
  const last = keys.at(-1) ?? '';
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** `{"$file": "events/x.json", "set": {"a.b": 1}, "delete": ["c"]}`: a sample, changed. */
function fromFile(spec: Json): unknown {
  const value = JSON.parse(readFileSync(path.join(REPO_ROOT, String(spec.$file)), 'utf8')) as Json;
  for (const [key, item] of Object.entries((spec.set ?? {}) as Json)) setPath(value, key, materialize(item));
  for (const key of (spec.delete ?? []) as string[]) setPath(value, key, undefined);
  return value;
}

/** `{"$gzipBase64": value, "truncateBytes"?: n}`: JSON (or text) gzipped and base64-encoded, maybe cut short. */
function gzipBase64(spec: Json): string {
  const inner = materialize(spec.$gzipBase64);
  const zipped = gzipSync(typeof inner === 'string' ? inner : JSON.stringify(inner));
  const cut = typeof spec.truncateBytes === 'number' ? zipped.subarray(0, spec.truncateBytes) : zipped;
  return cut.toString('base64');
}

/** `{"$array": item, "times": n}`: n copies; `{i}` in a string item becomes the index. */
function array(spec: Json): unknown[] {
  return Array.from({ length: Number(spec.times) }, (_, index) => {
    const item = materialize(spec.$array);
    return typeof item === 'string' ? item.replaceAll('{i}', String(index)) : item;
  });
}

export function materialize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(materialize);
  if (!isObject(value)) return value;
  if ('$file' in value) return fromFile(value);
  if ('$gzipBase64' in value) return gzipBase64(value);
  if ('$base64' in value) return Buffer.from(String(value.$base64)).toString('base64');
  if ('$repeat' in value) return String(value.$repeat).repeat(Number(value.times));
  if ('$array' in value) return array(value);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, materialize(item)]));
}
