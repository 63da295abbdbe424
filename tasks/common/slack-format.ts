/**
 * Slack messages for RDS events, and the pieces other messages reuse: local times with their
 * zone, console links, mrkdwn escaping.
 */
import type { RdsEventKind } from './notify-config';
import { type RdsEvent, type RdsSourceKind, snapshotDatabase, sourceKind } from './rds-events';
import type { SlackMessage } from './slack-webhook';

const EMOJI: Readonly<Record<RdsEventKind, string>> = {
  backup: ':floppy_disk:',
  snapshot: ':camera_with_flash:',
  failover: ':twisted_rightwards_arrows:',
  reboot: ':arrows_counterclockwise:',
  maintenance: ':hammer_and_wrench:',
  failure: ':rotating_light:',
  other: ':information_source:',
};

const TITLE: Readonly<Record<RdsEventKind, string>> = {
  backup: 'Backup',
  snapshot: 'Snapshot created',
  failover: 'Failover',
  reboot: 'Reboot',
  maintenance: 'Maintenance',
  failure: 'Failure',
  other: 'RDS event',
};

const SOURCE_LABEL: Readonly<Record<RdsSourceKind, string>> = {
  cluster: 'Cluster',
  instance: 'Instance',
  'cluster snapshot': 'Cluster snapshot',
  snapshot: 'DB snapshot',
  other: 'Source',
};

/**
 * Zones whose abbreviation the ICU data does not carry in English (it says GMT+9); all of them
 * are without daylight saving time, so one name is always right.
 */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  'Asia/Seoul': 'KST',
  'Asia/Tokyo': 'JST',
  'Asia/Hong_Kong': 'HKT',
  'Asia/Singapore': 'SGT',
};

/** English locales whose ICU names differ; the first name that is not a bare GMT offset wins. */
const NAME_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN'];

function zoneName(instant: Date, timeZone: string): string {
  const names = NAME_LOCALES.map(
    (locale) =>
      new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
        .formatToParts(instant)
        .find((part) => part.type === 'timeZoneName')?.value ?? '',
  );
  return ABBREVIATIONS[timeZone] ?? names.find((name) => !/^(GMT|UTC)[+-]/.test(name)) ?? names[0] ?? timeZone;
}

/**
 * `2026-11-22 00:30:00 KST (Asia/Seoul)`: the wall-clock time in `timeZone`, its abbreviation
 * (or GMT offset) and the zone's name, so nobody has to guess which day a UTC time falls on.
 */
export function formatLocalTime(instant: Date | string, timeZone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  const local = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  const name = zoneName(date, timeZone);
  return name === timeZone ? `${local} ${name}` : `${local} ${name} (${timeZone})`;
}

/** Text for a mrkdwn field: Slack reads `&`, `<` and `>` as markup. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The RDS console of a region, in the partition the region belongs to. */
export function rdsConsoleUrl(region: string, fragment: string): string {
  const host = region.startsWith('cn-')
    ? `${region}.console.amazonaws.cn`
    : region.startsWith('us-gov-')
      ? 'console.amazonaws-us-gov.com'
      : `${region}.console.aws.amazon.com`;
  return `https://${host}/rds/home?region=${region}#${fragment}`;
}

/** The console page of a cluster or instance. */
export function databaseConsoleUrl(region: string, id: string, isCluster: boolean): string {
  return rdsConsoleUrl(region, `database:id=${encodeURIComponent(id)};is-cluster=${isCluster}`);
}

interface Link {
  readonly url: string;
  readonly label: string;
}

function consoleLinks(event: RdsEvent, source: RdsSourceKind, database: string | undefined): Link[] {
  const { region, detail } = event;
  if (source === 'cluster' || source === 'instance') {
    const url = databaseConsoleUrl(region, detail.SourceIdentifier, source === 'cluster');
    return [{ url, label: `${detail.SourceIdentifier} in the RDS console` }];
  }
  if (source === 'other') return [{ url: rdsConsoleUrl(region, 'events:'), label: 'RDS events in the console' }];
  const tab = detail.SourceIdentifier.startsWith('rds:') ? 'automated' : 'manual';
  const links = [
    { url: rdsConsoleUrl(region, `snapshots-list:tab=${tab}`), label: `${tab} snapshots in the RDS console` },
  ];
  if (database) {
    const url = databaseConsoleUrl(region, database, source === 'cluster snapshot');
    links.push({ url, label: `${database} in the RDS console` });
  }
  return links;
}

function fields(event: RdsEvent, source: RdsSourceKind, database: string | undefined, time: string) {
  const { detail } = event;
  const items: [string, string][] = [];
  if (database) items.push([source === 'cluster snapshot' ? 'Cluster' : 'Instance', database]);
  items.push([
    SOURCE_LABEL[source],
    source === 'other' ? `${detail.SourceIdentifier} (${detail.SourceType})` : detail.SourceIdentifier,
  ]);
  items.push(['Time', time], ['Event', detail.EventID], ['Account / region', `${event.account} / ${event.region}`]);
  return items.map(([label, value]) => ({ type: 'mrkdwn', text: `*${label}*\n${escapeMrkdwn(value)}` }));
}

/**
 * The Slack message for an RDS event: a header with the kind, the cluster or instance (for an
 * automated snapshot, read from its name), the time in `timeZone`, the event id, RDS's message
 * and console links; `text` is the one-line fallback shown in notifications.
 */
export function formatRdsEvent(event: RdsEvent, kind: RdsEventKind, timeZone: string): SlackMessage {
  const { detail } = event;
  const source = sourceKind(event);
  const database = snapshotDatabase(event);
  const time = formatLocalTime(detail.Date, timeZone);
  const subject = database ?? detail.SourceIdentifier;
  const header = `${EMOJI[kind]} ${TITLE[kind]}: ${subject}`;
  const links = consoleLinks(event, source, database);
  const text =
    `${EMOJI[kind]} ${TITLE[kind]} · ${subject} · ${time} · ${detail.Message}` +
    (database ? ` (${detail.SourceIdentifier})` : '') +
    ` · ${detail.EventID}`;
  return {
    text: escapeMrkdwn(text),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: header.slice(0, 150), emoji: true } },
      { type: 'section', fields: fields(event, source, database, time) },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: escapeMrkdwn(detail.Message || '(no message)').slice(0, 2900) },
      },
      {
        type: 'context',
        elements: links.map((link) => ({ type: 'mrkdwn', text: `<${link.url}|${escapeMrkdwn(link.label)}>` })),
      },
    ],
  };
}
