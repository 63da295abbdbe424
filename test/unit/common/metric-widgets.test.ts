import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, GetMetricWidgetImageCommand } from '@aws-sdk/client-cloudwatch';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  graphTarget,
  renderWidgets,
  slackWebClient,
  substitute,
  uploadGraphs,
} from '../../../tasks/common/metric-widgets';
import { parseNotifyConfig } from '../../../tasks/common/notify-config';
import { SlackUploadError } from '../../../tasks/common/notify-errors';
import { forgetCachedSecrets } from '../../../tasks/common/secrets';
import { silenceLogger } from '../../helpers/logger';

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const cloudwatch = new CloudWatchClient({ region: 'eu-west-1', credentials });
const secrets = new SecretsManagerClient({ region: 'eu-west-1', credentials });
const cloudwatchMock = mockClient(cloudwatch);
const secretsMock = mockClient(secrets);

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const values = { cluster: 'aurora-a', instance: 'aurora-a-1', region: 'eu-west-1' };

/** The console's widget "source", written with the placeholders the configuration uses. */
const cpuWidget = {
  title: `CPU of \${cluster}`,
  region: `\${region}`,
  view: 'timeSeries',
  stacked: false,
  period: 300,
  metrics: [['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', `\${cluster}`, { stat: 'Average' }]],
};

beforeEach(() => {
  cloudwatchMock.reset();
  secretsMock.reset();
  forgetCachedSecrets();
  silenceLogger();
});

afterEach(() => jest.restoreAllMocks());

describe('substitute', () => {
  it('replaces the placeholders in every string, nested in arrays and objects, keys included', () => {
    const instanceKey = `\${instance}`;
    const widget = { ...cpuWidget, annotations: { [instanceKey]: [`\${instance} restarted`] } };

    expect(substitute(widget, values)).toEqual({
      title: 'CPU of aurora-a',
      region: 'eu-west-1',
      view: 'timeSeries',
      stacked: false,
      period: 300,
      metrics: [['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', 'aurora-a', { stat: 'Average' }]],
      annotations: { 'aurora-a-1': ['aurora-a-1 restarted'] },
    });
  });

  it('leaves anything that is not one of the three placeholders as it is, evaluating nothing', () => {
    const widget = { title: `\${1+1} \${process.env.HOME} $cluster {cluster}` };

    expect(substitute(widget, values)).toEqual(widget);
  });

  it('gives nothing for a widget that needs an instance when none is given', () => {
    const widget = { metrics: [['AWS/RDS', 'CPUUtilization', 'DBInstanceIdentifier', `\${instance}`]] };

    expect(substitute(widget, { cluster: 'aurora-a', region: 'eu-west-1' })).toBeUndefined();
  });
});

describe('renderWidgets', () => {
  it('asks GetMetricWidgetImage for a PNG of the substituted widget and returns its bytes', async () => {
    cloudwatchMock.on(GetMetricWidgetImageCommand).resolves({ MetricWidgetImage: PNG });

    const graphs = await renderWidgets(cloudwatch, [cpuWidget], values);

    expect(graphs).toEqual([{ title: 'CPU of aurora-a', png: PNG }]);
    expect(cloudwatchMock).toHaveReceivedCommandTimes(GetMetricWidgetImageCommand, 1);
    const sent = cloudwatchMock.commandCalls(GetMetricWidgetImageCommand)[0]?.args[0].input;
    expect(sent?.OutputFormat).toBe('png');
    expect(JSON.parse(sent?.MetricWidget ?? '')).toEqual(substitute(cpuWidget, values));
  });

  it('names an untitled graph after the cluster and its place in the list', async () => {
    cloudwatchMock.on(GetMetricWidgetImageCommand).resolves({ MetricWidgetImage: PNG });

    const graphs = await renderWidgets(cloudwatch, [cpuWidget, { metrics: [] }], values);

    expect(graphs.map((graph) => graph.title)).toEqual(['CPU of aurora-a', 'aurora-a graph 2']);
  });

  it('leaves out a widget CloudWatch rejects and renders the others', async () => {
    const invalid = Object.assign(new Error('bad widget'), { name: 'InvalidParameterInput' });
    cloudwatchMock
      .on(GetMetricWidgetImageCommand)
      .resolves({ MetricWidgetImage: PNG })
      .on(GetMetricWidgetImageCommand, { MetricWidget: '{"title":"broken"}' })
      .rejects(invalid);

    const graphs = await renderWidgets(cloudwatch, [{ title: 'broken' }, cpuWidget], values);

    expect(graphs.map((graph) => graph.title)).toEqual(['CPU of aurora-a']);
  });

  it('skips widgets that need an instance when rendering for a cluster', async () => {
    cloudwatchMock.on(GetMetricWidgetImageCommand).resolves({ MetricWidgetImage: PNG });
    const perInstance = { title: `\${instance}`, metrics: [] };

    const graphs = await renderWidgets(cloudwatch, [perInstance, cpuWidget], {
      cluster: 'aurora-a',
      region: 'eu-west-1',
    });

    expect(graphs.map((graph) => graph.title)).toEqual(['CPU of aurora-a']);
    expect(cloudwatchMock).toHaveReceivedCommandTimes(GetMetricWidgetImageCommand, 1);
  });
});

