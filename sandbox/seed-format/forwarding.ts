// The forwarding seed: faults of the bulk stand-in (sandbox/bulk-stand-in.ts), in a file of
// its own (sandbox/seeds/forwarding.json) beside the main seed. Documented in docs/sandbox.md.
import { resolve } from 'node:path';
import type { BulkFaultRule, BulkFaults } from '../bulk-stand-in';
import { child, FieldReader, item, readSeedJson } from './fields';

export interface SeedForwarding {
  readonly faults: BulkFaults;
}

function parseRule(r: FieldReader, path: string, value: unknown): BulkFaultRule | undefined {
  const raw = r.object(path, value, ['every', 'idPattern', 'status', 'times']);
  if (raw === undefined) return undefined;
  if (raw.every === undefined && raw.idPattern === undefined) return r.problem(path, 'expected "every" or "idPattern"');
  const every = raw.every === undefined ? undefined : r.integer(child(path, 'every'), raw.every, 1);
  const idPattern = raw.idPattern === undefined ? undefined : r.string(child(path, 'idPattern'), raw.idPattern);
  if (idPattern !== undefined) {
    try {
      new RegExp(idPattern);
    } catch {
      r.problem(child(path, 'idPattern'), 'expected a regular expression');
    }
  }
  const status = r.integer(child(path, 'status'), raw.status, 300, 599);
  const times = raw.times === undefined ? undefined : r.integer(child(path, 'times'), raw.times, 1);
  if (status === undefined) return undefined;
  return { every, idPattern, status, times };
}

/** Validates a forwarding seed; throws SeedError listing every problem. */
export function parseForwarding(value: unknown): SeedForwarding {
  const r = new FieldReader();
  const raw = r.object('', value, ['faults']) ?? {};
  const faults = raw.faults === undefined ? {} : (r.object('faults', raw.faults, ['down', 'items']) ?? {});
  const down = faults.down === undefined ? false : (r.boolean('faults.down', faults.down) ?? false);
  const items = r
    .list('faults.items', faults.items)
    .map((rule, index) => parseRule(r, item('faults.items', index), rule))
    .filter((rule): rule is BulkFaultRule => rule !== undefined);
  r.throwIfAny();
  return { faults: { down, items } };
}

export function loadForwardingSeed(path: string): SeedForwarding {
  const absolute = resolve(path);
  const value = readSeedJson(absolute);
  return parseForwarding(value);
}
