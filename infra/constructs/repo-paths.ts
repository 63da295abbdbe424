import path from 'node:path';

/**
 * The repository root, found from this file rather than from the working directory, so that
 * `cdk synth`, jest and any other caller resolve the same tasks and ASL files.
 */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function repoPath(...segments: string[]): string {
  return path.join(REPO_ROOT, ...segments);
}
