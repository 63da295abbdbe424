import { s3Client } from './common/clients';
import {
  type CloudWatchBranchResult,
  cloudWatchFailed,
  cloudWatchMessage,
  cloudWatchReport,
} from './common/cloudwatch-report';
import { mapInOrder } from './common/concurrency';
import { config } from './common/config';
import { makeHandler } from './common/handler';
import { type RunStore, s3RunStore } from './common/run-store';
import type { FileResult, InstancePlan, RunContext, UnavailableSource } from './common/types';

interface InstanceOutcome {
  readonly instanceId: string;
  readonly clusterId: string;
  readonly status: 'done' | 'failed';
  readonly error?: string;
}

/** The whole state at the end of the run, on the success path or after a caught failure. */
export interface SummarizeRunInput {
  readonly state: {
    readonly run: RunContext;
    readonly archive?: {
      readonly unavailable: UnavailableSource[];
      readonly instances: InstanceOutcome[];
      readonly cloudwatch?: CloudWatchBranchResult;
    };
    readonly failure?: { readonly Error: string; readonly Cause?: string };
  };
}

export interface RunSummary {
  readonly status: 'succeeded' | 'failed';
  readonly message: string;
  readonly runId: string;
  readonly dryRun: boolean;
  readonly reportKey: string;
  readonly instances: number;
  readonly archivedFiles: number;
  readonly archivedBytes: number;
  readonly compressedBytes: number;
  readonly plannedFiles: number;
  readonly skippedFiles: number;
  readonly failedFiles: number;
  readonly failedInstances: number;
  readonly unavailable: number;
  readonly logGroups: number;
  readonly failedLogGroups: number;
  readonly trimmedStreams: number;
  readonly skippedStreams: number;
  readonly failedStreams: number;
}

/** Items listed by name in the report; the rest is counted. */
const LISTED_ITEMS = 200;

type Tally = Record<string, Record<string, { files: number; bytes: number }>>;

function addTo(tally: Tally, instanceId: string, logType: string, bytes: number) {
  const perInstance = tally[instanceId] ?? {};
  const entry = perInstance[logType] ?? { files: 0, bytes: 0 };
  perInstance[logType] = { files: entry.files + 1, bytes: entry.bytes + bytes };
  tally[instanceId] = perInstance;
}

async function readInstance(store: RunStore, run: RunContext, outcome: InstanceOutcome) {
  const planKey = `${run.reportPrefix}/plans/${outcome.instanceId}.json`;
  const plan = outcome.status === 'done' ? await store.getJson<InstancePlan>(planKey) : undefined;
  const resultKeys = await store.listKeys(`${run.reportPrefix}/results/${outcome.instanceId}/`);
  const results = (await mapInOrder(resultKeys, 8, (key) => store.getJson<FileResult[]>(key))).flat();
  return { outcome, plan, results };
}

/** Aggregate plans and results into the run report (S3) and a small summary (execution output). */
export async function summarizeRun(event: SummarizeRunInput, store: RunStore): Promise<RunSummary> {
  const { run, archive, failure } = event.state;
  const outcomes = archive?.instances ?? [];
  const instances = await mapInOrder(outcomes, 8, (outcome) => readInstance(store, run, outcome));
  const archived: Tally = {};
  const skippedByReason: Record<string, number> = {};
  const failedFiles: { instanceId: string; name: string; reason: string }[] = [];
  const sizeNotes: { instanceId: string; name: string; note: string }[] = [];
  let archivedBytes = 0;
  let compressedBytes = 0;
  let plannedFiles = 0;
  for (const { outcome, plan, results } of instances) {
    plannedFiles += plan?.files.length ?? 0;
    for (const skipped of plan?.skipped ?? [])
      skippedByReason[skipped.reason] = (skippedByReason[skipped.reason] ?? 0) + 1;
    if (plan && plan.status !== 'listed')
      skippedByReason[`instance ${plan.status}`] = (skippedByReason[`instance ${plan.status}`] ?? 0) + 1;
    for (const result of results) {
      if (result.status === 'archived') {
        addTo(archived, outcome.instanceId, result.logType, result.sourceBytes ?? 0);
        archivedBytes += result.sourceBytes ?? 0;
        compressedBytes += result.archivedBytes ?? 0;
        if (result.sizeNote)
          sizeNotes.push({ instanceId: outcome.instanceId, name: result.name, note: result.sizeNote });
      } else if (result.status === 'skipped') {
        skippedByReason[result.reason] = (skippedByReason[result.reason] ?? 0) + 1;
      } else {
        failedFiles.push({ instanceId: outcome.instanceId, name: result.name, reason: result.reason });
      }
    }
  }
  const failedInstances = outcomes.filter((outcome) => outcome.status === 'failed');
  const archivedFiles = Object.values(archived).reduce(
    (sum, types) => sum + Object.values(types).reduce((s, t) => s + t.files, 0),
    0,
  );
  const skippedFiles = Object.values(skippedByReason).reduce((sum, count) => sum + count, 0);
  const cloudwatch = await cloudWatchReport(store, run, archive?.cloudwatch);
  const failed =
    Boolean(failure) || failedFiles.length > 0 || failedInstances.length > 0 || cloudWatchFailed(cloudwatch);
  const filesMessage = `${run.dryRun ? `dry run: ${plannedFiles} files would be archived` : `${archivedFiles} files archived`}, ${skippedFiles} skipped, ${failedFiles.length} failed, ${failedInstances.length} instances failed`;
  const message = failure
    ? `run failed: ${failure.Error}: ${(failure.Cause ?? '').slice(0, 300)}`
    : [filesMessage, cloudWatchMessage(cloudwatch, run.dryRun)].filter(Boolean).join('; ');
  const reportKey = `${run.reportPrefix}/report.json`;
  await store.putJson(reportKey, {
    run,
    status: failed ? 'failed' : 'succeeded',
    message,
    finishedAt: new Date().toISOString(),
    failure,
    totals: {
      archivedFiles,
      archivedBytes,
      compressedBytes,
      plannedFiles,
      skippedFiles,
      failedFiles: failedFiles.length,
    },
    archived,
    skippedByReason,
    failedFiles: failedFiles.slice(0, LISTED_ITEMS),
    failedFilesNotListed: Math.max(0, failedFiles.length - LISTED_ITEMS),
    failedInstances,
    sizeNotes: sizeNotes.slice(0, LISTED_ITEMS),
    unavailable: archive?.unavailable ?? [],
    cloudwatch,
  });
  return {
    status: failed ? 'failed' : 'succeeded',
    message,
    runId: run.runId,
    dryRun: run.dryRun,
    reportKey,
    instances: outcomes.length,
    archivedFiles,
    archivedBytes,
    compressedBytes,
    plannedFiles,
    skippedFiles,
    failedFiles: failedFiles.length,
    failedInstances: failedInstances.length,
    unavailable: archive?.unavailable.length ?? 0,
    logGroups: cloudwatch.totals.logGroups,
    failedLogGroups: cloudwatch.totals.failedGroups,
    trimmedStreams: cloudwatch.totals.trimmedStreams,
    skippedStreams: cloudwatch.totals.skippedStreams,
    failedStreams: cloudwatch.totals.failedStreams,
  };
}

export const handler = makeHandler('summarize run', (event: SummarizeRunInput) =>
  summarizeRun(event, s3RunStore(s3Client(), config().archiveBucket)),
);
