// A loopback stand-in for CloudWatch's GetMetricWidgetImage. @aws-sdk/client-cloudwatch
// speaks awsJson 1.0 to CloudWatch (`X-Amz-Target: GraniteServiceVersion20100801.…`, in
// awsQuery-compatible mode: errors carry `x-amzn-query-error: Code;Sender`, from which the
// SDK picks its exception class), and the image comes back base64-encoded in
// `MetricWidgetImage`. The image is a real PNG: a line chart whose lines follow from the
// widget's title and metrics, so different widgets give different pictures, drawn into a
// pixel buffer and encoded with node:zlib.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import type { CloudWatchClientConfig } from '@aws-sdk/client-cloudwatch';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from './credentials';
import { startLoopbackServer } from './loopback-server';
import { type RejectSignature, readSignedRequest } from './rds/sigv4-verify';
import { seededRandom } from './seeded-random';

const TARGET = 'GraniteServiceVersion20100801.GetMetricWidgetImage';
/** CloudWatch's defaults and limits for a widget's `width` and `height`. */
const DEFAULT_WIDTH = 600;
const DEFAULT_HEIGHT = 395;
const MAX_SIDE = 2000;
const POINTS = 36;
/** CloudWatch's default line colours, in order. */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const AXIS: Rgb = [68, 68, 68];
const GRID: Rgb = [221, 221, 221];

type Rgb = readonly [number, number, number];

export interface MetricImageStandInOptions {
  /** @default SANDBOX_REGION */
  region?: string;
  /** @default 0 (any free port) */
  port?: number;
  /** The only credentials whose signatures are accepted. @default SANDBOX_CREDENTIALS */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface MetricImageCall {
  operation: string;
  status: number;
  /** The query-compatible error code of an error answer (`InvalidParameterValue`, …). */
  error?: string;
}

/** One image drawn: the widget as asked for, and what was answered. */
export interface RenderedWidget {
  widget: Record<string, unknown>;
  width: number;
  height: number;
  /** Size of the PNG. */
  bytes: number;
}

export interface MetricImageStandIn {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Every request in arrival order. */
  calls: MetricImageCall[];
  /** Every widget an image was drawn for, in order. */
  widgets: RenderedWidget[];
  stop(): Promise<void>;
}

/** An error answer: `code` is the awsQuery code, `shape` the JSON `__type`. */
class MonitoringFault extends Error {
  constructor(
    readonly code: string,
    readonly shape: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'MonitoringFault';
  }
}

const invalidValue = (message: string) =>
  new MonitoringFault('InvalidParameterValue', 'com.amazonaws.cloudwatch#InvalidParameterValueException', message);

const rejectSignature: RejectSignature = (problem, message) => {
  const coral = 'com.amazon.coral.service#';
  if (problem === 'missing') {
    return new MonitoringFault(
      'MissingAuthenticationToken',
      `${coral}MissingAuthenticationTokenException`,
      message,
      403,
    );
  }
  if (problem === 'unknown-key') {
    return new MonitoringFault('InvalidClientTokenId', `${coral}UnrecognizedClientException`, message, 403);
  }
  return new MonitoringFault('SignatureDoesNotMatch', `${coral}InvalidSignatureException`, message, 403);
};

// ---- the chart ------------------------------------------------------------------------

class Canvas {
  readonly pixels: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = Buffer.alloc(width * height * 3, 255);
  }

  dot(x: number, y: number, [r, g, b]: Rgb, size = 1): void {
    for (let dy = 0; dy < size; dy += 1) {
      for (let dx = 0; dx < size; dx += 1) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px < 0 || py < 0 || px >= this.width || py >= this.height) continue;
        const at = (py * this.width + px) * 3;
        this.pixels[at] = r;
        this.pixels[at + 1] = g;
        this.pixels[at + 2] = b;
      }
    }
  }

  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, size = 1): void {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let i = 0; i <= steps; i += 1)
      this.dot(x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps, color, size);
  }
}

