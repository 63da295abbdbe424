// npm run load [-- --large] [-- --json] [-- --seed N]: one load run on the sandbox, its figures
// and the invariants it held. Exit 0 only when every invariant held. See docs/load.md.
import { type LoadResult, runLoad } from '../sandbox/load/run-load';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

function printReadable(result: LoadResult): void {
  const { figures, memory } = result;
  const lines = [
    `${result.run} run (random seed ${result.randomSeed}, ${result.throttleRate * 100} % throttled): ${result.execution.status} in ${result.durationSeconds} s`,
    `  shape: ${result.shape.instances} instances × ${result.shape.filesPerInstance} files, ${result.shape.logGroups} log groups × ${result.shape.streamsPerGroup} streams`,
    ...Object.entries(figures).map(
      ([service, f]) =>
        `  ${service}: ${f.calls} calls, ${f.throttled} throttled, ${f.serverErrors} 5xx, ${f.resets} resets, ${f.retries} retried`,
    ),
    `  memory: rss ${memory.startRssMiB} MiB at start, ${memory.peakRssMiB} MiB peak, ${memory.endRssMiB} MiB at end`,
    ...result.invariants.map(
      (invariant) => `  ${invariant.held ? 'held  ' : 'BROKEN'} ${invariant.name}: ${invariant.detail}`,
    ),
    result.held ? 'every invariant held' : 'some invariants did not hold',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const seed = option('--seed');
  const throttle = option('--throttle');
  const result = await runLoad({
    large: process.argv.includes('--large'),
    randomSeed: seed === undefined ? undefined : Number(seed),
    throttleRate: throttle === undefined ? undefined : Number(throttle),
    directory: option('--dir'),
  });
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else printReadable(result);
  process.exitCode = result.held ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`load run could not run: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 2;
});
