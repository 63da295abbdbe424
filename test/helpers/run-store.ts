import { RunStateError } from '../../tasks/common/errors';
import type { RunStore } from '../../tasks/common/run-store';

/** A RunStore in memory; values round-trip through JSON like the S3 one. */
export class MemoryRunStore implements RunStore {
  readonly objects = new Map<string, string>();

  async putJson(key: string, value: unknown): Promise<void> {
    this.objects.set(key, JSON.stringify(value));
  }

  async getJson<T>(key: string): Promise<T> {
    const body = this.objects.get(key);
    if (body === undefined) throw new RunStateError(`cannot read ${key}: NoSuchKey`);
    return JSON.parse(body) as T;
  }

  async findJson<T>(key: string): Promise<T | undefined> {
    return this.read<T>(key);
  }

  async listKeys(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  /** The stored value at `key`, or undefined. */
  read<T>(key: string): T | undefined {
    const body = this.objects.get(key);
    return body === undefined ? undefined : (JSON.parse(body) as T);
  }
}
