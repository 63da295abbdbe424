import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { asTaskError, RunStateError } from './errors';

/** The run's own objects (plans, results, report) in the archive bucket, as JSON. */
export interface RunStore {
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T>(key: string): Promise<T>;
  /** Like getJson, but undefined when nothing is stored at `key`. */
  findJson<T>(key: string): Promise<T | undefined>;
  listKeys(prefix: string): Promise<string[]>;
}

export function s3RunStore(s3: S3Client, bucket: string): RunStore {
  const store: RunStore = {
    async putJson(key, value) {
      const body = JSON.stringify(value);
      await s3
        .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }))
        .catch((error: unknown) => {
          throw asTaskError(error, `writing s3://${bucket}/${key}`);
        });
    },
    async getJson(key) {
      try {
        const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return JSON.parse((await response.Body?.transformToString()) ?? 'null');
      } catch (error) {
        const wrapped = asTaskError(error, `reading s3://${bucket}/${key}`);
        if (wrapped !== error) throw wrapped;
        throw new RunStateError(`cannot read s3://${bucket}/${key}: ${(error as Error).name}`, { cause: error });
      }
    },
    async findJson(key) {
      try {
        return await store.getJson(key);
      } catch (error) {
        const cause = (error as Error).cause as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
        if (cause?.name === 'NoSuchKey' || cause?.$metadata?.httpStatusCode === 404) return undefined;
        throw error;
      }
    },
    async listKeys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3
          .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }))
          .catch((error: unknown) => {
            throw asTaskError(error, `listing s3://${bucket}/${prefix}`);
          });
        for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
  };
  return store;
}
