// The Web API methods @slack/web-api's files.uploadV2 calls (files.getUploadURLExternal, the
// POST of the bytes to the upload URL, files.completeUploadExternal) and chat.postMessage,
// with Slack's answer shapes: HTTP 200 and `{ ok: true, … }` or `{ ok: false, error }`.
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { readArguments, readUploadBytes, type SlackRequest, sendJson, sendText } from './http';
import type { SlackCall, SlackRecorder, SlackUpload } from './records';

export const API_PREFIX = '/api/';
export const UPLOAD_PREFIX = '/upload/v1/';
const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
/** The ids the stand-in's bot posts as. */
const BOT = { user: 'U0SANDBOX01', bot_id: 'B0SANDBOX01', app_id: 'A0SANDBOX01' };
const MIME_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  json: 'application/json',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
};

export interface WebApiContext {
  readonly recorder: SlackRecorder;
  readonly botToken: string;
  /** http://127.0.0.1:PORT, for the upload URLs handed out. */
  readonly endpoint: () => string;
  readonly now: () => number;
  nextTs(): string;
  nextFileId(): string;
}

/** A Web API error: answered `{ ok: false, error }`, with Slack's explanation when it gives one. */
class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly details?: string,
  ) {
    super(error);
    this.name = 'SlackApiError';
  }
}

const invalidArguments = (detail: string) => new SlackApiError('invalid_arguments', `[ERROR] ${detail}`);

/** The token of a call: the Authorization bearer, else a `token` argument (Slack takes both). */
function checkToken(ctx: WebApiContext, authorization: string | undefined, args: Record<string, unknown>): void {
  const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
  if (token === undefined || token === '') throw new SlackApiError('not_authed');
  if (token !== ctx.botToken) throw new SlackApiError('invalid_auth');
}

function channelOf(args: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const channel = args[name];
  if (channel === undefined && !required) return undefined;
  if (typeof channel !== 'string' || !CHANNEL_ID.test(channel)) throw new SlackApiError('channel_not_found');
  return channel;
}

function withoutToken(args: Record<string, unknown>): Record<string, unknown> {
  const { token: _token, ...rest } = args;
  return rest;
}

function getUploadUrlExternal(ctx: WebApiContext, args: Record<string, unknown>): object {
  const { filename, alt_text: altText } = args;
  const length = Number(args.length);
  if (typeof filename !== 'string' || filename === '') throw invalidArguments('missing required field: filename');
  if (!Number.isInteger(length) || length < 1) throw invalidArguments('missing required field: length');
  const upload: SlackUpload = {
    fileId: ctx.nextFileId(),
    filename,
    length,
    ...(typeof altText === 'string' ? { altText } : {}),
    completed: false,
  };
  ctx.recorder.uploads.push(upload);
  return { upload_url: `${ctx.endpoint()}${UPLOAD_PREFIX}${upload.fileId}`, file_id: upload.fileId };
}

function fileInfo(ctx: WebApiContext, upload: SlackUpload): object {
  const extension = path.extname(upload.filename).slice(1).toLowerCase();
  const created = Math.floor(ctx.now() / 1000);
  return {
    id: upload.fileId,
    created,
    timestamp: created,
    name: upload.filename,
    title: upload.title ?? upload.filename,
    mimetype: MIME_TYPES[extension] ?? 'application/octet-stream',
    filetype: extension || 'binary',
    size: upload.bytes?.length ?? 0,
    user: BOT.user,
    is_external: false,
    channels: upload.channel === undefined ? [] : [upload.channel],
  };
}

