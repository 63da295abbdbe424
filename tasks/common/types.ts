import type { CloudWatchScope } from './cloudwatch-types';

/** The log types the archive knows, named as the RDS log folders (PostgreSQL logs live under error/). */
export const LOG_TYPES = ['audit', 'slowquery', 'error', 'general', 'postgresql'] as const;
export type LogType = (typeof LOG_TYPES)[number];

/** What Resolve Run decides once; every later state carries it unchanged. */
export interface RunContext {
  readonly runId: string;
  readonly executionId: string;
  readonly mode: 'scheduled' | 'manual';
  /** Scheduled runs: the time EventBridge Scheduler fired. */
  readonly scheduledTime?: string;
  /** Manual runs: archive files whose last write lies in [from, to]. */
  readonly from?: string;
  readonly to?: string;
  /** The execution's start time (ISO-8601). */
  readonly startedAt: string;
  readonly clusters: readonly string[];
  readonly instances: readonly string[];
  readonly logTypes: readonly LogType[];
  readonly dryRun: boolean;
  /** Key prefix of this run's plans, results and report in the archive bucket. */
  readonly reportPrefix: string;
  /** The CloudWatch Logs export and trim branch's scope. */
  readonly cloudwatch: CloudWatchScope;
}

export interface InstanceRef {
  readonly instanceId: string;
  /** The cluster id, or the instance id for a standalone instance (the key's first segment). */
  readonly clusterId: string;
  readonly engine: string;
}

export interface UnavailableSource {
  readonly kind: 'cluster' | 'instance';
  readonly id: string;
  readonly reason: string;
}

export type ArchiveReason = 'new' | 'grew since archived' | 'changed since archived' | 'parsed records missing';

export interface PlannedFile {
  readonly name: string;
  readonly logType: LogType;
  readonly size: number;
  readonly lastWritten: number;
  readonly key: string;
  readonly reason: ArchiveReason;
}

export interface SkippedFile {
  readonly name: string;
  readonly reason: string;
}

/** The per-instance plan List Log Files writes to S3 (too large for a state payload). */
export interface InstancePlan {
  readonly instance: InstanceRef;
  readonly status: 'listed' | 'not found' | 'paused';
  readonly listedAt: string;
  readonly files: readonly PlannedFile[];
  readonly skipped: readonly SkippedFile[];
  /** Files left for the next run because of maxFilesPerInstance. */
  readonly deferred: number;
}

export interface FileResult {
  readonly name: string;
  readonly logType: LogType;
  readonly key: string;
  readonly status: 'archived' | 'skipped' | 'failed';
  readonly reason: string;
  readonly sourceBytes?: number;
  readonly archivedBytes?: number;
  readonly sha256?: string;
  /** Set when the downloaded byte count disagrees with the listed size. */
  readonly sizeNote?: string;
}

/** The state payload of one instance's iteration: small, the file list stays in S3. */
export interface InstanceProgress {
  readonly run: RunContext;
  readonly instance: InstanceRef;
  readonly planKey: string;
  readonly cursor: number;
  readonly total: number;
  readonly done: boolean;
  /** How the listing went: 'listed', or why the instance could not be listed. */
  readonly listing?: InstancePlan['status'];
}
