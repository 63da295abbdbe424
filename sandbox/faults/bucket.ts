import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BucketReader } from '../checks/cloudwatch-check';
import { sandboxS3ClientConfig } from '../credentials';
import type { Sandbox } from '../sandbox';

/** The sandbox bucket read straight from s3rver (never through a crash proxy), metadata included. */
export class FaultBucket extends BucketReader {
  private readonly client: S3Client;

  constructor(private readonly target: Sandbox) {
    super(target);
    this.client = new S3Client(sandboxS3ClientConfig(target.s3.endpoint, target.rds.region));
  }

  async object(key: string): Promise<{ body: Buffer; metadata: Record<string, string> }> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.target.bucket, Key: key }));
    const body = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
    return { body, metadata: object.Metadata ?? {} };
  }

  override destroy(): void {
    this.client.destroy();
    super.destroy();
  }
}