function completeUploadExternal(ctx: WebApiContext, args: Record<string, unknown>): object {
  const { files, initial_comment: comment } = args;
  if (!Array.isArray(files) || files.length === 0 || !files.every((item) => typeof item?.id === 'string')) {
    throw invalidArguments('files must be a JSON array of objects with an id');
  }
  const channel = channelOf(args, 'channel_id', false);
  const uploads = (files as { id: string; title?: unknown }[]).map((item) => {
    const upload = ctx.recorder.uploads.find((candidate) => candidate.fileId === item.id);
    if (upload?.bytes === undefined) throw new SlackApiError('file_not_found');
    return { upload, title: typeof item.title === 'string' ? item.title : undefined };
  });
  for (const { upload, title } of uploads) {
    Object.assign(upload, { completed: true, title, channel, initialComment: comment });
  }
  if (channel !== undefined) {
    ctx.recorder.message({
      via: 'files.completeUploadExternal',
      channel,
      ...(typeof comment === 'string' ? { text: comment } : {}),
      files: uploads.map(({ upload }) => upload.fileId),
      ts: ctx.nextTs(),
      payload: withoutToken(args),
    });
  }
  return { files: uploads.map(({ upload }) => fileInfo(ctx, upload)) };
}

function postMessage(ctx: WebApiContext, args: Record<string, unknown>): object {
  const channel = channelOf(args, 'channel', true) ?? '';
  const { text, blocks } = args;
  if (text === undefined && blocks === undefined && args.attachments === undefined) throw new SlackApiError('no_text');
  if (blocks !== undefined && !Array.isArray(blocks)) throw new SlackApiError('invalid_blocks');
  const ts = ctx.nextTs();
  ctx.recorder.message({
    via: 'chat.postMessage',
    channel,
    ...(typeof text === 'string' ? { text } : {}),
    ...(blocks === undefined ? {} : { blocks }),
    ts,
    payload: withoutToken(args),
  });
  const message = {
    type: 'message',
    subtype: 'bot_message',
    text: text ?? '',
    ...(blocks ? { blocks } : {}),
    ts,
    ...BOT,
  };
  return { channel, ts, message };
}

const METHODS: Record<string, (ctx: WebApiContext, args: Record<string, unknown>) => object> = {
  'files.getUploadURLExternal': getUploadUrlExternal,
  'files.completeUploadExternal': completeUploadExternal,
  'chat.postMessage': postMessage,
};

/** `POST /api/<method>`: every answer is HTTP 200, an `ok: false` body for an error. */
export function handleApiCall(ctx: WebApiContext, request: SlackRequest, res: ServerResponse): void {
  const method = request.path.slice(API_PREFIX.length);
  const call: SlackCall = { method, status: 200 };
  ctx.recorder.calls.push(call);
  try {
    const args = readArguments(request);
    if (args === undefined) throw new SlackApiError('invalid_json');
    checkToken(ctx, request.authorization, args);
    const run = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    if (run === undefined) throw new SlackApiError('unknown_method');
    sendJson(res, { ok: true, ...run(ctx, args) });
  } catch (error) {
    if (!(error instanceof SlackApiError)) throw error;
    call.error = error.error;
    const metadata = error.details === undefined ? {} : { response_metadata: { messages: [error.details] } };
    sendJson(res, { ok: false, error: error.error, ...metadata });
  }
}

/**
 * The POST of a file's bytes to the URL files.getUploadURLExternal gave (raw, or as the
 * multipart form the Web API client sends), answered `OK - <size>` as Slack does. Slack's
 * upload URLs are pre-signed; the stand-in also wants the bot token, which
 * files.uploadV2 always sends.
 */
export async function handleUpload(ctx: WebApiContext, request: SlackRequest, res: ServerResponse): Promise<void> {
  const call: SlackCall = { method: 'upload', status: 0 };
  ctx.recorder.calls.push(call);
  const refuse = (status: number, error: string) => {
    Object.assign(call, { status, error });
    sendText(res, status, error);
  };
  const upload = ctx.recorder.uploads.find((item) => item.fileId === request.path.slice(UPLOAD_PREFIX.length));
  if (upload === undefined || upload.completed) return refuse(404, 'file_not_found');
  if (request.method !== 'POST') return refuse(405, 'invalid_method');
  if (request.authorization !== `Bearer ${ctx.botToken}`) return refuse(401, 'invalid_auth');
  const bytes = await readUploadBytes(request);
  upload.bytes = bytes;
  const file = ctx.recorder.write(upload.filename, bytes);
  if (file !== undefined) upload.file = file;
  call.status = 200;
  sendText(res, 200, `OK - ${bytes.length}`);
}
