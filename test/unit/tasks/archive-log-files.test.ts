import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type ArchivedFileResult, type ArchiveLogFilesDeps, archiveLogFiles } from '../../../tasks/archive-log-files';
import { DownloadError } from '../../../tasks/common/download';
import { TransientAwsError } from '../../../tasks/common/errors';
import type { InvocationContext } from '../../../tasks/common/handler';
import { PARSED_PREFIX, STAGING_PREFIX } from '../../../tasks/common/layout';
import { parsedKey } from '../../../tasks/common/parsed-output';
import type { FileResult, InstancePlan, InstanceProgress, PlannedFile } from '../../../tasks/common/types';
import { s3NotFound } from '../../helpers/aws-errors';
import { testConfig } from '../../helpers/config';
import { type Attempt, brokenStream, FakeLogFileSource } from '../../helpers/log-file-source';
import { silenceLogger } from '../../helpers/logger';
import { instanceRef, runContext } from '../../helpers/run-context';
import { MemoryRunStore } from '../../helpers/run-store';

const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const s3Mock = mockClient(s3);

const run = runContext({ reportPrefix: '_runs/2026/11/20/run-1' });
const instance = instanceRef({ instanceId: 'aurora-a-1', clusterId: 'aurora-a' });
const planKey = `${run.reportPrefix}/plans/aurora-a-1.json`;
const plenty: InvocationContext = { remainingMs: () => 900_000 };

const SLOW_LOG = '# Time: 2026-11-20T09:00:01Z\n# Query_time: 2.5\nSELECT SLEEP(2.5);\n';

function planned(hour: number, body: string | Buffer = SLOW_LOG): PlannedFile {
  const hh = String(hour).padStart(2, '0');
  return {
    name: `slowquery/mysql-slowquery.log.2026-11-20.${hh}`,
    logType: 'slowquery',
    size: Buffer.byteLength(body),
    lastWritten: Date.parse(`2026-11-20T${hh}:59:59Z`),
    key: `aurora-a/slowquery/2026/11/20/${hh}/aurora-a-1/mysql-slowquery.log.2026-11-20.${hh}.gz`,
    reason: 'new',
  };
}

let store: MemoryRunStore;
let sleep: jest.Mock<Promise<void>, [number]>;

async function given(files: PlannedFile[], cursor = 0): Promise<InstanceProgress> {
  const plan: InstancePlan = {
    instance,
    status: 'listed',
    listedAt: '2026-11-20T12:00:00.000Z',
    files,
    skipped: [],
    deferred: 0,
  };
  await store.putJson(planKey, plan);
  return { run, instance, planKey, cursor, total: files.length, done: false };
}

function deps(source: FakeLogFileSource, env: Record<string, string> = {}): ArchiveLogFilesDeps {
  const config = testConfig({ FILE_CONCURRENCY: '1', DOWNLOAD_ATTEMPTS: '3', TIME_RESERVE_SECONDS: '60', ...env });
  return { s3, store, source, config, sleep };
}

const sourceOf = (files: Record<string, Attempt | Attempt[]>) => new FakeLogFileSource(files);
const sha256 = (body: string | Buffer) => createHash('sha256').update(body).digest('hex');
const resultsAt = (cursor: number) =>
  store.read<FileResult[]>(`${run.reportPrefix}/results/aurora-a-1/${String(cursor).padStart(6, '0')}.json`);
/** Every request that wrote `key`: a PutObject for a small object, a CopyObject from staging for a large one. */
const writesTo = (key: string) =>
  [
    ...s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input),
    ...s3Mock.commandCalls(CopyObjectCommand).map((call) => call.args[0].input),
  ].filter((input) => input.Key === key);
const metadataAt = (key: string) => writesTo(key)[0]?.Metadata;

