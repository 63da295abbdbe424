// One log stream's events, kept in the order GetLogEvents and exports read them: by
// timestamp, then by arrival. Every event carries a sequence number unique in the world, so
// a position between two events stays meaningful while events are added around it.

export interface StoredEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  readonly seq: number;
}

/** A place in a stream's order: events compare by timestamp, then sequence number. */
export interface Position {
  readonly timestamp: number;
  readonly seq: number;
}

export const comparePositions = (a: Position, b: Position): number => a.timestamp - b.timestamp || a.seq - b.seq;

/** The UTF-8 bytes of the message plus the 26 bytes AWS counts per event (PutLogEvents, GetLogEvents pages). */
export const eventSize = (message: string): number => Buffer.byteLength(message, 'utf8') + 26;

export class LogStream {
  private readonly stored: StoredEvent[] = [];
  /** UTF-8 bytes of the messages, for the group's storedBytes. */
  messageBytes = 0;
  lastIngestionTime: number | undefined;

  constructor(
    readonly name: string,
    readonly creationTime: number,
  ) {}

  get events(): readonly StoredEvent[] {
    return this.stored;
  }

  add(event: StoredEvent): void {
    const last = this.stored[this.stored.length - 1];
    if (last === undefined || comparePositions(last, event) <= 0) this.stored.push(event);
    else this.stored.splice(this.firstAfter(event), 0, event);
    this.messageBytes += Buffer.byteLength(event.message, 'utf8');
    this.lastIngestionTime = Math.max(this.lastIngestionTime ?? 0, event.ingestionTime);
  }

  /** Index of the first event after the position (the length when there is none). */
  firstAfter(position: Position): number {
    return this.search((event) => comparePositions(event, position) > 0);
  }

  /** Index of the first event at or after the time. */
  firstFrom(timestamp: number): number {
    return this.search((event) => event.timestamp >= timestamp);
  }

  /** Binary search for the first index whose event passes a test that, once true, stays true. */
  private search(passes: (event: StoredEvent) => boolean): number {
    let low = 0;
    let high = this.stored.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (passes(this.stored[middle] as StoredEvent)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
