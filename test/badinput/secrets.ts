/**
 * Known secret values present while a case runs: what Secrets Manager answers for the Slack
 * webhook, the bot token and the forwarding auth header, and the AWS credentials of the clients.
 * None of them may appear in an error, a log line or a result.
 */
export const WEBHOOK_PATH = '/services/T0BADINPUT/B0BADINPUT/bAdInPuTwEbHoOkSeCrEt01';
export const WEBHOOK_URL = `https://hooks.slack.com${WEBHOOK_PATH}`;
export const BOT_TOKEN = 'xoxb-100000000001-200000000002-bAdInPuTbOtToKeN01';
export const AUTH_HEADER_VALUE = 'Bearer bAdInPuTaUtHhEaDeRvAlUe01';
export const AWS_ACCESS_KEY_ID = 'AKIABADINPUT00000001';
export const AWS_SECRET_ACCESS_KEY = 'bAdInPuT/aWsSeCrEtAcCeSsKeY/000000000001';

export const SECRET_IDS = {
  webhook: 'rds-log-archive/slack-webhook',
  botToken: 'rds-log-archive/slack-bot-token',
  auth: 'rds-log-archive/forward-auth',
} as const;

/** The text of each secret, as Secrets Manager holds it. */
export const SECRET_TEXTS: Readonly<Record<string, string>> = {
  [SECRET_IDS.webhook]: JSON.stringify({ url: WEBHOOK_URL }),
  [SECRET_IDS.botToken]: BOT_TOKEN,
  [SECRET_IDS.auth]: JSON.stringify({ header: 'Authorization', value: AUTH_HEADER_VALUE }),
};

/** Every string that must never be seen: whole values and their telling parts. */
export const SECRET_VALUES: readonly string[] = [
  WEBHOOK_URL,
  WEBHOOK_PATH,
  'bAdInPuTwEbHoOkSeCrEt01',
  BOT_TOKEN,
  AUTH_HEADER_VALUE,
  'bAdInPuTaUtHhEaDeRvAlUe01',
  AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY,
];

export const AWS_CREDENTIALS = { accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY };

/** The secrets that `text` gives away. */
export function leakedSecrets(text: string): string[] {
  return SECRET_VALUES.filter((secret) => text.includes(secret));
}

/** `text` with every secret value replaced, for printing what a failing case did. */
export function redactSecrets(text: string): string {
  return SECRET_VALUES.reduce((result, secret) => result.replaceAll(secret, '[secret]'), text);
}