beforeEach(() => {
  s3Mock.reset();
  s3Mock.on(HeadObjectCommand).rejects(s3NotFound());
  s3Mock.on(PutObjectCommand).resolves({ ETag: '"staged"' });
  s3Mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
  s3Mock.on(UploadPartCommand).callsFake((input: { PartNumber?: number }) => ({ ETag: `"part-${input.PartNumber}"` }));
  s3Mock.on(CompleteMultipartUploadCommand).resolves({ ETag: '"staged"' });
  s3Mock.on(AbortMultipartUploadCommand).resolves({});
  s3Mock.on(CopyObjectCommand).resolves({});
  s3Mock.on(DeleteObjectCommand).resolves({});
  store = new MemoryRunStore();
  sleep = jest.fn(async (_ms: number) => undefined);
  silenceLogger();
});

afterEach(() => jest.restoreAllMocks());

describe('archiveLogFiles', () => {
  it('stores a small file at its final key in one PutObject with the source size, sha256 and last write', async () => {
    const file = planned(9);
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: SLOW_LOG })), plenty);

    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3Mock).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(gunzipSync(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.Body as Uint8Array).toString()).toBe(
      SLOW_LOG,
    );
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'archive-bucket',
      Key: file.key,
      ContentType: 'application/gzip',
      Metadata: {
        'source-size': String(Buffer.byteLength(SLOW_LOG)),
        'source-sha256': sha256(SLOW_LOG),
        'source-last-written': '2026-11-20T09:59:59.000Z',
        'source-instance': 'aurora-a-1',
        'source-file': file.name,
      },
    });
  });

  it('stages a file larger than one part under the staging prefix of the run, copies it with the metadata, then deletes it', async () => {
    const body = randomBytes(6 * 1024 * 1024);
    const file = planned(9, body);
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: body })), plenty);

    const stagingKey = String(s3Mock.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input.Key);
    expect(stagingKey.startsWith(`${STAGING_PREFIX}${run.runId}/`)).toBe(true);
    expect(s3Mock).toHaveReceivedCommandWith(CopyObjectCommand, {
      Key: file.key,
      CopySource: `archive-bucket/${stagingKey}`,
      MetadataDirective: 'REPLACE',
      ContentType: 'application/gzip',
      Metadata: expect.objectContaining({ 'source-size': String(body.length), 'source-sha256': sha256(body) }),
    });
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: stagingKey });
    expect(writesTo(stagingKey)).toEqual([]);
  });

  it('reports an archived file with its byte counts, hash and plan reason', async () => {
    const file = { ...planned(9), reason: 'grew since archived' as const };
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: SLOW_LOG })), plenty);

    const staged = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.Body as Uint8Array;
    expect(resultsAt(0)).toEqual([
      {
        name: file.name,
        logType: 'slowquery',
        key: file.key,
        status: 'archived',
        reason: 'grew since archived',
        sourceBytes: file.size,
        archivedBytes: staged.length,
        sha256: sha256(SLOW_LOG),
      },
    ]);
  });

  it('archives a file larger than one part through a multipart upload', async () => {
    const body = randomBytes(6 * 1024 * 1024);
    const file = planned(9, body);
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: body })), plenty);

    const parts = s3Mock
      .commandCalls(UploadPartCommand)
      .map((call) => call.args[0].input)
      .sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0))
      .map((input) => Buffer.from(input.Body as Uint8Array));
    expect(parts.length).toBeGreaterThan(1);
    expect(gunzipSync(Buffer.concat(parts)).equals(body)).toBe(true);
    expect(s3Mock).toHaveReceivedCommandTimes(CompleteMultipartUploadCommand, 1);
    expect(s3Mock).toHaveReceivedCommandWith(CopyObjectCommand, {
      Key: file.key,
      Metadata: expect.objectContaining({ 'source-sha256': sha256(body) }),
    });
  });

  it('skips a file a previous attempt already archived', async () => {
    const file = planned(9);
    const lastWritten = new Date(file.lastWritten).toISOString();
    s3Mock
      .on(HeadObjectCommand, { Key: file.key })
      .resolves({ Metadata: { 'source-size': String(file.size), 'source-last-written': lastWritten } });
    const source = sourceOf({ [file.name]: SLOW_LOG });
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(source), plenty);

    expect(resultsAt(0)).toEqual([expect.objectContaining({ status: 'skipped', reason: 'already archived' })]);
    expect(source.opened).toEqual([]);
    expect(writesTo(file.key)).toEqual([]);
  });

  it('re-archives a file whose archived copy came from another version of it (changed since archived)', async () => {
    const file = planned(9);
    s3Mock.on(HeadObjectCommand, { Key: file.key }).resolves({
      Metadata: { 'source-size': String(file.size + 100), 'source-last-written': '2026-11-19T00:00:00.000Z' },
    });
    const source = sourceOf({ [file.name]: SLOW_LOG });
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(source), plenty);

    expect(resultsAt(0)).toEqual([expect.objectContaining({ status: 'archived' })]);
    expect(writesTo(file.key)).toHaveLength(1);
  });

  it('reports a file gone before download as failed, without retrying or copying', async () => {
    const file = planned(9);
    const source = sourceOf({});
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(source), plenty);

    expect(resultsAt(0)).toEqual([
      expect.objectContaining({ status: 'failed', reason: expect.stringContaining('gone') }),
    ]);
    expect(source.openCount(file.name)).toBe(1);
    expect(writesTo(file.key)).toEqual([]);
  });

  it('retries a download the RDS endpoint throttled', async () => {
    const file = planned(9);
    const throttled = new DownloadError('download answered 400 Throttling', 400, true);
    const source = sourceOf({ [file.name]: [throttled, SLOW_LOG] });
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(source), plenty);

    expect(resultsAt(0)).toEqual([expect.objectContaining({ status: 'archived' })]);
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('archives a file after the connection reset during the first attempt', async () => {
    const file = planned(9);
    const source = sourceOf({ [file.name]: [brokenStream(SLOW_LOG.slice(0, 20)), SLOW_LOG] });
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(source), plenty);

    expect(resultsAt(0)).toEqual([expect.objectContaining({ status: 'archived', sourceBytes: file.size })]);
    expect(source.openCount(file.name)).toBe(2);
    expect(writesTo(file.key)).toHaveLength(1);
    expect(metadataAt(file.key)).toMatchObject({ 'source-sha256': sha256(SLOW_LOG) });
  });

  it('fails a file whose download is shorter than listed on every attempt, never uploading or copying it', async () => {
    const file = planned(9);
    const source = sourceOf({ [file.name]: SLOW_LOG.slice(0, 10) });
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(source), plenty);

    expect(resultsAt(0)).toEqual([
      expect.objectContaining({ status: 'failed', reason: `download ended after 10 of ${file.size} listed bytes` }),
    ]);
    expect(source.openCount(file.name)).toBe(3);
    expect(writesTo(file.key)).toEqual([]);
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
    expect(s3Mock).not.toHaveReceivedCommand(CompleteMultipartUploadCommand);
  });

  it('fails a large file whose part upload keeps failing, aborting the staging upload and writing nothing at its key', async () => {
    const body = randomBytes(6 * 1024 * 1024);
    const file = planned(9, body);
    s3Mock.on(UploadPartCommand).rejects(Object.assign(new Error('access denied'), { name: 'AccessDenied' }));
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: body })), plenty);

    expect(resultsAt(0)).toEqual([expect.objectContaining({ status: 'failed', reason: 'access denied' })]);
    expect(s3Mock).toHaveReceivedCommand(AbortMultipartUploadCommand);
    expect(writesTo(file.key)).toEqual([]);
  });

  it('fails a small file whose PutObject keeps failing, with the reason', async () => {
    const file = planned(9);
    s3Mock.on(PutObjectCommand).rejects(Object.assign(new Error('slow down'), { name: 'SlowDown' }));
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: SLOW_LOG })), plenty);

    expect(resultsAt(0)).toEqual([expect.objectContaining({ status: 'failed', reason: 'slow down' })]);
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 3);
  });

  it('archives a file that grew during download and notes the size difference', async () => {
    const file = planned(9);
    const longer = `${SLOW_LOG}SELECT 1;\n`;
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: longer })), plenty);

    expect(resultsAt(0)).toEqual([
      expect.objectContaining({
        status: 'archived',
        sourceBytes: Buffer.byteLength(longer),
        sizeNote: `grew during download: listed ${file.size} bytes, archived ${Buffer.byteLength(longer)}`,
      }),
    ]);
    expect(metadataAt(file.key)).toMatchObject({ 'source-size': String(Buffer.byteLength(longer)) });
  });

  it('starts no more files once the time left falls under the reserve, advancing only over finished files', async () => {
    const files = [planned(7), planned(8), planned(9)];
    const source = sourceOf(Object.fromEntries(files.map((file) => [file.name, SLOW_LOG])));
    const timeLeft = [300_000, 59_000];
    const progress = await given(files);

    const next = await archiveLogFiles(progress, deps(source), { remainingMs: () => timeLeft.shift() ?? 0 });

    expect(next).toMatchObject({ cursor: 1, total: 3, done: false });
    expect(source.opened.map((call) => call.fileName)).toEqual([files[0]?.name]);
    expect(resultsAt(0)).toHaveLength(1);
  });

  it('throws a TransientAwsError when there is no time to start even one file', async () => {
    const file = planned(9);
    const progress = await given([file]);

    const act = archiveLogFiles(progress, deps(sourceOf({ [file.name]: SLOW_LOG })), { remainingMs: () => 30_000 });

    await expect(act).rejects.toBeInstanceOf(TransientAwsError);
    expect(resultsAt(0)).toBeUndefined();
  });

  it('takes at most BATCH_MAX_FILES files per invocation', async () => {
    const files = [planned(7), planned(8), planned(9)];
    const source = sourceOf(Object.fromEntries(files.map((file) => [file.name, SLOW_LOG])));
    const progress = await given(files);

    const next = await archiveLogFiles(progress, deps(source, { BATCH_MAX_FILES: '2' }), plenty);

    expect(next).toMatchObject({ cursor: 2, done: false });
    expect(resultsAt(0)?.map((result) => result.name)).toEqual([files[0]?.name, files[1]?.name]);
  });

  it('continues from the cursor, files results under it, and is done when the cursor reaches the total', async () => {
    const files = [planned(7), planned(8), planned(9)];
    const source = sourceOf(Object.fromEntries(files.map((file) => [file.name, SLOW_LOG])));
    const progress = await given(files, 2);

    const next = await archiveLogFiles(progress, deps(source, { BATCH_MAX_FILES: '2' }), plenty);

    expect(next).toEqual({ ...progress, cursor: 3, done: true });
    expect(source.opened.map((call) => call.fileName)).toEqual([files[2]?.name]);
    expect(resultsAt(2)?.map((result) => result.name)).toEqual([files[2]?.name]);
  });

  it('turns throttling of the archive check into a TransientAwsError', async () => {
    const file = planned(9);
    s3Mock.on(HeadObjectCommand).rejects(Object.assign(new Error('Slow Down'), { name: 'SlowDown' }));
    const progress = await given([file]);

    const act = archiveLogFiles(progress, deps(sourceOf({ [file.name]: SLOW_LOG })), plenty);

    await expect(act).rejects.toBeInstanceOf(TransientAwsError);
  });
});

