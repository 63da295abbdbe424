/**
 * Runs the bad input catalogue (test/badinput/cases/*.json) against the real task functions with
 * mocked AWS clients and prints the outcome of each case: a table, or one JSON object with --json.
 * Exits 1 when any case does not hold, known bugs included. docs/bad-input.md lists the cases.
 */
import { type CatalogueReport, runCatalogue } from '../test/badinput/run-cases';

function table(report: CatalogueReport): string {
  const width = Math.max(...report.outcomes.map((item) => item.name.length), 4);
  const lines = report.outcomes.map((item) => {
    const what = item.error ? `${item.error}: ${item.message ?? ''}` : 'returned';
    const problems = item.problems.length > 0 ? `\n${' '.repeat(width + 14)}! ${item.problems.join('; ')}` : '';
    return `${item.outcome.padEnd(10)}  ${item.name.padEnd(width)}  ${what.slice(0, 110)}${problems}`;
  });
  const summary = `${report.cases} cases: ${report.passed} held, ${report.failed} failed, ${report.knownBugs} known bugs`;
  return [...lines, '', summary].join('\n');
}

async function main(): Promise<void> {
  const report = await runCatalogue();
  const json = process.argv.includes('--json');
  process.stdout.write(`${json ? JSON.stringify(report, null, 2) : table(report)}\n`);
  process.exitCode = report.failed + report.knownBugs > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`badinput: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
