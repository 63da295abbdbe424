import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { REPO_ROOT } from '../../infra/constructs/repo-paths';
import {
  archiveProps,
  contextChoice,
  contextChoices,
  contextDaysOrOff,
  contextFlag,
  contextInteger,
  contextList,
  contextObjects,
  contextRecord,
  contextString,
} from '../../infra/context';
import { RdsLogArchiveStack } from '../../infra/rds-log-archive-stack';
import { TRIM_MODES } from '../../tasks/common/cloudwatch-types';
import { RDS_EVENT_KINDS } from '../../tasks/common/notify-config';
import { METRIC_WIDGETS } from './notification-settings';

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

describe('contextChoices', () => {
  it('takes a list of the choices, from cdk.json or the command line', () => {
    expect(contextChoices(new App({ context: { kinds: ['backup', 'failure'] } }), 'kinds', RDS_EVENT_KINDS)).toEqual([
      'backup',
      'failure',
    ]);
    expect(contextChoices(new App({ context: { kinds: 'snapshot, other' } }), 'kinds', RDS_EVENT_KINDS)).toEqual([
      'snapshot',
      'other',
    ]);
    expect(contextChoices(new App(), 'kinds', RDS_EVENT_KINDS)).toBeUndefined();
  });

  it('names the key, the choices and the value that is not one of them', () => {
    const app = new App({ context: { rdsEventKinds: 'backup,snapshots' } });

    expect(() => contextChoices(app, 'rdsEventKinds', RDS_EVENT_KINDS)).toThrow(
      'context "rdsEventKinds": expected a list of backup, snapshot, failover, reboot, maintenance, failure, other, got "snapshots"',
    );
  });
});

describe('contextObjects', () => {
  it('takes a JSON array of objects from cdk.json, or its text from the command line', () => {
    expect(contextObjects(new App({ context: { metricWidgets: METRIC_WIDGETS } }), 'metricWidgets')).toEqual(
      METRIC_WIDGETS,
    );
    expect(
      contextObjects(new App({ context: { metricWidgets: JSON.stringify(METRIC_WIDGETS) } }), 'metricWidgets'),
    ).toEqual(METRIC_WIDGETS);
    expect(contextObjects(new App(), 'metricWidgets')).toBeUndefined();
  });

  it.each([['[{"title":'], ['{"title":"CPU"}'], [[['AWS/RDS']]], [42]])(
    'names the key when the value is %p',
    (value) => {
      expect(() => contextObjects(new App({ context: { metricWidgets: value } }), 'metricWidgets')).toThrow(
        /context "metricWidgets": expected a JSON array of objects/,
      );
    },
  );
});

