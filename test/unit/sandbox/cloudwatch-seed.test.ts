import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { startCloudWatchStandIn } from '../../../sandbox/cloudwatch-stand-in';
import { loadSeed, parseSeed, SeedError } from '../../../sandbox/seed';
import { NO_CLOUDWATCH_FAULTS } from '../../../sandbox/seed-format/types';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3_600_000;
const GROUP = '/aws/rds/cluster/orders-aurora/error';
const SEEDS = join(__dirname, '../../../sandbox/seeds');

function problemsOf(cloudwatch: unknown): string[] {
  try {
    parseSeed({ cloudwatch }, '/');
  } catch (error) {
    if (error instanceof SeedError) return [...error.problems];
    throw error;
  }
  throw new Error('the seed was accepted');
}

const groupWith = (group: Record<string, unknown>) => ({
  logGroups: [{ name: GROUP, streams: [{ name: 'orders-aurora-1' }], ...group }],
});

describe('the cloudwatch section of a seed', () => {
  it('is absent from a seed that does not have one', () => {
    expect(parseSeed({}, '/')).not.toHaveProperty('cloudwatch');
  });

  it('fills in the documented defaults', () => {
    const seed = parseSeed({ cloudwatch: { logGroups: [{ name: GROUP }] } }, '/');

    expect(seed.cloudwatch).toEqual({
      logGroups: [{ name: GROUP, dataProtection: false, createdHoursAgo: 0, streams: [] }],
      faults: NO_CLOUDWATCH_FAULTS,
    });
  });

  it('dates a group without createdHoursAgo from its oldest event', () => {
    const seed = parseSeed(
      {
        cloudwatch: groupWith({
          streams: [
            { name: 'a', events: [{ hoursAgo: 3, message: 'x' }] },
            { name: 'b', generate: { fromHoursAgo: 48, toHoursAgo: 1, everyMinutes: 60, messages: ['y'] } },
          ],
        }),
      },
      '/',
    );

    expect(seed.cloudwatch?.logGroups[0]?.createdHoursAgo).toBe(48);
  });

  it('names the path and the expected form of every problem in the groups', () => {
    const problems = problemsOf({
      logGroups: [
        {
          name: 'bad name!',
          retentionInDays: 4,
          dataProtection: 'yes',
          streams: [
            { name: 'a:b' },
            { name: 'ok' },
            {
              name: 'series',
              events: [{ hoursAgo: -1, message: '' }],
              generate: { fromHoursAgo: 1, toHoursAgo: 2, everyMinutes: 0, messages: [] },
            },
            { name: 'ok' },
          ],
        },
      ],
      extra: true,
    });

    expect(problems).toEqual([
      'cloudwatch.extra: unknown key (allowed here: logGroups, faults)',
      'cloudwatch.logGroups[0].name: expected a log group name: 1-512 letters, digits or . - _ / #, got "bad name!"',
      'cloudwatch.logGroups[0].retentionInDays: expected a number of days CloudWatch Logs allows (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 4',
      'cloudwatch.logGroups[0].dataProtection: expected true or false, got "yes"',
      'cloudwatch.logGroups[0].streams[0].name: expected a log stream name: 1-512 characters other than : and *, got "a:b"',
      'cloudwatch.logGroups[0].streams[2].events[0].hoursAgo: expected a number of hours, 0 or more, got -1',
      'cloudwatch.logGroups[0].streams[2].events[0].message: expected a non-empty log message, got ""',
      'cloudwatch.logGroups[0].streams[2].generate.everyMinutes: expected a number of minutes greater than 0, got 0',
      'cloudwatch.logGroups[0].streams[2].generate.messages: expected a non-empty array of log messages, got []',
      'cloudwatch.logGroups[0].streams[3]: log stream "ok" is listed twice',
    ]);
  });

  it('rejects a series that runs backwards or makes too many events', () => {
    const stream = (generate: unknown) => groupWith({ streams: [{ name: 's', generate }] });

    expect(problemsOf(stream({ fromHoursAgo: 1, toHoursAgo: 2, everyMinutes: 5, messages: ['m'] }))).toEqual([
      'cloudwatch.logGroups[0].streams[0].generate: expected fromHoursAgo (1) to be at least toHoursAgo (2)',
    ]);
    expect(problemsOf(stream({ fromHoursAgo: 24 * 365, toHoursAgo: 0, everyMinutes: 0.1, messages: ['m'] }))).toEqual([
      'cloudwatch.logGroups[0].streams[0].generate: makes 5256001 events, expected at most 1000000 per stream',
    ]);
  });

  it('rejects a group created after its oldest event', () => {
    const problems = problemsOf(
      groupWith({ createdHoursAgo: 2, streams: [{ name: 's', events: [{ hoursAgo: 5, message: 'm' }] }] }),
    );

    expect(problems).toEqual([
      "cloudwatch.logGroups[0].createdHoursAgo: expected at least 5 (the age in hours of the group's oldest event), got 2",
    ]);
  });

  it('rejects a group listed twice', () => {
    expect(problemsOf({ logGroups: [{ name: GROUP }, { name: GROUP }] })).toEqual([
      `cloudwatch.logGroups[1]: log group "${GROUP}" is listed twice`,
    ]);
  });

  it('rejects faults that could never fire, naming what exists', () => {
    const problems = problemsOf({
      ...groupWith({}),
      faults: {
        throttleRate: 2,
        exportSlotHeldFor: -1,
        exportPollsToComplete: 0,
        exportOutcomes: [{ logGroupName: '/aws/rds/ghost', status: 'DONE' }],
        writers: [{ logGroupName: GROUP, logStreamName: 'ghost', after: 'DescribeLogGroups', message: 'm' }],
        crashes: [
          { operation: 'DescribeLogGroups', when: 'after', logGroupName: GROUP },
          { operation: 'DeleteLogStream', when: 'during', logStreamName: 'orders-aurora-1' },
        ],
      },
    });

    expect(problems).toEqual([
      'cloudwatch.faults.throttleRate: expected a number from 0 to 1, got 2',
      'cloudwatch.faults.exportSlotHeldFor: expected an integer from 0 to 9007199254740991, got -1',
      'cloudwatch.faults.exportPollsToComplete: expected an integer from 1 to 9007199254740991, got 0',
      `cloudwatch.faults.exportOutcomes[0].logGroupName: expected one of the seed's log groups (${GROUP}), got "/aws/rds/ghost"`,
      'cloudwatch.faults.exportOutcomes[0].status: expected one of FAILED, CANCELLED, got "DONE"',
      `cloudwatch.faults.writers[0].logStreamName: expected one of the streams of "${GROUP}" (orders-aurora-1), got "ghost"`,
      'cloudwatch.faults.writers[0].after: expected one of DescribeLogStreams, GetLogEvents, PutLogEvents, CreateLogStream, DeleteLogStream, PutRetentionPolicy, DeleteRetentionPolicy, CreateExportTask, got "DescribeLogGroups"',
      'cloudwatch.faults.crashes[0].logGroupName: does not apply to DescribeLogGroups',
      'cloudwatch.faults.crashes[1].when: expected one of before, after, got "during"',
      'cloudwatch.faults.crashes[1].logStreamName: needs logGroupName beside it',
    ]);
  });

  it('fills in fault defaults', () => {
    const seed = parseSeed(
      {
        cloudwatch: {
          ...groupWith({}),
          faults: {
            exportOutcomes: [{ logGroupName: GROUP, status: 'CANCELLED' }],
            writers: [{ logGroupName: GROUP, logStreamName: 'orders-aurora-1', after: 'GetLogEvents', message: 'm' }],
            crashes: [{ operation: 'CreateExportTask', when: 'before' }],
          },
        },
      },
      '/',
    );

    expect(seed.cloudwatch?.faults).toMatchObject({
      exportOutcomes: [{ times: 1, message: 'Export task cancelled (sandbox seed fault).' }],
      writers: [{ times: 1 }],
      crashes: [{ operation: 'CreateExportTask', when: 'before', times: 1 }],
    });
  });
});

