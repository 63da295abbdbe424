import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, parseRdsEvent, type RdsEvent } from '../../../tasks/common/rds-events';
import {
  databaseConsoleUrl,
  escapeMrkdwn,
  formatLocalTime,
  formatRdsEvent,
  rdsConsoleUrl,
} from '../../../tasks/common/slack-format';
import { RDS_EVENT_SAMPLES, rdsEventSample } from '../../helpers/rds-event-samples';

type Json = Record<string, unknown>;

const readJson = (...path: string[]) => JSON.parse(readFileSync(join(__dirname, ...path), 'utf8')) as Json;
const sample = rdsEventSample;

function event(name: string, detail: Json = {}, envelope: Json = {}): RdsEvent {
  const input = sample(name);
  return parseRdsEvent({ ...input, ...envelope, detail: { ...(input.detail as Json), ...detail } });
}

/** All text of a message, to look for one value without caring where the layout puts it. */
const allText = (message: unknown) => JSON.stringify(message);

describe('formatRdsEvent', () => {
  it.each(RDS_EVENT_SAMPLES)('formats the %s sample in Asia/Seoul like its golden file', (name) => {
    const rdsEvent = event(name);

    const message = formatRdsEvent(rdsEvent, classify(rdsEvent), 'Asia/Seoul');

    expect(message).toEqual(readJson('__golden__', `rds-event.${name}.json`));
  });

  it('shows the time in the configured zone, on the local day', () => {
    const message = formatRdsEvent(event('cluster-automated-snapshot'), 'snapshot', 'Asia/Seoul');

    expect(message.text).toContain('2026-11-22 00:30:00 KST (Asia/Seoul)');
  });

  it('shows the same instant as UTC when the zone is UTC', () => {
    const message = formatRdsEvent(event('cluster-automated-snapshot'), 'snapshot', 'UTC');

    expect(message.text).toContain('2026-11-21 15:30:00 UTC');
    expect(message.text).not.toContain('(UTC)');
  });

  it('escapes Slack markup in the message', () => {
    const message = formatRdsEvent(event('failure', { Message: 'Export <task> failed & stopped' }), 'failure', 'UTC');

    expect(allText(message)).toContain('Export &lt;task&gt; failed &amp; stopped');
    expect(allText(message)).not.toContain('<task>');
  });

  it('links a parameter group event to the RDS events page and names its source type', () => {
    const rdsEvent = event('other', {
      SourceType: 'DB_PARAMETER_GROUP',
      SourceIdentifier: 'orders-params',
      SourceArn: 'arn:aws:rds:ap-northeast-2:123456789012:pg:orders-params',
    });

    const text = allText(formatRdsEvent(rdsEvent, 'other', 'UTC'));

    expect(text).toContain('orders-params (DB_PARAMETER_GROUP)');
    expect(text).toContain('rds/home?region=ap-northeast-2#events:');
  });

  it('keeps the header within the 150 characters Slack allows', () => {
    const rdsEvent = event('cluster-manual-snapshot', { SourceIdentifier: `s${'x'.repeat(200)}` });

    const header = formatRdsEvent(rdsEvent, 'snapshot', 'UTC').blocks?.[0] as { text: { text: string } };

    expect(header.text.text.length).toBe(150);
  });
});

describe('formatLocalTime', () => {
  it.each([
    ['2026-11-21T15:30:00Z', 'Asia/Seoul', '2026-11-22 00:30:00 KST (Asia/Seoul)'],
    ['2026-11-21T14:59:59Z', 'Asia/Seoul', '2026-11-21 23:59:59 KST (Asia/Seoul)'],
    ['2026-11-22T00:00:00Z', 'UTC', '2026-11-22 00:00:00 UTC'],
    ['2026-07-01T03:00:00Z', 'America/New_York', '2026-06-30 23:00:00 EDT (America/New_York)'],
    ['2026-11-21T23:30:00Z', 'Europe/Berlin', '2026-11-22 00:30:00 CET (Europe/Berlin)'],
    ['2026-11-21T16:30:00Z', 'Asia/Shanghai', '2026-11-22 00:30:00 GMT+8 (Asia/Shanghai)'],
  ])('shows %s in %s as %s', (instant, zone, expected) => {
    expect(formatLocalTime(instant, zone)).toBe(expected);
  });
});

describe('console links', () => {
  it('opens a cluster as a cluster and an instance as an instance', () => {
    expect(databaseConsoleUrl('eu-west-1', 'orders-aurora', true)).toBe(
      'https://eu-west-1.console.aws.amazon.com/rds/home?region=eu-west-1#database:id=orders-aurora;is-cluster=true',
    );
    expect(databaseConsoleUrl('eu-west-1', 'orders-aurora-1', false)).toContain('is-cluster=false');
  });

  it('uses the console of the partition the region belongs to', () => {
    expect(rdsConsoleUrl('cn-north-1', 'events:')).toBe(
      'https://cn-north-1.console.amazonaws.cn/rds/home?region=cn-north-1#events:',
    );
    expect(rdsConsoleUrl('us-gov-west-1', 'events:')).toMatch(/^https:\/\/console\.amazonaws-us-gov\.com\//);
  });
});

describe('escapeMrkdwn', () => {
  it('escapes the three characters Slack reads as markup', () => {
    expect(escapeMrkdwn('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
  });
});
