import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { config } from './config';
import { s3RunStore } from './run-store';

// Created once per container and reused across invocations. Endpoint overrides
// (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_RDS, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) and checksum settings come from the
// SDK's own environment handling.
let s3: S3Client | undefined;
let rds: RDSClient | undefined;
let logs: CloudWatchLogsClient | undefined;
let secrets: SecretsManagerClient | undefined;
let cloudwatch: CloudWatchClient | undefined;

/**
 * Attempts per SDK call, against the SDK's default of 3. CloudWatch Logs control-plane calls and
 * S3 prefixes under load answer with throttling often enough that three attempts run out inside
 * a task that makes tens of calls (`npm run load` at 30 % throttled calls failed Trim Stream and
 * Summarize Run with 3); the SDK's backoff grows to 20 s between attempts, well inside the tasks'
 * time budgets.
 */
export const SDK_MAX_ATTEMPTS = 8;

export function s3Client(): S3Client {
  const { region, s3ForcePathStyle } = config();
  s3 ??= new S3Client({ region, forcePathStyle: s3ForcePathStyle, maxAttempts: SDK_MAX_ATTEMPTS });
  return s3;
}

export function rdsClient(): RDSClient {
  rds ??= new RDSClient({ region: config().region, maxAttempts: SDK_MAX_ATTEMPTS });
  return rds;
}

export function logsClient(): CloudWatchLogsClient {
  logs ??= new CloudWatchLogsClient({ region: config().region, maxAttempts: SDK_MAX_ATTEMPTS });
  return logs;
}

/**
 * The notification tasks' clients take region and endpoint from the SDK's environment alone:
 * those tasks do not need the archive configuration that config() requires.
 */
export function secretsClient(): SecretsManagerClient {
  secrets ??= new SecretsManagerClient({ maxAttempts: SDK_MAX_ATTEMPTS });
  return secrets;
}

export function cloudWatchClient(): CloudWatchClient {
  cloudwatch ??= new CloudWatchClient({ maxAttempts: SDK_MAX_ATTEMPTS });
  return cloudwatch;
}

/** What the CloudWatch Logs tasks run with in Lambda: the shared clients, the run store, the clock. */
export function cloudWatchTaskDeps() {
  return {
    logs: logsClient(),
    store: s3RunStore(s3Client(), config().archiveBucket),
    config: config(),
    now: Date.now,
  };
}