describe('contextRecord', () => {
  const MAPPING = { '/custom/group': { cluster: 'orders-aurora', type: 'error' } };

  it('takes a JSON object from cdk.json, or its text from the command line', () => {
    expect(contextRecord(new App({ context: { mapping: MAPPING } }), 'mapping')).toEqual(MAPPING);
    expect(contextRecord(new App({ context: { mapping: JSON.stringify(MAPPING) } }), 'mapping')).toEqual(MAPPING);
    expect(contextRecord(new App(), 'mapping')).toBeUndefined();
  });

  it('names the key when the value is not a JSON object', () => {
    expect(() => contextRecord(new App({ context: { mapping: '[1]' } }), 'mapping')).toThrow(
      'context "mapping": expected a JSON object, got "[1]"',
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

describe('contextString', () => {
  it('takes a non-empty string, trimmed', () => {
    expect(contextString(new App({ context: { timeZone: ' Europe/Berlin ' } }), 'timeZone')).toBe('Europe/Berlin');
  });

  it.each([[''], [42], [['UTC']]])('names the key when the value is %p', (value) => {
    expect(() => contextString(new App({ context: { timeZone: value } }), 'timeZone')).toThrow(
      /context "timeZone": expected a non-empty string/,
    );
  });
});

describe('contextDaysOrOff', () => {
  it('takes whole days, or false to leave the step out', () => {
    expect(contextDaysOrOff(new App({ context: { days: 30 } }), 'days')).toBe(30);
    expect(contextDaysOrOff(new App({ context: { days: '0' } }), 'days')).toBe(0);
    expect(contextDaysOrOff(new App({ context: { days: false } }), 'days')).toBe(false);
    expect(contextDaysOrOff(new App({ context: { days: 'false' } }), 'days')).toBe(false);
    expect(contextDaysOrOff(new App(), 'days')).toBeUndefined();
  });

  it('names the key and both forms when the value is neither', () => {
    expect(() =>
      contextDaysOrOff(new App({ context: { deepArchiveAfterDays: 'never' } }), 'deepArchiveAfterDays'),
    ).toThrow('context "deepArchiveAfterDays": expected a whole number of days, or false, got "never"');
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

  it('reads the schedule, bucket and operations settings by the construct prop names', () => {
    const app = new App({
      context: {
        schedule: 'cron(30 2 * * ? *)',
        timeZone: 'Europe/Berlin',
        scheduleEnabled: 'false',
        encryption: 'kms',
        glacierInstantRetrievalAfterDays: 'false',
        deepArchiveAfterDays: 90,
        objectLockRetentionDays: '365',
        objectLockMode: 'COMPLIANCE',
        logRetentionDays: 90,
        logLevel: 'WARN',
        alarmEmail: 'dba@example.com',
      },
    });

    expect(archiveProps(app)).toMatchObject({
      schedule: 'cron(30 2 * * ? *)',
      timeZone: 'Europe/Berlin',
      scheduleEnabled: false,
      encryption: 'kms',
      transitions: { glacierInstantRetrievalAfterDays: false, deepArchiveAfterDays: 90 },
      objectLockRetentionDays: 365,
      objectLockMode: 'COMPLIANCE',
      logRetentionDays: 90,
      logLevel: 'WARN',
      alarmEmail: 'dba@example.com',
    });
  });

  it('reads the notification settings by the construct prop names', () => {
    const app = new App({
      context: {
        slackWebhookSecret: 'rds-log-archive/slack-webhook',
        slackBotTokenSecret: 'rds-log-archive/slack-bot',
        slackChannelId: 'C0123456789',
        notifyTimeZone: 'Asia/Seoul',
        rdsEventKinds: 'snapshot,failure',
        rdsEventDetailTypes: ['RDS DB Cluster Snapshot Event'],
        rdsEventCategories: 'backup, security patching',
        backupCheckSchedule: 'cron(0 9 * * ? *)',
        backupMaxAgeHours: '30',
        metricWidgets: METRIC_WIDGETS,
        metricGraphSchedule: 'rate(6 hours)',
      },
    });

    expect(archiveProps(app)).toMatchObject({
      slackWebhookSecret: 'rds-log-archive/slack-webhook',
      slackBotTokenSecret: 'rds-log-archive/slack-bot',
      slackChannelId: 'C0123456789',
      notifyTimeZone: 'Asia/Seoul',
      rdsEventKinds: ['snapshot', 'failure'],
      rdsEventDetailTypes: ['RDS DB Cluster Snapshot Event'],
      rdsEventCategories: ['backup', 'security patching'],
      backupCheckSchedule: 'cron(0 9 * * ? *)',
      backupMaxAgeHours: 30,
      metricWidgets: METRIC_WIDGETS,
      metricGraphSchedule: 'rate(6 hours)',
    });
  });

  it('reads the forwarding and Athena settings by the construct prop names', () => {
    const app = new App({
      context: {
        forwardTarget: 'opensearch',
        forwardEndpoint: 'https://search.example.com',
        forwardOpenSearchService: 'aoss',
        forwardOpenSearchArn: 'arn:aws:aoss:eu-west-1:123456789012:collection/abc123',
        forwardIndexPrefix: 'db-logs',
        forwardLogGroups: '/aws/rds/cluster/orders-aurora/error,/aws/rds/cluster/orders-aurora/audit',
        forwardLogGroupMapping: '{"/aws/rds/cluster/orders-aurora/error":{"type":"error"}}',
        forwardRdsEvents: 'true',
        parsedOutput: 'all',
        athenaTables: true,
        athenaDatabaseName: 'orders_logs',
        athenaInstances: ['orders-aurora-1'],
      },
    });

    expect(archiveProps(app)).toMatchObject({
      forwardTarget: 'opensearch',
      forwardEndpoint: 'https://search.example.com',
      forwardOpenSearchService: 'aoss',
      forwardOpenSearchArn: 'arn:aws:aoss:eu-west-1:123456789012:collection/abc123',
      forwardIndexPrefix: 'db-logs',
      forwardLogGroups: ['/aws/rds/cluster/orders-aurora/error', '/aws/rds/cluster/orders-aurora/audit'],
      forwardLogGroupMapping: { '/aws/rds/cluster/orders-aurora/error': { type: 'error' } },
      forwardRdsEvents: true,
      parsedOutput: ['all'],
      athenaTables: true,
      athenaDatabaseName: 'orders_logs',
      athenaInstances: ['orders-aurora-1'],
    });
  });

  it('names forwardTarget and the choices when it is neither target', () => {
    expect(() => archiveProps(new App({ context: { forwardTarget: 'kafka' } }))).toThrow(
      'context "forwardTarget": expected one of opensearch, https, got "kafka"',
    );
  });

  it('leaves the transitions to the construct defaults when neither key is set', () => {
    expect(archiveProps(new App({ context: { clusters: ['orders-aurora'] } })).transitions).toBeUndefined();
  });

  it('uses the examples of cdk.json as a valid configuration', () => {
    const { context } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8'));

    expect(archiveProps(new App({ context }))).toMatchObject({
      clusters: ['orders-aurora'],
      instances: ['billing-pg'],
      logGroups: ['/aws/rds/cluster/orders-aurora/*'],
      trimMode: 'rewrite',
      cloudWatchOlderThanDays: 7,
      unmask: true,
      schedule: 'cron(0 1 * * ? *)',
      timeZone: 'UTC',
      scheduleEnabled: true,
      encryption: 's3-managed',
      transitions: { glacierInstantRetrievalAfterDays: 30, deepArchiveAfterDays: 180 },
      logRetentionDays: 30,
      logLevel: 'INFO',
      notifyTimeZone: 'UTC',
      rdsEventKinds: ['backup', 'snapshot', 'failover', 'reboot', 'maintenance', 'failure'],
      rdsEventDetailTypes: [
        'RDS DB Instance Event',
        'RDS DB Cluster Event',
        'RDS DB Snapshot Event',
        'RDS DB Cluster Snapshot Event',
      ],
      backupCheckSchedule: 'cron(0 9 * * ? *)',
      backupMaxAgeHours: 26,
    });
  });

  it.each([
    [{ logGroups: ['/aws/rds/with space'] }, /logGroups\[0\]/],
    [{ logGroups: ['/aws/rds/a'], cloudWatchOlderThanDays: 30 }, /cloudWatchOlderThanDays: 30/],
    [{ logGroups: ['/aws/rds/a'], trimMode: 'trim' }, /context "trimMode"/],
    [{ clusters: ['a'], schedule: 'every day' }, /schedule: "every day" is not valid: expected cron\(/],
    [{ clusters: ['a'], timeZone: 'Berlin/Europe' }, /timeZone: "Berlin\/Europe" is not an IANA time zone name/],
    [{ clusters: ['a'], scheduleEnabled: 'yes' }, /context "scheduleEnabled": expected true or false/],
    [{ clusters: ['a'], encryption: 'aes' }, /context "encryption": expected one of s3-managed, kms/],
    [{ clusters: ['a'], glacierInstantRetrievalAfterDays: 'soon' }, /context "glacierInstantRetrievalAfterDays"/],
    [{ clusters: ['a'], deepArchiveAfterDays: 60 }, /transitions.deepArchiveAfterDays: 60 must be at least 120/],
    [{ clusters: ['a'], objectLockRetentionDays: 'forever' }, /context "objectLockRetentionDays": expected a whole/],
    [{ clusters: ['a'], objectLockMode: 'strict' }, /context "objectLockMode": expected one of GOVERNANCE, COMPLIANCE/],
    [{ clusters: ['a'], logRetentionDays: 10 }, /logRetentionDays: 10 is not one of 1, 3, 5, 7, 14, 30/],
    [{ clusters: ['a'], logLevel: 'info' }, /context "logLevel": expected one of DEBUG, INFO, WARN, ERROR/],
    [{ clusters: ['a'], alarmEmail: 'dba' }, /alarmEmail: "dba" is not an email address/],
    [{ clusters: ['a'], slackWebhookSecret: 'my secret' }, /slackWebhookSecret: "my secret" is not a Secrets Manager/],
    [{ clusters: ['a'], slackWebhookSecret: 42 }, /context "slackWebhookSecret": expected a non-empty string/],
    [{ clusters: ['a'], slackChannelId: 'general' }, /slackChannelId: "general" is not a Slack channel id/],
    [{ clusters: ['a'], notifyTimeZone: 'Seoul' }, /notifyTimeZone: "Seoul" is not an IANA time zone name/],
    [{ clusters: ['a'], rdsEventKinds: 'backups' }, /context "rdsEventKinds": expected a list of backup, snapshot/],
    [{ clusters: ['a'], rdsEventDetailTypes: 'DB Instance' }, /rdsEventDetailTypes\[0\]: "DB Instance" is not an RDS/],
    [
      { clusters: ['a'], rdsEventCategories: 'Backup' },
      /rdsEventCategories\[0\]: "Backup" is not an RDS event category/,
    ],
    [{ clusters: ['a'], backupCheckSchedule: 'daily' }, /backupCheckSchedule: "daily" is not valid: expected cron\(/],
    [{ clusters: ['a'], backupMaxAgeHours: 'a day' }, /context "backupMaxAgeHours": expected a whole number/],
    [{ clusters: ['a'], backupMaxAgeHours: 900 }, /backupMaxAgeHours: 900 must be a whole number of hours from 1/],
    [{ clusters: ['a'], metricWidgets: '{}' }, /context "metricWidgets": expected a JSON array of objects/],
    [{ clusters: ['a'], metricWidgets: '[{}]' }, /metricWidgets: set slackBotTokenSecret and slackChannelId too/],
    [{ clusters: ['a'], metricGraphSchedule: 'rate(1 hour)' }, /metricGraphSchedule: set metricWidgets too/],
  ])('fails the synth with a message naming the context key for %p', (context, message) => {
    const app = new App({ context });

    expect(() => new RdsLogArchiveStack(app, 'RdsLogArchive', { archive: archiveProps(app) })).toThrow(message);
  });
});
