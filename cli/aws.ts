import { CliError, EXIT } from './errors';

/** A client whose resolved config holds a region provider (every SDK v3 client). */
interface WithRegion {
  readonly config: { readonly region: () => Promise<string> };
}

/** The region a client will call: --region, else the SDK's own chain (AWS_REGION, profile); undefined if none. */
export async function clientRegion(client: WithRegion): Promise<string | undefined> {
  try {
    return await client.config.region();
  } catch {
    return undefined;
  }
}

/** The region a client will call, or a clear error saying how to give one. */
export async function requireRegion(client: WithRegion): Promise<string> {
  const region = await clientRegion(client);
  if (!region) throw new CliError('no AWS region: pass --region or set AWS_REGION (or a region in the profile)');
  return region;
}

/** An SDK error's name, or the error's own name. */
export function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? 'Error';
}

/** Wrap an unexpected AWS error so the message says which call failed (exit 3). */
export function awsFailure(call: string, error: unknown): CliError {
  const message = (error as Error)?.message ?? String(error);
  return new CliError(`${call} failed: ${errorName(error)}: ${message}`, EXIT.error, { cause: error });
}
