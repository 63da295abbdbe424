// The fault matrix (docs/faults.md): one test per scenario, each on a fresh sandbox with the
// task modules loaded afresh (they keep their clients, and a new sandbox listens on new ports).
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sandboxS3ClientConfig } from '../../sandbox/credentials';
import { FAULT_SCENARIOS, type FaultScenario, KNOWN_FINDINGS } from '../../sandbox/faults/matrix';
import { LOG_GROUP, STREAMS } from '../../sandbox/faults/world';
import type { Sandbox } from '../../sandbox/sandbox';

async function violationsOf(scenario: FaultScenario) {
  jest.resetModules();
  const { runScenario } = await import('../../sandbox/faults/run-scenario');
  const outcome = await runScenario(scenario);
  return outcome.violations.map((violation) => `${violation.invariant}: ${violation.detail}`);
}

const invariantOf = (violation: string) => violation.slice(0, violation.indexOf(':'));

const holding = FAULT_SCENARIOS.filter((scenario) => KNOWN_FINDINGS[scenario.name] === undefined);
const known = FAULT_SCENARIOS.filter((scenario) => KNOWN_FINDINGS[scenario.name] !== undefined);

/**
 * What a broken workflow could leave behind: an archive object cut short under its full
 * metadata, a second copy of a file under another key, a kept event put back twice.
 */
async function damage(sandbox: Sandbox): Promise<void> {
  const s3 = new S3Client(sandboxS3ClientConfig(sandbox.s3.endpoint, sandbox.rds.region));
  const Bucket = sandbox.bucket;
  const key = 'faults-pg/postgresql/2026/11/20/09/faults-pg/postgresql.log.2026-11-20-09.gz';
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
    const body = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
    await s3.send(new CopyObjectCommand({ Bucket, Key: `${key}.copy.gz`, CopySource: `${Bucket}/${key}` }));
    const cut = body.subarray(0, Math.floor(body.length / 2));
    await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: cut, Metadata: object.Metadata }));
  } finally {
    s3.destroy();
  }
  const [kept] = sandbox.cloudwatch.events(LOG_GROUP, STREAMS.untouched) ?? [];
  if (kept) sandbox.cloudwatch.appendEvent(LOG_GROUP, STREAMS.untouched, kept);
}

describe('the fault matrix', () => {
  it('catches a partial object, a second copy of a file and a duplicated event', async () => {
    const control = FAULT_SCENARIOS.find((scenario) => scenario.name === 'control archive') as FaultScenario;
    jest.resetModules();
    const { runScenario } = await import('../../sandbox/faults/run-scenario');

    const outcome = await runScenario(control, { beforeChecks: damage });

    const invariants = new Set(outcome.violations.map((violation) => violation.invariant));
    expect([...invariants].sort()).toEqual([
      'archived-exactly-once',
      'cloudwatch-nothing-duplicated',
      'cloudwatch-trimmed-as-uninterrupted',
      'no-partial-archive-object',
      'parsed-matches-archive',
    ]);
  });

  it.each(holding.map((scenario) => [scenario.name, scenario] as const))(
    'holds every invariant after a crash: %s',
    async (_name, scenario) => {
      expect(await violationsOf(scenario)).toEqual([]);
    },
  );

  it.each(known.map((scenario) => [scenario.name, scenario] as const))(
    'breaks only the invariants of its known finding: %s',
    async (name, scenario) => {
      const violations = await violationsOf(scenario);

      expect(violations.length).toBeGreaterThan(0);
      expect([...new Set(violations.map(invariantOf))]).toEqual(KNOWN_FINDINGS[name]);
    },
  );
});
