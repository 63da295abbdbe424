import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  CHECKPOINTS_PREFIX,
  CLOUDWATCH_PREFIX,
  EXPORTS_PREFIX,
  FORWARD_FAILED_PREFIX,
  PARSED_PREFIX,
  RUNS_PREFIX,
} from '../../tasks/common/layout';
import { sandboxS3ClientConfig } from '../credentials';
import type { Sandbox } from '../sandbox';
import { openContent, type SeedFile } from '../seed';

export const tempDir = (name: string) => mkdtempSync(path.join(tmpdir(), `rds-log-archive-${name}-`));

export async function sha256Of(file: SeedFile): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of openContent(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface ArchivedObject {
  readonly key: string;
  readonly instance: string;
  readonly file: string;
  readonly metadata: Record<string, string>;
  /** sha256 of the gunzipped body. */
  readonly contentSha256: string;
  readonly contentBytes: number;
}

/** Every archived log file (not the run's own objects, nor the CloudWatch exports), read back and gunzipped. */
export async function readArchive(sandbox: Sandbox): Promise<ArchivedObject[]> {
  const s3 = new S3Client(sandboxS3ClientConfig(sandbox.s3.endpoint, sandbox.rds.region));
  const list = await s3.send(new ListObjectsV2Command({ Bucket: sandbox.bucket }));
  const notLogFiles = [
    RUNS_PREFIX,
    CLOUDWATCH_PREFIX,
    EXPORTS_PREFIX,
    CHECKPOINTS_PREFIX,
    PARSED_PREFIX,
    FORWARD_FAILED_PREFIX,
  ];
  const keys = (list.Contents ?? [])
    .map((item) => item.Key ?? '')
    .filter((key) => !notLogFiles.some((prefix) => key.startsWith(prefix)));
  return Promise.all(
    keys.map(async (key) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: sandbox.bucket, Key: key }));
      const content = gunzipSync((await object.Body?.transformToByteArray()) ?? new Uint8Array());
      const metadata = object.Metadata ?? {};
      return {
        key,
        instance: metadata['source-instance'] ?? '',
        file: metadata['source-file'] ?? '',
        metadata,
        contentSha256: createHash('sha256').update(content).digest('hex'),
        contentBytes: content.length,
      };
    }),
  );
}
