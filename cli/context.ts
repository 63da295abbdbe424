import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { LocalRunner } from './on-this-machine';
import type { Output } from './output';

/**
 * Everything a command touches outside itself, so that tests give it mocked clients, a fixed
 * clock, an instant sleep, string outputs and a stand-in local runner.
 */
export interface CliDeps {
  /** A Step Functions client for the region (undefined: the SDK's default chain). */
  readonly sfn: (region: string | undefined) => SFNClient;
  readonly cloudFormation: (region: string | undefined) => CloudFormationClient;
  /** A Lambda client for the region: `replay` invokes the forward function. */
  readonly lambda: (region: string | undefined) => LambdaClient;
  /** Read a JSON object from the archive bucket (the plans a local dry run lists). */
  readonly readJson: (region: string, bucket: string, key: string) => Promise<unknown>;
  readonly runLocal: LocalRunner;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** What `parse -` (or `parse` without a file) reads. */
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: Output;
  readonly stderr: Output;
  /** The process environment (CLUSTERS, INSTANCES, LOG_GROUPS, POWERTOOLS_LOG_LEVEL are read). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly pollMs: number;
}
