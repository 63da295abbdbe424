import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import { parseNotifyConfig } from '../../../tasks/common/notify-config';
import type { SlackMessage } from '../../../tasks/common/slack-webhook';
import {
  alarmConsoleLink,
  formatAlarm,
  type NotifyAlarmDeps,
  notifyAlarm,
  parseAlarm,
} from '../../../tasks/notify-alarm';
import { silenceLogger } from '../../helpers/logger';

const ALARM_ARN = 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:RdsLogArchive-ExecutionsFailed-1A2B3C';

/** A CloudWatch alarm notification as SNS delivers it. */
const alarmMessage = (overrides: Record<string, unknown> = {}) => ({
  AlarmName: 'RdsLogArchive-ExecutionsFailed-1A2B3C',
  AlarmDescription: 'An archive run failed',
  AWSAccountId: '123456789012',
  AlarmConfigurationUpdatedTimestamp: '2026-11-01T08:00:00.000+0000',
  NewStateValue: 'ALARM',
  NewStateReason:
    'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (20/11/26 12:00:00)] was greater than or equal to the threshold (1.0).',
  StateChangeTime: '2026-11-20T12:05:00.123+0000',
  Region: 'EU (Ireland)',
  AlarmArn: ALARM_ARN,
  OldStateValue: 'OK',
  OKActions: [],
  AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:RdsLogArchive-Topic'],
  InsufficientDataActions: [],
  Trigger: { MetricName: 'ExecutionsFailed', Namespace: 'AWS/States', Statistic: 'SUM', Period: 300, Threshold: 1 },
  ...overrides,
});

function record(
  message: string,
  subject: string | null = 'ALARM: "RdsLogArchive-ExecutionsFailed-1A2B3C"',
): SNSEventRecord {
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:RdsLogArchive-Topic:1234',
    Sns: {
      Type: 'Notification',
      MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:RdsLogArchive-Topic',
      Subject: subject as string,
      Message: message,
      Timestamp: '2026-11-20T12:05:00.200Z',
      SignatureVersion: '1',
      Signature: 'EXAMPLE',
      SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/cert.pem',
      UnsubscribeUrl: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
      MessageAttributes: {},
    },
  };
}

const event = (...records: SNSEventRecord[]): SNSEvent => ({ Records: records });

let posted: SlackMessage[];

function deps(answer: 'posted' | 'not configured' = 'posted'): NotifyAlarmDeps {
  return {
    notifier: {
      post: async (message) => {
        posted.push(message);
        return answer;
      },
    },
    config: parseNotifyConfig({ ARCHIVE_BUCKET: 'archive-bucket', NOTIFY_TIME_ZONE: 'Asia/Seoul' }),
  };
}

beforeEach(() => {
  posted = [];
  silenceLogger();
});

afterEach(() => jest.restoreAllMocks());

describe('notifyAlarm', () => {
  it('relays an alarm with its state, description, reason, local time and a console link', async () => {
    const output = await notifyAlarm(event(record(JSON.stringify(alarmMessage()))), deps());

    expect(output).toEqual({
      relayed: [{ name: 'RdsLogArchive-ExecutionsFailed-1A2B3C', state: 'ALARM', posted: 'posted' }],
    });
    expect(posted).toEqual([
      {
        text: 'ALARM: RdsLogArchive-ExecutionsFailed-1A2B3C (An archive run failed)',
        blocks: [
          {
            type: 'header',
            text: {
              type: 'plain_text',
              text: ':rotating_light: ALARM: RdsLogArchive-ExecutionsFailed-1A2B3C',
              emoji: true,
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `An archive run failed\n${alarmMessage().NewStateReason}`,
            },
          },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: 'OK → ALARM at 2026-11-20 21:05:00 KST (Asia/Seoul)' }],
          },
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                text: { type: 'plain_text', text: 'Open alarm' },
                url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/RdsLogArchive-ExecutionsFailed-1A2B3C',
              },
            ],
          },
        ],
      },
    ]);
  });

  it('marks an alarm that went back to OK as resolved', async () => {
    await notifyAlarm(
      event(record(JSON.stringify(alarmMessage({ NewStateValue: 'OK', OldStateValue: 'ALARM' })))),
      deps(),
    );

    expect(JSON.stringify(posted[0]?.blocks?.[0])).toContain(':white_check_mark: OK: RdsLogArchive-ExecutionsFailed');
  });

  it('relays a message that is not an alarm as text with its subject', async () => {
    const output = await notifyAlarm(event(record('Scheduled maintenance <tonight> & tomorrow', 'Heads up')), deps());

    expect(output.relayed).toEqual([{ name: 'Heads up', state: 'other', posted: 'posted' }]);
    expect(posted[0]?.text).toBe('Heads up: Scheduled maintenance &lt;tonight&gt; &amp; tomorrow');
    expect(JSON.stringify(posted[0]?.blocks)).toContain('Scheduled maintenance &lt;tonight&gt; &amp; tomorrow');
  });

  it('relays every record of the event', async () => {
    const second = alarmMessage({ AlarmName: 'RdsLogArchive-SummarizeRunErrors', AlarmDescription: null });

    const output = await notifyAlarm(
      event(record(JSON.stringify(alarmMessage())), record(JSON.stringify(second))),
      deps(),
    );

    expect(output.relayed.map((item) => item.name)).toEqual([
      'RdsLogArchive-ExecutionsFailed-1A2B3C',
      'RdsLogArchive-SummarizeRunErrors',
    ]);
    expect(posted[1]?.text).toBe('ALARM: RdsLogArchive-SummarizeRunErrors');
  });

  it('fails nothing when no notification is configured', async () => {
    const output = await notifyAlarm(event(record(JSON.stringify(alarmMessage()))), deps('not configured'));

    expect(output.relayed[0]?.posted).toBe('not configured');
  });
});

describe('alarm parsing and links', () => {
  it('recognises only JSON with an alarm name and a state as an alarm', () => {
    expect(parseAlarm(JSON.stringify(alarmMessage()))?.AlarmName).toBe('RdsLogArchive-ExecutionsFailed-1A2B3C');
    expect(parseAlarm('{"hello":"world"}')).toBeUndefined();
    expect(parseAlarm('not json')).toBeUndefined();
  });

  it('encodes the alarm name in the console link and gives none without an alarm ARN', () => {
    const alarm = {
      AlarmName: 'a b/c',
      NewStateValue: 'ALARM',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:1:alarm:a b/c',
    };

    expect(alarmConsoleLink(alarm)).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/a%20b%2Fc',
    );
    expect(alarmConsoleLink({ AlarmName: 'x', NewStateValue: 'ALARM' })).toBeUndefined();
    expect(JSON.stringify(formatAlarm({ AlarmName: 'x', NewStateValue: 'ALARM' }, 'UTC').blocks)).not.toContain(
      'Open alarm',
    );
  });
});
