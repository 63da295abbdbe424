// Which injected CloudWatch Logs faults are still due. Counters live here so each fault
// fires exactly the number of times the seed asks, however the calls interleave.
import {
  type LogsOperation,
  NO_CLOUDWATCH_FAULTS,
  type SeedCloudWatchFaults,
  type SeedCrash,
  type SeedExportOutcome,
  type SeedLogWriter,
  STREAM_OPERATIONS,
} from '../seed-format/types';

/** A call as the faults see it: the operation and the group and stream it names. */
export interface CallTarget {
  readonly operation: LogsOperation;
  readonly logGroupName?: string;
  readonly logStreamName?: string;
}

type Counted<T> = T & { remaining: number };

const counted = <T extends { times: number }>(entries: readonly T[]): Counted<T>[] =>
  entries.map((entry) => ({ ...entry, remaining: entry.times }));

/** Takes one firing of the first entry that matches and is still due. */
function take<T>(entries: Counted<T>[], matches: (entry: T) => boolean): T | undefined {
  const entry = entries.find((candidate) => candidate.remaining > 0 && matches(candidate));
  if (entry !== undefined) entry.remaining--;
  return entry;
}

const namesStream = (operation: LogsOperation) => (STREAM_OPERATIONS as readonly string[]).includes(operation);

export class LogsFaultPlan {
  readonly pollsToComplete: number;
  private slotHeldFor: number;
  private readonly outcomes: Counted<SeedExportOutcome>[];
  private readonly writers: Counted<SeedLogWriter>[];
  private readonly crashes: Counted<SeedCrash>[];

  constructor(
    private readonly faults: SeedCloudWatchFaults = NO_CLOUDWATCH_FAULTS,
    private readonly random: () => number = Math.random,
  ) {
    this.pollsToComplete = faults.exportPollsToComplete;
    this.slotHeldFor = faults.exportSlotHeldFor;
    this.outcomes = counted(faults.exportOutcomes);
    this.writers = counted(faults.writers);
    this.crashes = counted(faults.crashes);
  }

  throttles(): boolean {
    return this.faults.throttleRate > 0 && this.random() < this.faults.throttleRate;
  }

  /** True while another exporter still holds the account's export slot (one CreateExportTask call used up). */
  takeHeldSlot(): boolean {
    if (this.slotHeldFor === 0) return false;
    this.slotHeldFor--;
    return true;
  }

  takeOutcome(logGroupName: string): SeedExportOutcome | undefined {
    return take(this.outcomes, (outcome) => outcome.logGroupName === logGroupName);
  }

  takeCrash(call: CallTarget, when: SeedCrash['when']): boolean {
    const crash = take(
      this.crashes,
      (entry) =>
        entry.when === when &&
        entry.operation === call.operation &&
        (entry.logGroupName === undefined || entry.logGroupName === call.logGroupName) &&
        (entry.logStreamName === undefined || entry.logStreamName === call.logStreamName),
    );
    return crash !== undefined;
  }

  /** The writers due after this call took effect, each firing once for it. */
  takeWriters(call: CallTarget): SeedLogWriter[] {
    const due = this.writers.filter(
      (entry) =>
        entry.remaining > 0 &&
        entry.after === call.operation &&
        entry.logGroupName === call.logGroupName &&
        (!namesStream(call.operation) || entry.logStreamName === call.logStreamName),
    );
    for (const writer of due) writer.remaining--;
    return due;
  }
}
