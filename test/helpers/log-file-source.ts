import { Readable } from 'node:stream';
import { DownloadError, type LogFileSource } from '../../tasks/common/download';

/** What one open() of a file gives: the body as text, a stream, or an error to throw. */
export type Attempt = string | Buffer | Readable | Error;

/**
 * Serves log files from memory. A file maps to one body for every attempt, or to a list
 * of attempts (the last one repeats). Unknown files answer like RDS for a rotated-away file.
 */
export class FakeLogFileSource implements LogFileSource {
  readonly opened: { instanceId: string; fileName: string }[] = [];

  constructor(private readonly files: Readonly<Record<string, Attempt | readonly Attempt[]>>) {}

  async open(instanceId: string, fileName: string): Promise<Readable> {
    const attempt = this.opened.filter((call) => call.fileName === fileName).length;
    this.opened.push({ instanceId, fileName });
    const entry = this.files[fileName];
    if (entry === undefined) {
      throw new DownloadError(`download of ${fileName} answered 404 DBLogFileNotFoundFault`, 404, false);
    }
    const attempts: readonly Attempt[] = Array.isArray(entry) ? entry : [entry as Attempt];
    const body = attempts[Math.min(attempt, attempts.length - 1)];
    if (body instanceof Error) throw body;
    if (body instanceof Readable) return body;
    return Readable.from([Buffer.from(body ?? '')]);
  }

  openCount(fileName: string): number {
    return this.opened.filter((call) => call.fileName === fileName).length;
  }
}

/** A body that delivers `head` and then fails, like a connection reset mid-download. */
export function brokenStream(head: string, error: Error = connectionReset()): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from(head);
      throw error;
    })(),
  );
}

export function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
}
