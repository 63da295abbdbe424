import { paginateDescribeDBLogFiles, type RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import { readArchivedSource } from './common/archive-object';
import { rdsClient, s3Client } from './common/clients';
import { mapInOrder } from './common/concurrency';
import { type Config, config } from './common/config';
import { asTaskError } from './common/errors';
import { makeHandler } from './common/handler';
import { archiveKey, isClosed, type ListedFile, type LogFileName, parseLogFileName } from './common/log-files';
import { hasCurrentParsedOutput } from './common/parsed-output';
import { type RunStore, s3RunStore } from './common/run-store';
import type { InstancePlan, InstanceProgress, InstanceRef, PlannedFile, RunContext, SkippedFile } from './common/types';

export interface ListLogFilesDeps {
  readonly rds: RDSClient;
  readonly s3: S3Client;
  readonly store: RunStore;
  readonly config: Config;
  readonly now: () => number;
}

const UNREACHABLE: Record<string, InstancePlan['status']> = {
  DBInstanceNotFoundFault: 'not found',
  DBInstanceNotReadyFault: 'paused',
};

async function describeLogFiles(rds: RDSClient, instanceId: string, run: RunContext): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  const since = run.from ? Date.parse(run.from) : undefined;
  for await (const page of paginateDescribeDBLogFiles(
    { client: rds },
    { DBInstanceIdentifier: instanceId, FileLastWritten: since },
  )) {
    for (const item of page.DescribeDBLogFiles ?? []) {
      if (item.LogFileName)
        files.push({ name: item.LogFileName, size: item.Size ?? 0, lastWritten: item.LastWritten ?? 0 });
    }
  }
  return files;
}

/** Newest name time per series: only the newest file of a series may still be written. */
interface ParsedFile {
  readonly file: ListedFile;
  readonly parsed: LogFileName | undefined;
}

function newestBySeries(files: readonly ParsedFile[]): Map<string, number> {
  const newest = new Map<string, number>();
  for (const { parsed } of files) {
    if (!parsed?.nameTime) continue;
    newest.set(parsed.series, Math.max(newest.get(parsed.series) ?? 0, parsed.nameTime.getTime()));
  }
  return newest;
}

function candidate(
  { file, parsed }: ParsedFile,
  instance: InstanceRef,
  run: RunContext,
  newest: Map<string, number>,
  deps: ListLogFilesDeps,
) {
  if (!parsed) return { skip: 'unrecognised or unsafe file name' };
  // A size RDS could not have meant would make the archive's completeness checks meaningless.
  if (!Number.isSafeInteger(file.size) || file.size < 0) return { skip: 'listed with an invalid size' };
  if (!run.logTypes.includes(parsed.logType)) return { skip: 'log type not selected' };
  if (run.to && file.lastWritten > Date.parse(run.to)) return { skip: 'last write after the range' };
  if (run.from && file.lastWritten < Date.parse(run.from)) return { skip: 'last write before the range' };
  const quietMs = deps.config.activeQuietMinutes * 60_000;
  if (!isClosed(file, parsed, newest.get(parsed.series) ?? 0, deps.now(), quietMs))
    return { skip: 'still being written' };
  if (file.size === 0) return { skip: 'empty' };
  return { file, logType: parsed.logType, key: archiveKey(instance.clusterId, instance.instanceId, file, parsed) };
}

async function compareWithArchive(
  deps: ListLogFilesDeps,
  file: ListedFile,
  logType: PlannedFile['logType'],
  key: string,
) {
  const archived = await readArchivedSource(deps.s3, deps.config.archiveBucket, key).catch((error: unknown) => {
    throw asTaskError(error, `reading s3://${deps.config.archiveBucket}/${key}`);
  });
  if (!archived) return { ...file, logType, key, reason: 'new' as const };
  if (archived.sourceSize === file.size) {
    // Archived, but its parsed records were never written (their pass failed, or PARSED_OUTPUT was
    // set later): planned again, and Archive Log Files writes only what is missing.
    const parsedMissing =
      deps.config.parsedOutput.includes(logType) &&
      !(await hasCurrentParsedOutput(deps.s3, deps.config.archiveBucket, key, archived).catch((error: unknown) => {
        throw asTaskError(error, `reading the parsed records of s3://${deps.config.archiveBucket}/${key}`);
      }));
    if (parsedMissing) return { ...file, logType, key, reason: 'parsed records missing' as const };
    return { name: file.name, reason: 'already archived' };
  }
  const reason =
    archived.sourceSize < file.size ? ('grew since archived' as const) : ('changed since archived' as const);
  return { ...file, logType, key, reason };
}

/** List one instance's log files and plan what to archive; the plan goes to S3, the payload stays small. */
export async function listLogFiles(
  event: { run: RunContext; instance: InstanceRef },
  deps: ListLogFilesDeps,
): Promise<InstanceProgress> {
  const { run, instance } = event;
  const planKey = `${run.reportPrefix}/plans/${instance.instanceId}.json`;
  const skipped: SkippedFile[] = [];
  let listed: ListedFile[] = [];
  let status: InstancePlan['status'] = 'listed';
  try {
    listed = await describeLogFiles(deps.rds, instance.instanceId, run);
  } catch (error) {
    status = UNREACHABLE[(error as Error).name] ?? status;
    if (status === 'listed') throw asTaskError(error, `listing log files of ${instance.instanceId}`);
  }
  const named = listed.map((file) => ({ file, parsed: parseLogFileName(file.name) }));
  const newest = newestBySeries(named);
  const toCompare: { file: ListedFile; logType: PlannedFile['logType']; key: string }[] = [];
  for (const item of named) {
    const decision = candidate(item, instance, run, newest, deps);
    if ('skip' in decision) skipped.push({ name: item.file.name, reason: decision.skip ?? '' });
    else toCompare.push(decision);
  }
  const compared = await mapInOrder(toCompare, 16, (item) =>
    compareWithArchive(deps, item.file, item.logType, item.key),
  );
  const planned: PlannedFile[] = [];
  for (const item of compared) {
    if ('key' in item) planned.push(item);
    else skipped.push(item);
  }
  // Oldest first: files age out of RDS first, so a capped run takes them before the others.
  planned.sort((a, b) => a.lastWritten - b.lastWritten || a.name.localeCompare(b.name));
  const files = planned.slice(0, deps.config.maxFilesPerInstance);
  const plan: InstancePlan = {
    instance,
    status,
    listedAt: new Date(deps.now()).toISOString(),
    files,
    skipped,
    deferred: planned.length - files.length,
  };
  await deps.store.putJson(planKey, plan);
  return {
    run,
    instance,
    planKey,
    cursor: 0,
    total: files.length,
    done: run.dryRun || files.length === 0,
    listing: status,
  };
}

export const handler = makeHandler('list log files', (event: { run: RunContext; instance: InstanceRef }) =>
  listLogFiles(event, {
    rds: rdsClient(),
    s3: s3Client(),
    store: s3RunStore(s3Client(), config().archiveBucket),
    config: config(),
    now: Date.now,
  }),
);
