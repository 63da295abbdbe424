import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { logsClient, s3Client } from './common/clients';
import { exportHome, manifestKey } from './common/cloudwatch-layout';
import type { ExportManifest, ExportState, GroupProgress, LogGroupRef } from './common/cloudwatch-types';
import { mapInOrder } from './common/concurrency';
import { config } from './common/config';
import { asTaskError, ExportVerificationError, InvalidInputError } from './common/errors';
import { makeHandler } from './common/handler';
import { hasEventsBetween } from './common/log-events';
import { describeLogStreams, latestActivity } from './common/log-streams';
import { logger } from './common/logger';

export interface VerifyExportDeps {
  readonly logs: CloudWatchLogsClient;
  readonly s3: S3Client;
  /** The archive bucket: the export's destination and the stable layout's home. */
  readonly bucket: string;
  readonly now: () => number;
}

type CompletedExport = ExportState & { readonly taskId: string };
type StagedObject = { readonly key: string; readonly size: number };

const COPY_CONCURRENCY = 8;
const EVENT_CHECK_CONCURRENCY = 4;
const MISSING_NAMED = 10;

function completedExport(event: GroupProgress): CompletedExport {
  const state = event.export;
  if (state?.status !== 'COMPLETED' || !state.taskId) {
    throw new InvalidInputError('export', "status 'COMPLETED' with a taskId", `got status ${state?.status}`);
  }
  return state as CompletedExport;
}

async function manifestExists(deps: VerifyExportDeps, key: string): Promise<boolean> {
  try {
    await deps.s3.send(new HeadObjectCommand({ Bucket: deps.bucket, Key: key }));
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((error as Error).name === 'NotFound' || status === 404) return false;
    throw asTaskError(error, `reading s3://${deps.bucket}/${key}`);
  }
}

async function listObjects(deps: VerifyExportDeps, prefix: string): Promise<StagedObject[]> {
  const objects: StagedObject[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client: deps.s3 }, { Bucket: deps.bucket, Prefix: prefix })) {
      for (const item of page.Contents ?? []) if (item.Key) objects.push({ key: item.Key, size: item.Size ?? 0 });
    }
  } catch (error) {
    throw asTaskError(error, `listing s3://${deps.bucket}/${prefix}`);
  }
  return objects;
}

/** Objects by stream: the stream is the key between the task folder and the last `/` (names may hold `/`). */
function groupByStream(objects: readonly StagedObject[], taskFolder: string): Map<string, StagedObject[]> {
  const byStream = new Map<string, StagedObject[]>();
  for (const object of objects) {
    const rest = object.key.slice(taskFolder.length);
    const slash = rest.lastIndexOf('/');
    if (slash <= 0) continue;
    const stream = rest.slice(0, slash);
    byStream.set(stream, [...(byStream.get(stream) ?? []), object]);
  }
  return byStream;
}

/** Streams without objects that hold no events in the range; throws when one does hold events. */
async function checkMissingStreams(
  deps: VerifyExportDeps,
  group: LogGroupRef,
  state: CompletedExport,
  exported: ReadonlyMap<string, unknown>,
): Promise<string[]> {
  const streams = await describeLogStreams(deps.logs, group.name);
  const candidates = streams
    .filter((stream) => stream.logStreamName && !exported.has(stream.logStreamName))
    .filter((stream) => (stream.firstEventTimestamp ?? 0) < state.cutoff && latestActivity(stream) >= state.from)
    .map((stream) => stream.logStreamName as string);
  const withEvents = await mapInOrder(candidates, EVENT_CHECK_CONCURRENCY, (logStreamName) =>
    hasEventsBetween(deps.logs, {
      logGroupName: group.name,
      logStreamName,
      startTime: state.from,
      endTime: state.cutoff,
      // Only whether events exist matters, and masked events exist too: no logs:Unmask needed here.
    }),
  );
  const missing = candidates.filter((_, index) => withEvents[index]);
  if (missing.length > 0) throw missingStreamsError(group.name, state, missing);
  return candidates;
}

function missingStreamsError(groupName: string, state: CompletedExport, missing: readonly string[]) {
  const named = missing.slice(0, MISSING_NAMED).join(', ');
  const more = missing.length > MISSING_NAMED ? ` and ${missing.length - MISSING_NAMED} more` : '';
  const range = `[${new Date(state.from).toISOString()}, ${new Date(state.cutoff).toISOString()})`;
  return new ExportVerificationError(
    `export ${state.taskId} of ${groupName} holds no objects for ${missing.length} stream(s) with events in ${range}: ` +
      `${named}${more}; nothing was moved or deleted`,
  );
}

