/**
 * `npm run local [-- --sandbox FILE] [--forwarding FILE] [--input FILE] [--keep] [--json]`: start
 * the sandbox (s3rver and the RDS and CloudWatch Logs stand-ins), run statemachines/archive.asl.json
 * with the real task code, show progress, then print the summary and where the archive lies on disk.
 * Without --input it is a scheduled run fired now, as EventBridge Scheduler would start it.
 * Then the `awslogs` samples in events/ are forwarded to the bulk stand-in, and what failed is replayed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { GroupProgress } from '../tasks/common/cloudwatch-types';
import { PARSED_PREFIX } from '../tasks/common/layout';
import { sandboxS3ClientConfig } from './credentials';
import { type ForwardingRun, runArchive, runForwarding, type Sandbox, startSandbox } from './sandbox';
import { loadSeed } from './seed';
import { loadForwardingSeed } from './seed-format/forwarding';

const root = path.join(__dirname, '..');
const { values: args } = parseArgs({
  options: {
    sandbox: { type: 'string', default: path.join(root, 'sandbox/seeds/default.json') },
    forwarding: { type: 'string', default: path.join(root, 'sandbox/seeds/forwarding.json') },
    input: { type: 'string' },
    dir: { type: 'string', default: path.join(root, '.local') },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const say = (line: string) => process.stderr.write(`${line}\n`);

function progress(event: { type: string; state?: { name: string; output?: unknown } }) {
  if (event.type !== 'StateExited' || !event.state) return;
  const output = event.state.output as Record<string, unknown> & { instance?: { instanceId: string } };
  switch (event.state.name) {
    case 'Resolve Run':
      say(`▸ ${(output.run as { mode: string }).mode} run resolved`);
      break;
    case 'List Instances': {
      const unavailable = (output.unavailable as { id: string; reason: string }[]).map(
        (item) => `${item.id} (${item.reason})`,
      );
      say(
        `▸ ${(output.instances as unknown[]).length} instances${unavailable.length ? `; unavailable: ${unavailable.join(', ')}` : ''}`,
      );
      break;
    }
    case 'List Log Files':
      say(
        `  ${output.instance?.instanceId}: ${output.listing === 'listed' ? `${output.total} files to archive` : output.listing}`,
      );
      break;
    case 'Archive Log Files':
      say(`  ${output.instance?.instanceId}: ${output.cursor}/${output.total} files done`);
      break;
    case 'Plan Exports': {
      const { groups, unavailable } = output.cloudwatch as { groups: unknown[]; unavailable: { name: string }[] };
      const missing = unavailable.map((item) => item.name);
      say(`▸ ${groups.length} log groups to export${missing.length ? `; unavailable: ${missing.join(', ')}` : ''}`);
      break;
    }
    case 'Start Export':
    case 'Check Export': {
      const { group, export: state } = output as unknown as GroupProgress;
      say(`  ${group.name}: export ${state?.status}`);
      break;
    }
    case 'Verify Export':
      say(`  ${(output as unknown as GroupProgress).group.name}: export verified → ${output.manifestKey}`);
      break;
    case 'Plan Trim': {
      const { group, trim } = output as unknown as GroupProgress;
      say(`  ${group.name}: ${trim?.streams.length} streams to trim (${trim?.mode})`);
      break;
    }
    case 'Trim Stream':
      if (output.status) say(`    ${output.stream}: ${output.status}`);
      break;
    case 'Stream Trim Failed':
      say(`    ${output.stream}: failed (${output.error}); a re-run resumes it`);
      break;
    case 'Log Group Failed':
      say(`  ${output.logGroupName}: failed (${output.error}); nothing of it was trimmed by this step`);
      break;
  }
}

/** Copy the archive out of s3rver's store as plain .gz files, so it can be read with zcat. */
async function exportArchive(sandbox: Sandbox, target: string): Promise<number> {
  const s3 = new S3Client(sandboxS3ClientConfig(sandbox.s3.endpoint, sandbox.rds.region));
  rmSync(target, { recursive: true, force: true });
  let count = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: sandbox.bucket, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      if (!Key) continue;
      const body = await s3.send(new GetObjectCommand({ Bucket: sandbox.bucket, Key }));
      const file = path.join(target, Key);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, (await body.Body?.transformToByteArray()) ?? new Uint8Array());
      count += 1;
    }
    token = page.NextContinuationToken;
  } while (token);
  return count;
}

