import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { follow, ProgressDisplay, runExitCode } from '../../../cli/follow';
import { RunReader } from '../../../cli/history';
import { tallyProgress } from '../../../cli/progress';
import { formatBytes, formatDuration, progressBlock, summaryLines } from '../../../cli/render';
import { mockRecordedRun, NOW, REGION, TextOutput } from './helpers';

const sfn = new SFNClient({ region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const sfnMock = mockClient(SFNClient);

beforeEach(() => sfnMock.reset());

async function followRecorded(output: TextOutput) {
  const recorded = mockRecordedRun(sfnMock);
  const reader = new RunReader(sfn);
  const sleeps: number[] = [];
  const result = await follow({
    read: () => reader.snapshot(recorded.executionArn),
    sleep: async (ms) => {
      sleeps.push(ms);
      recorded.phase = 'finished';
    },
    now: () => NOW,
    display: new ProgressDisplay(output),
    pollMs: 10_000,
  });
  return { result, sleeps, recorded };
}

describe('follow', () => {
  it('polls until the execution ends, pausing with the injected sleep between polls', async () => {
    const { result, sleeps, recorded } = await followRecorded(new TextOutput());

    expect(sleeps).toEqual([10_000]);
    expect(result.snapshot.execution.status).toBe('FAILED');
    expect(result.progress.summary).toEqual(recorded.summary);
  });

  it('redraws one block in a terminal', async () => {
    const terminal = new TextOutput(true, 200);

    await followRecorded(terminal);

    const [first, second] = terminal.text.split('\x1b[6A\x1b[0J');
    expect(first?.split('\n')).toEqual([
      'manual-20261120T0000Z-20261121T0000Z-5e0c6b1d  RUNNING  10h 15m',
      '  instances  1/2 done · 1 running · 1 unavailable',
      '  files      290/350 archived',
      '  log groups 0/1 done',
      '  exports    1 started · 0 verified · 1 status checks · latest: /aws/rds/cluster/orders-aurora/error RUNNING',
      '  streams    0/0 trimmed',
      '',
    ]);
    expect(second?.split('\n')).toEqual([
      'manual-20261120T0000Z-20261121T0000Z-5e0c6b1d  FAILED  11m 40s',
      '  instances  1/2 done · 1 failed · 1 unavailable',
      '  files      290/350 archived',
      '  log groups 1/1 done',
      '  exports    1 started · 1 verified · 2 status checks',
      '  streams    2/3 trimmed · 1 failed',
      '',
    ]);
  });

  it('writes a line per change to a pipe, never the same figures twice', async () => {
    const pipe = new TextOutput(false);
    const display = new ProgressDisplay(pipe);
    const progress = tallyProgress([]);
    const heading = { name: 'n', status: 'RUNNING', elapsedMs: 65_000 };

    display.show(progress, heading);
    display.show(progress, { ...heading, elapsedMs: 75_000 });
    display.show(tallyProgress([{ kind: 'exited', name: 'Instance Done' }]), { ...heading, elapsedMs: 85_000 });

    expect(pipe.text.split('\n')).toEqual([
      '[1m 05s] RUNNING | instances 0/… done | files 0/0 archived | log groups 0/… done | exports 0 started · 0 verified · 0 status checks | streams 0/0 trimmed',
      '[1m 25s] RUNNING | instances 1/… done | files 0/0 archived | log groups 0/… done | exports 0 started · 0 verified · 0 status checks | streams 0/0 trimmed',
      '',
    ]);
    expect(pipe.text).not.toContain('\x1b[');
  });

  it('cuts block lines to the terminal width', () => {
    const narrow = new TextOutput(true, 30);

    new ProgressDisplay(narrow).show(tallyProgress([]), { name: 'x'.repeat(60), status: 'RUNNING', elapsedMs: 0 });

    expect(narrow.text.split('\n').every((line) => line.length <= 29)).toBe(true);
  });
});

describe('runExitCode', () => {
  it.each([
    ['SUCCEEDED', 'succeeded', 0],
    ['SUCCEEDED', undefined, 0],
    ['RUNNING', undefined, 0],
    ['SUCCEEDED', 'failed', 1],
    ['FAILED', 'failed', 1],
    ['FAILED', undefined, 1],
    ['TIMED_OUT', undefined, 1],
    ['ABORTED', undefined, 1],
  ] as const)('%s with a %s summary exits %d', (status, summaryStatus, code) => {
    const summary = summaryStatus ? ({ status: summaryStatus } as Parameters<typeof runExitCode>[1]) : undefined;

    expect(runExitCode(status, summary)).toBe(code);
  });
});

describe('render', () => {
  it('formats durations and sizes', () => {
    expect([45_000, 724_000, 7_500_000].map(formatDuration)).toEqual(['45s', '12m 04s', '2h 05m']);
    expect([512, 1536, 1073741824].map(formatBytes)).toEqual(['512 B', '1.5 KiB', '1.0 GiB']);
  });

  it('shows a dry run as planned work', () => {
    const progress = tallyProgress([
      { kind: 'exited', name: 'Resolve Run', output: { run: { dryRun: true } } },
      { kind: 'exited', name: 'List Log Files', output: { instance: { instanceId: 'a' }, total: 9 } },
    ]);

    expect(progressBlock(progress, 'h')).toEqual(
      expect.arrayContaining(['  files      9 would be archived (dry run)', '  exports    none (dry run)']),
    );
  });

  it('prints the summary with its figures and report key', () => {
    const lines = summaryLines({
      status: 'succeeded',
      message: '3 files archived',
      runId: 'r',
      dryRun: false,
      reportKey: '_runs/2026/11/22/r/report.json',
      instances: 2,
      archivedFiles: 3,
      archivedBytes: 3 * 1024 * 1024,
      compressedBytes: 300 * 1024,
      plannedFiles: 3,
      skippedFiles: 1,
      failedFiles: 0,
      failedInstances: 0,
      unavailable: 0,
      logGroups: 1,
      failedLogGroups: 0,
      trimmedStreams: 4,
      skippedStreams: 1,
      failedStreams: 0,
    });

    expect(lines).toEqual([
      'succeeded: 3 files archived',
      '  instances 2 · files 3 archived (3.0 MiB, 300.0 KiB gzipped) · 1 skipped · 0 failed',
      '  log groups 1 · streams 4 trimmed, 1 skipped, 0 failed',
      '  report _runs/2026/11/22/r/report.json',
    ]);
  });
});
