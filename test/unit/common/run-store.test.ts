import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { RunStateError, TransientAwsError } from '../../../tasks/common/errors';
import { s3RunStore } from '../../../tasks/common/run-store';

const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const s3Mock = mockClient(s3);
const store = s3RunStore(s3, 'archive-bucket');

beforeEach(() => s3Mock.reset());

const slowDown = () => Object.assign(new Error('Slow Down'), { name: 'SlowDown' });

describe('s3RunStore', () => {
  it('writes a value as JSON to the archive bucket', async () => {
    s3Mock.on(PutObjectCommand).resolves({});

    await store.putJson('_runs/x/plans/db-1.json', { files: [1, 2] });

    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'archive-bucket',
      Key: '_runs/x/plans/db-1.json',
      Body: '{"files":[1,2]}',
      ContentType: 'application/json',
    });
  });

  it('reads a JSON value back', async () => {
    const body = { transformToString: async () => '{"cursor":3}' } as unknown as GetObjectCommandOutput['Body'];
    s3Mock.on(GetObjectCommand, { Key: '_runs/x/plans/db-1.json' }).resolves({ Body: body });

    await expect(store.getJson('_runs/x/plans/db-1.json')).resolves.toEqual({ cursor: 3 });
  });

  it('reports a missing object as a RunStateError naming it', async () => {
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }));

    const error = await store.getJson('_runs/x/plans/db-1.json').catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(RunStateError);
    expect((error as Error).message).toBe('cannot read s3://archive-bucket/_runs/x/plans/db-1.json: NoSuchKey');
  });

  it('turns S3 throttling while reading into a TransientAwsError', async () => {
    s3Mock.on(GetObjectCommand).rejects(slowDown());

    await expect(store.getJson('_runs/x/report.json')).rejects.toBeInstanceOf(TransientAwsError);
  });

  it('turns S3 throttling while writing into a TransientAwsError', async () => {
    s3Mock.on(PutObjectCommand).rejects(slowDown());

    await expect(store.putJson('_runs/x/report.json', {})).rejects.toBeInstanceOf(TransientAwsError);
  });

  it('lists keys under a prefix across pages', async () => {
    s3Mock
      .on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({ Contents: [{ Key: 'r/000000.json' }], IsTruncated: true, NextContinuationToken: 'next' })
      .on(ListObjectsV2Command, { ContinuationToken: 'next' })
      .resolves({ Contents: [{ Key: 'r/000200.json' }], IsTruncated: false });

    const keys = await store.listKeys('r/');

    expect(keys).toEqual(['r/000000.json', 'r/000200.json']);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: 'archive-bucket', Prefix: 'r/' });
  });
});
