import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { WebClient } from '@slack/web-api';
import { cloudWatchClient, s3Client, secretsClient } from './common/clients';
import { InvalidInputError, RunStateError } from './common/errors';
import { makeHandler } from './common/handler';
import { logger } from './common/logger';
import { type Graph, graphTarget, renderWidgets, uploadGraphs } from './common/metric-widgets';
import { type NotifyConfig, notifyConfig } from './common/notify-config';
import {
  executionConsoleLink,
  formatRunFailure,
  formatRunReport,
  formatRunSummary,
  type RunReport,
  type RunReportOptions,
} from './common/run-report-format';
import { type RunStore, s3RunStore } from './common/run-store';
import { type SlackMessage, type SlackNotifier, slackNotifier } from './common/slack-webhook';
import type { RunContext } from './common/types';
import type { RunSummary } from './summarize-run';

/**
 * Placed after Summarize Run (with its summary) and on the failure paths (with the caught error).
 * The run's context comes from the report, so the state need not pass it.
 */
export interface NotifyRunInput {
  readonly summary?: RunSummary;
  readonly failure?: { readonly Error: string; readonly Cause?: string };
  readonly executionId: string;
  readonly startTime: string;
}

/** What the notification did, added to the summary as `notified`. */
export interface Notified {
  readonly posted: 'posted' | 'not configured';
  /** Metric graphs uploaded with the report. */
  readonly graphs: number;
}

/** The input's summary unchanged (absent on the failure paths), plus `notified`. */
export type NotifyRunOutput = Partial<RunSummary> & { readonly notified: Notified };

/** Clients, settings and the clock, passed in so tests can give their own. */
export interface NotifyRunDeps {
  readonly store: RunStore;
  readonly notifier: SlackNotifier;
  readonly cloudwatch: CloudWatchClient;
  /** The bot and channel for graphs, or undefined when graphs are not configured. */
  readonly graphTarget: () => Promise<{ web: WebClient; channelId: string } | undefined>;
  readonly config: NotifyConfig;
  readonly now: () => number;
}

async function readReport(store: RunStore, reportKey: string): Promise<RunReport | undefined> {
  try {
    return await store.getJson<RunReport>(reportKey);
  } catch (error) {
    // Missing or unreadable: the summary alone still reports the run. Throttling is retried by the state machine.
    if (!(error instanceof RunStateError)) throw error;
    logger.warn('run report unreadable', { reportKey, error });
    return undefined;
  }
}

function message(input: NotifyRunInput, report: RunReport | undefined, options: RunReportOptions): SlackMessage {
  if (report) return formatRunReport(report, options);
  if (input.summary) return formatRunSummary(input.summary, options);
  if (input.failure) return formatRunFailure(input.failure, options);
  throw new InvalidInputError(
    'summary',
    'the output of Summarize Run, or a caught error in failure ({ Error, Cause })',
  );
}

/** One image per widget for each cluster and each standalone instance of the run. */
async function renderForRun(run: RunContext, deps: NotifyRunDeps): Promise<Graph[]> {
  const region = await deps.cloudwatch.config.region();
  const targets = [
    ...run.clusters.map((cluster) => ({ cluster, region })),
    ...run.instances.map((instance) => ({ cluster: instance, instance, region })),
  ];
  const graphs: Graph[] = [];
  for (const values of targets)
    graphs.push(...(await renderWidgets(deps.cloudwatch, deps.config.metricWidgets, values)));
  return graphs;
}

async function postGraphs(report: RunReport, deps: NotifyRunDeps): Promise<number> {
  const target = await deps.graphTarget();
  if (!target) return 0;
  const graphs = await renderForRun(report.run, deps);
  await uploadGraphs(
    target.web,
    target.channelId,
    graphs,
    `Metric graphs of run ${report.run.runId} (${report.status})`,
  );
  return graphs.length;
}

/** Post the run's report (or its failure) to Slack, with metric graphs when configured. */
export async function notifyRun(input: NotifyRunInput, deps: NotifyRunDeps): Promise<NotifyRunOutput> {
  const options: RunReportOptions = {
    consoleLink: executionConsoleLink(input.executionId),
    durationSeconds: Math.max(0, (deps.now() - Date.parse(input.startTime)) / 1000),
    timeZone: deps.config.timeZone,
  };
  const report = input.summary ? await readReport(deps.store, input.summary.reportKey) : undefined;
  const posted = await deps.notifier.post(message(input, report, options));
  const graphs = report ? await postGraphs(report, deps) : 0;
  logger.info('run notified', { posted, graphs, status: report?.status ?? input.summary?.status ?? 'failed' });
  return { ...input.summary, notified: { posted, graphs } };
}

export const handler = makeHandler('notify run', (input: NotifyRunInput) => {
  const config = notifyConfig();
  return notifyRun(input, {
    store: s3RunStore(s3Client(), config.archiveBucket),
    notifier: slackNotifier({ secrets: secretsClient(), config }),
    cloudwatch: cloudWatchClient(),
    graphTarget: () => graphTarget(secretsClient(), config),
    config,
    now: Date.now,
  });
});
