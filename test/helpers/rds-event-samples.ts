import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;

/** Every RDS event sample in events/, one per kind the product handles. */
export const RDS_EVENT_SAMPLES = [
  'automated-snapshot',
  'cluster-automated-snapshot',
  'cluster-manual-snapshot',
  'backup',
  'failover',
  'reboot',
  'maintenance',
  'failure',
  'other',
] as const;

/** A fresh copy of events/rds-event.{name}.json. */
export function rdsEventSample(name: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '../../events', `rds-event.${name}.json`), 'utf8')) as Json;
}
