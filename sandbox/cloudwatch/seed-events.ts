// Turns a seeded stream's relative times into events, as of the stand-in's start.
import { seriesLength } from '../seed-format/cloudwatch';
import type { SeedLogStream } from '../seed-format/types';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** `{mysqlTime}` and `{postgresTime}`: the event's time as the two servers print it at the start of a line. */
export function expandMessage(message: string, timestamp: number): string {
  if (!message.includes('{')) return message;
  const iso = new Date(timestamp).toISOString();
  return message
    .replaceAll('{mysqlTime}', iso.replace('Z', '000Z'))
    .replaceAll('{postgresTime}', `${iso.slice(0, 19).replace('T', ' ')} UTC`);
}

/** The stream's listed and generated events, oldest first. */
export function seededEvents(stream: SeedLogStream, start: number): { timestamp: number; message: string }[] {
  const events = stream.events.map((event) => {
    const timestamp = Math.round(start - event.hoursAgo * HOUR_MS);
    return { timestamp, message: expandMessage(event.message, timestamp) };
  });
  const series = stream.generate;
  if (series !== undefined) {
    const first = start - series.fromHoursAgo * HOUR_MS;
    const count = seriesLength(series);
    for (let i = 0; i < count; i++) {
      const timestamp = Math.round(first + i * series.everyMinutes * MINUTE_MS);
      const template = series.messages[i % series.messages.length] ?? '';
      events.push({ timestamp, message: expandMessage(template, timestamp) });
    }
  }
  return events.sort((a, b) => a.timestamp - b.timestamp);
}
