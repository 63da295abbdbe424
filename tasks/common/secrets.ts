import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { asTaskError, isTransient } from './errors';
import { SecretUnavailableError } from './notify-errors';

/**
 * Secrets are read once per container and kept this long: a rotated webhook URL or token is
 * picked up within minutes, and a burst of events costs one GetSecretValue, not one each.
 */
export const SECRET_CACHE_MS = 5 * 60_000;

const cache = new Map<string, { readonly value: string; readonly expires: number }>();

/** Drop the cached values, so the next read asks Secrets Manager again. */
export function forgetCachedSecrets(): void {
  cache.clear();
}

const GRANT = "allow secretsmanager:GetSecretValue on it to the function's role";

/** What went wrong and what to do, by the error Secrets Manager answered. */
function unavailable(error: unknown, secretId: string): SecretUnavailableError {
  const name = (error as Error).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const cause = { cause: error };
  if (name === 'ResourceNotFoundException') {
    return new SecretUnavailableError(
      secretId,
      'not found',
      'create it, or point the setting that names it at an existing secret name or ARN',
      cause,
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || status === 403) {
    return new SecretUnavailableError(
      secretId,
      'access denied',
      `${GRANT} (and kms:Decrypt when a customer managed key encrypts it)`,
      cause,
    );
  }
  if (name === 'DecryptionFailure') {
    return new SecretUnavailableError(
      secretId,
      'cannot be decrypted',
      "allow kms:Decrypt on the secret's KMS key to the function's role",
      cause,
    );
  }
  if (name === 'InvalidRequestException') {
    return new SecretUnavailableError(
      secretId,
      'cannot be read (deleted or scheduled for deletion?)',
      'restore it or name another secret',
      cause,
    );
  }
  return new SecretUnavailableError(secretId, `cannot be read (${name})`, `check the secret; ${GRANT}`, cause);
}

/**
 * The text value (SecretString) of a secret. A missing, forbidden or empty secret throws a
 * SecretUnavailableError that names it and says what to do; throttling and 5xx answers a
 * TransientAwsError. Values are cached for SECRET_CACHE_MS; failures are not.
 */
export async function readSecret(client: SecretsManagerClient, secretId: string): Promise<string> {
  const cached = cache.get(secretId);
  if (cached && cached.expires > Date.now()) return cached.value;
  let value: string | undefined;
  try {
    value = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  } catch (error) {
    throw isTransient(error) ? asTaskError(error, `reading secret "${secretId}"`) : unavailable(error, secretId);
  }
  if (!value?.trim()) {
    throw new SecretUnavailableError(
      secretId,
      'holds no text value',
      'store the value as the secret text (SecretString); binary secrets are not read',
    );
  }
  cache.set(secretId, { value, expires: Date.now() + SECRET_CACHE_MS });
  return value;
}
