import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { REPO_ROOT } from '../../infra/constructs/repo-paths';
import { archiveProps, contextChoice, contextFlag, contextInteger, contextList } from '../../infra/context';
import { RdsLogArchiveStack } from '../../infra/rds-log-archive-stack';
import { TRIM_MODES } from '../../tasks/common/cloudwatch-types';

describe('contextList', () => {
  it('takes a JSON array from cdk.json as is', () => {
    const app = new App({ context: { clusters: ['orders-aurora', 'billing-aurora'] } });

    expect(contextList(app, 'clusters')).toEqual(['orders-aurora', 'billing-aurora']);
  });

  it('splits a comma-separated value from the command line', () => {
    const app = new App({ context: { clusters: ' orders-aurora, billing-aurora ,' } });

    expect(contextList(app, 'clusters')).toEqual(['orders-aurora', 'billing-aurora']);
  });

  it('is undefined when the key is not set', () => {
    expect(contextList(new App(), 'clusters')).toBeUndefined();
  });

  it('names the key when the value has the wrong form', () => {
    const app = new App({ context: { clusters: [1, 2] } });

    expect(() => contextList(app, 'clusters')).toThrow(/context "clusters"/);
  });
});

describe('contextChoice', () => {
  it('takes one of the choices, from cdk.json or the command line', () => {
    const app = new App({ context: { trimMode: ' retention ' } });

    expect(contextChoice(app, 'trimMode', TRIM_MODES)).toBe('retention');
  });

  it('names the key and the choices when the value is not one of them', () => {
    const app = new App({ context: { trimMode: 'trim' } });

    expect(() => contextChoice(app, 'trimMode', TRIM_MODES)).toThrow(
      'context "trimMode": expected one of rewrite, retention, delete-exported, none, got "trim"',
    );
  });
});

describe('contextInteger', () => {
  it('takes a JSON number from cdk.json and digits from the command line', () => {
    expect(contextInteger(new App({ context: { days: 7 } }), 'days')).toBe(7);
    expect(contextInteger(new App({ context: { days: '10' } }), 'days')).toBe(10);
  });

  it.each([['7.5'], [7.5], ['seven'], [true]])('names the key when the value is %p', (value) => {
    const app = new App({ context: { cloudWatchOlderThanDays: value } });

    expect(() => contextInteger(app, 'cloudWatchOlderThanDays')).toThrow(
      /context "cloudWatchOlderThanDays": expected a whole number/,
    );
  });
});

describe('contextFlag', () => {
  it('takes a JSON boolean or the word', () => {
    expect(contextFlag(new App({ context: { unmask: false } }), 'unmask')).toBe(false);
    expect(contextFlag(new App({ context: { unmask: 'true' } }), 'unmask')).toBe(true);
  });

  it('names the key when the value is neither', () => {
    expect(() => contextFlag(new App({ context: { unmask: 'yes' } }), 'unmask')).toThrow(
      /context "unmask": expected true or false/,
    );
  });
});

describe('archiveProps', () => {
  it('reads the archive configuration from the context, by the construct prop names', () => {
    const app = new App({
      context: {
        clusters: ['orders-aurora'],
        logGroups: '/aws/rds/cluster/orders-aurora/*,/aws/rds/instance/billing-pg/error',
        trimMode: 'delete-exported',
        cloudWatchOlderThanDays: '30',
        unmask: false,
      },
    });

    expect(archiveProps(app)).toEqual({
      clusters: ['orders-aurora'],
      instances: undefined,
      logTypes: undefined,
      logGroups: ['/aws/rds/cluster/orders-aurora/*', '/aws/rds/instance/billing-pg/error'],
      trimMode: 'delete-exported',
      cloudWatchOlderThanDays: 30,
      unmask: false,
    });
  });

  it('uses the examples of cdk.json as a valid configuration', () => {
    const { context } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8'));

    expect(archiveProps(new App({ context }))).toMatchObject({
      logGroups: ['/aws/rds/cluster/orders-aurora/*'],
      trimMode: 'rewrite',
      cloudWatchOlderThanDays: 7,
    });
  });

  it.each([
    [{ logGroups: ['/aws/rds/with space'] }, /logGroups\[0\]/],
    [{ logGroups: ['/aws/rds/a'], cloudWatchOlderThanDays: 30 }, /cloudWatchOlderThanDays: 30/],
    [{ logGroups: ['/aws/rds/a'], trimMode: 'trim' }, /context "trimMode"/],
  ])('fails the synth with a message naming the context key for %p', (context, message) => {
    const app = new App({ context });

    expect(() => new RdsLogArchiveStack(app, 'RdsLogArchive', { archive: archiveProps(app) })).toThrow(message);
  });
});