interface SlackCall {
  readonly path: string;
  readonly authorization?: string;
  readonly body: string;
}

const read = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
};

/** A local stand-in for Slack's Web API and its upload URLs, recording every request in order. */
async function slackApi(answers: { complete?: Record<string, unknown> } = {}) {
  const calls: SlackCall[] = [];
  let files = 0;
  const server: Server = createServer(async (request, response) => {
    const body = await read(request);
    const path = request.url ?? '';
    calls.push({ path, authorization: request.headers.authorization, body });
    const json = (value: unknown) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (path === '/api/files.getUploadURLExternal') {
      files += 1;
      json({ ok: true, upload_url: `${base}/upload/F${files}`, file_id: `F${files}` });
    } else if (path.startsWith('/upload/')) {
      response.writeHead(200).end(`OK - ${body.length}`);
    } else if (path === '/api/files.completeUploadExternal') {
      json(answers.complete ?? { ok: true, files: [] });
    } else {
      json({ ok: false, error: 'unknown_method' });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { calls, apiUrl: `${base}/api/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('uploadGraphs', () => {
  const graphs = [
    { title: 'CPU of aurora-a', png: PNG },
    { title: 'Connections of aurora-a', png: PNG },
  ];

  it('gets an upload URL per file, uploads each, then completes them in one message', async () => {
    const slack = await slackApi();
    try {
      await uploadGraphs(slackWebClient('xoxb-test', slack.apiUrl), 'C0123456789', graphs, 'Metric graphs of aurora-a');

      expect(slack.calls.map((call) => call.path.replace(/F\d$/, 'F*'))).toEqual([
        '/api/files.getUploadURLExternal',
        '/api/files.getUploadURLExternal',
        '/upload/F*',
        '/upload/F*',
        '/api/files.completeUploadExternal',
      ]);
      expect(slack.calls[0]?.authorization).toBe('Bearer xoxb-test');
      expect(form(slack.calls[0]?.body ?? '')).toMatchObject({ filename: 'CPU-of-aurora-a.png', length: '8' });
      expect(slack.calls[2]?.body).toContain('\x89PNG');
      const complete = form(slack.calls[4]?.body ?? '');
      expect(complete).toMatchObject({ channel_id: 'C0123456789', initial_comment: 'Metric graphs of aurora-a' });
      expect(JSON.parse(complete.files ?? '[]')).toEqual([
        { id: 'F1', title: 'CPU of aurora-a' },
        { id: 'F2', title: 'Connections of aurora-a' },
      ]);
    } finally {
      await slack.close();
    }
  });

  it('throws SlackUploadError with Slack error code and what to do about it', async () => {
    const slack = await slackApi({ complete: { ok: false, error: 'not_in_channel' } });
    try {
      const upload = uploadGraphs(slackWebClient('xoxb-test', slack.apiUrl), 'C0123456789', graphs, 'graphs');

      await expect(upload).rejects.toMatchObject({
        name: 'SlackUploadError',
        slackError: 'not_in_channel',
        message: expect.stringContaining('invite the bot to the channel'),
      });
      await expect(upload).rejects.toBeInstanceOf(SlackUploadError);
    } finally {
      await slack.close();
    }
  });

  it('sends nothing when there is no graph', async () => {
    const slack = await slackApi();
    try {
      await uploadGraphs(slackWebClient('xoxb-test', slack.apiUrl), 'C0123456789', [], 'graphs');

      expect(slack.calls).toEqual([]);
    } finally {
      await slack.close();
    }
  });
});

describe('graphTarget', () => {
  const configured = {
    ARCHIVE_BUCKET: 'archive-bucket',
    METRIC_WIDGETS: JSON.stringify([cpuWidget]),
    SLACK_BOT_TOKEN_SECRET: 'slack/bot',
    SLACK_CHANNEL_ID: 'C0123456789',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
  };

  it.each(['METRIC_WIDGETS', 'SLACK_BOT_TOKEN_SECRET', 'SLACK_CHANNEL_ID'])(
    'is not configured without %s, and reads no secret',
    async (missing) => {
      const config = parseNotifyConfig({ ...configured, [missing]: undefined });

      await expect(graphTarget(secrets, config)).resolves.toBeUndefined();
      expect(secretsMock).not.toHaveReceivedAnyCommand();
    },
  );

  it('reads the bot token from its secret and talks to the configured API URL', async () => {
    secretsMock.on(GetSecretValueCommand, { SecretId: 'slack/bot' }).resolves({ SecretString: 'xoxb-from-secret' });

    const target = await graphTarget(secrets, parseNotifyConfig(configured));

    expect(target?.channelId).toBe('C0123456789');
    expect(target?.web.token).toBe('xoxb-from-secret');
    expect(target?.web.slackApiUrl).toBe('http://127.0.0.1:9/api/');
  });
});
