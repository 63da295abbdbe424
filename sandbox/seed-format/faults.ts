// Fault injection entries. Each one must point at a file of the seed, so a fault that
// could never fire is a load-time error rather than a silently green test.
import { child, type FieldReader, item, type RawObject } from './fields';
import { fileKey } from './files';
import { FAULT_OPERATIONS, type SeedChange, type SeedFailure, type SeedFaults, type SeedReset } from './types';

function targetFile(r: FieldReader, path: string, raw: RawObject, fileKeys: ReadonlySet<string>) {
  const instance = r.string(child(path, 'instance'), raw.instance, 'the id of an instance of the seed');
  const file = r.string(child(path, 'file'), raw.file, 'the name of a file of the seed');
  if (instance === undefined || file === undefined) return undefined;
  if (!fileKeys.has(fileKey(instance, file))) {
    return r.problem(path, `expected a file listed in "files", but "${file}" of "${instance}" is not`);
  }
  return { instance, file };
}

function parseReset(r: FieldReader, path: string, value: unknown, fileKeys: ReadonlySet<string>) {
  const raw = r.object(path, value, ['instance', 'file', 'afterBytes', 'times']);
  if (raw === undefined) return undefined;
  const target = targetFile(r, path, raw, fileKeys);
  const afterBytes = r.integer(child(path, 'afterBytes'), raw.afterBytes, 0);
  const times = raw.times === undefined ? 1 : r.integer(child(path, 'times'), raw.times, 1);
  if (target === undefined || afterBytes === undefined || times === undefined) return undefined;
  return { ...target, afterBytes, times } satisfies SeedReset;
}

function parseChange(
  r: FieldReader,
  path: string,
  value: unknown,
  fileKeys: ReadonlySet<string>,
): SeedChange | undefined {
  const raw = r.object(path, value, ['instance', 'file', 'kind', 'appendText', 'lastWritten', 'after']);
  if (raw === undefined) return undefined;
  const target = targetFile(r, path, raw, fileKeys);
  const kind = r.oneOf(child(path, 'kind'), raw.kind, ['grow', 'disappear'] as const);
  const after = raw.after === undefined ? 'list' : r.oneOf(child(path, 'after'), raw.after, ['list'] as const);
  // Which other keys apply depends on the kind; with no valid kind, checking them is noise.
  if (kind === undefined) return undefined;
  if (kind === 'disappear') {
    for (const key of ['appendText', 'lastWritten']) {
      if (raw[key] !== undefined) r.problem(child(path, key), 'only applies to "kind": "grow"');
    }
    return target === undefined || after === undefined ? undefined : { ...target, kind, after };
  }
  const appendText = r.string(child(path, 'appendText'), raw.appendText, 'the non-empty text the file grows by');
  const lastWritten =
    raw.lastWritten === undefined ? undefined : r.isoDate(child(path, 'lastWritten'), raw.lastWritten);
  if (target === undefined || after === undefined || appendText === undefined) return undefined;
  if (raw.lastWritten !== undefined && lastWritten === undefined) return undefined;
  return lastWritten === undefined
    ? { ...target, kind, appendText, after }
    : { ...target, kind, appendText, lastWritten, after };
}

function parseFailure(r: FieldReader, path: string, value: unknown): SeedFailure | undefined {
  const raw = r.object(path, value, ['operation', 'times', 'code', 'status', 'message']);
  if (raw === undefined) return undefined;
  const operation = r.oneOf(child(path, 'operation'), raw.operation, FAULT_OPERATIONS);
  const times = raw.times === undefined ? 1 : r.integer(child(path, 'times'), raw.times, 1);
  const code = raw.code === undefined ? 'InternalFailure' : r.string(child(path, 'code'), raw.code, 'an error code');
  const status = raw.status === undefined ? 500 : r.integer(child(path, 'status'), raw.status, 400, 599);
  const message =
    raw.message === undefined
      ? 'Injected failure (sandbox seed fault).'
      : r.string(child(path, 'message'), raw.message);
  if (operation === undefined || times === undefined || code === undefined) return undefined;
  if (status === undefined || message === undefined) return undefined;
  return { operation, times, code, status, message };
}

export function parseFaults(r: FieldReader, value: unknown, fileKeys: ReadonlySet<string>): SeedFaults {
  const raw =
    value === undefined ? {} : (r.object('faults', value, ['throttleRate', 'resets', 'changes', 'failures']) ?? {});
  const throttleRate = raw.throttleRate === undefined ? 0 : r.fraction('faults.throttleRate', raw.throttleRate);
  const defined = <T>(entry: T | undefined): entry is T => entry !== undefined;
  const resets = r
    .list('faults.resets', raw.resets)
    .map((entry, i) => parseReset(r, item('faults.resets', i), entry, fileKeys))
    .filter(defined);
  const changes = r
    .list('faults.changes', raw.changes)
    .map((entry, i) => parseChange(r, item('faults.changes', i), entry, fileKeys))
    .filter(defined);
  const failures = r
    .list('faults.failures', raw.failures)
    .map((entry, i) => parseFailure(r, item('faults.failures', i), entry))
    .filter(defined);
  return { throttleRate: throttleRate ?? 0, resets, changes, failures };
}
