import { ConfigurationError } from '../../../tasks/common/errors';
import { testConfig } from '../../helpers/config';

function configurationErrorFor(env: Record<string, string | undefined>): ConfigurationError {
  try {
    testConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseConfig', () => {
  it('fills every optional setting with its default', () => {
    const config = testConfig({ CLUSTERS: undefined });

    expect(config).toEqual({
      region: 'eu-west-1',
      archiveBucket: 'archive-bucket',
      clusters: [],
      instances: [],
      logTypes: ['audit', 'slowquery', 'error', 'general', 'postgresql'],
      activeQuietMinutes: 15,
      maxFilesPerInstance: 3000,
      batchMaxFiles: 200,
      timeReserveSeconds: 240,
      downloadAttempts: 5,
      fileConcurrency: 2,
      gzipLevel: 6,
      rdsEndpoint: 'https://rds.eu-west-1.amazonaws.com',
      s3ForcePathStyle: false,
      logGroups: [],
      cloudWatchOlderThanDays: 7,
      trimMode: 'rewrite',
      trimQuietMinutes: 30,
      trimMarginMinutes: 60,
      maxStreamsPerGroup: 500,
      exportMaxWaitMinutes: 720,
      exportSlotWaitMinutes: 120,
      exportPollSeconds: 30,
      unmask: true,
      parsedOutput: [],
    });
  });

  it('parses every log type for PARSED_OUTPUT all, and only the listed ones otherwise', () => {
    expect(testConfig({ PARSED_OUTPUT: 'all' }).parsedOutput).toEqual([
      'audit',
      'slowquery',
      'error',
      'general',
      'postgresql',
    ]);
    expect(testConfig({ PARSED_OUTPUT: ' slowquery, audit,slowquery ' }).parsedOutput).toEqual(['slowquery', 'audit']);
  });

  it('names PARSED_OUTPUT and the expected form when a log type is unknown', () => {
    const error = configurationErrorFor({ PARSED_OUTPUT: 'slowquery,binlog' });

    expect(error.variable).toBe('PARSED_OUTPUT');
    expect(error.message).toBe(
      'PARSED_OUTPUT: got "binlog"; expected all, or a comma-separated subset of audit, slowquery, error, general, postgresql',
    );
  });

  it('reads log group names and prefixes, the trim mode and the unmask flag', () => {
    const config = testConfig({
      LOG_GROUPS: '/aws/rds/cluster/aurora-a/error, /aws/rds/instance/*',
      TRIM_MODE: 'delete-exported',
      CW_OLDER_THAN_DAYS: '90',
      CW_UNMASK: 'false',
    });

    expect(config).toMatchObject({
      logGroups: ['/aws/rds/cluster/aurora-a/error', '/aws/rds/instance/*'],
      trimMode: 'delete-exported',
      cloudWatchOlderThanDays: 90,
      unmask: false,
    });
  });

  it.each([
    ['LOG_GROUPS', { LOG_GROUPS: '/aws/rds/cluster/a b' }, /^LOG_GROUPS: got "\/aws\/rds\/cluster\/a b"; expected/],
    ['LOG_GROUPS', { LOG_GROUPS: '/aws/*/error' }, /^LOG_GROUPS: got "\/aws\/\*\/error"/],
    ['TRIM_MODE', { TRIM_MODE: 'truncate' }, /^TRIM_MODE: got "truncate"; expected one of rewrite, retention/],
    [
      'CW_OLDER_THAN_DAYS',
      { CW_OLDER_THAN_DAYS: '14' },
      /^CW_OLDER_THAN_DAYS: got "14"; expected a whole number from 1 to 13$/,
    ],
    ['CW_UNMASK', { CW_UNMASK: 'maybe' }, /^CW_UNMASK: got "maybe"; expected true or false$/],
  ])('names %s when it is malformed', (variable, env, message) => {
    const error = configurationErrorFor(env);

    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
  });

  it('reads lists, numbers and flags when they are set', () => {
    const config = testConfig({
      CLUSTERS: ' aurora-a, aurora-b ',
      INSTANCES: 'mysql-1',
      LOG_TYPES: 'audit,slowquery',
      MAX_FILES_PER_INSTANCE: '50',
      S3_FORCE_PATH_STYLE: 'TRUE',
      AWS_ENDPOINT_URL_RDS: 'http://127.0.0.1:4599/',
    });

    expect(config.clusters).toEqual(['aurora-a', 'aurora-b']);
    expect(config.instances).toEqual(['mysql-1']);
    expect(config.logTypes).toEqual(['audit', 'slowquery']);
    expect(config.maxFilesPerInstance).toBe(50);
    expect(config.s3ForcePathStyle).toBe(true);
    expect(config.rdsEndpoint).toBe('http://127.0.0.1:4599');
  });

  it('returns a frozen object', () => {
    const config = testConfig();

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.clusters)).toBe(true);
  });

  it('names ARCHIVE_BUCKET when it is missing', () => {
    const error = configurationErrorFor({ ARCHIVE_BUCKET: undefined });

    expect(error.variable).toBe('ARCHIVE_BUCKET');
    expect(error.message).toBe('ARCHIVE_BUCKET: missing; expected an S3 bucket name');
  });

  it('names ARCHIVE_BUCKET when it is not a bucket name', () => {
    const error = configurationErrorFor({ ARCHIVE_BUCKET: 'My_Bucket' });

    expect(error.message).toMatch(/^ARCHIVE_BUCKET: got "My_Bucket"/);
  });

  it('names AWS_REGION when it is missing', () => {
    const error = configurationErrorFor({ AWS_REGION: '' });

    expect(error.variable).toBe('AWS_REGION');
  });

  it('names LOG_TYPES and the unknown type', () => {
    const error = configurationErrorFor({ LOG_TYPES: 'audit,binlog' });

    expect(error.variable).toBe('LOG_TYPES');
    expect(error.message).toMatch(/^LOG_TYPES: got "binlog"; expected a comma-separated subset of audit, slowquery/);
  });

  it('names LOG_TYPES with the log types as expected form when a value is not even an identifier', () => {
    const error = configurationErrorFor({ LOG_TYPES: 'slow_query' });

    expect(error.message).toBe(
      'LOG_TYPES: got "slow_query"; expected a comma-separated subset of audit, slowquery, error, general, postgresql',
    );
  });

  it('names CLUSTERS when an identifier is malformed', () => {
    const error = configurationErrorFor({ CLUSTERS: 'aurora-a,aurora_b' });

    expect(error.message).toMatch(/^CLUSTERS: got "aurora_b"; expected comma-separated DB identifiers/);
  });

  it.each([
    ['MAX_FILES_PER_INSTANCE', '12.5'],
    ['MAX_FILES_PER_INSTANCE', '3001'],
    ['BATCH_MAX_FILES', '0'],
    ['GZIP_LEVEL', 'fast'],
    ['DOWNLOAD_ATTEMPTS', '-1'],
    ['ACTIVE_QUIET_MINUTES', '1e3x'],
  ])('names %s when it is %p, not a whole number in range', (variable, value) => {
    const error = configurationErrorFor({ [variable]: value });

    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(
      new RegExp(`^${variable}: got "${value.replace('.', '\\.')}"; expected a whole number`),
    );
  });

  it.each(['localhost:4599', 'ftp://rds.local', 'http:// spaced'])(
    'names AWS_ENDPOINT_URL_RDS when it is %p',
    (url) => {
      const error = configurationErrorFor({ AWS_ENDPOINT_URL_RDS: url });

      expect(error.variable).toBe('AWS_ENDPOINT_URL_RDS');
      expect(error.message).toMatch(/expected an http\(s\) URL$/);
    },
  );

  it('names S3_FORCE_PATH_STYLE when it is not true or false', () => {
    const error = configurationErrorFor({ S3_FORCE_PATH_STYLE: 'yes' });

    expect(error.variable).toBe('S3_FORCE_PATH_STYLE');
  });
});
