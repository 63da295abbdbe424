import {
  GetSecretValueCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { TransientAwsError } from '../../../tasks/common/errors';
import { SecretUnavailableError } from '../../../tasks/common/notify-errors';
import { forgetCachedSecrets, readSecret, SECRET_CACHE_MS } from '../../../tasks/common/secrets';

const secrets = new SecretsManagerClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const secretsMock = mockClient(secrets);
const SECRET = 'rds-log-archive/slack-webhook';
const URL = 'https://hooks.slack.com/services/T000/B000/XXXX';

function secretsError(name: string, httpStatusCode = 400): SecretsManagerServiceException {
  return new SecretsManagerServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message: `${name} (test)`,
  });
}

async function readError(): Promise<Error> {
  try {
    await readSecret(secrets, SECRET);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected readSecret to fail');
}

beforeEach(() => {
  secretsMock.reset();
  forgetCachedSecrets();
  jest.restoreAllMocks();
});

describe('readSecret', () => {
  it('returns the secret text', async () => {
    secretsMock.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: URL });

    await expect(readSecret(secrets, SECRET)).resolves.toBe(URL);
  });

  it('asks Secrets Manager once while the value is fresh', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: URL });

    await readSecret(secrets, SECRET);
    await readSecret(secrets, SECRET);

    expect(secretsMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('asks again once the cached value is older than the cache time', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: URL });
    const start = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(start);
    await readSecret(secrets, SECRET);

    now.mockReturnValue(start + SECRET_CACHE_MS + 1);
    await readSecret(secrets, SECRET);

    expect(secretsMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it.each([
    ['a missing secret', 'ResourceNotFoundException', 400, 'not found; create it'],
    [
      'a denied read',
      'AccessDeniedException',
      400,
      "access denied; allow secretsmanager:GetSecretValue on it to the function's role",
    ],
    ['a key it cannot use', 'DecryptionFailure', 400, "cannot be decrypted; allow kms:Decrypt on the secret's KMS key"],
    ['a deleted secret', 'InvalidRequestException', 400, 'cannot be read (deleted or scheduled for deletion?)'],
  ])('names the secret and what to do for %s', async (_case, name, status, expected) => {
    secretsMock.on(GetSecretValueCommand).rejects(secretsError(name, status));

    const error = await readError();

    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(error.name).toBe('SecretUnavailableError');
    expect(error.message).toContain(`secret "${SECRET}": ${expected}`);
    expect((error as SecretUnavailableError).secretId).toBe(SECRET);
  });

  it('refuses a secret without a text value', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });

    const error = await readError();

    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(error.message).toContain('holds no text value; store the value as the secret text (SecretString)');
  });

  it('refuses a secret whose text is blank', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: '  \n' });

    await expect(readSecret(secrets, SECRET)).rejects.toBeInstanceOf(SecretUnavailableError);
  });

  it('turns throttling into a TransientAwsError', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(secretsError('ThrottlingException'));

    const error = await readError();

    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error.message).toBe(`reading secret "${SECRET}": ThrottlingException`);
  });

  it('turns a 5xx answer into a TransientAwsError', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(secretsError('InternalServiceError', 500));

    await expect(readSecret(secrets, SECRET)).rejects.toBeInstanceOf(TransientAwsError);
  });

  it('does not cache a failure', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .rejectsOnce(secretsError('ThrottlingException'))
      .resolves({ SecretString: URL });
    await readError();

    await expect(readSecret(secrets, SECRET)).resolves.toBe(URL);
  });
});
