import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readArchive, sha256Of, tempDir } from '../../sandbox/checks/archive-check';
import { sandboxS3ClientConfig } from '../../sandbox/credentials';
import { runArchive, type Sandbox, startSandbox } from '../../sandbox/sandbox';
import { loadSeed, openContent, type SeedFile } from '../../sandbox/seed';
import { parseStream } from '../../tasks/common/parse/stream';
import type { LogType } from '../../tasks/common/types';

const seed = loadSeed(path.join(__dirname, '../../sandbox/seeds/default.json'));
const scheduled = { scheduledTime: '2026-11-21T01:00:00Z' };
let sandbox: Sandbox;
let runs = 0;
const run = (input: unknown = scheduled) => runArchive({ input, executionName: `e2e-archive-${++runs}` });
const closedFiles = seed.files.filter((file) => !/\.log$/.test(file.name));
/** The log type segment of an archive key: `{cluster}/{logType}/…`. */
const logTypeOf = (key: string) => key.split('/')[1] as LogType;

beforeAll(async () => {
  sandbox = await startSandbox({ seed, directory: tempDir('archive') });
});
afterAll(() => sandbox.stop());

describe('the archive on the sandbox', () => {
  it('archives every closed file so that it gunzips to exactly the source bytes', async () => {
    const result = await run();

    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: { status: 'succeeded', archivedFiles: closedFiles.length },
    });
    const archive = await readArchive(sandbox);
    expect(archive).toHaveLength(closedFiles.length);
    for (const file of closedFiles) {
      const object = archive.find((item) => item.instance === file.instance && item.file === file.name);
      const expected = await sha256Of(file);
      expect(object?.contentSha256).toBe(expected);
      expect(object?.metadata['source-sha256']).toBe(expected);
    }
  });

  it('files each object under {cluster}/{logType}/{YYYY}/{MM}/{DD}/{HH}/{instance}/{fileName}.gz', async () => {
    const keys = (await readArchive(sandbox)).map((object) => object.key);

    expect(keys).toContain(
      'orders-aurora/slowquery/2026/11/20/09/orders-aurora-1/mysql-slowquery.log.2026-11-20.09.gz',
    );
    expect(keys).toContain('orders-aurora/audit/2026/11/20/10/orders-aurora-2/audit.log.0.2026-11-20-10-00.0.gz');
    expect(keys).toContain('billing-pg/postgresql/2026/11/20/08/billing-pg/postgresql.log.2026-11-20-08.gz');
  });

  it("writes every archived file's parsed records under parsed/, one per entry of the source, none dropped", async () => {
    const s3 = new S3Client(sandboxS3ClientConfig(sandbox.s3.endpoint, sandbox.rds.region));
    for (const object of await readArchive(sandbox)) {
      const file = closedFiles.find((item) => item.instance === object.instance && item.name === object.file);
      if (!file) throw new Error(`no seed file for ${object.key}`);
      const expected: unknown[] = [];
      for await (const record of parseStream(logTypeOf(object.key), openContent(file))) expected.push(record);

      const parsedKey = `parsed/${object.key.replace(/\.gz$/, '.ndjson.gz')}`;
      const parsed = await s3.send(new GetObjectCommand({ Bucket: sandbox.bucket, Key: parsedKey }));
      const lines = gunzipSync(await (parsed.Body?.transformToByteArray() ?? new Uint8Array()))
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '');

      expect(lines.map((line) => JSON.parse(line))).toEqual(expected);
    }
  });

  it('archives nothing on a second run', async () => {
    const result = await run();

    expect(result.output).toMatchObject({ status: 'succeeded', archivedFiles: 0, failedFiles: 0 });
  });

  it('catches up on files added since, and re-archives a file that grew', async () => {
    const added: SeedFile = {
      instance: 'billing-pg',
      name: 'error/postgresql.log.2026-11-20-11',
      lastWritten: '2026-11-20T11:59:59.000Z',
      content: { text: '2026-11-20 11:00:01 UTC::@:[7508]:LOG:  checkpoint starting: time\n' },
    };
    sandbox.rds.addFile(added);
    const grown = closedFiles.find((file) => file.name === 'error/postgresql.log.2026-11-20-10') as SeedFile;
    const appendix = '2026-11-20 10:59:59 UTC::@:[7508]:LOG:  late line\n';
    sandbox.rds.appendToFile(grown.instance, grown.name, appendix, '2026-11-20T11:00:00.000Z');

    const result = await run();

    expect(result.output).toMatchObject({ status: 'succeeded', archivedFiles: 2 });
    const archive = await readArchive(sandbox);
    const find = (file: SeedFile) => archive.find((item) => item.instance === file.instance && item.file === file.name);
    expect(find(added)?.contentSha256).toBe(await sha256Of(added));
    expect(find(grown)?.contentSha256).toBe(await sha256Of({ ...grown, appendedText: appendix }));
  });

  it('archives only what a manual range selects, and nothing in a dry run', async () => {
    const result = await run({
      from: '2026-11-19T00:00:00Z',
      to: '2026-11-21T00:00:00Z',
      instances: ['billing-pg'],
      dryRun: true,
    });

    expect(result.output).toMatchObject({ status: 'succeeded', dryRun: true, archivedFiles: 0, instances: 1 });
  });
});