describe('archiveLogFiles with PARSED_OUTPUT', () => {
  const parsing = { PARSED_OUTPUT: 'slowquery' };
  /** What the raw PutObject stored at `key`, served back to GetObject as S3 would. */
  const serveWhatWasStored = (key: string) =>
    s3Mock.on(GetObjectCommand, { Key: key }).callsFake(() => {
      const body = (writesTo(key)[0] as { Body?: Uint8Array } | undefined)?.Body as Uint8Array;
      return { Body: Readable.from([Buffer.from(body)]) };
    });
  const ndjsonAt = (key: string) =>
    gunzipSync((writesTo(key)[0] as { Body?: Uint8Array } | undefined)?.Body as Uint8Array)
      .toString()
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('names the parsed object after the raw key under parsed/, as .ndjson.gz', () => {
    expect(parsedKey('aurora-a/slowquery/2026/11/20/09/aurora-a-1/mysql-slowquery.log.2026-11-20.09.gz')).toBe(
      `${PARSED_PREFIX}aurora-a/slowquery/2026/11/20/09/aurora-a-1/mysql-slowquery.log.2026-11-20.09.ndjson.gz`,
    );
  });

  it('writes the parsed records of an archived file as gzip NDJSON, naming the source it was parsed from', async () => {
    const file = planned(9);
    serveWhatWasStored(file.key);
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: SLOW_LOG }), parsing), plenty);

    const records = ndjsonAt(parsedKey(file.key));
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((record) => record.type === 'slowquery')).toBe(true);
    expect(metadataAt(parsedKey(file.key))).toMatchObject({
      'parsed-from-sha256': sha256(SLOW_LOG),
      'source-last-written': '2026-11-20T09:59:59.000Z',
    });
    expect(resultsAt(0)).toEqual([
      expect.objectContaining({
        status: 'archived',
        parsed: 'written',
        parsedKey: parsedKey(file.key),
        parsedRecords: records.length,
        parseErrors: records.filter((record) => 'parseError' in record).length,
      }),
    ]);
  });

  it('reads the archived object back rather than the download, which is opened once', async () => {
    const file = planned(9);
    serveWhatWasStored(file.key);
    const source = sourceOf({ [file.name]: SLOW_LOG });
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(source, parsing), plenty);

    expect(source.openCount(file.name)).toBe(1);
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'archive-bucket', Key: file.key });
  });

  it('counts the lines that did not parse as parse errors, keeping them as records', async () => {
    const body = `${SLOW_LOG}\u0000\u0001 not a slow log line\n`;
    const file = planned(9, body);
    serveWhatWasStored(file.key);
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: body }), parsing), plenty);

    const records = ndjsonAt(parsedKey(file.key));
    const [result] = store.read<ArchivedFileResult[]>(`${run.reportPrefix}/results/aurora-a-1/000000.json`) ?? [];
    expect(result?.parsedRecords).toBe(records.length);
    expect(result?.parseErrors).toBe(records.filter((record) => 'parseError' in record).length);
  });

  it('parses nothing for a log type PARSED_OUTPUT does not list', async () => {
    const file = planned(9);
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: SLOW_LOG }), { PARSED_OUTPUT: 'audit' }), plenty);

    expect(s3Mock).not.toHaveReceivedCommand(GetObjectCommand);
    expect(writesTo(parsedKey(file.key))).toEqual([]);
    expect(resultsAt(0)?.[0]).not.toHaveProperty('parsed');
  });

  it('writes the missing parsed object of a file a previous run archived, without downloading it again', async () => {
    const file = planned(9);
    const lastWritten = new Date(file.lastWritten).toISOString();
    s3Mock.on(HeadObjectCommand, { Key: file.key }).resolves({
      Metadata: { 'source-size': String(file.size), 'source-last-written': lastWritten, 'source-sha256': 'abc' },
    });
    s3Mock.on(GetObjectCommand, { Key: file.key }).callsFake(() => ({ Body: Readable.from([gzipSync(SLOW_LOG)]) }));
    const source = sourceOf({ [file.name]: SLOW_LOG });
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(source, parsing), plenty);

    expect(source.opened).toEqual([]);
    expect(writesTo(file.key)).toEqual([]);
    expect(metadataAt(parsedKey(file.key))).toMatchObject({ 'parsed-from-sha256': 'abc' });
    expect(resultsAt(0)).toEqual([
      expect.objectContaining({ status: 'skipped', reason: 'already archived', parsed: 'written' }),
    ]);
  });

  it('leaves a parsed object made from the same source as it is', async () => {
    const file = planned(9);
    const lastWritten = new Date(file.lastWritten).toISOString();
    s3Mock.on(HeadObjectCommand, { Key: file.key }).resolves({
      Metadata: { 'source-size': String(file.size), 'source-last-written': lastWritten, 'source-sha256': 'abc' },
    });
    s3Mock.on(HeadObjectCommand, { Key: parsedKey(file.key) }).resolves({
      Metadata: { 'parsed-from-sha256': 'abc', 'source-last-written': lastWritten },
    });
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: SLOW_LOG }), parsing), plenty);

    expect(s3Mock).not.toHaveReceivedCommand(GetObjectCommand);
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
    expect(resultsAt(0)).toEqual([
      expect.objectContaining({ status: 'skipped', parsed: 'present', parsedKey: parsedKey(file.key) }),
    ]);
  });

  it('replaces a parsed object made from an earlier version of the file', async () => {
    const file = planned(9);
    serveWhatWasStored(file.key);
    s3Mock.on(HeadObjectCommand, { Key: parsedKey(file.key) }).resolves({
      Metadata: { 'parsed-from-sha256': 'older', 'source-last-written': '2026-11-19T00:00:00.000Z' },
    });
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: SLOW_LOG }), parsing), plenty);

    expect(metadataAt(parsedKey(file.key))).toMatchObject({ 'parsed-from-sha256': sha256(SLOW_LOG) });
  });

  it('keeps the file archived and notes why when the parse pass fails, writing no parsed object', async () => {
    const file = planned(9);
    s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error('access denied'), { name: 'AccessDenied' }));
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: SLOW_LOG }), parsing), plenty);

    expect(writesTo(file.key)).toHaveLength(1);
    expect(writesTo(parsedKey(file.key))).toEqual([]);
    expect(resultsAt(0)).toEqual([
      expect.objectContaining({
        status: 'archived',
        parsed: 'failed',
        parseNote: 'parsed output not written: access denied',
      }),
    ]);
  });

  it('stages a parsed output larger than one part and copies it to the parsed key complete', async () => {
    const lines = Array.from(
      { length: 60_000 },
      (_, index) =>
        `# Time: 2026-11-20T09:00:01.${String(index).padStart(6, '0')}Z\n` +
        `# User@Host: app[app] @  [10.0.0.1]  Id: ${index}\n` +
        '# Query_time: 0.500000  Lock_time: 0.000100 Rows_sent: 1  Rows_examined: 100\n' +
        `SELECT '${randomBytes(96).toString('hex')}';\n`,
    ).join('');
    const file = planned(9, lines);
    s3Mock.on(GetObjectCommand, { Key: file.key }).callsFake(() => ({ Body: Readable.from([gzipSync(lines)]) }));
    const progress = await given([file]);

    await archiveLogFiles(progress, deps(sourceOf({ [file.name]: lines }), parsing), plenty);

    const copies = s3Mock.commandCalls(CopyObjectCommand).map((call) => call.args[0].input);
    expect(copies.map((input) => input.Key)).toContain(parsedKey(file.key));
    expect(copies.find((input) => input.Key === parsedKey(file.key))?.CopySource).toContain(
      `archive-bucket/${STAGING_PREFIX}${run.runId}/`,
    );
    expect(resultsAt(0)).toEqual([
      expect.objectContaining({ parsed: 'written', parsedRecords: 60_000, parseErrors: 0 }),
    ]);
  });
});
