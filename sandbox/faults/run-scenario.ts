// One scenario of the fault matrix on a sandbox of its own: the crash, what a user (or the
// platform's retries) does next, then every invariant. Load this module afresh per scenario:
// the tasks create their clients once per module load, and each sandbox listens on new ports.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Context } from 'aws-lambda';
import { handler as captureRdsEvent } from '../../tasks/capture-rds-event';
import { FORWARD_FAILED_PREFIX, RDS_EVENTS_PREFIX } from '../../tasks/common/layout';
import { handler as forwardLogs } from '../../tasks/forward-logs';
import { logsContent } from '../checks/cloudwatch-check';
import { AWSLOGS_SAMPLES, runArchive, type Sandbox, startSandbox } from '../sandbox';
import type { Seed } from '../seed';
import { FaultBucket } from './bucket';
import type { CrashWhen } from './crash-proxy';
import {
  archivedExactlyOnce,
  archiveObjects,
  cloudWatchEvents,
  noPartialObject,
  parsedFromArchive,
  type RecordedRun,
  reportsTellTheTruth,
  slackOnceOrReported,
  type Violation,
} from './invariants';
import type { FaultScenario } from './matrix';
import type { SandboxCrashes } from './sandbox-crashes';
import { clockFrom, faultWorld, LOG_GROUP, PARSED_TYPES, scheduledRange } from './world';

export interface ScenarioOutcome {
  readonly scenario: string;
  readonly seconds: number;
  readonly violations: readonly Violation[];
}

const EVENTS_DIR = path.join(__dirname, '..', '..', 'events');
/** Lambda invokes an asynchronous event up to three times in all. */
const ASYNC_ATTEMPTS = 3;

function crashesOf(scenario: FaultScenario): SandboxCrashes {
  if (scenario.when === 'never') return {};
  const when = scenario.when as CrashWhen;
  return {
    ...(scenario.s3 ? { s3: [{ ...scenario.s3, when }] } : {}),
    ...(scenario.slack ? { slack: [{ ...scenario.slack, when }] } : {}),
    ...(scenario.forward ? { forward: [{ ...scenario.forward, when }] } : {}),
  };
}

/** The crash asked for happened: a scenario whose crash never fired proves nothing. */
function crashFired(sandbox: Sandbox, scenario: FaultScenario): Violation[] {
  if (scenario.when === 'never') return [];
  const proxies = Object.values(sandbox.crashProxies);
  const proxied = proxies.flatMap((proxy) => proxy.calls).filter((call) => call.crashed !== undefined).length;
  const logs = sandbox.cloudwatch.calls.filter((call) => call.error === 'InjectedCrash').length;
  const fired = proxied + logs;
  return fired === 1 ? [] : [{ invariant: 'crash-fired', detail: `${fired} injected crashes, expected 1` }];
}

async function archiveFlow(
  sandbox: Sandbox,
  bucket: FaultBucket,
  scenario: FaultScenario,
  seed: Seed,
  now: number,
  beforeChecks: ScenarioOptions['beforeChecks'],
) {
  const seeded = logsContent(sandbox, [LOG_GROUP]);
  const input = { scheduledTime: new Date(now).toISOString().replace('.000Z', 'Z') };
  const slug = scenario.name.replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 50);
  const run = async (executionName: string): Promise<RecordedRun> => {
    let outcomeInput: RecordedRun['outcomeInput'];
    const firstMessage = sandbox.slack.messages.length;
    const result = await runArchive({
      input,
      executionName,
      onEvent: (event) => {
        const state = event.state as { name: string; input?: unknown } | undefined;
        if (event.type === 'StateEntered' && state?.name === 'Run Outcome') {
          outcomeInput = state.input as RecordedRun['outcomeInput'];
        }
      },
    });
    const slackTexts = sandbox.slack.messages.slice(firstMessage).map((message) => message.text ?? '');
    return { executionName, result, outcomeInput, slackTexts };
  };
  // As a user would after a failure: the same input again under a new execution name.
  const crashed = await run(`${slug}-1`);
  const rerun = await run(`${slug}-2`);
  await beforeChecks?.(sandbox);
  const archive = await archiveObjects(bucket);
  return [
    ...(await archivedExactlyOnce(seed, archive)),
    ...noPartialObject(archive),
    ...(await parsedFromArchive(bucket, archive, PARSED_TYPES)),
    ...(await cloudWatchEvents(sandbox, bucket, seeded, scheduledRange(now).cutoff)),
    ...(await reportsTellTheTruth(bucket, crashed, rerun)),
    ...slackOnceOrReported([crashed, rerun]),
  ];
}

type ForwardOutput = { documents?: number };
const read = (name: string) => JSON.parse(readFileSync(path.join(EVENTS_DIR, name), 'utf8')) as unknown;
const lambdaContext = () => ({ getRemainingTimeInMillis: () => 60_000, functionName: 'forward-logs' }) as Context;

type AsyncHandler = (event: never, context: Context) => Promise<unknown>;

/** Invokes as Lambda does an asynchronous event: again after a failure, up to three times. */
async function invokeWithRetries<T>(handler: AsyncHandler, event: unknown): Promise<T | undefined> {
  for (let attempt = 1; attempt <= ASYNC_ATTEMPTS; attempt++) {
    try {
      return (await handler(event as never, lambdaContext())) as T;
    } catch {
      // The next attempt is Lambda's retry.
    }
  }
  return undefined;
}

