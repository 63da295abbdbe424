// A loopback stand-in for the RDS API: the awsQuery describe calls and the signed REST
// download of complete log files, answering from a seed, with injected faults. The real
// @aws-sdk/client-rds talks to it unchanged (endpoint override), which is what proves the
// tasks parse real responses and map real error codes.
import { SANDBOX_CREDENTIALS } from './credentials';
import { startLoopbackServer } from './loopback-server';
import { FaultPlan } from './rds/fault-plan';
import { type CallRecord, handleRequest } from './rds/handle-request';
import { RdsWorld } from './rds/world';
import { FieldReader } from './seed-format/fields';
import { parseFile } from './seed-format/files';
import type { Seed, SeedChange, SeedFile } from './seed-format/types';

export { SANDBOX_CREDENTIALS } from './credentials';
export type { CallRecord } from './rds/handle-request';

export interface SandboxCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RdsStandInOptions {
  seed: Seed;
  /** @default 0 (any free port) */
  port?: number;
  /** The only credentials whose signatures are accepted. @default SANDBOX_CREDENTIALS */
  credentials?: SandboxCredentials;
  /** Decides throttling (`faults.throttleRate`); inject one for repeatable runs. @default Math.random */
  random?: () => number;
}

export interface RdsStandIn {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  region: string;
  credentials: SandboxCredentials;
  /** Every request, in arrival order; download entries get `bytes` as the body streams. */
  calls: CallRecord[];
  /** Adds a log file, or replaces the one of the same name; fixture paths resolve against the working directory. */
  addFile(file: SeedFile): void;
  appendToFile(instance: string, name: string, text: string, lastWritten: string): void;
  removeFile(instance: string, name: string): void;
  stop(): Promise<void>;
}

function checkedFile(world: RdsWorld, file: SeedFile): SeedFile {
  const r = new FieldReader();
  const { appendedText, ...entry } = file;
  const parsed = parseFile(r, 'file', entry, world.instanceIds(), process.cwd());
  if (appendedText !== undefined) r.text('file.appendedText', appendedText);
  r.throwIfAny();
  const valid = parsed as SeedFile; // throwIfAny returned, so every field parsed
  return appendedText === undefined ? valid : { ...valid, appendedText };
}

function checkedDate(lastWritten: string): string {
  const r = new FieldReader();
  const date = r.isoDate('lastWritten', lastWritten);
  r.throwIfAny();
  return date ?? lastWritten;
}

export async function startRdsStandIn(options: RdsStandInOptions): Promise<RdsStandIn> {
  const world = new RdsWorld(options.seed);
  const credentials = { ...(options.credentials ?? SANDBOX_CREDENTIALS) };
  const calls: CallRecord[] = [];
  const applyChange = (change: SeedChange) => {
    if (change.kind === 'disappear') {
      world.removeFile(change.instance, change.file);
      return;
    }
    // A growing file is being written: without an explicit date it moves a minute on.
    const previous = world.file(change.instance, change.file)?.lastWritten ?? new Date().toISOString();
    const lastWritten = change.lastWritten ?? new Date(Date.parse(previous) + 60_000).toISOString();
    world.appendToFile(change.instance, change.file, change.appendText, lastWritten);
  };
  const context = {
    world,
    plan: new FaultPlan(options.seed.faults, options.random ?? Math.random),
    signing: { region: world.region, service: 'rds', credentials },
    calls,
    applyChange,
  };
  const server = await startLoopbackServer((req, res) => handleRequest(context, req, res), options.port);
  return {
    endpoint: server.endpoint,
    region: world.region,
    credentials,
    calls,
    addFile: (file) => world.putFile(checkedFile(world, file)),
    appendToFile: (instance, name, text, lastWritten) =>
      world.appendToFile(instance, name, text, checkedDate(lastWritten)),
    removeFile: (instance, name) => world.removeFile(instance, name),
    stop: server.stop,
  };
}
