import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudWatchReport, GroupReport } from '../../../tasks/common/cloudwatch-report';
import {
  executionConsoleLink,
  formatBytes,
  formatDuration,
  formatRunFailure,
  formatRunReport,
  formatRunSummary,
  listWithMore,
  type RunReport,
} from '../../../tasks/common/run-report-format';
import { runContext } from '../../helpers/run-context';

const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:archive:run-20261120';
const options = { consoleLink: executionConsoleLink(EXECUTION), durationSeconds: 725, timeZone: 'Asia/Seoul' };

/** Compares with the committed golden file; UPDATE_GOLDEN=1 rewrites it after a deliberate change. */
function expectGolden(name: string, actual: unknown) {
  const file = join(__dirname, '__golden__', `run-report.${name}.json`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

function group(name: string, overrides: Partial<GroupReport> = {}): GroupReport {
  return { logGroupName: name, status: 'done', streams: {}, keptEvents: 0, outcomes: [], ...overrides };
}

function cloudwatch(groups: GroupReport[], overrides: Partial<CloudWatchReport> = {}): CloudWatchReport {
  return {
    unavailable: [],
    groups,
    totals: { logGroups: groups.length, failedGroups: 0, trimmedStreams: 0, skippedStreams: 0, failedStreams: 0 },
    ...overrides,
  };
}

function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    run: runContext({ reportPrefix: '_runs/2026/11/20/run-20261120', instances: ['mysql-b'] }),
    status: 'succeeded',
    message: '4 files archived, 3 skipped, 0 failed, 0 instances failed',
    finishedAt: '2026-11-20T12:13:06.000Z',
    totals: {
      archivedFiles: 4,
      archivedBytes: 3_407_872,
      compressedBytes: 401_000,
      plannedFiles: 4,
      skippedFiles: 3,
      failedFiles: 0,
    },
    archived: {
      'aurora-a-1': { slowquery: { files: 2, bytes: 1_048_576 }, audit: { files: 1, bytes: 2_097_152 } },
      'mysql-b': { slowquery: { files: 1, bytes: 262_144 } },
    },
    skippedByReason: { 'still being written': 2, 'already archived': 1 },
    failedFiles: [],
    failedFilesNotListed: 0,
    failedInstances: [],
    unavailable: [],
    cloudwatch: cloudwatch([group('/aws/rds/cluster/aurora-a/error', { streams: { rewritten: 2, deleted: 5 } })], {
      totals: { logGroups: 1, failedGroups: 0, trimmedStreams: 7, skippedStreams: 0, failedStreams: 0 },
    }),
    ...overrides,
  };
}

const sectionTexts = (message: { blocks?: readonly Record<string, unknown>[] }) =>
  (message.blocks ?? [])
    .filter((block) => block.type === 'section' && block.text)
    .map((block) => (block.text as { text: string }).text);

