import { logger } from '../../tasks/common/logger';

type Write = typeof process.stdout.write;

/**
 * Collect every line the shared Powertools logger prints while `action` runs, at every level.
 * The logger writes through its own Console on process.stdout and process.stderr (or through the
 * global console when POWERTOOLS_DEV is set), so both are intercepted.
 */
export async function captureLogs<T>(action: () => Promise<T>): Promise<{ lines: string[]; value: T }> {
  const lines: string[] = [];
  const level = logger.getLevelName();
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originals = methods.map((method) => console[method]);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as Write;
  }
  for (const method of methods) console[method] = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  logger.setLogLevel('DEBUG');
  try {
    return { lines, value: await action() };
  } finally {
    logger.setLogLevel(level);
    streams.forEach((stream, index) => {
      stream.write = writes[index] as Write;
    });
    methods.forEach((method, index) => {
      console[method] = originals[index] as (typeof console)[typeof method];
    });
  }
}

/** A fetch that records each request instead of sending it, answering 200 ok. */
export function recordingFetch(): { posts: string[]; fetch: typeof fetch } {
  const posts: string[] = [];
  return {
    posts,
    fetch: (async (input: string | URL | Request) => {
      posts.push(String(input instanceof Request ? input.url : input));
      return new Response('ok', { status: 200 });
    }) as typeof fetch,
  };
}
