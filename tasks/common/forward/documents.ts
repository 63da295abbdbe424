/**
 * Log events and RDS events as the documents sent to the backend. Ids follow from the
 * CloudWatch event id (or the EventBridge event id), so a redelivery overwrites rather than
 * duplicates. docs/forwarding.md shows the fields and the index names.
 */
import { isUnparsed, type LogRecord, parseText } from '../parse';
import { type RdsEvent, snapshotDatabase } from '../rds-events';
import type { LogsData } from './awslogs';
import type { LogSource } from './log-source';

export interface ForwardDocument {
  readonly index: string;
  readonly id: string;
  readonly document: Readonly<Record<string, unknown>>;
}

/** Index names are lower case and take no `\ / * ? " < > | , #`, space or `:`. */
function indexPart(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-_.]+/, '') || 'unknown'
  );
}

/** `YYYY.MM.DD` of a time, in UTC. */
function day(time: number): string {
  return new Date(time).toISOString().slice(0, 10).replaceAll('-', '.');
}

export function logIndex(prefix: string, cluster: string, type: string, time: number): string {
  return `${prefix}-${indexPart(cluster)}-${indexPart(type)}-${day(time)}`;
}

function recordTime(record: LogRecord): string | undefined {
  const time = (record as { time?: unknown }).time;
  return typeof time === 'string' && !Number.isNaN(Date.parse(time)) ? time : undefined;
}

/** A message that held no entry at all still becomes a document: nothing is dropped. */
function recordsOf(type: LogSource['type'], message: string): LogRecord[] {
  const records = parseText(type, message);
  return records.length > 0 ? records : [{ type, parseError: 'no log entry in the message', raw: message }];
}

/**
 * One document per record of each event's message. The record's own time is `@timestamp`
 * when it has one; the index is dated by the event's timestamp, which redeliveries keep.
 */
export function logDocuments(data: LogsData, source: LogSource, prefix: string): ForwardDocument[] {
  const documents: ForwardDocument[] = [];
  for (const event of data.logEvents) {
    const records = recordsOf(source.type, event.message);
    const index = logIndex(prefix, source.cluster, source.type, event.timestamp);
    const eventTime = new Date(event.timestamp).toISOString();
    records.forEach((record, position) => {
      documents.push({
        index,
        id: records.length === 1 ? event.id : `${event.id}-${position + 1}`,
        document: {
          '@timestamp': recordTime(record) ?? eventTime,
          ...record,
          // An unparsed one-line message is its own `raw`; the copy would double the document.
          ...(isUnparsed(record) && record.raw === event.message ? {} : { rawMessage: event.message }),
          cluster: source.cluster,
          instance: source.instance,
          logGroup: data.logGroup,
          logStream: data.logStream,
          eventId: event.id,
          eventTimestamp: eventTime,
        },
      });
    });
  }
  return documents;
}

/** An RDS event: indexed under its cluster (or the instance or snapshot's database), dated by `detail.Date`. */
export function rdsEventDocument(event: RdsEvent, prefix: string): ForwardDocument {
  const time = Date.parse(event.detail.Date);
  const source = snapshotDatabase(event) ?? event.detail.SourceIdentifier;
  return {
    index: logIndex(prefix, source, 'events', time),
    id: event.id,
    document: {
      '@timestamp': new Date(time).toISOString(),
      type: 'rds-event',
      cluster: source,
      sourceIdentifier: event.detail.SourceIdentifier,
      sourceType: event.detail.SourceType,
      sourceArn: event.detail.SourceArn,
      eventCategories: event.detail.EventCategories,
      rdsEventId: event.detail.EventID,
      message: event.detail.Message,
      detailType: event['detail-type'],
      account: event.account,
      region: event.region,
      eventId: event.id,
    },
  };
}