/** Distinct documents still kept under forward-failed/, by index and id. */
async function storedForReplay(bucket: FaultBucket): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const { key } of await bucket.list(FORWARD_FAILED_PREFIX)) {
    const text = gunzipSync((await bucket.object(key)).body).toString('utf8');
    for (const line of text.split('\n').filter(Boolean)) {
      const { index, id } = JSON.parse(line) as { index: string; id: string };
      ids.add(`${index} ${id}`);
    }
  }
  return ids;
}

/**
 * The samples forwarded (the first while the backend is down, when the scenario says so), then
 * replayed until nothing is left: every document is delivered or still kept for replay, and the
 * backend never holds more documents than were sent (a resend overwrites the same id).
 */
async function forwardFlow(sandbox: Sandbox, bucket: FaultBucket, scenario: FaultScenario): Promise<Violation[]> {
  const samples = [...AWSLOGS_SAMPLES.map((name) => `awslogs.${name}.json`), 'rds-event.failover.json'];
  const found: Violation[] = [];
  let sent = 0;
  for (const [position, sample] of samples.entries()) {
    if (position === 0 && scenario.backendDownFirst) sandbox.bulk.setFaults({ down: true });
    const output = await invokeWithRetries<ForwardOutput>(forwardLogs as AsyncHandler, read(sample));
    sandbox.bulk.setFaults({});
    if (output === undefined) found.push({ invariant: 'forward-none-lost', detail: `${sample}: every attempt failed` });
    sent += output?.documents ?? 0;
  }
  for (let attempt = 1; attempt <= ASYNC_ATTEMPTS; attempt++) {
    await invokeWithRetries(forwardLogs as AsyncHandler, { replay: { prefix: FORWARD_FAILED_PREFIX } });
    if ((await bucket.list(FORWARD_FAILED_PREFIX)).length === 0) break;
  }
  const delivered = Object.values(sandbox.bulk.counts()).reduce((sum, count) => sum + count, 0);
  const kept = (await storedForReplay(bucket)).size;
  if (delivered + kept < sent) {
    found.push({
      invariant: 'forward-none-lost',
      detail: `${sent} sent, ${delivered} delivered, ${kept} kept for replay`,
    });
  }
  if (delivered > sent) {
    found.push({ invariant: 'forward-duplicates-overwrite', detail: `${sent} sent, ${delivered} held by the backend` });
  }
  return found;
}

/**
 * One RDS event delivered (and redelivered by Lambda after a failure): it is stored once under
 * rds-events/, and reaches Slack once, or every delivery failed (Lambda's failure destination
 * then holds it).
 */
async function rdsEventFlow(sandbox: Sandbox, bucket: FaultBucket): Promise<Violation[]> {
  const event = read('rds-event.failover.json') as { id: string };
  const output = await invokeWithRetries(captureRdsEvent as AsyncHandler, event);
  const found: Violation[] = [];
  const stored = (await bucket.list(RDS_EVENTS_PREFIX)).filter((item) => item.key.endsWith('.json'));
  const ids = await Promise.all(stored.map(async (item) => (await bucket.json<{ id: string }>(item.key)).id));
  if (ids.length !== 1 || ids[0] !== event.id) {
    found.push({ invariant: 'rds-event-stored-once', detail: `stored ${ids.length} events: ${ids.join(', ')}` });
  }
  const posted = sandbox.slack.messages.length;
  if (posted > 1 || (posted === 0 && output !== undefined)) {
    const detail = `${posted} messages; the last delivery ${output === undefined ? 'failed' : 'succeeded'}`;
    found.push({ invariant: 'slack-once-or-reported', detail });
  }
  return found;
}

export interface ScenarioOptions {
  /** Changes the sandbox after the runs, before the checks: how the checks themselves are tested. */
  readonly beforeChecks?: (sandbox: Sandbox) => Promise<void>;
}

export async function runScenario(scenario: FaultScenario, options: ScenarioOptions = {}): Promise<ScenarioOutcome> {
  const started = process.hrtime.bigint();
  const directory = mkdtempSync(path.join(tmpdir(), 'rds-log-archive-faults-'));
  const now = Math.floor(Date.now() / 1000) * 1000;
  const cloudWatchCrash = scenario.cloudwatch && scenario.when !== 'never' ? scenario.cloudwatch : undefined;
  const seed = faultWorld({
    now,
    directory,
    large: scenario.large,
    cloudWatchFaults: cloudWatchCrash
      ? { crashes: [{ ...cloudWatchCrash, when: scenario.when as CrashWhen, times: 1 }] }
      : {},
  });
  const sandbox = await startSandbox({
    seed,
    directory: path.join(directory, 's3'),
    now: clockFrom(now),
    crashes: crashesOf(scenario),
    env: { PARSED_OUTPUT: PARSED_TYPES.join(',') },
  });
  const bucket = new FaultBucket(sandbox);
  try {
    const flows = {
      archive: () => archiveFlow(sandbox, bucket, scenario, seed, now, options.beforeChecks),
      forward: () => forwardFlow(sandbox, bucket, scenario),
      'rds-event': () => rdsEventFlow(sandbox, bucket),
    };
    const violations = await flows[scenario.flow]();
    return {
      scenario: scenario.name,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      violations: [...crashFired(sandbox, scenario), ...violations],
    };
  } finally {
    bucket.destroy();
    await sandbox.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}