function hexColor(value: unknown): Rgb | undefined {
  const match = typeof value === 'string' ? /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(value) : null;
  return match
    ? [Number.parseInt(match[1] ?? '', 16), Number.parseInt(match[2] ?? '', 16), Number.parseInt(match[3] ?? '', 16)]
    : undefined;
}

/** A metric's colour: its own `color` option (the last element of its array) or the palette's. */
function colorOf(metric: unknown, index: number): Rgb {
  const options = Array.isArray(metric) ? metric.at(-1) : undefined;
  const own =
    typeof options === 'object' && options !== null ? hexColor((options as { color?: unknown }).color) : undefined;
  return own ?? hexColor(PALETTE[index % PALETTE.length]) ?? AXIS;
}

/** A random walk seeded by the title and the metric, so the same widget always looks the same. */
function seriesOf(title: string, metric: unknown, index: number): number[] {
  const seed = createHash('sha256')
    .update(`${title}\n${JSON.stringify(metric)}\n${index}`)
    .digest()
    .readUInt32BE(0);
  const random = seededRandom(seed);
  const values = [random() * 100];
  while (values.length < POINTS) values.push((values.at(-1) ?? 0) + (random() - 0.5) * 30);
  return values;
}

function drawChart(widget: Record<string, unknown>, width: number, height: number): Canvas {
  const canvas = new Canvas(width, height);
  const left = Math.min(50, Math.floor(width / 8));
  const top = Math.min(30, Math.floor(height / 8));
  const right = width - 1 - Math.min(20, Math.floor(width / 20));
  const bottom = height - 1 - Math.min(40, Math.floor(height / 6));
  for (let i = 1; i <= 4; i += 1) {
    const y = bottom - ((bottom - top) * i) / 4;
    canvas.line(left, y, right, y, GRID);
  }
  const title = typeof widget.title === 'string' ? widget.title : '';
  const metrics = widget.metrics as unknown[];
  const series = metrics.map((metric, index) => seriesOf(title, metric, index));
  // A margin of a twentieth above and below, so no line runs along the axis.
  const range = Math.max(Math.max(...series.flat()) - Math.min(...series.flat()), 1);
  const low = Math.min(...series.flat()) - range / 20;
  const span = range * 1.1;
  series.forEach((values, index) => {
    const color = colorOf(metrics[index], index);
    const x = (i: number) => left + ((right - left) * i) / (POINTS - 1);
    const y = (value: number) => bottom - ((bottom - top) * (value - low)) / span;
    for (let i = 1; i < values.length; i += 1)
      canvas.line(x(i - 1), y(values[i - 1] ?? 0), x(i), y(values[i] ?? 0), color, 2);
    // A legend swatch per metric under the axis, as the console draws one.
    const swatch = left + index * 14;
    for (let row = 0; row < 8; row += 1) canvas.line(swatch, bottom + 12 + row, swatch + 8, bottom + 12 + row, color);
  });
  canvas.line(left, top, left, bottom, AXIS);
  canvas.line(left, bottom, right, bottom, AXIS);
  return canvas;
}

// ---- PNG ------------------------------------------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const framed = Buffer.alloc(typeAndData.length + 8);
  framed.writeUInt32BE(data.length, 0);
  typeAndData.copy(framed, 4);
  framed.writeUInt32BE(crc32(typeAndData), framed.length - 4);
  return framed;
}

/** An 8-bit RGB PNG (colour type 2), every row with filter 0. */
export function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth, colour type, compression, filter, interlace
  const rowBytes = width * 3;
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y += 1) rgb.copy(raw, y * (rowBytes + 1) + 1, y * rowBytes, (y + 1) * rowBytes);
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- the API --------------------------------------------------------------------------

function side(widget: Record<string, unknown>, name: 'width' | 'height', fallback: number): number {
  const value = widget[name] ?? fallback;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_SIDE) {
    throw invalidValue(
      `The ${name} of the MetricWidget must be an integer from 1 to ${MAX_SIDE}, got ${JSON.stringify(value)}.`,
    );
  }
  return value as number;
}

