/**
 * The run report as a Slack message (Block Kit), and the Block Kit pieces the backup and alarm
 * messages share (escaping and local times come from slack-format.ts). Slack limits: a header holds 150 characters, a section 3,000, a message
 * 50 blocks; long lists are cut to LISTED_IN_MESSAGE items plus "and N more" (the full report
 * stays in S3).
 */
import type { CloudWatchReport } from './cloudwatch-report';
import { escapeMrkdwn, formatLocalTime } from './slack-format';
import type { SlackMessage } from './slack-webhook';
import type { RunContext, UnavailableSource } from './types';

/** Items listed by name per list in a message; the rest is counted. */
export const LISTED_IN_MESSAGE = 10;

/** The report object Summarize Run writes to `{run.reportPrefix}/report.json`. */
export interface RunReport {
  readonly run: RunContext;
  readonly status: 'succeeded' | 'failed';
  readonly message: string;
  readonly finishedAt?: string;
  readonly failure?: { readonly Error: string; readonly Cause?: string };
  readonly totals: {
    readonly archivedFiles: number;
    readonly archivedBytes: number;
    readonly compressedBytes: number;
    readonly plannedFiles: number;
    readonly skippedFiles: number;
    readonly failedFiles: number;
  };
  /** Per instance, per log type. */
  readonly archived: Readonly<Record<string, Readonly<Record<string, { files: number; bytes: number }>>>>;
  readonly skippedByReason: Readonly<Record<string, number>>;
  readonly failedFiles: readonly { instanceId: string; name: string; reason: string }[];
  readonly failedFilesNotListed?: number;
  readonly failedInstances?: readonly { instanceId: string; error?: string }[];
  readonly unavailable?: readonly UnavailableSource[];
  readonly cloudwatch?: CloudWatchReport;
}

/** What the message shows besides the report: where to look and how long the run took. */
export interface RunReportOptions {
  /** The execution's page in the Step Functions console. */
  readonly consoleLink: string;
  /** From the execution's start to the notification. */
  readonly durationSeconds: number;
  /** IANA time zone of the times shown. */
  readonly timeZone: string;
}

type Block = Record<string, unknown>;

