// GET /v13/downloadCompleteLogFile/{instance}/{file}: the whole file, streamed chunked
// with backpressure, so a multi-GiB file goes through with flat memory. A reset fault
// drops the connection after a number of bytes, like a network failure mid-download.
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { openContent } from '../content/open';
import { dbInstanceNotReady, dbLogFileNotFound } from './errors';
import type { FaultPlan } from './fault-plan';
import type { RdsWorld } from './world';

export const DOWNLOAD_PREFIX = '/v13/downloadCompleteLogFile/';

/** Splits the wire path into instance and file name; a name may contain "/" (raw or as %2F). */
export function parseDownloadPath(wirePath: string): { instance: string; file: string } | undefined {
  const rest = wirePath.slice(DOWNLOAD_PREFIX.length);
  const slash = rest.indexOf('/');
  if (!wirePath.startsWith(DOWNLOAD_PREFIX) || slash <= 0 || slash === rest.length - 1) return undefined;
  try {
    return { instance: decodeURIComponent(rest.slice(0, slash)), file: decodeURIComponent(rest.slice(slash + 1)) };
  } catch {
    return undefined;
  }
}

/** Serves the file; `onSent` hears the running count of body bytes, even if the client goes away. */
export async function serveDownload(
  world: RdsWorld,
  plan: FaultPlan,
  target: { instance: string; file: string },
  res: ServerResponse,
  onSent: (bytes: number) => void,
): Promise<void> {
  const instance = world.instance(target.instance);
  // What the real endpoint answers for an unknown instance is undocumented; callers key off
  // the 404, so both unknown instance and unknown file answer DBLogFileNotFoundFault.
  if (instance === undefined) throw dbLogFileNotFound(target.instance, target.file);
  if (instance.status === 'paused') throw dbInstanceNotReady(instance.id);
  const file = world.file(instance.id, target.file);
  if (file === undefined) throw dbLogFileNotFound(instance.id, target.file);
  const resetAfterBytes = plan.takeReset(instance.id, file.name);

  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  res.flushHeaders();
  const limit = resetAfterBytes ?? Number.POSITIVE_INFINITY;
  let sent = 0;
  async function* upToLimit(chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      const piece = chunk.length > limit - sent ? chunk.subarray(0, limit - sent) : chunk;
      sent += piece.length;
      onSent(sent);
      if (piece.length > 0) yield piece;
      if (sent >= limit) return;
    }
  }
  if (resetAfterBytes === undefined) {
    await pipeline(openContent(file), upToLimit, res);
    return;
  }
  await pipeline(openContent(file), upToLimit, res, { end: false });
  // Close without ending the chunked body, after a turn of the event loop so the corked
  // last chunk is flushed first: the client gets exactly `limit` bytes, then a dropped
  // connection.
  await new Promise((resolve) => setImmediate(resolve));
  res.socket?.destroySoon();
}
