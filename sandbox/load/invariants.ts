// The promises a load run must keep, read back from the sandbox independently of the run's own
// report: every closed file archived byte-exact exactly once; every CloudWatch event still in
// its stream once or in the verified export of its range; the report telling the same story.
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mapInOrder } from '../../tasks/common/concurrency';
import {
  CHECKPOINTS_PREFIX,
  CLOUDWATCH_PREFIX,
  EXPORTS_PREFIX,
  FORWARD_FAILED_PREFIX,
  PARSED_PREFIX,
  RUNS_PREFIX,
  STAGING_PREFIX,
} from '../../tasks/common/layout';
import {
  type BucketReader,
  contentMultisets,
  filterContent,
  type LogsContent,
  logsContent,
  manifestKeyFor,
  missingFrom,
  multiset,
} from '../checks/cloudwatch-check';
import { sandboxS3ClientConfig } from '../credentials';
import type { Sandbox } from '../sandbox';
import { openContent, type SeedFile } from '../seed';

const NOT_LOG_FILES = [
  RUNS_PREFIX,
  STAGING_PREFIX,
  CLOUDWATCH_PREFIX,
  EXPORTS_PREFIX,
  CHECKPOINTS_PREFIX,
  PARSED_PREFIX,
  FORWARD_FAILED_PREFIX,
];

export interface Invariant {
  readonly name: string;
  readonly held: boolean;
  /** What was counted, and the first few problems when it did not hold. */
  readonly detail: string;
}

const first = (problems: readonly string[]) =>
  problems.length === 0 ? '' : `; ${problems.length} problems: ${problems.slice(0, 5).join('; ')}`;

async function sha256(chunks: AsyncIterable<unknown>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of chunks) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The archived objects by `instance ▸ file` (from their metadata), each body gunzipped and hashed as it streams. */
async function archivedHashes(sandbox: Sandbox, bucket: BucketReader): Promise<Map<string, string[]>> {
  const s3 = new S3Client(sandboxS3ClientConfig(sandbox.s3.endpoint, sandbox.rds.region));
  const keys = (await bucket.list(''))
    .map((item) => item.key)
    .filter((key) => !NOT_LOG_FILES.some((p) => key.startsWith(p)));
  const found = new Map<string, string[]>();
  await mapInOrder(keys, 16, async (key) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: sandbox.bucket, Key: key }));
    const body = object.Body as NodeJS.ReadableStream;
    const digest = await sha256(body.pipe(createGunzip()));
    const id = `${object.Metadata?.['source-instance'] ?? '?'} ▸ ${object.Metadata?.['source-file'] ?? key}`;
    found.set(id, [...(found.get(id) ?? []), digest]);
  });
  s3.destroy();
  return found;
}

/** Every expected file once, with its exact bytes; nothing else in the archive. */
export async function archiveInvariant(
  sandbox: Sandbox,
  bucket: BucketReader,
  expected: readonly SeedFile[],
): Promise<Invariant & { archived: number }> {
  const found = await archivedHashes(sandbox, bucket);
  const problems: string[] = [];
  const wanted = new Set<string>();
  await mapInOrder(expected, 16, async (file) => {
    const id = `${file.instance} ▸ ${file.name}`;
    wanted.add(id);
    const digests = found.get(id) ?? [];
    if (digests.length !== 1) problems.push(`${id} archived ${digests.length} times`);
    else if (digests[0] !== (await sha256(openContent(file)))) problems.push(`${id} differs from its source`);
  });
  for (const id of found.keys()) if (!wanted.has(id)) problems.push(`${id} archived but not expected`);
  const archived = [...found.values()].reduce((sum, digests) => sum + digests.length, 0);
  return {
    name: 'every closed file archived byte-exact exactly once',
    held: problems.length === 0,
    detail: `${archived} objects for ${expected.length} expected files${first(problems)}`,
    archived,
  };
}

/** The difference of two multisets both ways, as problems naming the stream. */
function compare(where: string, actual: readonly string[], wanted: readonly string[]): string[] {
  const lost = missingFrom(actual, wanted);
  const extra = missingFrom(wanted, actual);
  return [
    ...(lost.length > 0 ? [`${where}: ${lost.length} events lost`] : []),
    ...(extra.length > 0 ? [`${where}: ${extra.length} events duplicated or unexpected`] : []),
  ];
}

