import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSeed, parseSeed, SeedError } from '../../../sandbox/seed';

const validSeed = () => ({
  region: 'eu-west-1',
  clusters: [
    {
      id: 'orders-aurora',
      engine: 'aurora-mysql',
      members: [
        { instance: 'orders-aurora-1', writer: true },
        { instance: 'orders-aurora-2', status: 'paused' },
      ],
    },
  ],
  instances: [{ id: 'billing-pg', engine: 'postgres' }],
  files: [
    {
      instance: 'billing-pg',
      name: 'error/postgresql.log.2026-11-20-09',
      lastWritten: '2026-11-20T10:00:00Z',
      content: { text: 'LOG: checkpoint starting\n' },
    },
  ],
});

function problemsOf(value: unknown): string[] {
  try {
    parseSeed(value, __dirname);
  } catch (error) {
    if (error instanceof SeedError) return [...error.problems];
    throw error;
  }
  throw new Error('the seed was accepted');
}

describe('parseSeed', () => {
  it('fills in the documented defaults', () => {
    const seed = parseSeed(
      { clusters: [{ id: 'a', engine: 'aurora-postgresql', members: [{ instance: 'a-1', writer: true }] }] },
      '/',
    );

    expect(seed.region).toBe('us-east-1');
    expect(seed.clusters[0]?.members[0]).toEqual({ instance: 'a-1', writer: true, status: 'available' });
    expect(seed.instances).toEqual([]);
    expect(seed.files).toEqual([]);
    expect(seed.faults).toEqual({ throttleRate: 0, resets: [], changes: [], failures: [] });
  });

  it('normalises lastWritten to toISOString form', () => {
    const seed = parseSeed(validSeed(), '/');

    expect(seed.files[0]?.lastWritten).toBe('2026-11-20T10:00:00.000Z');
  });

  it('names the field path and the expected form of a bad date', () => {
    const seed = validSeed();
    seed.files[0] = { ...(seed.files[0] as (typeof seed.files)[0]), lastWritten: 'yesterday' };

    expect(problemsOf(seed)).toEqual([
      'files[0].lastWritten: expected an ISO-8601 date like 2026-11-20T10:00:00Z, got "yesterday"',
    ]);
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf({
      region: 'mars',
      clusters: [{ id: 'Bad_Id', engine: 'oracle', members: [{ instance: 'x-1', writer: 'yes' }] }],
      files: [{ instance: 'ghost', name: 'a//b', lastWritten: '2026-11-20T10:00:00Z', content: {} }],
    });

    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'region',
      'clusters[0].id',
      'clusters[0].engine',
      'clusters[0].members[0].writer',
      'clusters[0].members',
      'files[0].instance',
      'files[0].name',
      'files[0].content',
    ]);
  });

  it('rejects unknown keys anywhere and names them', () => {
    const seed = { ...validSeed(), extra: 1, instances: [{ id: 'billing-pg', engine: 'postgres', size: 'large' }] };

    expect(problemsOf(seed)).toEqual([
      'extra: unknown key (allowed here: region, clusters, instances, files, faults, cloudwatch)',
      'instances[0].size: unknown key (allowed here: id, engine)',
    ]);
  });

  it('rejects a file content with more than one kind', () => {
    const seed = validSeed();
    const file = seed.files[0] as Record<string, unknown>;
    file.content = { text: 'a', generate: { sizeBytes: 1 } };

    expect(problemsOf(seed)[0]).toMatch(
      /^files\[0\]\.content: expected exactly one of "fixture", "text" or "generate"/,
    );
  });

  it('rejects a fixture that does not exist, naming where it resolved', () => {
    const seed = validSeed();
    (seed.files[0] as Record<string, unknown>).content = { fixture: 'fixtures/missing.log' };

    expect(problemsOf(seed)[0]).toBe(
      `files[0].content.fixture: expected a readable file, "fixtures/missing.log" resolves to ${join(__dirname, 'fixtures/missing.log')}`,
    );
  });

  it('rejects a cluster with two writers', () => {
    const seed = validSeed();
    const members = seed.clusters[0]?.members as Array<Record<string, unknown>>;
    (members[1] as Record<string, unknown>).writer = true;

    expect(problemsOf(seed)).toEqual(['clusters[0].members: expected exactly one member with "writer": true, found 2']);
  });

  it('rejects an instance id used twice', () => {
    const seed = { ...validSeed(), instances: [{ id: 'orders-aurora-1', engine: 'mysql' }] };

    expect(problemsOf(seed)[0]).toBe('instances[0].id: instance id "orders-aurora-1" is used twice');
  });

  it('rejects faults that point at no seeded file', () => {
    const seed = {
      ...validSeed(),
      faults: {
        throttleRate: 2,
        resets: [{ instance: 'billing-pg', file: 'nope.log', afterBytes: 10 }],
        changes: [{ instance: 'billing-pg', file: 'error/postgresql.log.2026-11-20-09', kind: 'shrink' }],
        failures: [{ operation: 'DownloadDBLogFilePortion' }],
      },
    };

    expect(problemsOf(seed)).toEqual([
      'faults.throttleRate: expected a number from 0 to 1, got 2',
      'faults.resets[0]: expected a file listed in "files", but "nope.log" of "billing-pg" is not',
      'faults.changes[0].kind: expected one of grow, disappear, got "shrink"',
      'faults.failures[0].operation: expected one of DescribeDBClusters, DescribeDBInstances, DescribeDBLogFiles, DownloadCompleteDBLogFile, got "DownloadDBLogFilePortion"',
    ]);
  });

  it('rejects appendText on a disappear change', () => {
    const seed = {
      ...validSeed(),
      faults: {
        changes: [
          { instance: 'billing-pg', file: 'error/postgresql.log.2026-11-20-09', kind: 'disappear', appendText: 'x' },
        ],
      },
    };

    expect(problemsOf(seed)).toEqual(['faults.changes[0].appendText: only applies to "kind": "grow"']);
  });

  it('fills in fault defaults', () => {
    const name = 'error/postgresql.log.2026-11-20-09';
    const seed = parseSeed(
      {
        ...validSeed(),
        faults: {
          resets: [{ instance: 'billing-pg', file: name, afterBytes: 5 }],
          changes: [{ instance: 'billing-pg', file: name, kind: 'grow', appendText: 'more\n' }],
          failures: [{ operation: 'DescribeDBLogFiles' }],
        },
      },
      '/',
    );

    expect(seed.faults.resets[0]?.times).toBe(1);
    expect(seed.faults.changes[0]?.after).toBe('list');
    expect(seed.faults.failures[0]).toMatchObject({ times: 1, code: 'InternalFailure', status: 500 });
  });
});

describe('loadSeed', () => {
  it("resolves fixture paths against the seed file's folder", () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    mkdirSync(join(dir, 'seeds', 'fixtures'), { recursive: true });
    writeFileSync(join(dir, 'seeds', 'fixtures', 'slow.log'), '# Time: 2026-11-20T09:00:00Z\n');
    const seed = { ...validSeed(), files: [{ ...validSeed().files[0], content: { fixture: 'fixtures/slow.log' } }] };
    writeFileSync(join(dir, 'seeds', 'local.json'), JSON.stringify(seed));

    const loaded = loadSeed(join(dir, 'seeds', 'local.json'));

    expect(loaded.files[0]?.content).toEqual({ fixture: join(dir, 'seeds', 'fixtures', 'slow.log') });
  });

  it('names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    writeFileSync(join(dir, 'broken.json'), '{ "region": ');

    expect(() => loadSeed(join(dir, 'broken.json'))).toThrow(
      `${join(dir, 'broken.json')}: expected a readable JSON file`,
    );
  });
});
