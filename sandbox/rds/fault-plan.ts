// Which injected faults are still due. Counters live here so each fault fires exactly
// the number of times the seed asks, however the calls interleave.
import type { FaultOperation, SeedChange, SeedFailure, SeedFaults } from '../seed-format/types';

export class FaultPlan {
  private readonly failures: Array<SeedFailure & { remaining: number }>;
  private readonly resets: Array<{ instance: string; file: string; afterBytes: number; remaining: number }>;
  private pendingChanges: readonly SeedChange[];

  constructor(
    private readonly faults: SeedFaults,
    private readonly random: () => number,
  ) {
    this.failures = faults.failures.map((failure) => ({ ...failure, remaining: failure.times }));
    this.resets = faults.resets.map((reset) => ({ ...reset, remaining: reset.times }));
    this.pendingChanges = faults.changes;
  }

  throttles(): boolean {
    return this.faults.throttleRate > 0 && this.random() < this.faults.throttleRate;
  }

  takeFailure(operation: FaultOperation): SeedFailure | undefined {
    const failure = this.failures.find((f) => f.operation === operation && f.remaining > 0);
    if (failure !== undefined) failure.remaining--;
    return failure;
  }

  /** Bytes to serve before dropping the connection, or undefined to serve it all. */
  takeReset(instance: string, file: string): number | undefined {
    const reset = this.resets.find((r) => r.instance === instance && r.file === file && r.remaining > 0);
    if (reset !== undefined) reset.remaining--;
    return reset?.afterBytes;
  }

  /** The changes due now that DescribeDBLogFiles has listed these files; each is handed out once. */
  takeChangesAfterListing(instance: string, listedNames: ReadonlySet<string>): SeedChange[] {
    const due = this.pendingChanges.filter((c) => c.instance === instance && listedNames.has(c.file));
    this.pendingChanges = this.pendingChanges.filter((change) => !due.includes(change));
    return due;
  }
}