/** Slack rejects a whole message when one text is over its limit; cutting keeps the rest readable. */
export const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Binary units, one decimal: `391.6 KiB`, `3.3 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `42 s`, `12 min 5 s`, `2 h 5 min`: seconds stop mattering after an hour. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  if (h > 0) return `${h} h ${m} min`;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** The first `limit` lines, then "…and N more" where `total` counts every item (listed or not). */
export function listWithMore(lines: readonly string[], total = lines.length, limit = LISTED_IN_MESSAGE): string[] {
  const shown = lines.slice(0, limit);
  return total > shown.length ? [...shown, `…and ${total - shown.length} more`] : shown;
}

/** A header block (plain text, at most 150 characters; emoji shortcodes allowed). */
export const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(text, 150), emoji: true },
});
/** A mrkdwn section (at most 3,000 characters). */
export const section = (markdown: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(markdown, 3000) },
});
/** Label/value pairs shown in two columns. */
export const fields = (pairs: readonly (readonly [string, string])[]): Block => ({
  type: 'section',
  fields: pairs.map(([name, value]) => ({ type: 'mrkdwn', text: clip(`*${name}*\n${value}`, 2000) })),
});
/** Small grey text under the message. */
export const context = (markdown: string): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: clip(markdown, 3000) }],
});
/** A button that opens `url` (a console page). */
export const linkButton = (label: string, url: string): Block => ({
  type: 'actions',
  elements: [{ type: 'button', text: { type: 'plain_text', text: label }, url }],
});

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const bullet = (text: string) => `• ${escapeMrkdwn(clip(text, 200))}`;

function archivedByLogType(report: RunReport): string[] {
  const byType = new Map<string, { files: number; bytes: number; instances: number }>();
  for (const types of Object.values(report.archived)) {
    for (const [logType, { files, bytes }] of Object.entries(types)) {
      const entry = byType.get(logType) ?? { files: 0, bytes: 0, instances: 0 };
      byType.set(logType, { files: entry.files + files, bytes: entry.bytes + bytes, instances: entry.instances + 1 });
    }
  }
  return [...byType.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([logType, { files, bytes, instances }]) =>
        `• *${logType}*: ${plural(files, 'file')}, ${formatBytes(bytes)} from ${plural(instances, 'instance')}`,
    );
}

function filesSection(report: RunReport): string {
  const { totals, run } = report;
  if (run.dryRun) return `*Files*\nDry run: ${plural(totals.plannedFiles, 'file')} would be archived`;
  if (totals.archivedFiles === 0) return '*Files archived*\nNone';
  const total = `*Total*: ${plural(totals.archivedFiles, 'file')}, ${formatBytes(totals.archivedBytes)} (${formatBytes(totals.compressedBytes)} compressed)`;
  return ['*Files archived*', ...listWithMore(archivedByLogType(report)), total].join('\n');
}

function streamCounts(streams: Readonly<Record<string, number | undefined>>): string {
  const counts = Object.entries(streams)
    .filter(([, count]) => count)
    .map(([status, count]) => `${count} ${status}`);
  return counts.length > 0 ? counts.join(', ') : 'no streams';
}

function cloudWatchSection(cloudwatch: CloudWatchReport | undefined): string | undefined {
  if (!cloudwatch) return undefined;
  if (cloudwatch.failed) return `*CloudWatch Logs*\nLog groups not listed (${escapeMrkdwn(cloudwatch.failed)})`;
  if (cloudwatch.skipped) return `*CloudWatch Logs*\nSkipped: ${escapeMrkdwn(cloudwatch.skipped)}`;
  const { logGroups, failedGroups, trimmedStreams, skippedStreams, failedStreams } = cloudwatch.totals;
  if (logGroups === 0) return undefined;
  const summary = `${logGroups - failedGroups}/${logGroups} log groups exported, ${trimmedStreams} streams trimmed, ${skippedStreams} skipped, ${failedStreams} failed`;
  const groups = cloudwatch.groups.map((group) =>
    bullet(
      `${group.logGroupName}: ${group.status === 'failed' ? `failed (${group.error ?? 'unknown error'})` : streamCounts(group.streams)}`,
    ),
  );
  return ['*CloudWatch Logs*', summary, ...listWithMore(groups)].join('\n');
}

function skippedSection(report: RunReport): string | undefined {
  const reasons = Object.entries(report.skippedByReason).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (reasons.length === 0) return undefined;
  return [
    `*Skipped* (${report.totals.skippedFiles})`,
    ...listWithMore(reasons.map(([reason, count]) => bullet(`${reason}: ${count}`))),
  ].join('\n');
}

/** Everything that went wrong, one line each, with the true count of what is not listed. */
function problems(report: RunReport): { lines: string[]; total: number } {
  const cloudwatch = report.cloudwatch;
  const failedStreams = (cloudwatch?.groups ?? []).flatMap((group) =>
    group.outcomes
      .filter((outcome) => outcome.status === 'failed' || outcome.status === 'refused')
      .map((outcome) => `stream ${group.logGroupName} ${outcome.stream}: ${outcome.status}, ${outcome.reason}`),
  );
  const lines = [
    ...(report.failure ? [`run failed: ${report.failure.Error}`] : []),
    ...(report.failedInstances ?? []).map((item) => `instance ${item.instanceId}: ${item.error ?? 'failed'}`),
    ...(report.unavailable ?? []).map((item) => `${item.kind} ${item.id}: ${item.reason}`),
    ...(cloudwatch?.unavailable ?? []).map((item) => `log group ${item.name}: ${item.reason}`),
    ...(cloudwatch?.groups ?? [])
      .filter((group) => group.status === 'failed')
      .map((group) => `log group ${group.logGroupName}: ${group.error ?? 'failed'}`),
    ...report.failedFiles.map((file) => `file ${file.instanceId} ${file.name}: ${file.reason}`),
    ...failedStreams,
  ];
  const unlistedStreams = Math.max(0, (cloudwatch?.totals.failedStreams ?? 0) - failedStreams.length);
  return { lines, total: lines.length + (report.failedFilesNotListed ?? 0) + unlistedStreams };
}

function problemsSection(report: RunReport): string | undefined {
  const { lines, total } = problems(report);
  if (total === 0) return undefined;
  return [`*Problems* (${total})`, ...listWithMore(lines.map(bullet), total)].join('\n');
}

const statusHeading = (failed: boolean, dryRun = false) =>
  `${failed ? ':x:' : ':white_check_mark:'} RDS log archive run ${failed ? 'failed' : 'succeeded'}${dryRun ? ' (dry run)' : ''}`;

function runFields(run: RunContext, options: RunReportOptions): (readonly [string, string])[] {
  const scope = run.mode === 'manual' && run.from && run.to ? ` (${run.from} to ${run.to})` : '';
  return [
    ['Run', escapeMrkdwn(run.runId)],
    ['Mode', `${run.mode}${escapeMrkdwn(scope)}`],
    ['Started', formatLocalTime(run.startedAt, options.timeZone)],
    ['Duration', formatDuration(options.durationSeconds)],
  ];
}

/** The run report as a Slack message: what was archived, trimmed, skipped and what failed. */
export function formatRunReport(report: RunReport, options: RunReportOptions): SlackMessage {
  const failed = report.status === 'failed';
  const optional = [cloudWatchSection(report.cloudwatch), skippedSection(report), problemsSection(report)];
  const blocks: Block[] = [
    header(statusHeading(failed, report.run.dryRun)),
    fields(runFields(report.run, options)),
    section(escapeMrkdwn(report.message)),
    section(filesSection(report)),
    ...optional.filter((text): text is string => text !== undefined).map(section),
    context(`Full report: \`${escapeMrkdwn(report.run.reportPrefix)}/report.json\``),
    linkButton('Open execution', options.consoleLink),
  ];
  return {
    text: escapeMrkdwn(clip(`RDS log archive run ${report.run.runId} ${report.status}: ${report.message}`, 1000)),
    blocks,
  };
}

