/**
 * Keys and names of the CloudWatch Logs branch. Users browse `cloudwatch/…`; the other
 * prefixes are the product's own (see layout.ts and docs/cloudwatch.md).
 */
import { createHash } from 'node:crypto';
import { CHECKPOINTS_PREFIX, CLOUDWATCH_PREFIX, EXPORTS_PREFIX } from './layout';
import type { RunContext } from './types';

const pad = (value: number) => String(value).padStart(2, '0');

/** `2026-11-20T00:00:00.000Z` → `20261120T000000Z` (milliseconds kept when not zero). */
export function compactTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  const [date = '', time = ''] = iso.split('T');
  const [clock = '', fraction = '000Z'] = time.split('.');
  const millis = fraction.replace('Z', '');
  return `${date.replaceAll('-', '')}T${clock.replaceAll(':', '')}${millis === '000' ? '' : millis}Z`;
}

/** The inverse of compactTime; undefined for anything else. */
export function parseCompactTime(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, ms] = match;
  const value = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms ?? 0));
  return compactTime(value) === text ? value : undefined;
}

/** The group's folder: its name without the leading slash (`/aws/rds/x` → `aws/rds/x`). */
export const groupPath = (logGroupName: string) => logGroupName.replace(/^\/+/, '');

/** `{from}_{cutoff}` in compact UTC times: names one export range. */
export const rangeId = (from: number, cutoff: number) => `${compactTime(from)}_${compactTime(cutoff)}`;

export function parseRangeId(text: string): { from: number; cutoff: number } | undefined {
  const [fromText = '', cutoffText = '', ...rest] = text.split('_');
  const from = parseCompactTime(fromText);
  const cutoff = parseCompactTime(cutoffText);
  if (rest.length > 0 || from === undefined || cutoff === undefined || from >= cutoff) return undefined;
  return { from, cutoff };
}

/** The stable, documented home of a verified export: `cloudwatch/{group}/{YYYY}/{MM}/{DD}/{rangeId}/`. */
export function exportHome(logGroupName: string, from: number, cutoff: number): string {
  const day = new Date(from);
  const date = `${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1)}/${pad(day.getUTCDate())}`;
  return `${CLOUDWATCH_PREFIX}${groupPath(logGroupName)}/${date}/${rangeId(from, cutoff)}/`;
}

export const manifestKey = (logGroupName: string, from: number, cutoff: number) =>
  `${exportHome(logGroupName, from, cutoff)}manifest.json`;

/** Every manifest of a group lies under this prefix. */
export const groupHome = (logGroupName: string) => `${CLOUDWATCH_PREFIX}${groupPath(logGroupName)}/`;

/** The export task's name, derived from group and range so that a re-run finds its own task. */
export function exportTaskName(logGroupName: string, from: number, cutoff: number): string {
  const digest = createHash('sha256').update(`${logGroupName}\n${from}\n${cutoff}`).digest('hex');
  return `rds-log-archive-${digest.slice(0, 24)}`;
}

/** CreateExportTask's destinationPrefix: the export's objects land under `{this}/{taskId}/{stream}/…`. */
export const exportStagingPrefix = (taskName: string) => `${EXPORTS_PREFIX}${taskName}`;

/** The checkpoint folder of one stream's rewrite: `events.json` and `progress.json`. */
export function checkpointPrefix(logGroupName: string, cutoff: number, stream: string): string {
  return `${CHECKPOINTS_PREFIX}${groupPath(logGroupName)}/${compactTime(cutoff)}/${encodeURIComponent(stream)}/`;
}

/** Every checkpoint of a group and cutoff lies under this prefix. */
export const checkpointsOf = (logGroupName: string, cutoff: number) =>
  `${CHECKPOINTS_PREFIX}${groupPath(logGroupName)}/${compactTime(cutoff)}/`;

/** This run's CloudWatch report objects for one group. */
export const groupReportPrefix = (run: RunContext, logGroupName: string) =>
  `${run.reportPrefix}/cloudwatch/${encodeURIComponent(logGroupName)}/`;

export const trimPlanKey = (run: RunContext, logGroupName: string) =>
  `${groupReportPrefix(run, logGroupName)}trim-plan.json`;

export const streamResultKey = (run: RunContext, logGroupName: string, stream: string) =>
  `${groupReportPrefix(run, logGroupName)}streams/${encodeURIComponent(stream)}.json`;
