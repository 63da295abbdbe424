// What every operation works with: the account, the faults still due, where exports are
// written, and the stand-in's clock (seed times and ingestion times come from it).
import type { S3Client } from '@aws-sdk/client-s3';
import type { LogsFaultPlan } from './fault-plan';
import type { Input } from './params';
import type { LogsWorld } from './world';

export interface LogsContext {
  readonly world: LogsWorld;
  readonly plan: LogsFaultPlan;
  readonly s3: S3Client;
  readonly now: () => number;
}

/** One API operation: its JSON input in, its JSON output out (undefined: an empty body). */
export type Operation = (ctx: LogsContext, input: Input) => Promise<object | undefined> | object | undefined;
