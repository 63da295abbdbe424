// What a completed export task writes to S3, in the layout CloudWatch Logs uses (observed,
// not documented): a permission-check object, then per stream with events in the range
// gzip objects of at most 5,000 lines, each line `{ISO-8601 time} {message}`.
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StoredEvent } from './log-stream';
import type { ExportTask, LogsWorld } from './world';

export const LINES_PER_OBJECT = 5_000;
export const WRITE_TEST_BODY = 'Permission Check Successful';

export interface ExportObject {
  readonly key: string;
  readonly body: Buffer;
}

const objectName = (index: number) => `${String(index).padStart(6, '0')}.gz`;

function streamObjects(task: ExportTask, stream: string, events: readonly StoredEvent[]): ExportObject[] {
  const objects: ExportObject[] = [];
  for (let start = 0; start < events.length; start += LINES_PER_OBJECT) {
    const lines = events
      .slice(start, start + LINES_PER_OBJECT)
      .map((event) => `${new Date(event.timestamp).toISOString()} ${event.message}\n`);
    const key = `${task.destinationPrefix}/${task.taskId}/${stream}/${objectName(objects.length)}`;
    objects.push({ key, body: gzipSync(lines.join('')) });
  }
  return objects;
}

/** The objects of the task as of now: the events of its group (and stream prefix) with from <= timestamp <= to. */
export function exportObjects(world: LogsWorld, task: ExportTask): ExportObject[] {
  const group = world.groups.get(task.logGroupName);
  const streams = [...(group?.streams.values() ?? [])]
    .filter((stream) => stream.name.startsWith(task.logStreamNamePrefix ?? ''))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const objects: ExportObject[] = [
    { key: `${task.destinationPrefix}/aws-logs-write-test`, body: Buffer.from(WRITE_TEST_BODY) },
  ];
  for (const stream of streams) {
    const events = stream.events.filter((event) => event.timestamp >= task.from && event.timestamp <= task.to);
    objects.push(...streamObjects(task, stream.name, events));
  }
  return objects;
}

export async function writeExportObjects(s3: S3Client, bucket: string, objects: readonly ExportObject[]) {
  for (const object of objects) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, Body: object.body }));
  }
}
