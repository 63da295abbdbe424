import { App, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { LOG_RETENTION_DAYS, propsProblems, type RdsLogArchiveProps } from '../../infra/constructs/archive-props';
import { SCHEDULE_FORM } from '../../infra/constructs/prop-checks';
import { RdsLogArchive } from '../../infra/constructs/rds-log-archive';

const VALID: RdsLogArchiveProps = { clusters: ['orders-aurora'] };
const problemsOf = (props: Partial<RdsLogArchiveProps>) => propsProblems({ ...VALID, ...props }, 'archive');

describe('propsProblems', () => {
  it('finds nothing wrong with a cluster and every default', () => {
    expect(problemsOf({})).toEqual([]);
  });

  it('accepts every option set to a valid value', () => {
    expect(
      problemsOf({
        schedule: 'cron(30 2 ? * MON-FRI *)',
        timeZone: 'Europe/Berlin',
        scheduleEnabled: false,
        encryption: 'kms',
        transitions: { glacierInstantRetrievalAfterDays: 0, deepArchiveAfterDays: 90 },
        objectLockRetentionDays: 2555,
        objectLockMode: 'COMPLIANCE',
        logRetentionDays: 365,
        logLevel: 'DEBUG',
        alarmEmail: 'dba@example.com',
      }),
    ).toEqual([]);
  });

  it.each([['cron(0 1 * * ? *)'], ['cron(15 */6 ? * * *)'], ['rate(12 hours)'], ['rate(1 day)']])(
    'accepts the schedule %s',
    (schedule) => {
      expect(problemsOf({ schedule })).toEqual([]);
    },
  );

  it.each([
    ['0 1 * * *', 'a crontab line without cron()'],
    ['cron(0 1 * * * *)', 'no ? in either day field'],
    ['cron(0 1 ? * ? *)', '? in both day fields'],
    ['cron(0 1 * *)', 'too few fields'],
    ['rate(0 hours)', 'a zero rate'],
    ['rate(2 weeks)', 'an unknown unit'],
  ])('refuses the schedule %s (%s), naming the expected form', (schedule) => {
    expect(problemsOf({ schedule })).toEqual([
      `schedule: "${schedule}" is not valid: expected cron(minutes hours day-of-month month day-of-week year) ` +
        'with ? in day-of-month or day-of-week, such as cron(0 1 * * ? *), or rate(value unit), such as rate(12 hours)',
    ]);
  });

  it.each([['Mars/Olympus_Mons'], ['UTC+2'], ['Europe/ Berlin']])('refuses the time zone %s', (timeZone) => {
    expect(problemsOf({ timeZone })).toEqual([
      `timeZone: "${timeZone}" is not an IANA time zone name such as UTC or Europe/Berlin`,
    ]);
  });

  it('refuses an unknown encryption and one that contradicts the given key', () => {
    const key = Key.fromKeyArn(new Stack(), 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/abc');

    expect(problemsOf({ encryption: 'sse-c' as never })).toEqual(['encryption: "sse-c" is not one of s3-managed, kms']);
    expect(problemsOf({ encryption: 's3-managed', kmsKey: key })).toEqual([
      'encryption: "s3-managed" contradicts kmsKey; use "kms" or leave kmsKey out',
    ]);
  });

  it('refuses transitions that are not whole days from 0', () => {
    expect(problemsOf({ transitions: { glacierInstantRetrievalAfterDays: -1, deepArchiveAfterDays: 2.5 } })).toEqual([
      'transitions.glacierInstantRetrievalAfterDays: -1 must be a whole number of days from 0, or false',
      'transitions.deepArchiveAfterDays: 2.5 must be a whole number of days from 0, or false',
    ]);
  });

  it('wants Deep Archive at least 90 days after Glacier Instant Retrieval, which bills 90 days', () => {
    expect(problemsOf({ transitions: { glacierInstantRetrievalAfterDays: 60, deepArchiveAfterDays: 120 } })).toEqual([
      'transitions.deepArchiveAfterDays: 120 must be at least 150, 90 days after glacierInstantRetrievalAfterDays ' +
        '(60): Glacier Instant Retrieval bills 90 days at least',
    ]);
    // The default Glacier Instant Retrieval day (30) counts when only Deep Archive is set.
    expect(problemsOf({ transitions: { deepArchiveAfterDays: 100 } })).toHaveLength(1);
  });

  it('accepts any Deep Archive day when Glacier Instant Retrieval is left out, and no transition at all', () => {
    expect(problemsOf({ transitions: { glacierInstantRetrievalAfterDays: false, deepArchiveAfterDays: 1 } })).toEqual(
      [],
    );
    expect(
      problemsOf({ transitions: { glacierInstantRetrievalAfterDays: false, deepArchiveAfterDays: false } }),
    ).toEqual([]);
  });

  it('refuses an Object Lock retention out of range and a mode without a retention', () => {
    expect(problemsOf({ objectLockRetentionDays: 0 })).toEqual([
      'objectLockRetentionDays: 0 must be a whole number of days from 1 to 36500',
    ]);
    expect(problemsOf({ objectLockMode: 'COMPLIANCE' })).toEqual([
      'objectLockMode: set objectLockRetentionDays too; the mode alone locks nothing',
    ]);
    expect(problemsOf({ objectLockRetentionDays: 30, objectLockMode: 'LEGAL' as never })).toEqual([
      'objectLockMode: "LEGAL" is not one of GOVERNANCE, COMPLIANCE',
    ]);
  });

  it('refuses bucket settings beside a bucket of your own, naming each', () => {
    const bucket = Bucket.fromBucketName(new Stack(), 'Bucket', 'archive');

    expect(
      problemsOf({
        bucket,
        encryption: 'kms',
        transitions: {},
        objectLockRetentionDays: 30,
        objectLockMode: 'GOVERNANCE',
      }),
    ).toEqual(
      ['encryption', 'transitions', 'objectLockRetentionDays', 'objectLockMode'].map(
        (field) => `${field}: applies only to the bucket the construct creates; set it on the given bucket instead`,
      ),
    );
  });

  it('takes the log retention periods CloudWatch Logs accepts, and no other', () => {
    expect(LOG_RETENTION_DAYS).toContain(30);
    expect(LOG_RETENTION_DAYS).toContain(3653);
    expect(LOG_RETENTION_DAYS).not.toContain(9999);
    expect(problemsOf({ logRetentionDays: 31 })).toEqual([
      `logRetentionDays: 31 is not one of ${LOG_RETENTION_DAYS.join(', ')}`,
    ]);
  });

  it('refuses an unknown log level and a malformed alarm email', () => {
    expect(problemsOf({ logLevel: 'TRACE' as never, alarmEmail: 'dba at example.com' })).toEqual([
      'logLevel: "TRACE" is not one of DEBUG, INFO, WARN, ERROR',
      'alarmEmail: "dba at example.com" is not an email address such as ops@example.com',
    ]);
  });

  it('wants identifiers in lowercase, as RDS stores them and IAM compares them', () => {
    expect(problemsOf({ clusters: ['Orders-Aurora'], instances: ['billing-pg'] })).toEqual([
      'clusters[0]: "Orders-Aurora" must be lowercase, as RDS stores it ("orders-aurora")',
    ]);
  });
});

describe('RdsLogArchive props validation', () => {
  it('reports the problems of every new prop in one error, before creating anything', () => {
    const stack = new Stack(new App(), 'Invalid');
    const create = () =>
      new RdsLogArchive(stack, 'Archive', {
        ...VALID,
        schedule: 'daily',
        timeZone: 'Nowhere/Land',
        logRetentionDays: 2,
        objectLockRetentionDays: -5,
        alarmEmail: 'nobody',
      });

    expect(create).toThrow(
      /invalid props\n- objectLockRetentionDays: [^\n]*\n- schedule: [^\n]*\n- timeZone: [^\n]*\n- logRetentionDays: [^\n]*\n- alarmEmail: /,
    );
    expect(stack.node.findAll().map((construct) => construct.node.path)).toEqual(['Invalid', 'Invalid/Archive']);
  });
});

describe('notification props', () => {
  const SLACK = { slackBotTokenSecret: 'rds-log-archive/slack-bot', slackChannelId: 'C0123456789' };

  it('accepts every notification option set to a valid value', () => {
    expect(
      problemsOf({
        ...SLACK,
        slackWebhookSecret: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-log-archive/slack-webhook-AbCdEf',
        notifyTimeZone: 'Asia/Seoul',
        rdsEventKinds: ['snapshot', 'other'],
        rdsEventDetailTypes: ['RDS DB Cluster Snapshot Event'],
        rdsEventCategories: ['backup', 'security patching'],
        backupCheckSchedule: 'cron(0 9 ? * MON-FRI *)',
        backupMaxAgeHours: 840,
        metricWidgets: [{ title: 'CPU', metrics: [['AWS/RDS', 'CPUUtilization']] }],
        metricGraphSchedule: 'rate(6 hours)',
      }),
    ).toEqual([]);
  });

  it('refuses a secret that is neither a name nor a Secrets Manager ARN', () => {
    expect(
      problemsOf({ slackWebhookSecret: 'slack webhook', slackBotTokenSecret: 'arn:aws:ssm:eu-west-1:1:parameter/x' }),
    ).toEqual([
      'slackWebhookSecret: "slack webhook" is not a Secrets Manager secret name (letters, digits and / _ + = . @ -) ' +
        'or ARN (arn:aws:secretsmanager:{region}:{account}:secret:{name})',
      'slackBotTokenSecret: "arn:aws:ssm:eu-west-1:1:parameter/x" is not a Secrets Manager secret name (letters, ' +
        'digits and / _ + = . @ -) or ARN (arn:aws:secretsmanager:{region}:{account}:secret:{name})',
      'slackBotTokenSecret: set slackChannelId too; the token uploads the graphs to that channel',
    ]);
  });

  it('wants a channel id of Slack’s form, and the bot token and the channel together', () => {
    expect(problemsOf({ slackChannelId: '#db-alerts' })).toEqual([
      'slackChannelId: "#db-alerts" is not a Slack channel id such as C0123456789',
      'slackChannelId: set slackBotTokenSecret too; graphs are uploaded with a bot token',
    ]);
  });

  it('refuses a notification time zone Intl does not know', () => {
    expect(problemsOf({ notifyTimeZone: 'KST' })).toEqual([
      'notifyTimeZone: "KST" is not an IANA time zone name such as UTC or Asia/Seoul',
    ]);
  });

  it('refuses unknown event kinds, detail-types not in RDS form, categories not in lowercase, and empty lists', () => {
    expect(
      problemsOf({
        rdsEventKinds: ['snapshot', 'snapshots' as never],
        rdsEventDetailTypes: ['rds db instance event'],
        rdsEventCategories: ['Backup'],
      }),
    ).toEqual([
      'rdsEventKinds[1]: "snapshots" is not one of backup, snapshot, failover, reboot, maintenance, failure, other',
      'rdsEventDetailTypes[0]: "rds db instance event" is not an RDS detail-type such as "RDS DB Instance Event" ' +
        '(EventBridge compares it exactly)',
      'rdsEventCategories[0]: "Backup" is not an RDS event category in lowercase, such as "backup" or "security ' +
        'patching" (EventBridge compares it exactly)',
    ]);
    expect(problemsOf({ rdsEventKinds: [], rdsEventCategories: [] })).toEqual([
      'rdsEventKinds: empty; leave it out for the default',
      'rdsEventCategories: empty; leave it out for the default',
    ]);
  });

  it('refuses a backup check schedule that is not an expression and an age out of range', () => {
    expect(problemsOf({ backupCheckSchedule: '0 9 * * *', backupMaxAgeHours: 0 })).toEqual([
      'backupCheckSchedule: "0 9 * * *" is not valid: expected cron(minutes hours day-of-month month day-of-week ' +
        'year) with ? in day-of-month or day-of-week, such as cron(0 1 * * ? *), or rate(value unit), such as rate(12 hours)',
      'backupMaxAgeHours: 0 must be a whole number of hours from 1 to 840',
    ]);
    expect(problemsOf({ backupMaxAgeHours: 26.5 })).toHaveLength(1);
  });

  it('refuses widgets that are not objects, that do not fit the environment, or that have no bot to post them', () => {
    expect(problemsOf({ ...SLACK, metricWidgets: [[] as never, { title: 'x' }] })).toEqual([
      "metricWidgets[0]: [] is not a metric widget object (a graph's Source JSON)",
    ]);
    expect(problemsOf({ ...SLACK, metricWidgets: [{ title: 'x'.repeat(3000) }] })).toEqual([
      "metricWidgets: 3014 characters as JSON, more than the 3000 that fit beside the functions' other variables " +
        '(Lambda allows 4 KB for all of them)',
    ]);
    expect(problemsOf({ metricWidgets: [{ title: 'CPU' }] })).toEqual([
      'metricWidgets: set slackBotTokenSecret and slackChannelId too; graphs are uploaded with a bot token',
    ]);
  });

  it('refuses a graph schedule without widgets or of the wrong form', () => {
    expect(problemsOf({ metricGraphSchedule: 'hourly' })).toEqual([
      `metricGraphSchedule: "hourly" is not valid: expected ${SCHEDULE_FORM}`,
      'metricGraphSchedule: set metricWidgets too; without widgets there is nothing to post',
    ]);
  });
});

describe('RdsLogArchive notification props validation', () => {
  it('reports the notification problems with the others in one error, naming each prop', () => {
    const stack = new Stack(new App(), 'Invalid');
    const create = () =>
      new RdsLogArchive(stack, 'Archive', {
        ...VALID,
        schedule: 'daily',
        slackWebhookSecret: 'a secret',
        notifyTimeZone: 'Seoul',
        backupMaxAgeHours: 1000,
        metricGraphSchedule: 'rate(1 hour)',
      });

    expect(create).toThrow(
      /invalid props\n- schedule: [^\n]*\n- slackWebhookSecret: [^\n]*\n- backupMaxAgeHours: [^\n]*\n- metricGraphSchedule: [^\n]*\n- notifyTimeZone: /,
    );
    expect(stack.node.findAll()).toHaveLength(2);
  });
});
