import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { runCli } from '../../../cli/cli';
import { testCli } from './helpers';

const FIXTURE = path.join(__dirname, '..', '..', '..', 'sandbox', 'fixtures', 'mariadb', 'slowquery.log');
const fixtureText = readFileSync(FIXTURE, 'utf8');
const FIXTURE_ENTRIES = fixtureText.split('\n').filter((line) => line.startsWith('# Query_time:')).length;

/** The fixture's entries again and again: enough output for many writes. */
const repeatedEntries = (times: number) => {
  const entries = fixtureText.slice(fixtureText.indexOf('# Time:'));
  return Buffer.from(fixtureText + entries.repeat(times - 1));
};

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'parse-command-'));
});

afterEach(() => rmSync(directory, { recursive: true, force: true }));

const records = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('parse', () => {
  it('prints one JSON record per line and the counts on stderr', async () => {
    const cli = testCli();

    await expect(runCli(['parse', '--type', 'slowquery', FIXTURE], cli.deps)).resolves.toBe(0);

    const printed = records(cli.stdout.text);
    expect(printed).toHaveLength(FIXTURE_ENTRIES);
    expect(printed.every((record) => record.type === 'slowquery' && typeof record.statement === 'string')).toBe(true);
    expect(printed[0]).toMatchObject({ user: 'root', statement: 'CREATE DATABASE shop' });
    expect(cli.stderr.text).toMatch(
      new RegExp(`^parsed ${FIXTURE} as slowquery: ${FIXTURE_ENTRIES} records, 0 parse errors, 0\\.1 MiB read in`),
    );
  });

  it('reads a gzip file (an archived object) the same as the plain file', async () => {
    const gzipped = path.join(directory, 'slowquery.log.gz');
    writeFileSync(gzipped, gzipSync(readFileSync(FIXTURE)));
    const plain = testCli();
    const archived = testCli();

    await runCli(['parse', '--type', 'slowquery', FIXTURE], plain.deps);
    await expect(runCli(['parse', '--type', 'slowquery', gzipped], archived.deps)).resolves.toBe(0);

    expect(archived.stdout.text).toBe(plain.stdout.text);
  });

  it.each([[['-']], [[]]])('reads stdin when the file is %j', async (file) => {
    const cli = testCli({ stdin: Readable.from([gzipSync(readFileSync(FIXTURE))]) });

    await expect(runCli(['parse', '--type', 'slowquery', ...file], cli.deps)).resolves.toBe(0);

    expect(records(cli.stdout.text)).toHaveLength(FIXTURE_ENTRIES);
    expect(cli.stderr.text).toContain(`parsed stdin as slowquery: ${FIXTURE_ENTRIES} records`);
  });

  it('prints lines that do not parse as records with parseError and raw, counts them, and asks about --type', async () => {
    const cli = testCli({ stdin: Readable.from([Buffer.from('hello\nworld\n')]) });

    await expect(runCli(['parse', '--type', 'audit'], cli.deps)).resolves.toBe(0);

    const printed = records(cli.stdout.text);
    expect(printed.map((record) => record.raw)).toEqual(['hello', 'world']);
    expect(printed.every((record) => typeof record.parseError === 'string' && record.type === 'audit')).toBe(true);
    expect(cli.stderr.text).toContain('2 records, 2 parse errors');
    expect(cli.stderr.text).toContain('no line parsed as audit: is --type right?');
  });

  it('prints no summary with --quiet', async () => {
    const cli = testCli();

    await expect(runCli(['parse', '--type', 'slowquery', '--quiet', FIXTURE], cli.deps)).resolves.toBe(0);

    expect(records(cli.stdout.text)).toHaveLength(FIXTURE_ENTRIES);
    expect(cli.stderr.text).toBe('');
  });

  it('waits for a slow reader instead of buffering the output', async () => {
    let buffered = 0;
    let written = '';
    const slowReader = new Writable({
      highWaterMark: 1024,
      decodeStrings: false,
      write(chunk: string, _encoding, done) {
        written += chunk;
        setImmediate(done);
      },
    });
    const sample = () => {
      buffered = Math.max(buffered, slowReader.writableLength);
    };
    const write = slowReader.write.bind(slowReader);
    slowReader.write = ((chunk: string) => {
      const ok = write(chunk);
      sample();
      return ok;
    }) as typeof slowReader.write;
    const cli = testCli({ stdin: Readable.from([repeatedEntries(20)]), stdout: slowReader });

    await expect(runCli(['parse', '--type', 'slowquery', '--quiet'], cli.deps)).resolves.toBe(0);

    expect(records(written)).toHaveLength(FIXTURE_ENTRIES * 20);
    expect(written.length).toBeGreaterThan(20 * 64 * 1024);
    // One block waits at most: the next is made only after 'drain'.
    expect(buffered).toBeLessThan(2 * 64 * 1024);
  });

  it('stops reading and exits 0 without a word when the reader goes away (| head)', async () => {
    let pulled = 0;
    const chunk = repeatedEntries(2);
    const input = Readable.from(
      (function* () {
        for (let index = 0; index < 500; index++) {
          pulled += 1;
          yield chunk;
        }
      })(),
    );
    const closedPipe = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }));
      },
    });
    const cli = testCli({ stdin: input, stdout: closedPipe });

    await expect(runCli(['parse', '--type', 'slowquery'], cli.deps)).resolves.toBe(0);

    expect(pulled).toBeLessThan(20);
    expect(cli.stderr.text).toBe('');
  });

  it('reports a write error other than a closed pipe (exit 3)', async () => {
    const fullDisk = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC', syscall: 'write' }));
      },
    });
    const cli = testCli({ stdin: Readable.from([repeatedEntries(2)]), stdout: fullDisk });

    await expect(runCli(['parse', '--type', 'slowquery'], cli.deps)).resolves.toBe(3);

    expect(cli.stderr.text).toContain('rds-log-archive parse: writing stdout failed: write ENOSPC');
  });

  it('reports a broken gzip input with where it came from (exit 3)', async () => {
    const broken = gzipSync(readFileSync(FIXTURE)).subarray(0, 2000);
    const cli = testCli({ stdin: Readable.from([broken]) });

    await expect(runCli(['parse', '--type', 'slowquery', '--quiet'], cli.deps)).resolves.toBe(3);

    expect(cli.stderr.text).toContain('rds-log-archive parse: reading stdin failed: unexpected end of file');
  });

  it.each([
    [['--type', 'slow'], '--type: got "slow"; expected one of audit, slowquery, error, general, postgresql'],
    [[FIXTURE], 'parse needs --type: one of audit, slowquery, error, general, postgresql'],
    [['--type', 'audit', 'missing.log'], 'missing.log: no such file'],
    [['--type', 'audit', __dirname], `${__dirname}: is a directory`],
    [['--type', 'audit', 'a.log', 'b.log'], 'parse takes one FILE (or -), got 2'],
    [['--type', 'audit', '--color'], 'unknown flag --color for "parse"'],
  ])('%j exits 2: %s', async (argv, message) => {
    const cli = testCli();

    await expect(runCli(['parse', ...argv], cli.deps)).resolves.toBe(2);

    expect(cli.stderr.text).toContain(`rds-log-archive parse: ${message}`);
    expect(cli.stdout.text).toBe('');
  });
});
