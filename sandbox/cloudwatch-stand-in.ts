// A loopback stand-in for the CloudWatch Logs API (awsJson 1.1): log groups, streams and
// events from a seed, export tasks that write to S3 (s3rver in the sandbox), and injected
// faults. The real @aws-sdk/client-cloudwatch-logs talks to it unchanged (endpoint
// override), which is what proves the tasks parse real responses, honour the service's
// limits and map its errors.
import type { CloudWatchLogsClientConfig } from '@aws-sdk/client-cloudwatch-logs';
import type { S3Client } from '@aws-sdk/client-s3';
import { LogsFaultPlan } from './cloudwatch/fault-plan';
import { type CallRecord, handleRequest, type StandInContext } from './cloudwatch/handle-request';
import { LogsWorld } from './cloudwatch/world';
import { SANDBOX_CREDENTIALS } from './credentials';
import { startLoopbackServer } from './loopback-server';
import type { Seed } from './seed-format/types';

export type { CallRecord as LogsCallRecord } from './cloudwatch/handle-request';

export interface CloudWatchStandInOptions {
  /** Its optional `cloudwatch` section; absent: the account has no log groups. */
  seed: Seed;
  /** Where export tasks write their objects (s3rver in the sandbox). */
  s3: S3Client;
  /** The clock of events and tasks; seed times are relative to it at start. @default Date.now */
  now?: () => number;
  /** Decides throttling (`faults.throttleRate`); inject one for repeatable runs. @default Math.random */
  random?: () => number;
  /** @default 0 (any free port) */
  port?: number;
  /** The only credentials whose signatures are accepted. @default SANDBOX_CREDENTIALS */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface CloudWatchStandIn {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Every request in arrival order, with the HTTP status and the error code it was answered. */
  calls: CallRecord[];
  /** Current events of a stream in timestamp order (undefined if the stream does not exist). */
  events(
    logGroupName: string,
    logStreamName: string,
  ): { timestamp: number; message: string; ingestionTime: number }[] | undefined;
  /** The group's stream names, sorted ([] for a group that does not exist). */
  streams(logGroupName: string): string[];
  /** Appends an event ingested now(), as the database would; the stream is created if missing. */
  appendEvent(logGroupName: string, logStreamName: string, event: { timestamp: number; message: string }): void;
  exportTasks(): readonly { taskId: string; taskName: string; logGroupName: string; status: string }[];
  stop(): Promise<void>;
}

/** The settings a CloudWatchLogsClient needs to talk to the stand-in. */
export function cloudWatchClientConfig(standIn: CloudWatchStandIn, maxAttempts?: number): CloudWatchLogsClientConfig {
  return {
    endpoint: standIn.endpoint,
    region: standIn.region,
    credentials: { ...standIn.credentials },
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  };
}

export async function startCloudWatchStandIn(options: CloudWatchStandInOptions): Promise<CloudWatchStandIn> {
  const now = options.now ?? Date.now;
  const world = new LogsWorld(options.seed, now());
  const credentials = { ...(options.credentials ?? SANDBOX_CREDENTIALS) };
  const context: StandInContext = {
    world,
    plan: new LogsFaultPlan(options.seed.cloudwatch?.faults, options.random ?? Math.random),
    s3: options.s3,
    now,
    signing: { region: world.region, service: 'logs', credentials },
    calls: [],
  };
  const server = await startLoopbackServer((req, res) => handleRequest(context, req, res), options.port);
  return {
    endpoint: server.endpoint,
    region: world.region,
    credentials,
    calls: context.calls,
    events: (group, stream) =>
      world.groups
        .get(group)
        ?.streams.get(stream)
        ?.events.map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime })),
    streams: (group) => [...(world.groups.get(group)?.streams.keys() ?? [])].sort(),
    appendEvent: (group, stream, event) => world.append(group, stream, event, now()),
    exportTasks: () =>
      world.tasks.map((task) => ({
        taskId: task.taskId,
        taskName: task.taskName ?? '',
        logGroupName: task.logGroupName,
        status: task.status,
      })),
    stop: server.stop,
  };
}
