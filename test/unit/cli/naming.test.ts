import { consoleLink, executionArnFor, parseExecutionRef, regionOfArn } from '../../../cli/arns';
import { UsageError } from '../../../cli/errors';
import { againNames, compactTime, EXECUTION_NAME, executionName, localExecutionName } from '../../../cli/naming';
import type { ManualInput } from '../../../cli/run-input';
import { NOW, STATE_MACHINE_ARN } from './helpers';

const week: ManualInput = { from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z' };

describe('executionName', () => {
  it('reads as the range plus 8 hex digits of the input hash', () => {
    expect(executionName(week)).toMatch(/^manual-20261101T0000Z-20261108T0000Z-[0-9a-f]{8}$/);
  });

  it('keeps names stable across releases, so a run started earlier is still recognised', () => {
    const input: ManualInput = {
      from: '2026-11-20T00:00:00Z',
      to: '2026-11-21T00:00:00Z',
      clusters: ['orders-aurora'],
    };

    expect(executionName(input)).toBe('manual-20261120T0000Z-20261121T0000Z-6daa7347');
  });

  it('gives the same input the same name, whatever order its keys came in', () => {
    const reordered = { to: week.to, clusters: ['a'], from: week.from } as ManualInput;

    expect(executionName({ ...week, clusters: ['a'] })).toBe(executionName({ ...week, clusters: ['a'] }));
    expect(executionName(reordered)).toBe(executionName({ ...week, clusters: ['a'] }));
  });

  it('gives different inputs different names, also when only a flag differs', () => {
    const inputs: ManualInput[] = [
      week,
      { ...week, dryRun: true },
      { ...week, force: true },
      { ...week, clusters: ['orders-aurora'] },
      { ...week, instances: ['orders-aurora'] },
      { ...week, logTypes: ['audit'] },
      { ...week, logGroups: ['/aws/rds/cluster/*'] },
      { ...week, trimMode: 'none' },
      { ...week, to: '2026-11-08T00:00:01Z' },
    ];

    expect(new Set(inputs.map((input) => executionName(input))).size).toBe(inputs.length);
  });

  it('is a valid Step Functions name even for the longest inputs and with --again suffixes', () => {
    const big: ManualInput = {
      ...week,
      clusters: Array.from({ length: 50 }, (_, index) => `cluster-${'x'.repeat(50)}-${index}`),
      logGroups: ['/aws/rds/cluster/*'],
      trimMode: 'delete-exported',
      force: true,
      dryRun: true,
    };
    const names = [executionName(big), ...againNames(executionName(big), 99), localExecutionName(big, NOW)];

    for (const name of names) {
      expect(name).toMatch(EXECUTION_NAME);
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name).not.toContain(':');
    }
  });
});

describe('againNames and localExecutionName', () => {
  it('tries the name, then -2, -3 … in order', () => {
    expect(againNames('manual-x', 4)).toEqual(['manual-x', 'manual-x-2', 'manual-x-3', 'manual-x-4']);
  });

  it('gives each local run its own name (its report prefix), with the start time to the second', () => {
    expect(localExecutionName(week, NOW)).toMatch(/^local-20261101T0000Z-20261108T0000Z-[0-9a-f]{8}-20261122T101530Z$/);
    expect(localExecutionName(week, NOW + 1000)).not.toBe(localExecutionName(week, NOW));
  });

  it('writes times compactly, with seconds when asked', () => {
    expect(compactTime('2026-11-20T09:05:07Z')).toBe('20261120T0905Z');
    expect(compactTime('2026-11-20T09:05:07Z', true)).toBe('20261120T090507Z');
  });
});

describe('ARNs and the console link', () => {
  it('forms the execution ARN from the state machine ARN and the name', () => {
    expect(executionArnFor(STATE_MACHINE_ARN, 'manual-x')).toBe(
      'arn:aws:states:eu-west-1:123456789012:execution:RdsLogArchive-Archive:manual-x',
    );
  });

  it('links the execution in its own region', () => {
    const arn = 'arn:aws:states:us-east-2:123456789012:execution:RdsLogArchive-Archive:manual-x';

    expect(regionOfArn(arn)).toBe('us-east-2');
    expect(consoleLink(arn)).toBe(
      `https://us-east-2.console.aws.amazon.com/states/home?region=us-east-2#/v2/executions/details/${arn}`,
    );
  });

  it('takes an execution ARN as it is and a bare name for resolving', () => {
    const arn = executionArnFor(STATE_MACHINE_ARN, 'manual-x');

    expect(parseExecutionRef(arn)).toEqual({ arn });
    expect(parseExecutionRef('manual-x')).toEqual({ name: 'manual-x' });
    expect(() => parseExecutionRef('manual:x')).toThrow(UsageError);
    expect(() => parseExecutionRef('x'.repeat(81))).toThrow(/expected an execution name \(1-80 of 0-9 A-Z a-z - _\)/);
  });
});
