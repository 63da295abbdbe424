// s3rver on the loopback interface, with the sandbox credentials registered, so S3 and
// the RDS stand-in accept the same fake credential chain.
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { SANDBOX_CREDENTIALS } from './credentials';

export interface S3ServerOptions {
  /** Where s3rver keeps buckets and objects. */
  directory: string;
  /** @default 0 (any free port) */
  port?: number;
  /** Created on start (kept if they already exist in `directory`). */
  buckets: string[];
}

export interface S3Server {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  directory: string;
  stop(): Promise<void>;
}

// s3rver accepts only access keys in its account registry (and does not check SigV4
// signatures); this adds the sandbox key beside its built-in S3RVER one.
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
};
DUMMY_ACCOUNT.createKeyPair(SANDBOX_CREDENTIALS.accessKeyId, SANDBOX_CREDENTIALS.secretAccessKey);

// s3rver's DeleteObject removes folders left empty, racing any upload that has just created
// the same folder and is about to open its file there: the upload's write stream then fails
// with ENOENT and, having no error listener, brings the whole server down. Real S3 has no
// folders. Deleting the files alone keeps the folders, which only costs a few empty ones.
const FilesystemStore = require('s3rver/lib/stores/filesystem') as {
  prototype: {
    getResourcePath(bucket: string, key: string, resource: string): string;
    deleteObject(bucket: string, key: string): Promise<void>;
  };
};
FilesystemStore.prototype.deleteObject = async function deleteObjectKeepingFolders(bucket, key) {
  await Promise.all(
    ['object', 'object.md5', 'metadata.json'].map((resource) =>
      rm(this.getResourcePath(bucket, key, resource), { force: true }),
    ),
  );
};

export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = (await server.run()) as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, directory: options.directory, stop: () => server.close() };
}