/** The S3 CopySource: bucket and key, the key URL-encoded segment by segment. */
const copySource = (bucket: string, key: string) => `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

async function copyToHome(deps: VerifyExportDeps, byStream: ReadonlyMap<string, StagedObject[]>, home: string) {
  const streams = [...byStream.keys()].sort().map((name) => ({
    name,
    objects: (byStream.get(name) ?? []).map((object) => ({
      source: object.key,
      key: `${home}${name}/${object.key.split('/').at(-1)}`,
      size: object.size,
    })),
  }));
  await mapInOrder(
    streams.flatMap((stream) => stream.objects),
    COPY_CONCURRENCY,
    async ({ source, key }) => {
      await deps.s3
        .send(new CopyObjectCommand({ Bucket: deps.bucket, Key: key, CopySource: copySource(deps.bucket, source) }))
        .catch((error: unknown) => {
          throw asTaskError(error, `copying s3://${deps.bucket}/${source} to ${key}`);
        });
    },
  );
  return streams.map(({ name, objects }) => ({ name, objects: objects.map(({ key, size }) => ({ key, size })) }));
}

async function putManifest(deps: VerifyExportDeps, key: string, manifest: ExportManifest) {
  await deps.s3
    .send(
      new PutObjectCommand({
        Bucket: deps.bucket,
        Key: key,
        Body: JSON.stringify(manifest, null, 2),
        ContentType: 'application/json',
      }),
    )
    .catch((error: unknown) => {
      throw asTaskError(error, `writing s3://${deps.bucket}/${key}`);
    });
}

/** Remove everything CloudWatch Logs and Start Export left under the staging prefix. */
async function deleteStaging(deps: VerifyExportDeps, prefix: string) {
  const keys = (await listObjects(deps, prefix)).map((object) => object.key);
  for (let start = 0; start < keys.length; start += 1000) {
    const batch = keys.slice(start, start + 1000).map((Key) => ({ Key }));
    const result = await deps.s3
      .send(new DeleteObjectsCommand({ Bucket: deps.bucket, Delete: { Objects: batch, Quiet: true } }))
      .catch((error: unknown) => {
        throw asTaskError(error, `deleting s3://${deps.bucket}/${prefix}`);
      });
    // The export is verified and in place: leftovers are clutter, not a reason to fail the group.
    if (result.Errors?.length) logger.warn('staging objects left', { prefix, errors: result.Errors.slice(0, 10) });
  }
}

/**
 * Check that a completed export holds every stream with events in its range, move its objects to
 * the stable layout and write the manifest last: the manifest's presence is what makes the range
 * trimmable. A failed check moves and deletes nothing.
 */
export async function verifyExport(
  event: GroupProgress,
  deps: VerifyExportDeps,
): Promise<GroupProgress & { manifestKey: string }> {
  const state = completedExport(event);
  const { group } = event;
  const key = manifestKey(group.name, state.from, state.cutoff);
  const staging = `${state.destinationPrefix.replace(/\/+$/, '')}/`;
  if (!(await manifestExists(deps, key))) {
    const taskFolder = `${staging}${state.taskId}/`;
    const byStream = groupByStream(await listObjects(deps, taskFolder), taskFolder);
    const emptyStreams = await checkMissingStreams(deps, group, state, byStream);
    const home = exportHome(group.name, state.from, state.cutoff);
    const streams = await copyToHome(deps, byStream, home);
    await putManifest(deps, key, {
      logGroupName: group.name,
      from: new Date(state.from).toISOString(),
      to: new Date(state.cutoff).toISOString(),
      exportTaskId: state.taskId,
      taskName: state.taskName,
      verifiedAt: new Date(deps.now()).toISOString(),
      prefix: home,
      streams,
      emptyStreams: emptyStreams.sort(),
    });
    logger.info('export verified', { group: group.name, manifestKey: key, streams: streams.length });
  }
  await deleteStaging(deps, staging);
  return { ...event, manifestKey: key };
}

export const handler = makeHandler('verify export', (event: GroupProgress) =>
  verifyExport(event, { logs: logsClient(), s3: s3Client(), bucket: config().archiveBucket, now: Date.now }),
);
