// What must hold after a crash and a re-run, read back from s3rver and the stand-ins
// independently of the product's own bookkeeping. Each check returns the violations it found.
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { type ArchivedObject, sha256Of } from '../checks/archive-check';
import { type LogsContent, missingFrom, multiset } from '../checks/cloudwatch-check';
import type { LocalRunResult } from '../local-runner';
import { keyClass } from '../s3-fault-proxy';
import type { Sandbox } from '../sandbox';
import type { Seed } from '../seed';
import type { FaultBucket } from './bucket';

export interface Violation {
  readonly invariant: string;
  readonly detail: string;
}

/** One execution of the scenario, with what the state machine handed to its last states. */
export interface RecordedRun {
  readonly executionName: string;
  readonly result: LocalRunResult;
  /** The input of Run Outcome: the summary, with `notified` or `notificationError`. */
  readonly outcomeInput?: { notified?: unknown; notificationError?: unknown };
  /** The texts of the Slack messages posted while the run went on. */
  readonly slackTexts: readonly string[];
}

const violation = (invariant: string, detail: string): Violation => ({ invariant, detail });

/** Every object under an archive key (not the bucket's own prefixes), read back and gunzipped. */
export async function archiveObjects(bucket: FaultBucket): Promise<ArchivedObject[]> {
  const keys = (await bucket.list('')).map((item) => item.key).filter((key) => keyClass(key) === 'archive');
  const objects: ArchivedObject[] = [];
  for (const key of keys) {
    const { body, metadata } = await bucket.object(key);
    let content: Buffer;
    try {
      content = gunzipSync(body);
    } catch {
      content = Buffer.alloc(0);
    }
    objects.push({
      key,
      instance: metadata['source-instance'] ?? '',
      file: metadata['source-file'] ?? '',
      metadata,
      contentSha256: createHash('sha256').update(content).digest('hex'),
      contentBytes: content.length,
    });
  }
  return objects;
}

/** Every seeded file is archived once, byte-exact; no two archive objects hold one source. */
export async function archivedExactlyOnce(seed: Seed, archive: readonly ArchivedObject[]): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const file of seed.files) {
    const copies = archive.filter((object) => object.instance === file.instance && object.file === file.name);
    const name = `${file.instance}/${file.name}`;
    if (copies.length !== 1) {
      found.push(violation('archived-exactly-once', `${name}: ${copies.length} archive objects`));
      continue;
    }
    const expected = await sha256Of(file);
    if (copies[0]?.contentSha256 !== expected) {
      found.push(violation('archived-exactly-once', `${name}: content sha256 differs from the source`));
    }
  }
  return found;
}

/** Each archive object is whole: its content matches the source size and sha256 its metadata records. */
export function noPartialObject(archive: readonly ArchivedObject[]): Violation[] {
  return archive.flatMap((object) => {
    const size = Number(object.metadata['source-size'] ?? -1);
    const sha = object.metadata['source-sha256'];
    if (object.contentBytes === size && object.contentSha256 === sha) return [];
    return [
      violation(
        'no-partial-archive-object',
        `${object.key}: ${object.contentBytes} bytes (metadata says ${size}), sha256 ${sha === object.contentSha256 ? 'matches' : 'differs'}`,
      ),
    ];
  });
}

/**
 * Each archived file of a parsed log type has its parsed records, made from the archived
 * version. Archive keys are `{cluster}/{logType}/…`.
 */
export async function parsedFromArchive(
  bucket: FaultBucket,
  archive: readonly ArchivedObject[],
  parsedTypes: readonly string[],
): Promise<Violation[]> {
  const parsedKeys = new Set((await bucket.list('parsed/')).map((item) => item.key));
  const found: Violation[] = [];
  for (const object of archive.filter((item) => parsedTypes.includes(item.key.split('/')[1] ?? ''))) {
    const key = `parsed/${object.key.replace(/\.gz$/, '')}.ndjson.gz`;
    if (!parsedKeys.has(key)) {
      found.push(violation('parsed-matches-archive', `${object.key}: no parsed records`));
      continue;
    }
    const { metadata } = await bucket.object(key);
    if (metadata['parsed-from-sha256'] !== object.metadata['source-sha256']) {
      found.push(violation('parsed-matches-archive', `${key}: made from another version of the source`));
    }
  }
  return found;
}

/** Events of a group by stream, as `timestamp message` multisets. */
type EventSets = Record<string, string[]>;

