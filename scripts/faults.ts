/**
 * `npm run faults [-- --json] [--only PATTERN] [--list]`: the fault matrix (docs/faults.md).
 * Every side-effecting call of the workflow and the forwarder is made to die before and after
 * it is applied, on a fresh sandbox each; the run or the delivery is then repeated as a user or
 * Lambda would, and the invariants are checked. Exits 1 when any scenario fails.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FAULT_SCENARIOS, KNOWN_FINDINGS } from '../sandbox/faults/matrix';
import { runMatrix, type ScenarioLoader, selectScenarios } from '../sandbox/faults/run-matrix';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    list: { type: 'boolean', default: false },
  },
});
const say = (line: string) => process.stderr.write(`${line}\n`);

const root = path.join(__dirname, '..');
const nodeModules = path.join(root, 'node_modules');

/**
 * The project's modules are dropped from the require cache before each scenario, as jest's
 * resetModules does: the tasks keep their clients for the life of a module, and a fresh sandbox
 * listens on new ports.
 */
const loadFresh: ScenarioLoader = async () => {
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(root) && !file.startsWith(nodeModules) && file !== __filename) delete require.cache[file];
  }
  return require('../sandbox/faults/run-scenario');
};

async function main() {
  const scenarios = selectScenarios(FAULT_SCENARIOS, args.only);
  if (args.list) {
    for (const scenario of scenarios) say(scenario.name);
    return;
  }
  if (scenarios.length === 0) {
    say(`--only "${args.only}" matches no scenario (--list shows them)`);
    process.exit(2);
  }
  const summary = await runMatrix(scenarios, loadFresh, (outcome) => {
    if (args.json) return;
    const verdict = outcome.violations.length === 0 ? 'pass' : 'FAIL';
    const known = KNOWN_FINDINGS[outcome.scenario] ? ' (known finding, docs/faults.md)' : '';
    say(`${verdict}  ${outcome.seconds.toFixed(1).padStart(5)} s  ${outcome.scenario}${known}`);
    for (const violation of outcome.violations) say(`      ${violation.invariant}: ${violation.detail}`);
  });
  if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else say(`${summary.scenarios} scenarios, ${summary.passed} passed, ${summary.failed} failed, ${summary.seconds} s`);
  process.exitCode = summary.failed === 0 ? 0 : 1;
}

// Task log lines would interleave with the table and break the JSON; failures show as violations.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
main().catch((error: unknown) => {
  say(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(2);
});
