/**
 * The rds-log-archive command (cli/rds-log-archive.cjs runs this file): real AWS clients, the
 * process's clock and streams, and the local runner; then exit with the command's code once
 * stdout has been written out.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { runCli } from './cli';
import type { CliDeps } from './context';
import { POLL_MS } from './follow';
import { runOnThisMachine } from './on-this-machine';

async function readJson(region: string, bucket: string, key: string): Promise<unknown> {
  const s3 = new S3Client({ region });
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await object.Body?.transformToString()) ?? 'null');
  } finally {
    s3.destroy();
  }
}

const deps: CliDeps = {
  sfn: (region) => new SFNClient({ region }),
  cloudFormation: (region) => new CloudFormationClient({ region }),
  lambda: (region) => new LambdaClient({ region }),
  readJson,
  runLocal: runOnThisMachine,
  now: Date.now,
  sleep: (ms) => sleep(ms),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  pollMs: POLL_MS,
};

runCli(process.argv.slice(2), deps).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: Error) => {
    process.stderr.write(`rds-log-archive: ${error.stack ?? error.message}\n`);
    process.exit(3);
  },
);
