import type { RunSummary } from '../tasks/summarize-run';
import { consoleLink } from './arns';
import type { ExecutionView } from './history';
import { formatDuration, summaryLines } from './render';

/** An execution and its summary as `--json` prints them (dates as ISO-8601). */
export function executionJson(execution: ExecutionView, summary: RunSummary | undefined) {
  return {
    executionName: execution.name,
    executionArn: execution.executionArn,
    consoleLink: consoleLink(execution.executionArn),
    status: execution.status,
    startDate: execution.startDate?.toISOString(),
    stopDate: execution.stopDate?.toISOString(),
    error: execution.error,
    cause: execution.cause,
    summary,
  };
}

/** An execution and its summary for people: status, times, why it failed, the summary, the console link. */
export function executionLines(execution: ExecutionView, summary: RunSummary | undefined): string[] {
  const took =
    execution.startDate && execution.stopDate
      ? ` (${formatDuration(execution.stopDate.getTime() - execution.startDate.getTime())})`
      : '';
  return [
    `execution  ${execution.name ?? execution.executionArn}`,
    `status     ${execution.status}`,
    ...(execution.startDate ? [`started    ${execution.startDate.toISOString()}`] : []),
    ...(execution.stopDate ? [`stopped    ${execution.stopDate.toISOString()}${took}`] : []),
    ...(execution.error
      ? [`error      ${execution.error}${execution.cause ? `: ${execution.cause.slice(0, 500)}` : ''}`]
      : []),
    ...(summary
      ? summaryLines(summary)
      : execution.status === 'RUNNING'
        ? []
        : ['no run summary (the run stopped before Summarize Run)']),
    `console    ${consoleLink(execution.executionArn)}`,
  ];
}
