// Samples the process's resident memory while a run goes on, to show whether it stays flat.

export interface MemoryFigures {
  readonly startRssMiB: number;
  readonly peakRssMiB: number;
  readonly endRssMiB: number;
  readonly samples: number;
}

const mib = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

/** Starts sampling every `everyMs`; `stop()` gives the figures. */
export function sampleMemory(everyMs = 250): { stop(): MemoryFigures } {
  const start = process.memoryUsage.rss();
  let peak = start;
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    samples += 1;
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const end = process.memoryUsage.rss();
      return {
        startRssMiB: mib(start),
        peakRssMiB: mib(Math.max(peak, end)),
        endRssMiB: mib(end),
        samples: samples + 1,
      };
    },
  };
}
