import type { Output } from './output';

/** process.stdout as a stream: write() says when to wait for 'drain', and 'error' says the reader left. */
interface StreamOutput extends Output {
  write(text: string): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  once(event: 'drain' | 'error', listener: (error?: NodeJS.ErrnoException) => void): unknown;
  off(event: 'drain' | 'error', listener: (error?: NodeJS.ErrnoException) => void): unknown;
  readonly destroyed?: boolean;
}

const isStream = (output: Output): output is StreamOutput =>
  typeof (output as Partial<StreamOutput>).once === 'function' &&
  typeof (output as Partial<StreamOutput>).off === 'function';

/** How the writing ended: every chunk written, or the reader went away (EPIPE: `| head` had enough). */
export type WriteOutcome = 'complete' | 'closed';

function drained(output: StreamOutput): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      output.off('drain', done);
      output.off('error', done);
      resolve();
    };
    output.once('drain', done);
    output.once('error', done);
  });
}

/**
 * Write the chunks in order, waiting for 'drain' whenever the output asks to, so that a slow
 * reader slows the producer down instead of filling memory. A broken pipe ends the writing
 * quietly; any other write error is thrown. The error listener stays on: a reader that is gone
 * may still report EPIPE for a write already under way.
 */
export async function writeAll(output: Output, chunks: AsyncIterable<string>): Promise<WriteOutcome> {
  if (!isStream(output)) {
    for await (const chunk of chunks) output.write(chunk);
    return 'complete';
  }
  let failure: NodeJS.ErrnoException | undefined;
  output.on('error', (error) => {
    failure ??= error;
  });
  // A destroyed stream emits no 'drain' and may report its error only on the next tick.
  const gone = () => failure !== undefined || output.destroyed === true;
  for await (const chunk of chunks) {
    if (gone()) break;
    if (!output.write(chunk)) {
      if (gone()) break;
      await drained(output);
    }
  }
  if (!gone()) return 'complete';
  if (!failure) return 'closed';
  if (failure.code === 'EPIPE' || failure.code === 'ERR_STREAM_DESTROYED') return 'closed';
  throw failure;
}
