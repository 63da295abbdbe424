// The stand-in's mutable account: log groups, their streams and events, and the export
// tasks. Everything lives in memory and starts from the seed, as of the stand-in's start.
import type { Seed } from '../seed-format/types';
import { groupNotFound, streamNotFound } from './errors';
import { LogStream } from './log-stream';
import { seededEvents } from './seed-events';

const HOUR_MS = 3_600_000;

export interface LogGroup {
  readonly name: string;
  readonly creationTime: number;
  retentionInDays: number | undefined;
  readonly dataProtection: boolean;
  readonly streams: Map<string, LogStream>;
}

export const EXPORT_STATUS_CODES = [
  'CANCELLED',
  'COMPLETED',
  'FAILED',
  'PENDING',
  'PENDING_CANCEL',
  'RUNNING',
] as const;
export type ExportStatusCode = (typeof EXPORT_STATUS_CODES)[number];

export interface ExportTask {
  readonly taskId: string;
  readonly taskName: string | undefined;
  readonly logGroupName: string;
  readonly logStreamNamePrefix: string | undefined;
  readonly from: number;
  readonly to: number;
  readonly destination: string;
  readonly destinationPrefix: string;
  readonly creationTime: number;
  status: ExportStatusCode;
  statusMessage: string;
  completionTime: number | undefined;
  /** DescribeExportTasks calls that have looked at it. */
  polls: number;
  /** Set while its objects are being written, so concurrent polls wait for the same outcome. */
  finishing: Promise<void> | undefined;
}

export const isActive = (task: ExportTask): boolean => task.status === 'PENDING' || task.status === 'RUNNING';

export class LogsWorld {
  readonly region: string;
  readonly groups = new Map<string, LogGroup>();
  readonly tasks: ExportTask[] = [];
  private sequence = 0;

  constructor(seed: Seed, start: number) {
    this.region = seed.region;
    for (const seeded of seed.cloudwatch?.logGroups ?? []) {
      const creationTime = Math.round(start - seeded.createdHoursAgo * HOUR_MS);
      const group: LogGroup = {
        name: seeded.name,
        creationTime,
        retentionInDays: seeded.retentionInDays,
        dataProtection: seeded.dataProtection,
        streams: new Map(),
      };
      this.groups.set(group.name, group);
      for (const stream of seeded.streams) {
        const events = seededEvents(stream, start);
        const created = this.createStream(group, stream.name, events[0]?.timestamp ?? creationTime);
        // Seeded events were ingested as they were written.
        for (const event of events) this.ingest(created, event, event.timestamp);
      }
    }
  }

  existingGroup(name: string): LogGroup {
    const group = this.groups.get(name);
    if (group === undefined) throw groupNotFound();
    return group;
  }

  existingStream(group: LogGroup, name: string): LogStream {
    const stream = group.streams.get(name);
    if (stream === undefined) throw streamNotFound();
    return stream;
  }

  createStream(group: LogGroup, name: string, creationTime: number): LogStream {
    const stream = new LogStream(name, creationTime);
    group.streams.set(name, stream);
    return stream;
  }

  /** An event from a writer outside the API (the database, a test): its stream is made again if it was deleted. */
  append(groupName: string, streamName: string, event: { timestamp: number; message: string }, now: number): void {
    const group = this.groups.get(groupName);
    if (group === undefined) throw new Error(`the sandbox has no log group "${groupName}"`);
    const stream = group.streams.get(streamName) ?? this.createStream(group, streamName, now);
    this.ingest(stream, event, now);
  }

  ingest(stream: LogStream, event: { timestamp: number; message: string }, ingestionTime: number): void {
    stream.add({ timestamp: event.timestamp, message: event.message, ingestionTime, seq: this.sequence++ });
  }
}