/**
 * Events older than the cutoff are in the verified export of [from, cutoff) and nowhere else;
 * the others are still in their stream, once.
 */
export async function cloudWatchInvariant(
  sandbox: Sandbox,
  bucket: BucketReader,
  seeded: LogsContent,
  range: { from: number; cutoff: number },
): Promise<Invariant> {
  const groups = Object.keys(seeded);
  const problems: string[] = [];
  const kept = contentMultisets(filterContent(seeded, (event) => event.timestamp >= range.cutoff));
  const now = contentMultisets(logsContent(sandbox, groups));
  const old = contentMultisets(filterContent(seeded, (event) => event.timestamp < range.cutoff));
  let events = 0;
  for (const group of groups) {
    const streams = new Set([...Object.keys(kept[group] ?? {}), ...Object.keys(now[group] ?? {})]);
    for (const stream of streams) {
      problems.push(...compare(`${group} ▸ ${stream}`, now[group]?.[stream] ?? [], kept[group]?.[stream] ?? []));
    }
    const exported: Record<string, { timestamp: number; message: string }[]> = await bucket
      .exportedEvents(manifestKeyFor(group, range.from, range.cutoff))
      .catch((error: Error) => {
        problems.push(`${group}: no verified export (${error.message})`);
        return {};
      });
    const streamsOut = new Set([...Object.keys(exported), ...Object.keys(old[group] ?? {})]);
    for (const stream of streamsOut) {
      const out = multiset(exported[stream] ?? []);
      events += out.length;
      problems.push(...compare(`${group} ▸ ${stream} (export)`, out, old[group]?.[stream] ?? []));
    }
  }
  const staged = await bucket.list(EXPORTS_PREFIX);
  if (staged.length > 0) problems.push(`${staged.length} objects left under ${EXPORTS_PREFIX}`);
  return {
    name: 'every CloudWatch event in its stream once or in a verified export',
    held: problems.length === 0,
    detail: `${groups.length} groups, ${events} events in verified exports${first(problems)}`,
  };
}

/** What the run's report.json says (the parts checked). */
export interface ReportView {
  readonly status: string;
  readonly totals: { readonly archivedFiles: number; readonly failedFiles: number };
  readonly failedFiles: readonly { instanceId: string; name: string; reason: string }[];
  readonly cloudwatch: {
    readonly totals: { logGroups: number; failedGroups: number; trimmedStreams: number; failedStreams: number };
  };
}

export async function readReport(bucket: BucketReader, executionName: string): Promise<ReportView | undefined> {
  const key = (await bucket.list(RUNS_PREFIX))
    .map((item) => item.key)
    .find((item) => item.includes(`/${executionName}/`) && item.endsWith('/report.json'));
  return key === undefined ? undefined : bucket.json<ReportView>(key);
}

export interface ReportExpectation {
  readonly status: 'succeeded' | 'failed';
  readonly archivedFiles: number;
  readonly failedFiles: readonly { instanceId: string; name: string }[];
  readonly logGroups: number;
  readonly trimmedStreams: number;
}

/** The report's figures match what the bucket and the stand-ins show. */
export function reportInvariant(report: ReportView | undefined, expected: ReportExpectation): Invariant {
  const name = 'the run report tells the truth';
  if (report === undefined) return { name, held: false, detail: 'no report.json for the run' };
  const said = {
    status: report.status,
    archivedFiles: report.totals.archivedFiles,
    failedFiles: report.failedFiles.map((file) => ({ instanceId: file.instanceId, name: file.name })),
    logGroups: report.cloudwatch.totals.logGroups,
    trimmedStreams: report.cloudwatch.totals.trimmedStreams,
  };
  const problems = (Object.keys(said) as (keyof typeof said)[])
    .filter((field) => JSON.stringify(said[field]) !== JSON.stringify(expected[field]))
    .map((field) => `${field}: says ${JSON.stringify(said[field])}, expected ${JSON.stringify(expected[field])}`);
  const failedGroups = report.cloudwatch.totals.failedGroups + report.cloudwatch.totals.failedStreams;
  if (failedGroups > 0) problems.push(`${failedGroups} groups or streams failed`);
  return {
    name,
    held: problems.length === 0,
    detail: `${said.status}: ${said.archivedFiles} files archived, ${said.failedFiles.length} failed, ${said.logGroups} groups, ${said.trimmedStreams} streams trimmed${first(problems)}`,
  };
}
