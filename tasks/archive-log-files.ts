import type { S3Client } from '@aws-sdk/client-s3';
import { archiveStream, readArchivedSource } from './common/archive-object';
import { rdsClient, s3Client } from './common/clients';
import { mapInOrder } from './common/concurrency';
import { type Config, config } from './common/config';
import { type LogFileSource, signedDownloadSource } from './common/download';
import { asTaskError, TransientAwsError } from './common/errors';
import { type InvocationContext, makeHandler } from './common/handler';
import { STAGING_PREFIX } from './common/layout';
import { logger } from './common/logger';
import { type ParsedOutputReport, parsedOutputOf } from './common/parsed-output';
import { type RunStore, s3RunStore } from './common/run-store';
import type { FileResult, InstancePlan, InstanceProgress, PlannedFile } from './common/types';

export interface ArchiveLogFilesDeps {
  readonly s3: S3Client;
  readonly store: RunStore;
  readonly source: LogFileSource;
  readonly config: Config;
  /** Waits before another attempt; injectable so tests do not wait. */
  readonly sleep: (ms: number) => Promise<void>;
}

/** Errors after which another attempt cannot help: the file is reported failed at once. */
function isFinal(error: unknown): boolean {
  const retriable = (error as { retriable?: boolean }).retriable;
  return retriable === false;
}

function describe(error: unknown): string {
  const status = (error as { status?: number }).status;
  if (status === 404) return 'file gone before download (rotated away or deleted)';
  return error instanceof Error ? error.message : String(error);
}

/** A file's result, with its parsed records when its log type is parsed (PARSED_OUTPUT). */
export type ArchivedFileResult = FileResult & ParsedOutputReport;

/**
 * The parsed records of an archived file, read back from S3 in a second pass so that archiving
 * itself is untouched; a failure is a note on the file, never a failed file.
 */
function parseArchived(
  file: PlannedFile,
  source: { sha256: string; lastWritten: string },
  progress: InstanceProgress,
  deps: ArchiveLogFilesDeps,
  signal?: AbortSignal,
): Promise<ParsedOutputReport> {
  if (!deps.config.parsedOutput.includes(file.logType)) return Promise.resolve({});
  return parsedOutputOf({
    s3: deps.s3,
    bucket: deps.config.archiveBucket,
    rawKey: file.key,
    logType: file.logType,
    source,
    stagingPrefix: `${STAGING_PREFIX}${progress.run.runId}`,
    gzipLevel: deps.config.gzipLevel,
    signal,
  });
}

async function archiveFile(
  file: PlannedFile,
  progress: InstanceProgress,
  deps: ArchiveLogFilesDeps,
  signal?: AbortSignal,
): Promise<ArchivedFileResult> {
  const base = { name: file.name, logType: file.logType, key: file.key };
  const archived = await readArchivedSource(deps.s3, deps.config.archiveBucket, file.key).catch((error: unknown) => {
    throw asTaskError(error, `reading s3://${deps.config.archiveBucket}/${file.key}`);
  });
  // A retried or re-run batch finds what an earlier attempt already finished: the same file
  // version (same last write), at least as long as planned (it may have grown while read).
  const lastWritten = new Date(file.lastWritten).toISOString();
  if (archived && archived.lastWritten === lastWritten && archived.sourceSize >= file.size) {
    const source = { sha256: archived.sha256 ?? '', lastWritten };
    const parsed = await parseArchived(file, source, progress, deps, signal);
    return { ...base, status: 'skipped', reason: 'already archived', ...parsed };
  }
  const result = await downloadFile(file, progress, deps, lastWritten, signal);
  if (result.status !== 'archived' || !result.sha256) return result;
  return { ...result, ...(await parseArchived(file, { sha256: result.sha256, lastWritten }, progress, deps, signal)) };
}

async function downloadFile(
  file: PlannedFile,
  progress: InstanceProgress,
  deps: ArchiveLogFilesDeps,
  lastWritten: string,
  signal?: AbortSignal,
): Promise<FileResult> {
  const { instance } = progress;
  const base = { name: file.name, logType: file.logType, key: file.key };
  let lastError: unknown;
  for (let attempt = 1; attempt <= deps.config.downloadAttempts; attempt++) {
    try {
      const body = await deps.source.open(instance.instanceId, file.name, signal);
      const outcome = await archiveStream(body, {
        s3: deps.s3,
        bucket: deps.config.archiveBucket,
        key: file.key,
        stagingPrefix: `${STAGING_PREFIX}${progress.run.runId}`,
        listedSize: file.size,
        gzipLevel: deps.config.gzipLevel,
        metadata: {
          'source-last-written': lastWritten,
          'source-instance': instance.instanceId,
          'source-file': file.name,
        },
      });
      const grew = outcome.sourceBytes > file.size;
      return {
        ...base,
        status: 'archived',
        reason: file.reason,
        sourceBytes: outcome.sourceBytes,
        archivedBytes: outcome.archivedBytes,
        sha256: outcome.sha256,
        ...(grew
          ? { sizeNote: `grew during download: listed ${file.size} bytes, archived ${outcome.sourceBytes}` }
          : {}),
      };
    } catch (error) {
      lastError = error;
      if (isFinal(error)) break;
      logger.warn('file attempt failed', { file: file.name, attempt, error: describe(error) });
      if (attempt < deps.config.downloadAttempts)
        await deps.sleep(Math.min(30_000, 500 * 2 ** attempt * Math.random()));
    }
  }
  return { ...base, status: 'failed', reason: describe(lastError) };
}

/**
 * Archive the planned files from the cursor on, until the batch is full or the Lambda time
 * budget runs low; record the results in S3 and return the advanced cursor.
 */
export async function archiveLogFiles(
  progress: InstanceProgress,
  deps: ArchiveLogFilesDeps,
  invocation: InvocationContext,
): Promise<InstanceProgress> {
  const plan = await deps.store.getJson<InstancePlan>(progress.planKey);
  const batch = plan.files.slice(progress.cursor, progress.cursor + deps.config.batchMaxFiles);
  const reserveMs = deps.config.timeReserveSeconds * 1000;
  const results = await mapInOrder(
    batch,
    deps.config.fileConcurrency,
    (file) => archiveFile(file, progress, deps, invocation.signal),
    () => invocation.remainingMs() > reserveMs,
  );
  if (results.length === 0 && batch.length > 0) {
    throw new TransientAwsError('no Lambda time left to start a file: a fresh invocation continues');
  }
  const resultKey = `${progress.run.reportPrefix}/results/${progress.instance.instanceId}/${String(progress.cursor).padStart(6, '0')}.json`;
  await deps.store.putJson(resultKey, results);
  const cursor = progress.cursor + results.length;
  logger.info('batch archived', {
    instance: progress.instance.instanceId,
    archived: results.filter((result) => result.status === 'archived').length,
    failed: results.filter((result) => result.status === 'failed').length,
    cursor,
    total: progress.total,
  });
  return { ...progress, cursor, done: cursor >= progress.total };
}

export const handler = makeHandler('archive log files', (progress: InstanceProgress, invocation) => {
  const settings = config();
  return archiveLogFiles(
    progress,
    {
      s3: s3Client(),
      store: s3RunStore(s3Client(), settings.archiveBucket),
      source: signedDownloadSource({
        endpoint: settings.rdsEndpoint,
        region: settings.region,
        credentials: rdsClient().config.credentials,
      }),
      config: settings,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
    invocation,
  );
});
