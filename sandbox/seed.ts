// The seed: which clusters, instances and log files the sandbox stands in for, and which
// faults it injects. The format is documented in docs/sandbox.md.
import { dirname, resolve } from 'node:path';
import { parseCloudWatch } from './seed-format/cloudwatch';
import { parseFaults } from './seed-format/faults';
import { FieldReader, readSeedJson } from './seed-format/fields';
import { fileKey, parseFiles } from './seed-format/files';
import { checkIdentifiers, parseClusters, parseInstances } from './seed-format/topology';
import type { Seed } from './seed-format/types';

export { contentSize, openContent } from './content/open';
export { SeedError } from './seed-format/fields';
export type {
  Engine,
  ExportFailure,
  FaultOperation,
  Seed,
  SeedChange,
  SeedCloudWatch,
  SeedCloudWatchFaults,
  SeedCluster,
  SeedClusterMember,
  SeedContent,
  SeedCrash,
  SeedEventSeries,
  SeedExportOutcome,
  SeedFailure,
  SeedFaults,
  SeedFile,
  SeedInstance,
  SeedLogEvent,
  SeedLogGroup,
  SeedLogStream,
  SeedLogWriter,
  SeedReset,
} from './seed-format/types';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Validates a seed; relative fixture paths resolve against `baseDir`. Throws SeedError listing every problem. */
export function parseSeed(value: unknown, baseDir: string): Seed {
  const r = new FieldReader();
  const raw = r.object('', value, ['region', 'clusters', 'instances', 'files', 'faults', 'cloudwatch']) ?? {};
  const region =
    raw.region === undefined ? 'us-east-1' : r.string('region', raw.region, 'an AWS region like us-east-1', REGION);
  const clusters = parseClusters(r, raw.clusters);
  const instances = parseInstances(r, raw.instances);
  const instanceIds = checkIdentifiers(r, clusters, instances);
  const files = parseFiles(r, raw.files, instanceIds, baseDir);
  const faults = parseFaults(r, raw.faults, new Set(files.map((file) => fileKey(file.instance, file.name))));
  const cloudwatch = raw.cloudwatch === undefined ? undefined : parseCloudWatch(r, raw.cloudwatch);
  r.throwIfAny();
  const seed = { region: region ?? 'us-east-1', clusters, instances, files, faults };
  return cloudwatch === undefined ? seed : { ...seed, cloudwatch };
}

/** Reads a seed JSON file; its relative fixture paths resolve against the file's own folder. */
export function loadSeed(path: string): Seed {
  const absolute = resolve(path);
  const value = readSeedJson(absolute);
  return parseSeed(value, dirname(absolute));
}
