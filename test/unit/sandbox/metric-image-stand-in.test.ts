import { inflateSync } from 'node:zlib';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  GetMetricWidgetImageCommand,
  InvalidParameterValueException,
  MissingRequiredParameterException,
} from '@aws-sdk/client-cloudwatch';
import {
  type MetricImageStandIn,
  metricImageClientConfig,
  startMetricImageStandIn,
} from '../../../sandbox/metric-image-stand-in';

const CPU_WIDGET = {
  title: 'orders-aurora CPU',
  width: 400,
  height: 250,
  start: '-PT3H',
  metrics: [['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', 'orders-aurora', { color: '#d62728' }]],
};

interface PngChunk {
  type: string;
  data: Buffer;
  crc: number;
}

/** CRC-32 (ISO 3309, as PNG uses it), bit by bit, independent of the stand-in's zlib. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunks(png: Buffer): PngChunk[] {
  const chunks: PngChunk[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    chunks.push({
      type: png.toString('ascii', at + 4, at + 8),
      data: png.subarray(at + 8, at + 8 + length),
      crc: png.readUInt32BE(at + 8 + length),
    });
    at += 12 + length;
  }
  return chunks;
}

/** The RGB triples of a colour-type-2 PNG whose rows all use filter 0. */
function pixels(png: Buffer, width: number, height: number): Set<string> {
  const idat = Buffer.concat(
    pngChunks(png)
      .filter((chunk) => chunk.type === 'IDAT')
      .map((chunk) => chunk.data),
  );
  const raw = inflateSync(idat);
  expect(raw.length).toBe(height * (1 + width * 3));
  const colours = new Set<string>();
  for (let y = 0; y < height; y += 1) {
    const row = y * (1 + width * 3);
    expect(raw[row]).toBe(0);
    for (let x = 0; x < width; x += 1) colours.add(raw.subarray(row + 1 + x * 3, row + 4 + x * 3).toString('hex'));
  }
  return colours;
}

let standIn: MetricImageStandIn;
let cloudwatch: CloudWatchClient;

const image = async (widget: unknown) => {
  const output = await cloudwatch.send(new GetMetricWidgetImageCommand({ MetricWidget: JSON.stringify(widget) }));
  return Buffer.from(output.MetricWidgetImage ?? new Uint8Array());
};

beforeEach(async () => {
  standIn = await startMetricImageStandIn();
  cloudwatch = new CloudWatchClient({ ...metricImageClientConfig(standIn), maxAttempts: 1 });
});

afterEach(async () => {
  cloudwatch.destroy();
  await standIn.stop();
});

describe('the GetMetricWidgetImage stand-in', () => {
  it('answers a PNG with the signature, the widget size in IHDR and valid CRCs', async () => {
    const png = await image(CPU_WIDGET);

    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks = pngChunks(png);
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const [header] = chunks;
    expect(header?.data.readUInt32BE(0)).toBe(400);
    expect(header?.data.readUInt32BE(4)).toBe(250);
    expect([...(header?.data.subarray(8) ?? [])]).toEqual([8, 2, 0, 0, 0]);
    for (const chunk of chunks) {
      expect(crc32(Buffer.concat([Buffer.from(chunk.type, 'ascii'), chunk.data]))).toBe(chunk.crc);
    }
  });

  it('draws the line in the colour the metric asks for, on a white background', async () => {
    const colours = pixels(await image(CPU_WIDGET), 400, 250);

    expect(colours).toContain('ffffff');
    expect(colours).toContain('d62728');
  });

  it('uses the console default size 600×395 when the widget gives none', async () => {
    const png = await image({ metrics: [['AWS/RDS', 'FreeableMemory', 'DBInstanceIdentifier', 'billing-pg']] });

    const header = pngChunks(png)[0]?.data;
    expect([header?.readUInt32BE(0), header?.readUInt32BE(4)]).toEqual([600, 395]);
    expect(pixels(png, 600, 395).size).toBeGreaterThan(2);
  });

  it('draws different images for different widgets and the same image for the same widget', async () => {
    const first = await image(CPU_WIDGET);
    const again = await image(CPU_WIDGET);
    const other = await image({ ...CPU_WIDGET, title: 'billing-pg CPU' });

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('records the widget it was asked for', async () => {
    const png = await image(CPU_WIDGET);

    expect(standIn.widgets).toEqual([{ widget: CPU_WIDGET, width: 400, height: 250, bytes: png.length }]);
    expect(standIn.calls).toEqual([{ operation: 'GetMetricWidgetImage', status: 200 }]);
  });

  it('answers InvalidParameterValue, as the SDK class, for a widget without metrics', async () => {
    const call = image({ title: 'empty' });

    await expect(call).rejects.toBeInstanceOf(InvalidParameterValueException);
    expect(standIn.calls).toEqual([{ operation: 'GetMetricWidgetImage', status: 400, error: 'InvalidParameterValue' }]);
    expect(standIn.widgets).toEqual([]);
  });

  it('answers InvalidParameterValue for a widget wider than 2000 pixels', async () => {
    await expect(image({ ...CPU_WIDGET, width: 2001 })).rejects.toBeInstanceOf(InvalidParameterValueException);
  });

  it('answers MissingParameter when the MetricWidget is not sent', async () => {
    const call = cloudwatch.send(new GetMetricWidgetImageCommand({} as never));

    await expect(call).rejects.toBeInstanceOf(MissingRequiredParameterException);
  });

  it('rejects a request signed for another region', async () => {
    const elsewhere = new CloudWatchClient({
      ...metricImageClientConfig(standIn),
      region: 'eu-west-1',
      maxAttempts: 1,
    });

    const call = elsewhere.send(new GetMetricWidgetImageCommand({ MetricWidget: JSON.stringify(CPU_WIDGET) }));

    await expect(call).rejects.toBeInstanceOf(CloudWatchServiceException);
    await expect(call).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    elsewhere.destroy();
  });
});