function parseWidget(source: unknown): Record<string, unknown> {
  if (typeof source !== 'string') {
    throw new MonitoringFault(
      'MissingParameter',
      'com.amazonaws.cloudwatch#MissingRequiredParameterException',
      'The parameter MetricWidget is required.',
    );
  }
  let widget: unknown;
  try {
    widget = JSON.parse(source);
  } catch {
    throw invalidValue('The MetricWidget is not valid JSON.');
  }
  if (typeof widget !== 'object' || widget === null || Array.isArray(widget)) {
    throw invalidValue('The MetricWidget must be a JSON object.');
  }
  const { metrics } = widget as { metrics?: unknown };
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw invalidValue('The MetricWidget must have a "metrics" array with at least one metric.');
  }
  return widget as Record<string, unknown>;
}

function getMetricWidgetImage(input: Record<string, unknown>, widgets: RenderedWidget[]): object {
  if (input.OutputFormat !== undefined && input.OutputFormat !== 'png') {
    throw invalidValue(
      `The OutputFormat must be png (the only format this API answers in JSON), got ${JSON.stringify(input.OutputFormat)}.`,
    );
  }
  const widget = parseWidget(input.MetricWidget);
  const width = side(widget, 'width', DEFAULT_WIDTH);
  const height = side(widget, 'height', DEFAULT_HEIGHT);
  const png = encodePng(width, height, drawChart(widget, width, height).pixels);
  widgets.push({ widget, width, height, bytes: png.length });
  return { MetricWidgetImage: png.toString('base64') };
}

function send(res: ServerResponse, status: number, body: object, queryError?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(queryError === undefined ? {} : { 'x-amzn-query-error': queryError }),
  });
  res.end(text);
}

function parseInput(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new MonitoringFault(
    'SerializationException',
    'com.amazon.coral.service#SerializationException',
    'The request body is not a JSON object.',
  );
}

interface Context {
  readonly signing: { region: string; service: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  readonly calls: MetricImageCall[];
  readonly widgets: RenderedWidget[];
}

async function handleRequest(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const call: MetricImageCall = { operation: target.slice(target.indexOf('.') + 1) || 'Unknown', status: 0 };
  ctx.calls.push(call);
  try {
    const body = await readSignedRequest(req, ctx.signing, rejectSignature);
    if (req.method !== 'POST' || target !== TARGET) {
      throw new MonitoringFault(
        'InvalidAction',
        'com.amazon.coral.service#UnknownOperationException',
        `The operation ${target || '(none)'} is not supported by this stand-in.`,
      );
    }
    const output = getMetricWidgetImage(parseInput(body), ctx.widgets);
    call.status = 200;
    send(res, 200, output);
  } catch (error) {
    const fault =
      error instanceof MonitoringFault
        ? error
        : new MonitoringFault(
            'InternalServiceError',
            'com.amazonaws.cloudwatch#InternalServiceFault',
            String(error),
            500,
          );
    call.status = fault.status;
    call.error = fault.code;
    const type = fault.status >= 500 ? 'Receiver' : 'Sender';
    send(res, fault.status, { __type: fault.shape, message: fault.message }, `${fault.code};${type}`);
  }
}

/** The settings a CloudWatchClient needs to talk to the stand-in. */
export function metricImageClientConfig(standIn: MetricImageStandIn): CloudWatchClientConfig {
  return { endpoint: standIn.endpoint, region: standIn.region, credentials: { ...standIn.credentials } };
}

export async function startMetricImageStandIn(options: MetricImageStandInOptions = {}): Promise<MetricImageStandIn> {
  const region = options.region ?? SANDBOX_REGION;
  const credentials = { ...(options.credentials ?? SANDBOX_CREDENTIALS) };
  const ctx: Context = { signing: { region, service: 'monitoring', credentials }, calls: [], widgets: [] };
  const server = await startLoopbackServer((req, res) => handleRequest(ctx, req, res), options.port);
  return { endpoint: server.endpoint, region, credentials, calls: ctx.calls, widgets: ctx.widgets, stop: server.stop };
}
