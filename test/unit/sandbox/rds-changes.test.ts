import { DescribeDBLogFilesCommand, type RDSClient } from '@aws-sdk/client-rds';
import { type RdsStandIn, startRdsStandIn } from '../../../sandbox/rds-stand-in';
import { rdsClient, seedOf, signedDownload } from './helpers';

const GROWING = 'error/mysql-error-running.log';
const VANISHING = 'general/mysql-general.log.2026-11-20.09';
const STEADY = 'slowquery/mysql-slowquery.log';

const seed = seedOf({
  clusters: [{ id: 'orders-aurora', engine: 'aurora-mysql', members: [{ instance: 'orders-aurora-1', writer: true }] }],
  files: [
    { instance: 'orders-aurora-1', name: GROWING, lastWritten: '2026-11-20T10:00:00Z', content: { text: 'one\n' } },
    { instance: 'orders-aurora-1', name: VANISHING, lastWritten: '2026-11-20T10:00:00Z', content: { text: 'gone\n' } },
    { instance: 'orders-aurora-1', name: STEADY, lastWritten: '2026-11-20T10:00:00Z', content: { text: 'slow\n' } },
  ],
  faults: {
    changes: [
      { instance: 'orders-aurora-1', file: GROWING, kind: 'grow', appendText: 'two\n' },
      { instance: 'orders-aurora-1', file: VANISHING, kind: 'disappear' },
    ],
  },
});

let standIn: RdsStandIn;
let rds: RDSClient;

beforeEach(async () => {
  standIn = await startRdsStandIn({ seed });
  rds = rdsClient(standIn);
});

afterEach(async () => {
  rds.destroy();
  await standIn.stop();
});

const list = async (filenameContains?: string) =>
  (
    await rds.send(
      new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'orders-aurora-1', FilenameContains: filenameContains }),
    )
  ).DescribeDBLogFiles ?? [];

describe('grow and disappear faults', () => {
  it('lists the files as seeded, then changes them right after that first listing', async () => {
    const first = await list();
    const second = await list();

    expect(first.map((f) => [f.LogFileName, f.Size])).toEqual([
      [GROWING, 4],
      [VANISHING, 5],
      [STEADY, 5],
    ]);
    expect(second.map((f) => [f.LogFileName, f.Size, f.LastWritten])).toEqual([
      [GROWING, 8, Date.parse('2026-11-20T10:01:00Z')],
      [STEADY, 5, Date.parse('2026-11-20T10:00:00Z')],
    ]);
  });

  it('serves the grown content and 404 for the vanished file after the listing', async () => {
    await list();

    const grown = await signedDownload(standIn, 'orders-aurora-1', GROWING);
    const vanished = await signedDownload(standIn, 'orders-aurora-1', VANISHING);

    expect(grown.body.toString()).toBe('one\ntwo\n');
    expect(vanished.status).toBe(404);
  });

  it('changes nothing until a listing includes the file', async () => {
    await list('slowquery');

    const untouched = await signedDownload(standIn, 'orders-aurora-1', GROWING);

    expect(untouched.body.toString()).toBe('one\n');
  });

  it('applies each change once only', async () => {
    await list();
    await list();
    await list();

    const grown = await signedDownload(standIn, 'orders-aurora-1', GROWING);

    expect(grown.body.toString()).toBe('one\ntwo\n');
  });
});

describe('changes made through the stand-in API', () => {
  it('appendToFile grows the file and moves LastWritten', async () => {
    standIn.appendToFile('orders-aurora-1', STEADY, 'slower\n', '2026-11-20T11:00:00Z');

    const steady = (await list('slowquery'))[0];
    const body = await signedDownload(standIn, 'orders-aurora-1', STEADY);

    expect([steady?.Size, steady?.LastWritten]).toEqual([12, Date.parse('2026-11-20T11:00:00Z')]);
    expect(body.body.toString()).toBe('slow\nslower\n');
  });

  it('addFile makes a new file listable and downloadable', async () => {
    standIn.addFile({
      instance: 'orders-aurora-1',
      name: 'audit/audit.log.1.2026-11-20-10-00.0',
      lastWritten: '2026-11-20T10:30:00Z',
      content: { generate: { sizeBytes: 1000 } },
    });

    const audit = await list('audit/');
    const body = await signedDownload(standIn, 'orders-aurora-1', 'audit/audit.log.1.2026-11-20-10-00.0');

    expect(audit.map((f) => f.Size)).toEqual([1000]);
    expect(body.body.length).toBe(1000);
  });

  it('addFile rejects a file of an unknown instance, naming the field', () => {
    expect(() =>
      standIn.addFile({ instance: 'ghost', name: 'a.log', lastWritten: '2026-11-20T10:30:00Z', content: { text: '' } }),
    ).toThrow(/file\.instance: expected one of the seed's instances/);
  });

  it('removeFile makes the file disappear from listings', async () => {
    standIn.removeFile('orders-aurora-1', STEADY);

    expect((await list()).map((f) => f.LogFileName)).not.toContain(STEADY);
  });
});
