// One load run on the sandbox: a generated seed, the transient faults (or none, for the large
// run), the real state machine in the local runner, then the figures and the invariants.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BucketReader, logsContent, scheduledRange } from '../checks/cloudwatch-check';
import { runArchive, startSandbox } from '../sandbox';
import { seededRandom } from '../seeded-random';
import { LOGS_REFUSALS, S3_REFUSALS, startFaultProxy } from './fault-proxy';
import { countFigures, type LoadFigures } from './figures';
import { archiveInvariant, cloudWatchInvariant, type Invariant, readReport, reportInvariant } from './invariants';
import { type MemoryFigures, sampleMemory } from './memory';
import { LARGE_SHAPE, type LoadShape, loadSeed, rotatedFile, TRANSIENT_SHAPE } from './seeds';

export interface LoadOptions {
  /** The large run (no faults) instead of the transient-fault run. */
  readonly large?: boolean;
  /** Overrides the shape (e.g. a scaled-down large run). */
  readonly shape?: LoadShape;
  /** Fraction of RDS, CloudWatch Logs and S3 calls throttled in the transient-fault run. @default 0.3 */
  readonly throttleRate?: number;
  /** Seeds the random draws (throttling, bursts, file sizes). @default 7 */
  readonly randomSeed?: number;
  /** Where s3rver keeps its data. @default a new temporary folder */
  readonly directory?: string;
}

export interface LoadResult {
  readonly run: 'transient-faults' | 'large';
  readonly shape: LoadShape;
  readonly randomSeed: number;
  readonly throttleRate: number;
  readonly execution: { readonly status: string; readonly error?: string; readonly cause?: string };
  readonly durationSeconds: number;
  readonly figures: LoadFigures;
  readonly memory: MemoryFigures;
  readonly invariants: readonly Invariant[];
  readonly held: boolean;
}

/** The stand-in's clock reads exactly `anchor` when it seeds its events, then runs on in real time. */
function clockFrom(anchor: number): () => number {
  let shift: number | undefined;
  return () => {
    const real = Date.now();
    shift ??= real - anchor;
    return real - shift;
  };
}

/** S3 and CloudWatch Logs calls go through a proxy that throttles and fails in bursts. */
async function startProxies(endpoints: { s3: string; logs: string }, random: () => number, throttleRate: number) {
  const s3 = await startFaultProxy({
    target: endpoints.s3,
    style: S3_REFUSALS,
    throttleRate,
    burstsAt: [5, 60],
    burstLength: 3,
    random,
  });
  const logs = await startFaultProxy({
    target: endpoints.logs,
    style: LOGS_REFUSALS,
    throttleRate: 0,
    burstsAt: [3, 40],
    burstLength: 3,
    random,
  });
  // The tasks build their clients at first invocation, from this environment.
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = logs.endpoint;
  return { s3, logs, stop: async () => Promise.all([s3.stop(), logs.stop()]) };
}

export async function runLoad(options: LoadOptions = {}): Promise<LoadResult> {
  const faults = !options.large;
  const shape = options.shape ?? (faults ? TRANSIENT_SHAPE : LARGE_SHAPE);
  const randomSeed = options.randomSeed ?? 7;
  const random = seededRandom(randomSeed);
  const now = Math.floor(Date.now() / 1000) * 1000;
  const throttleRate = faults ? (options.throttleRate ?? 0.3) : undefined;
  const seed = loadSeed({ shape, now, random, throttleRate });
  const directory = options.directory ?? mkdtempSync(path.join(tmpdir(), 'rds-log-archive-load-'));
  const sandbox = await startSandbox({ seed, directory: path.join(directory, 's3'), random, now: clockFrom(now) });
  const proxies = faults
    ? await startProxies({ s3: sandbox.s3.endpoint, logs: sandbox.cloudwatch.endpoint }, random, throttleRate ?? 0)
    : undefined;
  if (faults) sandbox.slack.setWebhookFault({ status: 429, times: 2, retryAfterSeconds: 1 });
  const bucket = new BucketReader(sandbox);
  try {
    const groups = (seed.cloudwatch?.logGroups ?? []).map((group) => group.name);
    const seeded = logsContent(sandbox, groups);
    const executionName = faults ? 'load-transient' : 'load-large';
    const memory = sampleMemory();
    const started = performance.now();
    const execution = await runArchive({
      input: { scheduledTime: new Date(now).toISOString().replace('.000Z', 'Z') },
      executionName,
    });
    const durationSeconds = Math.round((performance.now() - started) / 100) / 10;
    const memoryFigures = memory.stop();
    const rotated = faults ? rotatedFile(now) : undefined;
    const expected = seed.files.filter((file) => file.instance !== rotated?.instance || file.name !== rotated.file);
    const archive = await archiveInvariant(sandbox, bucket, expected);
    const streams = groups.length * shape.streamsPerGroup;
    const invariants = [
      {
        name: faults ? 'the run fails by name (RunFailed) for the rotated file only' : 'the run succeeds',
        held: faults
          ? execution.status === 'FAILED' && execution.error === 'RunFailed' && / 1 failed,/.test(execution.cause ?? '')
          : execution.status === 'SUCCEEDED',
        detail: `${execution.status}${execution.error ? ` ${execution.error}: ${execution.cause}` : ''}`,
      },
      archive,
      await cloudWatchInvariant(sandbox, bucket, seeded, scheduledRange(now)),
      reportInvariant(await readReport(bucket, executionName), {
        status: faults ? 'failed' : 'succeeded',
        archivedFiles: expected.length,
        failedFiles: rotated ? [{ instanceId: rotated.instance, name: rotated.file }] : [],
        logGroups: groups.length,
        trimmedStreams: streams,
      }),
      ...(faults ? [slackInvariant(sandbox)] : []),
    ];
    return {
      run: faults ? 'transient-faults' : 'large',
      shape,
      randomSeed,
      throttleRate: throttleRate ?? 0,
      execution,
      durationSeconds,
      figures: countFigures(sandbox, { s3: proxies?.s3.calls, logs: proxies?.logs.calls }),
      memory: memoryFigures,
      invariants,
      held: invariants.every((invariant) => invariant.held),
    };
  } finally {
    bucket.destroy();
    await proxies?.stop();
    await sandbox.stop();
  }
}

/** Rate limited twice, the run report still reaches Slack, once. */
function slackInvariant(sandbox: Awaited<ReturnType<typeof startSandbox>>): Invariant {
  const limited = sandbox.slack.calls.filter((call) => call.status === 429).length;
  const posted = sandbox.slack.messages.filter((message) => message.via === 'webhook').length;
  return {
    name: 'the run report reaches Slack once despite rate limiting',
    held: limited === 2 && posted === 1,
    detail: `${limited} answers 429 (Retry-After 1 s), ${posted} message posted`,
  };
}
