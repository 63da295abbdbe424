// What the CloudWatch Logs branch left behind on the sandbox, read back independently of the
// product's own helpers: the range and keys are computed here from docs/cloudwatch.md, the
// exported objects are gunzipped and parsed line by line, the stand-in is read as it stands.
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { sandboxS3ClientConfig } from '../credentials';
import type { Sandbox } from '../sandbox';

const DAY_MS = 86_400_000;

/** One event as the stand-in stores it; `ingestionTime` changes only when an event is put again. */
export interface StoredEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
}

/** Every stream's events of every group, by group and stream name. */
export type LogsContent = Record<string, Record<string, StoredEvent[]>>;

/**
 * A scheduled run's range: the UTC day that has just become older than `olderThanDays`
 * (the cutoff is the end of that day, exclusive).
 */
export function scheduledRange(scheduledTime: number, olderThanDays = 7): { from: number; cutoff: number } {
  const cutoff = Math.floor((scheduledTime - olderThanDays * DAY_MS) / DAY_MS) * DAY_MS;
  return { from: cutoff - DAY_MS, cutoff };
}

/** `2026-11-12T00:00:00.000Z` → `20261112T000000Z`, as folder names show a range. */
const compact = (epochMs: number) =>
  new Date(epochMs)
    .toISOString()
    .replace(/\.000Z$/, 'Z')
    .replace(/[-:]/g, '');

/** `cloudwatch/{group without leading /}/{YYYY}/{MM}/{DD of from}/{from}_{cutoff}/manifest.json` */
export function manifestKeyFor(logGroupName: string, from: number, cutoff: number): string {
  const day = new Date(from).toISOString().slice(0, 10).replaceAll('-', '/');
  return `cloudwatch/${logGroupName.replace(/^\/+/, '')}/${day}/${compact(from)}_${compact(cutoff)}/manifest.json`;
}

/** A stream's events as one comparable multiset: sorted `timestamp message` strings. */
export const multiset = (events: readonly { timestamp: number; message: string }[]): string[] =>
  events.map((event) => `${event.timestamp} ${event.message}`).sort();

/** The entries of `wanted` that `stored` lacks, counting duplicates (two wanted need two stored). */
export function missingFrom(stored: readonly string[], wanted: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const entry of stored) left.set(entry, (left.get(entry) ?? 0) + 1);
  return wanted.filter((entry) => {
    const count = left.get(entry) ?? 0;
    left.set(entry, count - 1);
    return count <= 0;
  });
}

/** Everything the stand-in holds now, for every seeded group (streams created since included). */
export function logsContent(sandbox: Sandbox, groups: readonly string[]): LogsContent {
  return Object.fromEntries(
    groups.map((group) => [
      group,
      Object.fromEntries(
        sandbox.cloudwatch.streams(group).map((stream) => [stream, sandbox.cloudwatch.events(group, stream) ?? []]),
      ),
    ]),
  );
}

/** Applies `keep` to the events of every stream; streams left without events are dropped. */
export function filterContent(content: LogsContent, keep: (event: StoredEvent) => boolean): LogsContent {
  return Object.fromEntries(
    Object.entries(content).map(([group, streams]) => [
      group,
      Object.fromEntries(
        Object.entries(streams)
          .map(([stream, events]) => [stream, events.filter(keep)] as const)
          .filter(([, events]) => events.length > 0),
      ),
    ]),
  );
}

/** Every stream's events as multisets of timestamp and message (ingestion times ignored). */
export const contentMultisets = (content: LogsContent) =>
  Object.fromEntries(
    Object.entries(content).map(([group, streams]) => [
      group,
      Object.fromEntries(Object.entries(streams).map(([stream, events]) => [stream, multiset(events)])),
    ]),
  );

/** One listed object; comparing listings before and after a run shows anything written again. */
export interface ListedObject {
  readonly key: string;
  readonly etag: string;
  readonly lastModified: string;
}

/** Reads the sandbox bucket. */
export class BucketReader {
  private readonly s3: S3Client;

  constructor(private readonly sandbox: Sandbox) {
    this.s3 = new S3Client(sandboxS3ClientConfig(sandbox.s3.endpoint, sandbox.rds.region));
  }

  /** Keys under a prefix with their ETag and LastModified (an object written again shows a new one), sorted by key. */
  async list(prefix: string): Promise<ListedObject[]> {
    const found: ListedObject[] = [];
    const pages = paginateListObjectsV2({ client: this.s3 }, { Bucket: this.sandbox.bucket, Prefix: prefix });
    for await (const page of pages) {
      for (const item of page.Contents ?? []) {
        found.push({
          key: item.Key ?? '',
          etag: item.ETag ?? '',
          lastModified: item.LastModified?.toISOString() ?? '',
        });
      }
    }
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  async bytes(key: string): Promise<Buffer> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.sandbox.bucket, Key: key }));
    return Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
  }

  async json<T>(key: string): Promise<T> {
    return JSON.parse((await this.bytes(key)).toString('utf8')) as T;
  }

  /**
   * The events a manifest's objects hold, per stream: every listed object gunzipped, one event
   * per line, `{ISO-8601 timestamp} {message}`. Throws on an object outside the manifest's folder
   * or a line of another form.
   */
  async exportedEvents(manifestKey: string): Promise<Record<string, { timestamp: number; message: string }[]>> {
    const manifest = await this.json<ExportManifestView>(manifestKey);
    const folder = manifestKey.slice(0, -'manifest.json'.length);
    const byStream: Record<string, { timestamp: number; message: string }[]> = {};
    for (const stream of manifest.streams) {
      const events: { timestamp: number; message: string }[] = [];
      for (const object of stream.objects) {
        if (!object.key.startsWith(`${folder}${stream.name}/`)) {
          throw new Error(`${manifestKey} lists ${object.key}, outside ${folder}${stream.name}/`);
        }
        events.push(...parseExportLines(gunzipSync(await this.bytes(object.key)).toString('utf8'), object.key));
      }
      byStream[stream.name] = events;
    }
    return byStream;
  }

  destroy(): void {
    this.s3.destroy();
  }
}

/** The parts of manifest.json the checks read (docs/cloudwatch.md). */
export interface ExportManifestView {
  readonly logGroupName: string;
  readonly from: string;
  readonly to: string;
  readonly exportTaskId: string;
  readonly prefix: string;
  readonly streams: readonly { readonly name: string; readonly objects: readonly { key: string; size: number }[] }[];
  readonly emptyStreams: readonly string[];
}

const LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (.*)$/s;

function parseExportLines(text: string, key: string): { timestamp: number; message: string }[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, index) => {
    const match = LINE.exec(line);
    if (!match) throw new Error(`${key} line ${index + 1} is not "{ISO timestamp} {message}": ${line.slice(0, 80)}`);
    return { timestamp: Date.parse(match[1] ?? ''), message: match[2] ?? '' };
  });
}
