import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { SANDBOX_ACCOUNT_ID } from '../../../sandbox/credentials';
import {
  type SecretsStandIn,
  secretArn,
  secretsClientConfig,
  startSecretsStandIn,
} from '../../../sandbox/secrets-stand-in';

const WEBHOOK_SECRET = 'rds-log-archive/slack-webhook';
const WEBHOOK_URL = 'http://127.0.0.1:9/services/T000/B000/XXXX';
const CREATED = Date.UTC(2026, 10, 20, 12, 0, 0);

let standIn: SecretsStandIn;
let client: SecretsManagerClient;

beforeEach(async () => {
  standIn = await startSecretsStandIn({
    secrets: { [WEBHOOK_SECRET]: WEBHOOK_URL, 'rds-log-archive/slack-bot-token': 'xoxb-sandbox-not-a-real-token' },
    now: () => CREATED,
  });
  client = new SecretsManagerClient({ ...secretsClientConfig(standIn), maxAttempts: 1 });
});

afterEach(async () => {
  client.destroy();
  await standIn.stop();
});

describe('the Secrets Manager stand-in', () => {
  it('answers GetSecretValue by name with the seeded string and its ARN', async () => {
    const output = await client.send(new GetSecretValueCommand({ SecretId: WEBHOOK_SECRET }));

    expect(output).toMatchObject({
      Name: WEBHOOK_SECRET,
      SecretString: WEBHOOK_URL,
      ARN: standIn.arn(WEBHOOK_SECRET),
      VersionStages: ['AWSCURRENT'],
      CreatedDate: new Date(CREATED),
    });
    expect(output.VersionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(standIn.calls).toEqual([{ operation: 'GetSecretValue', secretId: WEBHOOK_SECRET, status: 200 }]);
  });

  it('gives ARNs with a stable six-character suffix in the sandbox account', () => {
    expect(standIn.arn(WEBHOOK_SECRET)).toMatch(
      new RegExp(
        `^arn:aws:secretsmanager:us-east-1:${SANDBOX_ACCOUNT_ID}:secret:rds-log-archive/slack-webhook-[A-Za-z0-9]{6}$`,
      ),
    );
    expect(secretArn(WEBHOOK_SECRET)).toBe(standIn.arn(WEBHOOK_SECRET));
  });

  it('finds a secret by its full ARN and by its ARN without the suffix', async () => {
    const arn = standIn.arn(WEBHOOK_SECRET);

    const byArn = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const byPartialArn = await client.send(new GetSecretValueCommand({ SecretId: arn.slice(0, -7) }));

    expect(byArn.SecretString).toBe(WEBHOOK_URL);
    expect(byPartialArn.SecretString).toBe(WEBHOOK_URL);
  });

  it('answers ResourceNotFoundException for a secret it does not hold', async () => {
    const call = client.send(new GetSecretValueCommand({ SecretId: 'rds-log-archive/missing' }));

    await expect(call).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(call).rejects.toMatchObject({ message: "Secrets Manager can't find the specified secret." });
    expect(standIn.calls.at(-1)).toEqual({
      operation: 'GetSecretValue',
      secretId: 'rds-log-archive/missing',
      status: 400,
      error: 'ResourceNotFoundException',
    });
  });

  it('answers ResourceNotFoundException for a staging label other than AWSCURRENT', async () => {
    const call = client.send(new GetSecretValueCommand({ SecretId: WEBHOOK_SECRET, VersionStage: 'AWSPREVIOUS' }));

    await expect(call).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('rejects a request signed with another secret key', async () => {
    const wrong = new SecretsManagerClient({
      ...secretsClientConfig(standIn),
      credentials: { accessKeyId: standIn.credentials.accessKeyId, secretAccessKey: 'not-the-sandbox-secret' },
      maxAttempts: 1,
    });

    const call = wrong.send(new GetSecretValueCommand({ SecretId: WEBHOOK_SECRET }));

    await expect(call).rejects.toBeInstanceOf(SecretsManagerServiceException);
    await expect(call).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    wrong.destroy();
  });

  it('rejects an unsigned request', async () => {
    const response = await fetch(standIn.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'secretsmanager.GetSecretValue', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ SecretId: WEBHOOK_SECRET }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });
});