describe('seeded events', () => {
  it('are placed relative to the clock at start, one per everyMinutes, cycling through the messages', async () => {
    const seed = parseSeed(
      {
        cloudwatch: groupWith({
          streams: [
            {
              name: 'orders-aurora-1',
              events: [{ hoursAgo: 0.5, message: '{mysqlTime} 0 [Note] listed' }],
              generate: { fromHoursAgo: 2, toHoursAgo: 1, everyMinutes: 20, messages: ['{postgresTime}:LOG:  a', 'b'] },
            },
          ],
        }),
      },
      '/',
    );
    const standIn = await startCloudWatchStandIn({ seed, s3: new S3Client({ region: 'us-east-1' }), now: () => NOW });

    const events = standIn.events(GROUP, 'orders-aurora-1');
    await standIn.stop();

    expect(events?.map((event) => [(NOW - event.timestamp) / HOUR, event.message])).toEqual([
      [2, '2026-11-20 10:00:00 UTC:LOG:  a'],
      [5 / 3, 'b'],
      [4 / 3, '2026-11-20 10:40:00 UTC:LOG:  a'],
      [1, 'b'],
      [0.5, '2026-11-20T11:30:00.000000Z 0 [Note] listed'],
    ]);
  });
});

describe('the seed files', () => {
  it('default.json has the Aurora MySQL and PostgreSQL groups with eight days of events, all in exported ranges', () => {
    const seed = loadSeed(join(SEEDS, 'default.json'));

    const groups = seed.cloudwatch?.logGroups ?? [];
    expect(groups.map((group) => [group.name, group.retentionInDays, group.streams.map((s) => s.name)])).toEqual([
      ['/aws/rds/cluster/orders-aurora/error', 30, ['orders-aurora-1', 'orders-aurora-2']],
      ['/aws/rds/instance/billing-postgres/postgresql', 30, ['billing-postgres']],
    ]);
    expect(groups[1]?.streams[0]?.generate).toMatchObject({ fromHoursAgo: 192, toHoursAgo: 1, everyMinutes: 20 });
  });

  it('cloudwatch-faults.json throttles, holds the export slot twice, has a writer and a crash', () => {
    const faults = loadSeed(join(SEEDS, 'cloudwatch-faults.json')).cloudwatch?.faults;

    expect(faults).toMatchObject({ throttleRate: 0.1, exportSlotHeldFor: 2 });
    expect(faults?.writers).toHaveLength(1);
    expect(faults?.crashes).toHaveLength(1);
  });
});
