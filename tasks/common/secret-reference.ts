import { ConfigurationError } from './errors';

const SECRET = /^(arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+|[\w/+=.@-]{1,512})$/;
/** What a secret's value tends to start with: a URL, a Slack token, an authorization scheme. */
const LOOKS_LIKE_A_VALUE = /^(https?:\/\/|xox[abposr]-|bearer\s|basic\s)/i;

/**
 * A variable that names a Secrets Manager secret. A value that is no name or ARN is refused
 * without being quoted: it may be the secret itself, pasted where its name belongs.
 */
export function secretReference(name: string, value: string | undefined): string | undefined {
  if (value && (LOOKS_LIKE_A_VALUE.test(value) || !SECRET.test(value))) {
    throw new ConfigurationError(
      name,
      'a Secrets Manager secret name or ARN',
      'not a secret name or ARN (the value is not shown: it may be the secret itself)',
    );
  }
  return value;
}
