/**
 * Images of CloudWatch metric widgets (GetMetricWidgetImage) and their upload to Slack. Incoming
 * webhooks cannot carry images, so uploads go through the bot token and Slack's current upload
 * flow (files.getUploadURLExternal, the upload itself, files.completeUploadExternal), which
 * `files.uploadV2` of @slack/web-api performs.
 */
import { type CloudWatchClient, GetMetricWidgetImageCommand } from '@aws-sdk/client-cloudwatch';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ErrorCode, WebClient } from '@slack/web-api';
import { logger } from './logger';
import type { NotifyConfig } from './notify-config';
import { SlackUploadError } from './notify-errors';
import { readSecret } from './secrets';

/** What the `${cluster}`, `${instance}` and `${region}` placeholders of a widget stand for. */
export interface WidgetValues {
  readonly cluster: string;
  readonly instance?: string;
  readonly region: string;
}

/** One rendered widget: its title (also the file's) and the PNG bytes. */
export interface Graph {
  readonly title: string;
  readonly png: Uint8Array;
}

const PLACEHOLDER = /\$\{(cluster|instance|region)\}/g;

/** Thrown inside substitution only: the widget names a value this rendering does not have. */
class MissingValue extends Error {}

function fill(text: string, values: WidgetValues): string {
  return text.replace(PLACEHOLDER, (_, name: keyof WidgetValues) => {
    const value = values[name];
    if (value === undefined) throw new MissingValue(name);
    return value;
  });
}

/**
 * The widget with every placeholder in its strings (keys and values) replaced; plain string
 * replacement, nothing is evaluated. Undefined when it uses `${instance}` and no instance is given.
 */
export function substitute(
  widget: Readonly<Record<string, unknown>>,
  values: WidgetValues,
): Record<string, unknown> | undefined {
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return fill(value, values);
    if (Array.isArray(value)) return value.map(visit);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [fill(key, values), visit(item)]));
    }
    return value;
  };
  try {
    return visit(widget) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof MissingValue) return undefined;
    throw error;
  }
}

async function render(cloudwatch: CloudWatchClient, widget: Record<string, unknown>): Promise<Uint8Array> {
  const response = await cloudwatch.send(
    new GetMetricWidgetImageCommand({ MetricWidget: JSON.stringify(widget), OutputFormat: 'png' }),
  );
  if (!response.MetricWidgetImage?.length) throw new Error('GetMetricWidgetImage returned no image');
  return response.MetricWidgetImage;
}

/**
 * PNG images of the widgets for one cluster (and instance). Graphs are an extra: a widget that
 * cannot be rendered is logged and left out, and never holds back the others or the report.
 */
export async function renderWidgets(
  cloudwatch: CloudWatchClient,
  widgets: readonly Readonly<Record<string, unknown>>[],
  values: WidgetValues,
): Promise<Graph[]> {
  const graphs: Graph[] = [];
  for (const [index, widget] of widgets.entries()) {
    const filled = substitute(widget, values);
    if (!filled) {
      logger.info('metric widget needs an instance', { widget: index, cluster: values.cluster });
      continue;
    }
    const title = typeof filled.title === 'string' ? filled.title : `${values.cluster} graph ${index + 1}`;
    try {
      graphs.push({ title, png: await render(cloudwatch, filled) });
    } catch (error) {
      logger.warn('metric widget not rendered', { widget: index, title, error: error as Error });
    }
  }
  return graphs;
}

/** What Slack's error codes for uploads mean for the person who reads the log. */
const HINTS: Readonly<Record<string, string>> = {
  not_in_channel: 'invite the bot to the channel',
  channel_not_found: 'check SLACK_CHANNEL_ID, and invite the bot if the channel is private',
  missing_scope: 'give the bot the files:write scope and reinstall the app',
  invalid_auth: 'the bot token is invalid; store a current one in the secret',
  not_authed: 'the bot token is missing; store it in the secret',
  token_revoked: 'the bot token was revoked; store a new one in the secret',
};

function slackErrorCode(error: unknown): string | undefined {
  const { code, data } = error as { code?: string; data?: { error?: string } };
  return code === ErrorCode.PlatformError ? data?.error : undefined;
}

const fileName = (title: string) => `${title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'graph'}.png`;

/** Upload the graphs in one message to the channel; Slack failures (after the client's retries) become SlackUploadError. */
export async function uploadGraphs(
  web: WebClient,
  channelId: string,
  files: readonly Graph[],
  initialComment: string,
): Promise<void> {
  if (files.length === 0) return;
  try {
    await web.files.uploadV2({
      channel_id: channelId,
      initial_comment: initialComment,
      file_uploads: files.map((graph) => ({
        file: Buffer.from(graph.png),
        filename: fileName(graph.title),
        title: graph.title,
        alt_text: graph.title,
      })),
    });
  } catch (error) {
    const code = slackErrorCode(error);
    const hint = code ? HINTS[code] : undefined;
    const detail = code ? `Slack answered ${code}${hint ? ` (${hint})` : ''}` : (error as Error).message;
    throw new SlackUploadError(`uploading ${files.length} graphs to ${channelId}: ${detail}`, code, { cause: error });
  }
}

/** A few quick retries: the Lambda has minutes, not the half hour of the client's default policy. */
const RETRIES = { retries: 2, factor: 2, minTimeout: 1000, maxTimeout: 4000 };

/** A Web API client for the bot; `slackApiUrl` lets the sandbox and tests stand in for Slack. */
export function slackWebClient(token: string, slackApiUrl?: string, retryConfig = RETRIES): WebClient {
  return new WebClient(token, { ...(slackApiUrl ? { slackApiUrl } : {}), retryConfig, timeout: 30_000 });
}

/** The bot and its channel, or undefined when graphs are not configured (no widgets, bot token or channel). */
export async function graphTarget(
  secrets: SecretsManagerClient,
  config: NotifyConfig,
): Promise<{ web: WebClient; channelId: string } | undefined> {
  if (config.metricWidgets.length === 0 || !config.slackBotTokenSecret || !config.slackChannelId) return undefined;
  const token = await readSecret(secrets, config.slackBotTokenSecret);
  return { web: slackWebClient(token, config.slackApiUrl), channelId: config.slackChannelId };
}
