import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { sandboxS3ClientConfig } from '../../../sandbox/credentials';
import { type S3Server, startS3Server } from '../../../sandbox/s3-server';

let server: S3Server;
let s3: S3Client;

beforeAll(async () => {
  server = await startS3Server({ directory: mkdtempSync(join(tmpdir(), 's3rver-')), buckets: ['log-archive'] });
  s3 = new S3Client(sandboxS3ClientConfig(server.endpoint));
});

afterAll(async () => {
  s3.destroy();
  await server.stop();
});

describe('sandbox S3 server', () => {
  it('deletes an object but keeps its folder, so a concurrent upload into it cannot lose the folder', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'log-archive', Key: '_staging/run-1/a.gz', Body: 'a' }));

    await s3.send(new DeleteObjectCommand({ Bucket: 'log-archive', Key: '_staging/run-1/a.gz' }));

    await expect(
      s3.send(new HeadObjectCommand({ Bucket: 'log-archive', Key: '_staging/run-1/a.gz' })),
    ).rejects.toThrow();
    expect(existsSync(join(server.directory, 'log-archive', '_staging', 'run-1'))).toBe(true);
  });

  it('listens on the loopback interface at the real port', () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.endpoint).not.toMatch(/:0$/);
  });

  it('stores, lists (across pages) and returns objects with the sandbox client config', async () => {
    const keys = ['rds/a.log.gz', 'rds/b.log.gz', 'rds/c.log.gz'];
    for (const key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: 'log-archive', Key: key, Body: `body of ${key}` }));
    }

    const listed: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3, pageSize: 2 },
      { Bucket: 'log-archive', Prefix: 'rds/' },
    )) {
      listed.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    }
    const object = await s3.send(new GetObjectCommand({ Bucket: 'log-archive', Key: 'rds/b.log.gz' }));

    expect(listed).toEqual(keys);
    expect(await object.Body?.transformToString()).toBe('body of rds/b.log.gz');
  });

  it('rejects credentials it does not know', async () => {
    const stranger = new S3Client({
      ...sandboxS3ClientConfig(server.endpoint),
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
    });

    await expect(
      stranger.send(new GetObjectCommand({ Bucket: 'log-archive', Key: 'rds/a.log.gz' })),
    ).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    stranger.destroy();
  });
});
