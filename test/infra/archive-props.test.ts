import { App, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { LOG_RETENTION_DAYS, propsProblems, type RdsLogArchiveProps } from '../../infra/constructs/archive-props';
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
