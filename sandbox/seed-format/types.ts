// The parsed seed: what the sandbox stands in for. Paths are absolute and dates are
// normalised ISO-8601 strings, so the rest of the sandbox never looks at raw JSON.

export const AURORA_ENGINES = ['aurora-mysql', 'aurora-postgresql'] as const;
export const INSTANCE_ENGINES = ['mysql', 'mariadb', 'postgres'] as const;
export const MEMBER_STATUSES = ['available', 'paused'] as const;
export const FAULT_OPERATIONS = [
  'DescribeDBClusters',
  'DescribeDBInstances',
  'DescribeDBLogFiles',
  'DownloadCompleteDBLogFile',
] as const;

export type AuroraEngine = (typeof AURORA_ENGINES)[number];
export type InstanceEngine = (typeof INSTANCE_ENGINES)[number];
export type Engine = AuroraEngine | InstanceEngine;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export type FaultOperation = (typeof FAULT_OPERATIONS)[number];

export interface SeedClusterMember {
  readonly instance: string;
  readonly writer: boolean;
  /** `paused` is an auto-paused Aurora Serverless v2 instance. */
  readonly status: MemberStatus;
}

export interface SeedCluster {
  readonly id: string;
  readonly engine: AuroraEngine;
  readonly members: readonly SeedClusterMember[];
}

/** A DB instance outside any cluster (RDS MySQL, MariaDB, PostgreSQL). */
export interface SeedInstance {
  readonly id: string;
  readonly engine: InstanceEngine;
}

export type SeedContent =
  | { readonly fixture: string }
  | { readonly text: string }
  | { readonly generate: { readonly sizeBytes: number; readonly fixture?: string } };

export interface SeedFile {
  readonly instance: string;
  readonly name: string;
  /** ISO-8601; DescribeDBLogFiles reports it as epoch milliseconds. */
  readonly lastWritten: string;
  readonly content: SeedContent;
  /** Text written to the file after the seed was loaded (grow faults, appendToFile). */
  readonly appendedText?: string;
}

export interface SeedReset {
  readonly instance: string;
  readonly file: string;
  readonly afterBytes: number;
  readonly times: number;
}

export type SeedChange =
  | {
      readonly instance: string;
      readonly file: string;
      readonly kind: 'grow';
      readonly appendText: string;
      readonly lastWritten?: string;
      readonly after: 'list';
    }
  | { readonly instance: string; readonly file: string; readonly kind: 'disappear'; readonly after: 'list' };

export interface SeedFailure {
  readonly operation: FaultOperation;
  readonly times: number;
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

export interface SeedFaults {
  /** Fraction (0–1) of all calls answered with a throttling error. */
  readonly throttleRate: number;
  readonly resets: readonly SeedReset[];
  readonly changes: readonly SeedChange[];
  readonly failures: readonly SeedFailure[];
}

export interface Seed {
  readonly region: string;
  readonly clusters: readonly SeedCluster[];
  readonly instances: readonly SeedInstance[];
  readonly files: readonly SeedFile[];
  readonly faults: SeedFaults;
  /** CloudWatch Logs; absent: the account has no log groups. */
  readonly cloudwatch?: SeedCloudWatch;
}

/** The retention periods PutRetentionPolicy accepts, in days. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Operations that name one log group (and so can trigger a writer or narrow a crash by group). */
export const GROUP_OPERATIONS = [
  'DescribeLogStreams',
  'GetLogEvents',
  'PutLogEvents',
  'CreateLogStream',
  'DeleteLogStream',
  'PutRetentionPolicy',
  'DeleteRetentionPolicy',
  'CreateExportTask',
] as const;

/** The CloudWatch Logs operations the stand-in answers: those above, and two that name no group. */
export const LOGS_OPERATIONS = ['DescribeLogGroups', ...GROUP_OPERATIONS, 'DescribeExportTasks'] as const;

/** Operations that name one log stream. */
export const STREAM_OPERATIONS = ['GetLogEvents', 'PutLogEvents', 'CreateLogStream', 'DeleteLogStream'] as const;

export const EXPORT_FAILURES = ['FAILED', 'CANCELLED'] as const;

export type LogsOperation = (typeof LOGS_OPERATIONS)[number];
export type GroupOperation = (typeof GROUP_OPERATIONS)[number];
export type ExportFailure = (typeof EXPORT_FAILURES)[number];

/** Times are relative to the stand-in's clock when it starts, so a seed never goes stale. */
export interface SeedLogEvent {
  readonly hoursAgo: number;
  /** May hold `{mysqlTime}` or `{postgresTime}`: the event's time as those servers print it. */
  readonly message: string;
}

/** One event every `everyMinutes` from `fromHoursAgo` to `toHoursAgo`, cycling through `messages`. */
export interface SeedEventSeries {
  readonly fromHoursAgo: number;
  readonly toHoursAgo: number;
  readonly everyMinutes: number;
  readonly messages: readonly string[];
}

export interface SeedLogStream {
  readonly name: string;
  readonly events: readonly SeedLogEvent[];
  readonly generate?: SeedEventSeries;
}

export interface SeedLogGroup {
  readonly name: string;
  /** Undefined: never expire. */
  readonly retentionInDays?: number;
  /** An activated data protection policy: reads come back masked unless `unmask`. */
  readonly dataProtection: boolean;
  readonly createdHoursAgo: number;
  readonly streams: readonly SeedLogStream[];
}

export interface SeedExportOutcome {
  readonly logGroupName: string;
  readonly status: ExportFailure;
  readonly message: string;
  readonly times: number;
}

/** A writer appending to a stream while the workflow works on it. */
export interface SeedLogWriter {
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly after: GroupOperation;
  readonly times: number;
  readonly message: string;
}

/** The calling process dying just before or just after a call takes effect. */
export interface SeedCrash {
  readonly operation: LogsOperation;
  readonly when: 'before' | 'after';
  readonly times: number;
  readonly logGroupName?: string;
  readonly logStreamName?: string;
}

export interface SeedCloudWatchFaults {
  /** Fraction (0–1) of all calls answered ThrottlingException. */
  readonly throttleRate: number;
  /** CreateExportTask calls answered LimitExceededException because another exporter holds the slot. */
  readonly exportSlotHeldFor: number;
  /** The DescribeExportTasks poll on which a task finishes. */
  readonly exportPollsToComplete: number;
  readonly exportOutcomes: readonly SeedExportOutcome[];
  readonly writers: readonly SeedLogWriter[];
  readonly crashes: readonly SeedCrash[];
}

/**
 * The faults of a seed that names none: what the parser fills in, and what the stand-in assumes
 * when the seed has no cloudwatch section.
 */
export const NO_CLOUDWATCH_FAULTS: SeedCloudWatchFaults = {
  throttleRate: 0,
  exportSlotHeldFor: 0,
  exportPollsToComplete: 1,
  exportOutcomes: [],
  writers: [],
  crashes: [],
};

export interface SeedCloudWatch {
  readonly logGroups: readonly SeedLogGroup[];
  readonly faults: SeedCloudWatchFaults;
}