describe('formatRunReport', () => {
  it('formats a successful run as the golden message', () => {
    expectGolden('success', formatRunReport(report(), options));
  });

  it('formats a failed run with its problems as the golden message', () => {
    const failed = report({
      status: 'failed',
      message: '1 files archived, 0 skipped, 2 failed, 1 instances failed; 0/1 log groups exported',
      totals: {
        archivedFiles: 1,
        archivedBytes: 100,
        compressedBytes: 40,
        plannedFiles: 3,
        skippedFiles: 0,
        failedFiles: 2,
      },
      archived: { 'aurora-a-1': { error: { files: 1, bytes: 100 } } },
      skippedByReason: {},
      failedFiles: [
        {
          instanceId: 'aurora-a-1',
          name: 'slowquery/mysql-slowquery.log.2026-11-20.09',
          reason: 'file gone before download',
        },
        {
          instanceId: 'aurora-a-1',
          name: 'audit/audit.log.0.2026-11-20-09-00.0',
          reason: 'download ended after 1 of 100 listed bytes',
        },
      ],
      failedInstances: [{ instanceId: 'aurora-a-2', error: 'AccessDenied' }],
      unavailable: [{ kind: 'cluster', id: 'aurora-gone', reason: 'not found' }],
      cloudwatch: cloudwatch(
        [group('/aws/rds/cluster/aurora-a/error', { status: 'failed', error: 'ExportFailedError' })],
        {
          totals: { logGroups: 1, failedGroups: 1, trimmedStreams: 0, skippedStreams: 0, failedStreams: 0 },
        },
      ),
    });

    expectGolden('failure', formatRunReport(failed, options));
  });

  it('lists ten failed files and counts the rest, including those the report did not list', () => {
    const failedFiles = Array.from({ length: 15 }, (_, index) => ({
      instanceId: 'aurora-a-1',
      name: `error/mysql-error-running.log.${index}`,
      reason: 'file gone before download',
    }));

    const message = formatRunReport(report({ status: 'failed', failedFiles, failedFilesNotListed: 7 }), options);

    const problems = sectionTexts(message).find((text) => text.startsWith('*Problems*')) ?? '';
    expect(problems.split('\n')[0]).toBe('*Problems* (22)');
    expect(problems.match(/^• file /gm)).toHaveLength(10);
    expect(problems.split('\n').at(-1)).toBe('…and 12 more');
  });

  it('counts failed streams the report lists beyond its outcome list', () => {
    const outcomes = [{ stream: 's-1', status: 'failed' as const, reason: 'PutLogEvents rejected 3 events' }];
    const failedGroup = group('/aws/rds/cluster/aurora-a/error', { streams: { failed: 3 }, outcomes });
    const withStreams = cloudwatch([failedGroup], {
      totals: { logGroups: 1, failedGroups: 0, trimmedStreams: 0, skippedStreams: 0, failedStreams: 3 },
    });

    const message = formatRunReport(report({ status: 'failed', cloudwatch: withStreams }), options);

    const problems = sectionTexts(message).find((text) => text.startsWith('*Problems*')) ?? '';
    expect(problems).toContain('• stream /aws/rds/cluster/aurora-a/error s-1: failed, PutLogEvents rejected 3 events');
    expect(problems).toContain('*Problems* (3)');
    expect(problems).toContain('…and 2 more');
  });

  it('says how many files a dry run would archive instead of what it archived', () => {
    const dry = report({ run: runContext({ dryRun: true }), totals: { ...report().totals, plannedFiles: 9 } });

    const message = formatRunReport(dry, options);

    expect(sectionTexts(message)).toContain('*Files*\nDry run: 9 files would be archived');
    expect(JSON.stringify(message.blocks?.[0])).toContain('succeeded (dry run)');
  });

  it('escapes Slack markup in reasons taken from logs and errors', () => {
    const message = formatRunReport(report({ skippedByReason: { '<!channel> & co': 1 } }), options);

    expect(sectionTexts(message).join('\n')).toContain('• &lt;!channel&gt; &amp; co: 1');
  });
});

describe('formatRunFailure', () => {
  it('formats a run that failed before any report as the golden message', () => {
    const cause = JSON.stringify({
      errorType: 'InvalidInputError',
      errorMessage: 'to: got "yesterday"; expected an ISO-8601 time',
      trace: ['InvalidInputError: to: …', '    at resolveRun (/var/task/index.js:1:1)'],
    });

    expectGolden('run-failure', formatRunFailure({ Error: 'InvalidInputError', Cause: cause }, options));
  });

  it('shows a cause that is not JSON as it is', () => {
    const message = formatRunFailure({ Error: 'States.Timeout', Cause: 'the task timed out' }, options);

    expect(sectionTexts(message)).toContain('```the task timed out```');
    expect(message.text).toBe('RDS log archive run failed: States.Timeout: the task timed out');
  });
});

describe('formatRunSummary', () => {
  it('still reports a failed run when the report object is unreadable', () => {
    const summary = {
      status: 'failed' as const,
      message: '2 failed',
      runId: 'run-1',
      reportKey: '_runs/x/report.json',
    };

    const message = formatRunSummary(summary, options);

    expect(message.text).toBe('RDS log archive run run-1 failed: 2 failed');
    expect(JSON.stringify(message.blocks)).toContain('The full report could not be read: `_runs/x/report.json`');
  });
});

describe('formatting helpers', () => {
  it('shows bytes in binary units and durations in words', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(3 * 1024 ** 3)]).toEqual(['512 B', '1.5 KiB', '3.0 GiB']);
    expect([formatDuration(42), formatDuration(725), formatDuration(7500)]).toEqual([
      '42 s',
      '12 min 5 s',
      '2 h 5 min',
    ]);
  });

  it('adds no "more" line when everything is listed', () => {
    expect(listWithMore(['a', 'b'], 2, 2)).toEqual(['a', 'b']);
    expect(listWithMore(['a', 'b', 'c'], 5, 2)).toEqual(['a', 'b', '…and 3 more']);
  });

  it('links to the execution in its own region', () => {
    expect(executionConsoleLink(EXECUTION)).toBe(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}`,
    );
  });
});
