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
}