function findReport(archiveDir: string, executionName: string): string | undefined {
  const runs = path.join(archiveDir, '_runs');
  if (!existsSync(runs)) return undefined;
  const match = readdirSync(runs, { recursive: true, encoding: 'utf8' }).find((file) =>
    file.endsWith(path.join(executionName, 'report.json')),
  );
  return match && path.join(runs, match);
}

/** One line: documents per index, what was stored for replay, and what the replay delivered. */
function forwardingLine(run: ForwardingRun, directory: string): string {
  const indexes = Object.entries(run.indexes).map(([index, count]) => `${index} ${count}`);
  const total = Object.values(run.indexes).reduce((sum, count) => sum + count, 0);
  const { replayed } = run;
  return `forwarded (bulk stand-in): ${total} documents in ${directory}/ (${indexes.join(', ')}); ${run.failedStored} failed and stored in forward-failed/; replayed ${replayed.delivered} of ${replayed.documents}${replayed.failed ? `, ${replayed.failed} stored again` : ''}`;
}

async function main(): Promise<number> {
  const seed = loadSeed(args.sandbox);
  const input = args.input
    ? JSON.parse(readFileSync(args.input, 'utf8'))
    : { scheduledTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  const forwarding = loadForwardingSeed(args.forwarding);
  const sandbox = await startSandbox({ seed, forwarding, directory: path.join(args.dir, 's3'), fresh: !args.keep });
  try {
    say(
      `sandbox: s3rver ${sandbox.s3.endpoint}, RDS stand-in ${sandbox.rds.endpoint}, CloudWatch Logs stand-in ${sandbox.cloudwatch.endpoint}, seed ${path.relative(process.cwd(), args.sandbox)}`,
    );
    const executionName = `local-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const result = await runArchive({ input, executionName, onEvent: progress });
    const archiveDir = path.join(args.dir, 'archive');
    const objects = await exportArchive(sandbox, archiveDir);
    // A failed execution has no output: the run report in the archive tells what happened.
    const reportFile = findReport(archiveDir, executionName);
    const report = reportFile ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined;
    const forwarded = await runForwarding(sandbox, path.join(root, 'events'));
    if (args.json) {
      const summary = result.output ?? (report && { status: report.status, message: report.message, ...report.totals });
      const slackDir = path.join(args.dir, 'slack');
      const forwarding = {
        indexes: forwarded.indexes,
        failedStored: forwarded.failedStored,
        replayed: forwarded.replayed,
      };
      process.stdout.write(
        `${JSON.stringify({ ...result, summary, archiveDir, reportFile, objects, slackDir, forwarding }, null, 2)}\n`,
      );
    } else {
      say(`\n${result.status}${result.error ? ` (${result.error}: ${result.cause})` : ''}`);
      say(JSON.stringify(result.output ?? report?.totals ?? {}, null, 2));
      for (const failed of report?.failedFiles ?? [])
        say(`failed: ${failed.instanceId} ${failed.name}: ${failed.reason}`);
      say(`\narchive on disk: ${path.relative(process.cwd(), archiveDir)}/ (${objects} objects, plain .gz files)`);
      const parsedDir = path.join(archiveDir, PARSED_PREFIX);
      if (existsSync(parsedDir)) {
        const parsed = readdirSync(parsedDir, { recursive: true }).filter((name) =>
          String(name).endsWith('.ndjson.gz'),
        );
        say(
          `parsed records (NDJSON, PARSED_OUTPUT=all): ${path.relative(process.cwd(), parsedDir)} (${parsed.length} objects)`,
        );
      }
      if (reportFile) say(`run report: ${path.relative(process.cwd(), reportFile)}`);
      const posted = sandbox.slack.messages.length + sandbox.slack.uploads.length;
      say(
        `slack messages and graphs (Slack stand-in): ${path.relative(process.cwd(), path.join(args.dir, 'slack'))}/ (${posted} recorded)`,
      );
      say(forwardingLine(forwarded, path.relative(process.cwd(), path.join(args.dir, 'forwarded'))));
    }
    return result.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await sandbox.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    say(`error: ${error.message}`);
    process.exit(2);
  },
);
