// Shared by the CloudWatch Logs stand-in tests: the stand-in on a clock that stands still, and a
// real CloudWatchLogsClient that talks to it the way the tasks do. Seeds come from `seedOf`
// in ./helpers, as for the RDS stand-in.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type CloudWatchStandIn,
  type CloudWatchStandInOptions,
  cloudWatchClientConfig,
  startCloudWatchStandIn,
} from '../../../sandbox/cloudwatch-stand-in';
import type { Seed } from '../../../sandbox/seed';

/** The stand-in's clock: seed times (`hoursAgo`) count back from it, and it never moves. */
export const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
export const HOUR = 3_600_000;

/** One attempt per call, so each test sees the stand-in's answer rather than the SDK's retries. */
export const logsClient = (standIn: CloudWatchStandIn, maxAttempts = 1): CloudWatchLogsClient =>
  new CloudWatchLogsClient(cloudWatchClientConfig(standIn, maxAttempts));

/** A running stand-in and a client for it. */
export interface LogsSession {
  readonly standIn: CloudWatchStandIn;
  readonly logs: CloudWatchLogsClient;
}

/** By default the clock is NOW, and `s3` a client that only export tasks would call. */
export type LogsSessionOptions = Partial<Omit<CloudWatchStandInOptions, 'seed'>>;

export async function startLogsSession(seed: Seed, options: LogsSessionOptions = {}): Promise<LogsSession> {
  const standIn = await startCloudWatchStandIn({
    s3: new S3Client({ region: 'us-east-1' }),
    now: () => NOW,
    ...options,
    seed,
  });
  return { standIn, logs: logsClient(standIn) };
}

export async function stopLogsSession(session: LogsSession): Promise<void> {
  session.logs.destroy();
  await session.standIn.stop();
}

/**
 * Starts a stand-in on `seed` before the tests of the file and stops it after them; `perTest`
 * starts a fresh one for each test, for tests that change what the stand-in holds. The session
 * returned is the one the hooks started.
 */
export function useLogsSession(seed: Seed, { perTest = false } = {}): LogsSession {
  let current: LogsSession | undefined;
  const started = (): LogsSession => {
    if (current === undefined) throw new Error('the CloudWatch Logs stand-in is used outside a test');
    return current;
  };
  (perTest ? beforeEach : beforeAll)(async () => {
    current = await startLogsSession(seed);
  });
  (perTest ? afterEach : afterAll)(async () => {
    if (current !== undefined) await stopLogsSession(current);
    current = undefined;
  });
  return {
    get standIn() {
      return started().standIn;
    },
    get logs() {
      return started().logs;
    },
  };
}
