/**
 * The bad input catalogue: every case file under cases/ runs its target's core function with
 * mocked clients and known secrets present, and must (a) fail with the named error whose message
 * names what is wrong, or end in the outcome the code intends for it; (b) send no mutating AWS
 * command and post nothing; (c) show no secret in its error, its result or any log line.
 * Used by scripts/badinput.ts and by test/unit/badinput.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { logger } from '../../tasks/common/logger';
import { forgetCachedSecrets } from '../../tasks/common/secrets';
import { captureLogs, recordingFetch } from './capture';
import { materialize } from './materialize';
import { leakedSecrets, redactSecrets } from './secrets';
import { Harness, TARGETS, type TargetInput } from './targets';

/** An error the case must end in, or a result it must return (a subset: extra keys are allowed). */
export type Expectation =
  | { readonly error: string; readonly mentions: readonly string[] }
  | { readonly result: unknown; readonly mentions?: readonly string[]; readonly posts?: number };

export interface BadInputCase extends TargetInput {
  readonly name: string;
  readonly kind: string;
  readonly target: string;
  readonly expect: Expectation;
  /** A known defect: the expectation states the right behaviour, which the code does not have yet. */
  readonly bug?: string;
}

export interface CaseOutcome {
  readonly name: string;
  readonly kind: string;
  /** `held`: every check passed; `known bug`: a case marked `bug` still fails; `failed`: anything else. */
  readonly outcome: 'held' | 'failed' | 'known bug';
  readonly error: string | null;
  readonly message: string | null;
  readonly problems: readonly string[];
}

export interface CatalogueReport {
  readonly cases: number;
  readonly passed: number;
  readonly failed: number;
  readonly knownBugs: number;
  readonly outcomes: readonly CaseOutcome[];
}

export const CASES_DIR = path.join(__dirname, 'cases');

/** Every case file, in name order. */
export function loadCases(dir = CASES_DIR): BadInputCase[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as BadInputCase);
}

/** Only reads are harmless: anything not Get/Head/List/Describe changes something. */
const READ_ONLY = /^(Get|Head|List|Describe)/;

/** `actual` holds `expected`: the same scalars, every expected key, arrays of the same length. */
export function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => contains(actual[index], item))
    );
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return false;
    return Object.entries(expected).every(([key, value]) => contains((actual as Record<string, unknown>)[key], value));
  }
  return Object.is(actual, expected);
}

/** Message, stack and causes of an error, as far down as they go. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let item = error, depth = 0; item instanceof Error && depth < 10; item = item.cause, depth += 1) {
    parts.push(item.message, item.stack ?? '', JSON.stringify(item));
  }
  return parts.join('\n');
}

const preview = (value: unknown) => JSON.stringify(value)?.slice(0, 300);

interface Run {
  readonly thrown?: Error;
  readonly value?: unknown;
  readonly commands: readonly string[];
  readonly posts: number;
  readonly lines: readonly string[];
}

/** Run one case's target the way Lambda would: the handler logs a failure once, as makeHandler does. */
async function execute(item: BadInputCase): Promise<Run> {
  const target = TARGETS[item.target];
  if (!target) throw new Error(`${item.name}: unknown target "${item.target}"`);
  const given: TargetInput = {
    input: materialize(item.input),
    env: item.env,
    response: materialize(item.response),
    payload: materialize(item.payload),
  };
  const harness = new Harness();
  const recorder = recordingFetch();
  const realFetch = globalThis.fetch;
  globalThis.fetch = recorder.fetch;
  forgetCachedSecrets();
  try {
    const { lines, value } = await captureLogs(async () => {
      try {
        return { value: await target(given, harness) };
      } catch (error) {
        logger.error(`${item.target} failed`, { error: error as Error });
        return { thrown: error instanceof Error ? error : new Error(String(error)) };
      }
    });
    return { ...value, commands: harness.commands(), posts: harness.posts + recorder.posts.length, lines };
  } finally {
    globalThis.fetch = realFetch;
    harness.restore();
    forgetCachedSecrets();
  }
}

function problemsOf(item: BadInputCase, run: Run): string[] {
  const problems: string[] = [];
  const { expect } = item;
  if ('error' in expect) {
    if (!run.thrown)
      problems.push(`expected ${expect.error}, got a result: ${redactSecrets(preview(run.value) ?? '')}`);
    else if (run.thrown.name !== expect.error) problems.push(`expected ${expect.error}, got ${run.thrown.name}`);
    for (const mention of expect.mentions) {
      if (!run.thrown?.message.includes(mention)) problems.push(`message does not mention "${mention}"`);
    }
  } else {
    if (run.thrown) problems.push(`expected a result, got ${run.thrown.name}: ${run.thrown.message}`);
    else if (!contains(run.value, expect.result))
      problems.push(`result differs: ${redactSecrets(preview(run.value) ?? '')}`);
    const text = JSON.stringify(run.value) ?? '';
    for (const mention of expect.mentions ?? []) {
      if (!text.includes(mention)) problems.push(`result does not mention "${mention}"`);
    }
  }
  const mutating = run.commands.filter((name) => !READ_ONLY.test(name));
  if (mutating.length > 0) problems.push(`sent mutating commands: ${mutating.join(', ')}`);
  const posts = 'posts' in expect ? (expect.posts ?? 0) : 0;
  if (run.posts !== posts) problems.push(`posted ${run.posts} time(s), expected ${posts}`);
  const leaked = leakedSecrets([errorText(run.thrown), JSON.stringify(run.value) ?? '', ...run.lines].join('\n'));
  if (leaked.length > 0) problems.push(`leaked ${leaked.length} secret value(s)`);
  return problems;
}

export async function runCase(item: BadInputCase): Promise<CaseOutcome> {
  const run = await execute(item);
  const problems = problemsOf(item, run);
  let outcome: CaseOutcome['outcome'] = problems.length === 0 ? 'held' : 'failed';
  if (item.bug && problems.length > 0) outcome = 'known bug';
  // A marked bug that no longer shows fails, so that the mark goes with the fix.
  if (item.bug && problems.length === 0) {
    problems.push('marked as a known bug but holds: remove the mark');
    outcome = 'failed';
  }
  return {
    name: item.name,
    kind: item.kind,
    outcome,
    error: run.thrown?.name ?? null,
    message: run.thrown ? redactSecrets(run.thrown.message).slice(0, 500) : null,
    problems,
  };
}

/** Run the cases one after another (they swap the global fetch and the logger's output). */
export async function runCatalogue(cases: readonly BadInputCase[] = loadCases()): Promise<CatalogueReport> {
  const outcomes: CaseOutcome[] = [];
  for (const item of cases) outcomes.push(await runCase(item));
  return {
    cases: outcomes.length,
    passed: outcomes.filter((item) => item.outcome === 'held').length,
    failed: outcomes.filter((item) => item.outcome === 'failed').length,
    knownBugs: outcomes.filter((item) => item.outcome === 'known bug').length,
    outcomes,
  };
}
