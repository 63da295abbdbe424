// What the Slack stand-in saw, in order, in memory for the tests and, when given a folder,
// on disk for a person: each message as NNNN-<how>.json and each uploaded file as
// NNNN-<filename>, numbered in arrival order.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One request: `webhook`, a Web API method name, or `upload` (the bytes' POST to an upload URL). */
export interface SlackCall {
  readonly method: string;
  /** HTTP status of the answer (Web API errors are HTTP 200 with `ok: false`). */
  status: number;
  /** The Web API's `error`, or the webhook's error text. */
  error?: string;
}

/** How a message reached the channel. */
export type MessageSource = 'webhook' | 'chat.postMessage' | 'files.completeUploadExternal';

export interface SlackMessage {
  readonly via: MessageSource;
  /** The channel id (the webhook's channel is fixed by the webhook: none here). */
  readonly channel?: string;
  /** `text`, or the `initial_comment` of shared files. */
  readonly text?: string;
  readonly blocks?: unknown;
  /** Ids of the files shared with it (files.completeUploadExternal). */
  readonly files?: readonly string[];
  /** Slack's message id, `seconds.serial`. */
  readonly ts: string;
  /** The arguments as received (JSON-valued fields decoded, no token). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Where it was written, with a folder. */
  readonly file?: string;
}

export interface SlackUpload {
  readonly fileId: string;
  readonly filename: string;
  /** The length declared to files.getUploadURLExternal. */
  readonly length: number;
  readonly altText?: string;
  /** The bytes posted to the upload URL; undefined until they are. */
  bytes?: Buffer;
  /** Where the bytes were written, with a folder. */
  file?: string;
  /** Set by files.completeUploadExternal. */
  completed: boolean;
  title?: string;
  channel?: string;
  initialComment?: string;
}

const WRITTEN = /^\d{4}-/;

export class SlackRecorder {
  readonly calls: SlackCall[] = [];
  readonly messages: SlackMessage[] = [];
  readonly uploads: SlackUpload[] = [];
  private written = 0;

  /** With a folder, the files a previous run wrote there (NNNN-…) are removed first. */
  constructor(private readonly directory: string | undefined) {
    if (directory === undefined) return;
    mkdirSync(directory, { recursive: true });
    for (const name of readdirSync(directory))
      if (WRITTEN.test(name)) rmSync(path.join(directory, name), { force: true });
  }

  /** Writes the next numbered file (`name` made safe as a file name); undefined without a folder. */
  write(name: string, content: Buffer | string): string | undefined {
    this.written += 1;
    if (this.directory === undefined) return undefined;
    const safe = path.basename(name).replace(/[^\w.-]/g, '_') || 'file';
    const file = path.join(this.directory, `${String(this.written).padStart(4, '0')}-${safe}`);
    writeFileSync(file, content);
    return file;
  }

  /** Records a message (and writes it as JSON); `file` and `via` are filled in here. */
  message(message: Omit<SlackMessage, 'file'>): SlackMessage {
    const file = this.write(`${message.via}.json`, `${JSON.stringify(message.payload, null, 2)}\n`);
    const recorded = { ...message, ...(file === undefined ? {} : { file }) };
    this.messages.push(recorded);
    return recorded;
  }
}