/** When the report object cannot be read, the summary still says how the run ended: a failed run always alerts. */
export function formatRunSummary(
  summary: { status: 'succeeded' | 'failed'; message: string; runId: string; reportKey: string },
  options: RunReportOptions,
): SlackMessage {
  const blocks: Block[] = [
    header(statusHeading(summary.status === 'failed')),
    fields([
      ['Run', escapeMrkdwn(summary.runId)],
      ['Duration', formatDuration(options.durationSeconds)],
    ]),
    section(escapeMrkdwn(summary.message)),
    context(`The full report could not be read: \`${escapeMrkdwn(summary.reportKey)}\``),
    linkButton('Open execution', options.consoleLink),
  ];
  const text = clip(`RDS log archive run ${summary.runId} ${summary.status}: ${summary.message}`, 1000);
  return { text: escapeMrkdwn(text), blocks };
}

/** A Lambda error's Cause is JSON with errorType, errorMessage and a trace; the message is what helps. */
function causeText(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not JSON: the cause is plain text.
  }
  return cause;
}

/** A run that failed before any report existed (bad input, a broken start or summary). */
export function formatRunFailure(error: { Error: string; Cause?: string }, options: RunReportOptions): SlackMessage {
  const cause = causeText(error.Cause);
  const blocks: Block[] = [
    header(statusHeading(true)),
    fields([
      ['Error', escapeMrkdwn(error.Error)],
      ['Duration', formatDuration(options.durationSeconds)],
    ]),
    ...(cause ? [section(`\`\`\`${escapeMrkdwn(clip(cause, 1500)).replace(/```/g, "'''")}\`\`\``)] : []),
    context('No run report was written.'),
    linkButton('Open execution', options.consoleLink),
  ];
  const text = clip(`RDS log archive run failed: ${error.Error}${cause ? `: ${cause}` : ''}`, 1000);
  return { text: escapeMrkdwn(text), blocks };
}

/** The execution's page in the Step Functions console (the region is the ARN's). */
export function executionConsoleLink(executionArn: string): string {
  const region = executionArn.split(':')[3] ?? '';
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}
