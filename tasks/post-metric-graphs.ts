import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { WebClient } from '@slack/web-api';
import { cloudWatchClient, secretsClient } from './common/clients';
import { makeHandler } from './common/handler';
import { logger } from './common/logger';
import { graphTarget, renderWidgets, uploadGraphs, type WidgetValues } from './common/metric-widgets';
import { type NotifyConfig, notifyConfig } from './common/notify-config';

/** Clients and settings, passed in so tests can give their own. */
export interface PostMetricGraphsDeps {
  readonly cloudwatch: CloudWatchClient;
  /** The bot and channel, or undefined when graphs are not configured. */
  readonly graphTarget: () => Promise<{ web: WebClient; channelId: string } | undefined>;
  readonly config: NotifyConfig;
}

/** Whether graphs are configured, and how many went to Slack per cluster or instance. */
export interface PostMetricGraphsOutput {
  readonly posted: 'posted' | 'not configured';
  /** Graphs uploaded per cluster or standalone instance. */
  readonly graphs: Record<string, number>;
}

/** On its own schedule: the configured widgets of each configured cluster and instance, one message each. */
export async function postMetricGraphs(deps: PostMetricGraphsDeps): Promise<PostMetricGraphsOutput> {
  const target = await deps.graphTarget();
  if (!target) {
    logger.info('metric graphs not configured');
    return { posted: 'not configured', graphs: {} };
  }
  const region = await deps.cloudwatch.config.region();
  const subjects: WidgetValues[] = [
    ...deps.config.clusters.map((cluster) => ({ cluster, region })),
    ...deps.config.instances.map((instance) => ({ cluster: instance, instance, region })),
  ];
  const graphs: Record<string, number> = {};
  for (const values of subjects) {
    const rendered = await renderWidgets(deps.cloudwatch, deps.config.metricWidgets, values);
    await uploadGraphs(target.web, target.channelId, rendered, `Metric graphs of ${values.instance ?? values.cluster}`);
    graphs[values.instance ?? values.cluster] = rendered.length;
  }
  logger.info('metric graphs posted', { graphs });
  return { posted: 'posted', graphs };
}

export const handler = makeHandler('post metric graphs', () => {
  const config = notifyConfig();
  return postMetricGraphs({
    cloudwatch: cloudWatchClient(),
    graphTarget: () => graphTarget(secretsClient(), config),
    config,
  });
});
