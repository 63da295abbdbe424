import type { App } from 'aws-cdk-lib';

/**
 * A context list from cdk.json (a JSON array) or from the command line (`-c clusters=a,b`);
 * undefined when the key is not set. The error names the key and the expected form.
 */
export function contextList(app: App, key: string): string[] | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new Error(
    `context "${key}": expected an array of strings or a comma-separated string, got ${JSON.stringify(value)}`,
  );
}
