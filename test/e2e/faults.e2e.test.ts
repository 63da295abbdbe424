import path from 'node:path';
import { readArchive, sha256Of, tempDir } from '../../sandbox/checks/archive-check';
import { runArchive, type Sandbox, startSandbox } from '../../sandbox/sandbox';
import { loadSeed, type SeedFile } from '../../sandbox/seed';
import { seededRandom } from '../../sandbox/seeded-random';

const seed = loadSeed(path.join(__dirname, '../../sandbox/seeds/faults.json'));
function fileNamed(name: string): SeedFile {
  const file = seed.files.find((item) => item.name === name);
  if (!file) throw new Error(`the faults seed has no file ${name}`);
  return file;
}

let sandbox: Sandbox;
let result: Awaited<ReturnType<typeof runArchive>>;

beforeAll(async () => {
  // Seeded, so the 20 % throttling hits the same calls each run.
  sandbox = await startSandbox({ seed, directory: tempDir('faults'), random: seededRandom(7) });
  result = await runArchive({ input: { scheduledTime: '2026-11-21T01:00:00Z' }, executionName: 'e2e-faults' });
});
afterAll(() => sandbox.stop());

describe('the archive under faults', () => {
  it('ends byte-exact after connection resets mid-download', async () => {
    const audit = fileNamed('audit/audit.log.0.2026-11-20-09-00.0');

    const archived = (await readArchive(sandbox)).find((object) => object.file === audit.name);

    expect(archived?.contentSha256).toBe(await sha256Of(audit));
    const downloads = sandbox.rds.calls.filter(
      (call) => call.operation === 'DownloadCompleteDBLogFile' && call.file === audit.name,
    );
    expect(downloads.length).toBeGreaterThanOrEqual(3);
  });

  it('reports a file rotated away between listing and download as failed, and fails the run by name', async () => {
    const archive = await readArchive(sandbox);

    expect(result).toMatchObject({ status: 'FAILED', error: 'RunFailed' });
    expect(result.cause).toMatch(/, 1 failed,/);
    expect(archive.some((object) => object.file === 'general/mysql-general.log.2026-11-20.09')).toBe(false);
  });

  it('archives a file that grew after listing whole, and says so', async () => {
    const grown = fileNamed('error/postgresql.log.2026-11-20-10');

    const archived = (await readArchive(sandbox)).find((object) => object.file === grown.name);

    const listed = Buffer.byteLength((grown.content as { text: string }).text);
    expect(Number(archived?.metadata['source-size'])).toBeGreaterThan(listed);
    expect(archived?.contentBytes).toBe(Number(archived?.metadata['source-size']));
  });

  it('archives every other file exactly once despite throttling and failing listings', async () => {
    const archive = await readArchive(sandbox);

    expect(archive.map((object) => object.file).sort()).toEqual([
      'audit/audit.log.0.2026-11-20-09-00.0',
      'error/postgresql.log.2026-11-20-09',
      'error/postgresql.log.2026-11-20-10',
      'slowquery/mysql-slowquery.log.2026-11-20.09',
    ]);
    expect(sandbox.rds.calls.some((call) => call.status === 400)).toBe(true);
    expect(sandbox.rds.calls.some((call) => call.status === 500)).toBe(true);
  });
});
