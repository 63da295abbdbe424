// The stand-in's mutable view of the seed: instances by id and the log files of each.
// Files change while the stand-in runs (grow and disappear faults, addFile, ...).
import type { Engine, MemberStatus, Seed, SeedCluster, SeedFile } from '../seed-format/types';

export interface InstanceView {
  readonly id: string;
  readonly engine: Engine;
  readonly status: MemberStatus;
  readonly clusterId?: string;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class RdsWorld {
  readonly region: string;
  readonly clusters: readonly SeedCluster[];
  readonly instances: readonly InstanceView[];
  private readonly files = new Map<string, Map<string, SeedFile>>();

  constructor(seed: Seed) {
    this.region = seed.region;
    this.clusters = [...seed.clusters].sort((a, b) => (a.id < b.id ? -1 : 1));
    const members = seed.clusters.flatMap((cluster) =>
      cluster.members.map((m) => ({ id: m.instance, engine: cluster.engine, status: m.status, clusterId: cluster.id })),
    );
    const standalone = seed.instances.map((i) => ({ id: i.id, engine: i.engine, status: 'available' as const }));
    this.instances = [...members, ...standalone].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const instance of this.instances) this.files.set(instance.id, new Map());
    for (const file of seed.files) this.putFile(file);
  }

  /** RDS identifiers are case-insensitive (stored lowercase). */
  cluster(id: string): SeedCluster | undefined {
    return this.clusters.find((cluster) => cluster.id === id.toLowerCase());
  }

  instance(id: string): InstanceView | undefined {
    return this.instances.find((instance) => instance.id === id.toLowerCase());
  }

  instanceIds(): ReadonlySet<string> {
    return new Set(this.instances.map((instance) => instance.id));
  }

  filesOf(instance: string): SeedFile[] {
    return [...(this.files.get(instance.toLowerCase())?.values() ?? [])].sort(byName);
  }

  file(instance: string, name: string): SeedFile | undefined {
    return this.files.get(instance.toLowerCase())?.get(name);
  }

  /** Adds the file, or replaces the one of the same name. */
  putFile(file: SeedFile): void {
    this.filesOfInstance(file.instance).set(file.name, file);
  }

  appendToFile(instance: string, name: string, text: string, lastWritten: string): void {
    const file = this.existingFile(instance, name);
    this.putFile({ ...file, lastWritten, appendedText: (file.appendedText ?? '') + text });
  }

  removeFile(instance: string, name: string): void {
    this.existingFile(instance, name);
    this.filesOfInstance(instance).delete(name);
  }

  private filesOfInstance(instance: string): Map<string, SeedFile> {
    const files = this.files.get(instance.toLowerCase());
    if (files === undefined) throw new Error(`the sandbox has no DB instance "${instance}"`);
    return files;
  }

  private existingFile(instance: string, name: string): SeedFile {
    const file = this.filesOfInstance(instance).get(name);
    if (file === undefined) throw new Error(`the sandbox instance "${instance}" has no log file "${name}"`);
    return file;
  }
}
