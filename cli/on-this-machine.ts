import type { LocalRunResult } from '../sandbox/local-runner';

/** One event of the local interpreter's log, as much of it as progress needs. */
export interface LocalEvent {
  readonly type: string;
  readonly timestamp?: number;
  readonly state?: { readonly name: string; readonly output?: unknown };
  readonly parentState?: { readonly name: string };
}

export interface LocalRunRequest {
  readonly input: unknown;
  readonly executionName: string;
  /** The task environment: AWS_REGION, ARCHIVE_BUCKET, CLUSTERS, INSTANCES, LOG_GROUPS, … */
  readonly env: Readonly<Record<string, string>>;
  readonly onEvent: (event: LocalEvent) => void;
}

/** Runs the workflow on this machine; `run --local` gets it injected so tests stand in for it. */
export type LocalRunner = (request: LocalRunRequest) => Promise<LocalRunResult>;

/** Every Wait state's wait: the export polls and slot backoff of real AWS, at one fixed pace. */
export const LOCAL_WAIT_MS = 30_000;
/** The pause before each retry (the deployed machine backs off from 2-5 s). */
export const LOCAL_RETRY_PAUSE_MS = 5_000;

/**
 * Run statemachines/archive.asl.json with the real task handlers against the AWS account in the
 * environment. The tasks read their configuration from process.env at their first invocation
 * (and the shared logger its level at import), so the environment is set before they load.
 */
export const runOnThisMachine: LocalRunner = async (request) => {
  Object.assign(process.env, request.env);
  const { runLocally } = await import('../sandbox/local-runner');
  const { localTasks } = await import('../sandbox/sandbox');
  return runLocally({
    input: request.input,
    executionName: request.executionName,
    tasks: localTasks(),
    retryPauseMs: LOCAL_RETRY_PAUSE_MS,
    waitMs: LOCAL_WAIT_MS,
    onEvent: (event) => request.onEvent(event as LocalEvent),
  });
};
