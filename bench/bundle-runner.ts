import path from 'node:path';
import { build } from 'esbuild';

/**
 * A benchmark's round runner (`bench/{name}.ts`) bundled by esbuild, as the deployed tasks are
 * bundled: each round then runs in a fresh plain Node process whose peak memory is the measured
 * work's alone, without the TypeScript loader.
 */
export async function bundleRunner(name: string, directory: string): Promise<string> {
  const outfile = path.join(directory, `${name}.js`);
  await build({
    entryPoints: [path.join(__dirname, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    logLevel: 'error',
  });
  return outfile;
}
