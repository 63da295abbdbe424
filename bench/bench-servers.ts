/**
 * The benchmark's servers, in processes of their own so that the measured process holds only
 * the archive task: s3rver, and the RDS stand-in serving one generated log file of the asked size.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRdsStandIn } from '../sandbox/rds-stand-in';
import { startS3Server } from '../sandbox/s3-server';
import { parseSeed } from '../sandbox/seed';

export const BENCH_BUCKET = 'rds-log-archive-bench';
export const BENCH_INSTANCE = 'bench-aurora-1';
export const BENCH_FILE = 'audit/audit.log.0.2026-11-20-09-00.0';
export const BENCH_FIXTURE = path.join(__dirname, '..', 'sandbox', 'fixtures', 'aurora-mysql', 'audit.log');

/** One server per process, as in AWS: a busy s3rver must not hold up the download stream. */
async function main() {
  const [role, size] = process.argv.slice(2);
  if (role === 's3') {
    // In memory where the machine offers it: the figures are about the archive task, not this disk.
    const directory = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'rds-log-archive-bench-'));
    const s3 = await startS3Server({ directory, buckets: [BENCH_BUCKET] });
    process.send?.({ endpoint: s3.endpoint });
    process.on('disconnect', async () => {
      await s3.stop();
      rmSync(directory, { recursive: true, force: true });
      process.exit(0);
    });
    return;
  }
  const seed = parseSeed(
    {
      region: 'us-east-1',
      clusters: [{ id: 'bench-aurora', engine: 'aurora-mysql', members: [{ instance: BENCH_INSTANCE, writer: true }] }],
      files: [
        {
          instance: BENCH_INSTANCE,
          name: BENCH_FILE,
          lastWritten: '2026-11-20T09:59:00Z',
          content: { generate: { sizeBytes: Number(size), fixture: BENCH_FIXTURE } },
        },
      ],
    },
    __dirname,
  );
  const rds = await startRdsStandIn({ seed });
  process.send?.({ endpoint: rds.endpoint, region: rds.region, credentials: rds.credentials });
  process.on('disconnect', async () => {
    await rds.stop();
    process.exit(0);
  });
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
}
