/**
 * The CloudWatch Logs branch's shared shapes: what travels in state payloads (small) and what
 * lives in the archive bucket (plans, manifests, checkpoints). Layout and rules: docs/cloudwatch.md.
 */
import type { RunContext } from './types';

/** How streams are trimmed once their events before the cutoff are in a verified export. */
export const TRIM_MODES = ['rewrite', 'retention', 'delete-exported', 'none'] as const;
export type TrimMode = (typeof TRIM_MODES)[number];

/** CloudWatch Logs can take up to 12 hours to make ingested events exportable. */
export const EXPORTABLE_AFTER_MS = 12 * 3_600_000;

/** What Resolve Run decides for the CloudWatch branch; carried in RunContext.cloudwatch. */
export interface CloudWatchScope {
  /** Log group names, or prefixes written with a trailing `*` (e.g. `/aws/rds/cluster/*`). */
  readonly logGroups: readonly string[];
  /** Export range start, inclusive (ISO-8601). */
  readonly from: string;
  /** The cutoff, ISO-8601: the export range ends just before it; trimming removes only events before it. */
  readonly cutoff: string;
  readonly trimMode: TrimMode;
  /** Trim streams written to within the quiet period too. */
  readonly force: boolean;
  /** Set when the branch does nothing this run, with the reason (e.g. no log groups configured). */
  readonly skipped?: string;
}

export interface LogGroupRef {
  readonly name: string;
  readonly arn?: string;
  /** Undefined: never expire. */
  readonly retentionInDays?: number;
  /** The group has an activated data protection policy: events read back masked unless unmasked. */
  readonly dataProtected: boolean;
}

export type ExportStatus =
  | 'slot-busy'
  | 'PENDING'
  | 'RUNNING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED'
  | 'PENDING_CANCEL'
  | 'dry-run';

/** The export's state between polls (state payload). Times are epoch ms. */
export interface ExportState {
  /** Derived from group and range: a re-run finds its own task by it. */
  readonly taskName: string;
  readonly taskId?: string;
  readonly status: ExportStatus;
  readonly statusMessage?: string;
  /** Range start, inclusive. */
  readonly from: number;
  /** The cutoff: the export covers events with timestamps before it (CreateExportTask `to` = cutoff - 1). */
  readonly cutoff: number;
  /** Where CloudWatch Logs writes the objects before Verify Export moves them to the stable layout. */
  readonly destinationPrefix: string;
  /** When the first attempt to start this export was made (ISO-8601). */
  readonly firstTriedAt: string;
  /** When the task was started or found (ISO-8601). */
  readonly startedAt?: string;
  /** Seconds the next Wait state waits. */
  readonly waitSeconds: number;
  /** Times CreateExportTask met LimitExceededException so far. */
  readonly slotAttempts: number;
}

/** One log group's iteration of the export map (state payload). */
export interface GroupProgress {
  readonly run: RunContext;
  readonly group: LogGroupRef;
  readonly export?: ExportState;
  /** Set by Verify Export. */
  readonly manifestKey?: string;
  /** Set by Plan Trim: the streams the Trim Each Stream map visits. */
  readonly trim?: TrimWork;
}

export interface TrimWork {
  readonly planKey: string;
  readonly mode: TrimMode;
  /** Stream names with something to do (delete, rewrite or resume). */
  readonly streams: readonly string[];
  /** Streams left for the next run because of the per-run cap. */
  readonly deferred: number;
}

/** The verified export of one group and range, beside its objects in the stable layout. */
export interface ExportManifest {
  readonly logGroupName: string;
  /** ISO-8601, inclusive. */
  readonly from: string;
  /** ISO-8601, exclusive (the cutoff). */
  readonly to: string;
  readonly exportTaskId: string;
  readonly taskName: string;
  readonly verifiedAt: string;
  /** Key prefix of this export's objects: `cloudwatch/{group}/{YYYY}/{MM}/{DD}/{rangeId}/`. */
  readonly prefix: string;
  readonly streams: readonly { readonly name: string; readonly objects: readonly { key: string; size: number }[] }[];
  /** Streams that existed in the range but held no events in it (checked one by one). */
  readonly emptyStreams: readonly string[];
}

export type StreamAction = 'leave' | 'delete' | 'rewrite' | 'resume' | 'skip';

export interface PlannedStream {
  readonly name: string;
  readonly action: StreamAction;
  readonly reason: string;
  readonly firstEventTimestamp?: number;
  readonly lastEventTimestamp?: number;
  readonly lastIngestionTime?: number;
}

/** Plan Trim's decision per stream, in the run's report prefix. */
export interface TrimPlan {
  readonly group: LogGroupRef;
  readonly mode: TrimMode;
  /** ISO-8601. */
  readonly cutoff: string;
  readonly manifestKey?: string;
  readonly streams: readonly PlannedStream[];
  /** Set in `retention` mode. */
  readonly retention?: { readonly before?: number; readonly after?: number; readonly reason: string };
}

export type StreamOutcomeStatus = 'deleted' | 'rewritten' | 'untouched' | 'skipped' | 'refused' | 'failed';

/** One stream's outcome: Trim Stream's output and its result object. */
export interface StreamOutcome {
  readonly stream: string;
  readonly status: StreamOutcomeStatus;
  readonly reason: string;
  /** Events at or after the cutoff that were put back. */
  readonly keptEvents?: number;
  readonly putCalls?: number;
}

/** One log event as GetLogEvents returns it and PutLogEvents takes it. */
export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/**
 * The kept events of a stream, written to S3 before the stream is deleted, and the progress of
 * putting them back. Keyed by group, cutoff and stream, not by execution: a re-run resumes it.
 */
export interface TrimCheckpoint {
  readonly logGroupName: string;
  readonly stream: string;
  /** ISO-8601. */
  readonly cutoff: string;
  readonly createdAt: string;
  readonly events: readonly LogEvent[];
}

export interface TrimProgress {
  readonly phase: 'checkpointed' | 'deleted' | 'recreated' | 'done' | 'abandoned';
  /** Batches (from packBatches over the checkpoint's events) put and confirmed. */
  readonly batchesDone: number;
  /** A batch whose PutLogEvents call was made but not confirmed: check the stream before putting it again. */
  readonly batchInFlight?: number;
  readonly updatedAt: string;
}
