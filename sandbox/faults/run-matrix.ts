import { type FaultScenario, KNOWN_FINDINGS } from './matrix';
import type { ScenarioOutcome } from './run-scenario';

/** How the runner gets a fresh copy of run-scenario.ts (and of the tasks it loads) per scenario. */
export type ScenarioLoader = () => Promise<{ runScenario: (scenario: FaultScenario) => Promise<ScenarioOutcome> }>;

export interface MatrixSummary {
  readonly scenarios: number;
  readonly passed: number;
  readonly failed: number;
  readonly seconds: number;
  readonly failures: readonly { scenario: string; invariant: string; detail: string; known: boolean }[];
}

/** Scenarios whose name contains `pattern` (case-insensitive); all without one. */
export const selectScenarios = (scenarios: readonly FaultScenario[], pattern?: string) =>
  pattern === undefined
    ? scenarios
    : scenarios.filter((scenario) => scenario.name.toLowerCase().includes(pattern.toLowerCase()));

/** An error that escapes a scenario is a failure of that scenario, not the end of the matrix. */
async function runOne(load: ScenarioLoader, scenario: FaultScenario): Promise<ScenarioOutcome> {
  const started = Date.now();
  try {
    return await (await load()).runScenario(scenario);
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      scenario: scenario.name,
      seconds: (Date.now() - started) / 1000,
      violations: [{ invariant: 'scenario-ran', detail }],
    };
  }
}

/** Runs the scenarios one after the other, each on a fresh sandbox. */
export async function runMatrix(
  scenarios: readonly FaultScenario[],
  load: ScenarioLoader,
  onOutcome: (outcome: ScenarioOutcome) => void = () => undefined,
): Promise<MatrixSummary> {
  const isKnown = (scenario: string, invariant: string) => KNOWN_FINDINGS[scenario]?.includes(invariant) ?? false;
  const started = Date.now();
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of scenarios) {
    const outcome = await runOne(load, scenario);
    outcomes.push(outcome);
    onOutcome(outcome);
  }
  const failed = outcomes.filter((outcome) => outcome.violations.length > 0);
  return {
    scenarios: outcomes.length,
    passed: outcomes.length - failed.length,
    failed: failed.length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    failures: failed.flatMap((outcome) =>
      outcome.violations.map((violation) => ({
        scenario: outcome.scenario,
        ...violation,
        known: isKnown(outcome.scenario, violation.invariant),
      })),
    ),
  };
}