async function exportedEvents(bucket: FaultBucket, group: string): Promise<EventSets> {
  const manifests = (await bucket.list(`cloudwatch/${group.replace(/^\/+/, '')}/`))
    .map((item) => item.key)
    .filter((key) => key.endsWith('/manifest.json'));
  const exported: EventSets = {};
  for (const manifest of manifests) {
    for (const [stream, events] of Object.entries(await bucket.exportedEvents(manifest))) {
      exported[stream] = [...(exported[stream] ?? []), ...multiset(events)];
    }
  }
  return exported;
}

/**
 * Every seeded event is in its stream or in a verified export (nothing lost); none is in its
 * stream, or across the exports, more often than it was seeded (nothing duplicated); and the
 * streams end as an uninterrupted run leaves them: exactly the events at or after the cutoff.
 */
export async function cloudWatchEvents(
  sandbox: Sandbox,
  bucket: FaultBucket,
  seeded: LogsContent,
  cutoff: number,
): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const [group, streams] of Object.entries(seeded)) {
    const exported = await exportedEvents(bucket, group);
    for (const [stream, events] of Object.entries(streams)) {
      const wanted = multiset(events);
      const stored = multiset(sandbox.cloudwatch.events(group, stream) ?? []);
      const inExports = exported[stream] ?? [];
      const where = `${group} ▸ ${stream}`;
      const lost = missingFrom([...stored, ...inExports], wanted);
      if (lost.length > 0) found.push(violation('cloudwatch-nothing-lost', `${where}: ${lost.length} events lost`));
      const storedTwice = missingFrom(wanted, stored);
      const exportedTwice = missingFrom(wanted, inExports);
      if (storedTwice.length + exportedTwice.length > 0) {
        const counts = `${storedTwice.length} extra in the stream, ${exportedTwice.length} extra in exports`;
        found.push(violation('cloudwatch-nothing-duplicated', `${where}: ${counts}`));
      }
      const kept = multiset(events.filter((event) => event.timestamp >= cutoff));
      if (missingFrom(stored, kept).length + missingFrom(kept, stored).length > 0) {
        const detail = `${where}: holds ${stored.length} events, expected the ${kept.length} at or after the cutoff`;
        found.push(violation('cloudwatch-trimmed-as-uninterrupted', detail));
      }
    }
  }
  return found;
}

interface ReportView {
  readonly status?: string;
  readonly message?: string;
}

async function reportOf(bucket: FaultBucket, executionName: string): Promise<ReportView | undefined> {
  const key = (await bucket.list('_runs/')).find((item) => item.key.endsWith(`/${executionName}/report.json`))?.key;
  return key === undefined ? undefined : bucket.json<ReportView>(key);
}

/**
 * The crashed run's report tells its outcome (a failed execution names its error, and its
 * report, when one was written, says failed and why); the re-run succeeds and says so.
 */
export async function reportsTellTheTruth(bucket: FaultBucket, crashed: RecordedRun, rerun: RecordedRun) {
  const found: Violation[] = [];
  const first = await reportOf(bucket, crashed.executionName);
  if (crashed.result.status === 'FAILED') {
    if (!crashed.result.error)
      found.push(violation('failed-run-named', 'the crashed run failed without an error name'));
    if (first && (first.status !== 'failed' || !first.message)) {
      found.push(violation('failed-run-named', `the crashed run failed but its report says ${first.status}`));
    }
  } else if (first?.status !== 'succeeded') {
    found.push(violation('failed-run-named', `the crashed run succeeded but its report says ${first?.status}`));
  }
  const second = await reportOf(bucket, rerun.executionName);
  if (rerun.result.status !== 'SUCCEEDED' || second?.status !== 'succeeded') {
    const detail = `re-run ${rerun.result.status} (${rerun.result.error ?? 'no error'}: ${(rerun.result.cause ?? '').slice(0, 200)}), report says ${second?.status}`;
    found.push(violation('rerun-succeeds', detail));
  }
  return found;
}

/**
 * Each run's report (or failure alert) and graphs reached Slack at most once; a run that posted
 * none says so: a notification error in its outcome, or an execution failed by name.
 */
export function slackOnceOrReported(runs: readonly RecordedRun[]): Violation[] {
  const found: Violation[] = [];
  for (const run of runs) {
    const reports = run.slackTexts.filter((text) => text.startsWith('RDS log archive run ')).length;
    const graphs = run.slackTexts.filter((text) => text.startsWith('Metric graphs of run ')).length;
    if (reports > 1 || graphs > 1) {
      found.push(
        violation('slack-once-or-reported', `${run.executionName}: ${reports} reports, ${graphs} graph posts`),
      );
    }
    const told =
      run.outcomeInput?.notificationError !== undefined || (run.result.status === 'FAILED' && run.result.error);
    if (reports === 0 && !told) {
      found.push(
        violation('slack-once-or-reported', `${run.executionName}: no report posted and no notification error`),
      );
    }
  }
  return found;
}
