import { CloudWatchClient, GetMetricWidgetImageCommand } from '@aws-sdk/client-cloudwatch';
import { WebClient } from '@slack/web-api';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseNotifyConfig } from '../../../tasks/common/notify-config';
import { type PostMetricGraphsDeps, postMetricGraphs } from '../../../tasks/post-metric-graphs';
import { silenceLogger } from '../../helpers/logger';

const cloudwatch = new CloudWatchClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const cloudwatchMock = mockClient(cloudwatch);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const widget = { title: `CPU \${cluster}`, region: `\${region}`, metrics: [] };

function deps(web: WebClient | undefined): PostMetricGraphsDeps {
  return {
    cloudwatch,
    graphTarget: async () => (web ? { web, channelId: 'C0123456789' } : undefined),
    config: parseNotifyConfig({
      ARCHIVE_BUCKET: 'archive-bucket',
      CLUSTERS: 'aurora-a,aurora-b',
      INSTANCES: 'mysql-c',
      METRIC_WIDGETS: JSON.stringify([widget]),
    }),
  };
}

beforeEach(() => {
  cloudwatchMock.reset();
  cloudwatchMock.on(GetMetricWidgetImageCommand).resolves({ MetricWidgetImage: PNG });
  silenceLogger();
});

afterEach(() => jest.restoreAllMocks());

describe('postMetricGraphs', () => {
  it('uploads the graphs of each configured cluster and instance as one message each', async () => {
    const web = new WebClient('xoxb-test');
    const upload = jest.spyOn(web.files, 'uploadV2').mockResolvedValue({ ok: true });

    const output = await postMetricGraphs(deps(web));

    expect(output).toEqual({ posted: 'posted', graphs: { 'aurora-a': 1, 'aurora-b': 1, 'mysql-c': 1 } });
    expect(upload.mock.calls.map(([args]) => (args as { initial_comment: string }).initial_comment)).toEqual([
      'Metric graphs of aurora-a',
      'Metric graphs of aurora-b',
      'Metric graphs of mysql-c',
    ]);
    expect(cloudwatchMock).toHaveReceivedCommandWith(GetMetricWidgetImageCommand, {
      MetricWidget: JSON.stringify({ title: 'CPU aurora-b', region: 'eu-west-1', metrics: [] }),
    });
  });

  it('renders nothing when graphs are not configured', async () => {
    const output = await postMetricGraphs(deps(undefined));

    expect(output).toEqual({ posted: 'not configured', graphs: {} });
    expect(cloudwatchMock).not.toHaveReceivedAnyCommand();
  });
});
