import type { SNSEvent } from 'aws-lambda';
import { secretsClient } from './common/clients';
import { makeHandler } from './common/handler';
import { logger } from './common/logger';
import { type NotifyConfig, notifyConfig } from './common/notify-config';
import { clip, context, header, linkButton, section } from './common/run-report-format';
import { escapeMrkdwn, formatLocalTime } from './common/slack-format';
import { type SlackMessage, type SlackNotifier, slackNotifier } from './common/slack-webhook';

/** The fields of a CloudWatch alarm's SNS notification that the relay uses. */
export interface AlarmNotification {
  readonly AlarmName: string;
  readonly AlarmDescription?: string | null;
  readonly NewStateValue: string;
  readonly OldStateValue?: string;
  readonly NewStateReason?: string;
  /** e.g. `2026-11-20T12:05:00.123+0000`. */
  readonly StateChangeTime?: string;
  readonly AlarmArn?: string;
}

/** The notifier and settings, passed in so tests can give their own. */
export interface NotifyAlarmDeps {
  readonly notifier: SlackNotifier;
  readonly config: NotifyConfig;
}

/** One entry per SNS record: what was relayed and whether Slack is configured. */
export interface NotifyAlarmOutput {
  readonly relayed: { readonly name: string; readonly state: string; readonly posted: 'posted' | 'not configured' }[];
}

const STATE_EMOJI: Record<string, string> = {
  ALARM: ':rotating_light:',
  OK: ':white_check_mark:',
  INSUFFICIENT_DATA: ':grey_question:',
};

/** The alarm notification in an SNS message, or undefined when the message is something else. */
export function parseAlarm(message: string): AlarmNotification | undefined {
  try {
    const parsed = JSON.parse(message) as Partial<AlarmNotification>;
    if (typeof parsed.AlarmName === 'string' && typeof parsed.NewStateValue === 'string') {
      return parsed as AlarmNotification;
    }
  } catch {
    // Not JSON: some other publisher's text, relayed as it is.
  }
  return undefined;
}

/** The alarm's page in the CloudWatch console; the region is the alarm ARN's. */
export function alarmConsoleLink(alarm: AlarmNotification): string | undefined {
  const region = alarm.AlarmArn?.split(':')[3];
  if (!region) return undefined;
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm.AlarmName)}`;
}

/** A short Block Kit message: the new state, what the alarm watches, why it changed, when, and a console link. */
export function formatAlarm(alarm: AlarmNotification, timeZone: string): SlackMessage {
  const emoji = STATE_EMOJI[alarm.NewStateValue] ?? ':bell:';
  const changed = alarm.StateChangeTime ? Date.parse(alarm.StateChangeTime) : Number.NaN;
  const when = Number.isNaN(changed) ? '' : ` at ${formatLocalTime(new Date(changed), timeZone)}`;
  const details = [alarm.AlarmDescription, alarm.NewStateReason]
    .filter(Boolean)
    .map((item) => escapeMrkdwn(clip(item ?? '', 1000)));
  const link = alarmConsoleLink(alarm);
  const description = alarm.AlarmDescription ? ` (${alarm.AlarmDescription})` : '';
  return {
    text: escapeMrkdwn(clip(`${alarm.NewStateValue}: ${alarm.AlarmName}${description}`, 1000)),
    blocks: [
      header(`${emoji} ${alarm.NewStateValue}: ${alarm.AlarmName}`),
      ...(details.length > 0 ? [section(details.join('\n'))] : []),
      context(`${alarm.OldStateValue ?? '?'} → ${alarm.NewStateValue}${when}`),
      ...(link ? [linkButton('Open alarm', link)] : []),
    ],
  };
}

function formatOther(subject: string | null | undefined, message: string): SlackMessage {
  const text = escapeMrkdwn(clip(`${subject ? `${subject}: ` : ''}${message}`, 1000));
  return { text, blocks: [section(text)] };
}

/** Relay each SNS record (CloudWatch alarm state changes) to the Slack channel. */
export async function notifyAlarm(event: SNSEvent, deps: NotifyAlarmDeps): Promise<NotifyAlarmOutput> {
  const relayed: NotifyAlarmOutput['relayed'][number][] = [];
  for (const record of event.Records) {
    const alarm = parseAlarm(record.Sns.Message);
    const message = alarm
      ? formatAlarm(alarm, deps.config.timeZone)
      : formatOther(record.Sns.Subject, record.Sns.Message);
    const posted = await deps.notifier.post(message);
    const entry = {
      name: alarm?.AlarmName ?? record.Sns.Subject ?? 'message',
      state: alarm?.NewStateValue ?? 'other',
      posted,
    };
    logger.info('alarm relayed', entry);
    relayed.push(entry);
  }
  return { relayed };
}

export const handler = makeHandler('notify alarm', (event: SNSEvent) => {
  const config = notifyConfig();
  return notifyAlarm(event, { notifier: slackNotifier({ secrets: secretsClient(), config }), config });
});
