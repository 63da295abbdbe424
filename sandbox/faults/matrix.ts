// The fault matrix: every side-effecting call the workflow and the forwarder make, each made to
// die before and after it is applied. One row per call; the scenarios are the rows × when.
import type { S3CrashRule } from '../s3-fault-proxy';
import type { SeedCrash } from '../seed-format/types';
import type { CrashWhen } from './crash-proxy';
import type { ForwardCrashRule, SlackCrashRule } from './sandbox-crashes';
import { LOG_GROUP, STREAMS } from './world';

/**
 * `archive`: the state machine, crashed run then re-run. `forward`: the samples, Lambda's
 * retries, then the replay. `rds-event`: one RDS event captured, with Lambda's retries.
 */
export type Flow = 'archive' | 'forward' | 'rds-event';

type Crash<T> = Omit<T, 'when'>;

export interface MatrixRow {
  /** The call, as the matrix table shows it. */
  readonly call: string;
  readonly flow: Flow;
  readonly s3?: Crash<S3CrashRule>;
  readonly cloudwatch?: Crash<Omit<SeedCrash, 'times'>>;
  readonly slack?: Crash<SlackCrashRule>;
  readonly forward?: Crash<ForwardCrashRule>;
  /** Seeds a file large enough to go up in parts through a staging key. */
  readonly large?: boolean;
  /** The backend refuses the first sample's documents, so they are stored under forward-failed/. */
  readonly backendDownFirst?: boolean;
}

export interface FaultScenario extends MatrixRow {
  /** Unique: `{call} {when}`. */
  readonly name: string;
  readonly when: CrashWhen | 'never';
}

const s3 = (
  operation: S3CrashRule['operation'],
  target: S3CrashRule['target'],
  extra: Partial<MatrixRow> & { resourceIncludes?: string } = {},
): MatrixRow => {
  const { resourceIncludes, ...row } = extra;
  const on = resourceIncludes === undefined ? '' : ` (${resourceIncludes})`;
  return {
    call: `S3 ${operation} ${target}${on}`,
    flow: 'archive',
    s3: { operation, target, ...(resourceIncludes === undefined ? {} : { resourceIncludes }) },
    ...row,
  };
};

const logs = (operation: SeedCrash['operation'], logStreamName?: string): MatrixRow => ({
  call: `CloudWatch Logs ${operation}${logStreamName ? ` (${logStreamName})` : ''}`,
  flow: 'archive',
  cloudwatch: { operation, logGroupName: LOG_GROUP, ...(logStreamName ? { logStreamName } : {}) },
});

const slack = (operation: string): MatrixRow => ({
  call: `Slack ${operation}`,
  flow: 'archive',
  slack: { operation, target: 'slack' },
});

export const MATRIX_ROWS: readonly MatrixRow[] = [
  // The archive of RDS log files.
  s3('PutObject', 'archive'),
  s3('CreateMultipartUpload', 'staging', { large: true }),
  s3('UploadPart', 'staging', { large: true }),
  s3('CompleteMultipartUpload', 'staging', { large: true }),
  s3('CopyObject', 'archive', { large: true }),
  s3('DeleteObject', 'staging', { large: true }),
  s3('PutObject', 'parsed'),
  // The run's own state and report.
  s3('PutObject', 'runs', { resourceIncludes: '/plans/' }),
  s3('PutObject', 'runs', { resourceIncludes: '/results/' }),
  s3('PutObject', 'runs', { resourceIncludes: '/trim-plan.json' }),
  s3('PutObject', 'runs', { resourceIncludes: '/streams/' }),
  s3('PutObject', 'runs', { resourceIncludes: '/report.json' }),
  // CloudWatch Logs: the export, its verification and move, the trim.
  logs('CreateExportTask'),
  s3('PutObject', 'exports', { resourceIncludes: '/task.json' }),
  s3('CopyObject', 'cloudwatch'),
  s3('PutObject', 'cloudwatch', { resourceIncludes: '/manifest.json' }),
  s3('DeleteObjects', 'exports'),
  s3('PutObject', 'checkpoints', { resourceIncludes: '/events.json' }),
  s3('PutObject', 'checkpoints', { resourceIncludes: '/progress.json' }),
  logs('DeleteLogStream', STREAMS.rewritten),
  logs('DeleteLogStream', STREAMS.deleted),
  logs('CreateLogStream', STREAMS.rewritten),
  logs('PutLogEvents', STREAMS.rewritten),
  // The run's notification.
  slack('webhook'),
  slack('files.getUploadURLExternal'),
  slack('files.completeUploadExternal'),
  // RDS event notifications.
  { ...s3('PutObject', 'rds-events', { resourceIncludes: '.json' }), flow: 'rds-event' },
  { ...s3('PutObject', 'rds-events', { resourceIncludes: '.posted' }), flow: 'rds-event' },
  { ...slack('webhook'), call: 'Slack webhook (RDS event)', flow: 'rds-event' },
  // Forwarding.
  { call: 'forward _bulk', flow: 'forward', forward: { operation: '_bulk', target: 'forward' } },
  {
    call: 'S3 PutObject forward-failed',
    flow: 'forward',
    s3: { operation: 'PutObject', target: 'forward-failed' },
    backendDownFirst: true,
  },
  {
    call: 'S3 DeleteObject forward-failed',
    flow: 'forward',
    s3: { operation: 'DeleteObject', target: 'forward-failed' },
    backendDownFirst: true,
  },
];

/** Runs without a crash: they show the checks hold on an undisturbed run, so a pass means something. */
const CONTROLS: readonly FaultScenario[] = [
  { name: 'control archive', call: 'none (archive)', flow: 'archive', when: 'never', large: true },
  { name: 'control forward', call: 'none (forward)', flow: 'forward', when: 'never', backendDownFirst: true },
  { name: 'control rds-event', call: 'none (RDS event)', flow: 'rds-event', when: 'never' },
];

export const FAULT_SCENARIOS: readonly FaultScenario[] = [
  ...CONTROLS,
  ...MATRIX_ROWS.flatMap((row) =>
    (['before', 'after'] as const).map((when) => ({ ...row, name: `${row.call} ${when}`, when })),
  ),
];

/**
 * Scenarios that fail today, and the invariants they break, because of a gap in the product
 * rather than in the matrix (docs/faults.md, "Findings"). They still count as failed; the e2e
 * test pins exactly these violations, so a fix (or a new violation) shows at once.
 */
export const KNOWN_FINDINGS: Readonly<Record<string, readonly string[]>> = {
  // Summarize Run wrote report.json (status succeeded) and then died: the execution fails as
  // Run Could Not Report, and nothing corrects the report.
  'S3 PutObject runs (/report.json) after': ['failed-run-named'],
  // The posted marker is written after the post: a delivery that dies in between is retried by
  // Lambda and posts the event again (at least once, never lost).
  'Slack webhook (RDS event) after': ['slack-once-or-reported'],
};
