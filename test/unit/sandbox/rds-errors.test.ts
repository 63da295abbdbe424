import {
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DBInstanceNotReadyFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBLogFilesCommand,
  RDSClient,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { type RdsStandIn, startRdsStandIn } from '../../../sandbox/rds-stand-in';
import { errorCode, ordersCluster, rdsClient, seedOf, signedDownload } from './helpers';

const seedValue = {
  clusters: [ordersCluster()],
  files: [
    {
      instance: 'orders-aurora-1',
      name: 'error/mysql-error-running.log',
      lastWritten: '2026-11-20T10:00:00Z',
      content: { text: 'ready\n' },
    },
  ],
};

async function withStandIn<T>(
  options: { faults?: unknown; random?: () => number },
  run: (standIn: RdsStandIn, rds: RDSClient) => Promise<T>,
): Promise<T> {
  const standIn = await startRdsStandIn({
    seed: seedOf({ ...seedValue, ...(options.faults === undefined ? {} : { faults: options.faults }) }),
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  const rds = rdsClient(standIn);
  try {
    return await run(standIn, rds);
  } finally {
    rds.destroy();
    await standIn.stop();
  }
}

describe('RDS stand-in errors, as the real SDK sees them', () => {
  it('maps an unknown cluster to DBClusterNotFoundFault (404)', async () => {
    await withStandIn({}, async (_, rds) => {
      const error = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ghost' })).catch((e) => e);

      expect(error).toBeInstanceOf(DBClusterNotFoundFault);
      expect(error.$metadata.httpStatusCode).toBe(404);
    });
  });

  it('maps an unknown instance to DBInstanceNotFoundFault (404) in DescribeDBInstances', async () => {
    await withStandIn({}, async (_, rds) => {
      const error = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'ghost' })).catch((e) => e);

      expect(error).toBeInstanceOf(DBInstanceNotFoundFault);
      expect(error.$metadata.httpStatusCode).toBe(404);
    });
  });

  it('maps an unknown instance to DBInstanceNotFoundFault (404) in DescribeDBLogFiles', async () => {
    await withStandIn({}, async (_, rds) => {
      const error = await rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'ghost' })).catch((e) => e);

      expect(error).toBeInstanceOf(DBInstanceNotFoundFault);
    });
  });

  it('maps a paused Serverless v2 instance to DBInstanceNotReadyFault (400)', async () => {
    await withStandIn({}, async (_, rds) => {
      const error = await rds
        .send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'orders-aurora-2' }))
        .catch((e) => e);

      expect(error).toBeInstanceOf(DBInstanceNotReadyFault);
      expect(error.$metadata.httpStatusCode).toBe(400);
    });
  });

  it('rejects an SDK call signed with the wrong secret with SignatureDoesNotMatch (403)', async () => {
    await withStandIn({}, async (standIn) => {
      const wrong = new RDSClient({
        endpoint: standIn.endpoint,
        region: standIn.region,
        credentials: { accessKeyId: standIn.credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
        maxAttempts: 1,
      });

      const error = await wrong.send(new DescribeDBClustersCommand({})).catch((e) => e);
      wrong.destroy();

      expect(error).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    });
  });

  it('rejects an unknown access key with InvalidClientTokenId (403)', async () => {
    await withStandIn({}, async (standIn) => {
      const stranger = new RDSClient({
        endpoint: standIn.endpoint,
        region: standIn.region,
        credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: standIn.credentials.secretAccessKey },
        maxAttempts: 1,
      });

      const error = await stranger.send(new DescribeDBClustersCommand({})).catch((e) => e);
      stranger.destroy();

      expect(error).toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
    });
  });

  it('answers throttled calls with Throttling (400), which the SDK retries', async () => {
    let draws = 0;
    const random = () => (draws++ < 1 ? 0 : 0.99);
    await withStandIn({ faults: { throttleRate: 0.5 }, random }, async (standIn) => {
      const retrying = new RDSClient({
        endpoint: standIn.endpoint,
        region: standIn.region,
        credentials: standIn.credentials,
      });

      const result = await retrying.send(new DescribeDBClustersCommand({}));
      retrying.destroy();

      expect(result.$metadata.attempts).toBe(2);
      expect(standIn.calls.map((c) => c.status)).toEqual([400, 200]);
    });
  });

  it('names the Throttling error for a client that does not retry', async () => {
    await withStandIn({ faults: { throttleRate: 1 }, random: () => 0.5 }, async (_, rds) => {
      const error = await rds.send(new DescribeDBClustersCommand({})).catch((e) => e);

      expect(error).toBeInstanceOf(RDSServiceException);
      expect(error).toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    });
  });

  it('fails an operation the configured number of times, then answers normally', async () => {
    const failures = [{ operation: 'DescribeDBLogFiles', times: 2, code: 'InternalFailure', status: 500 }];
    await withStandIn({ faults: { failures } }, async (standIn, rds) => {
      const send = () => rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'orders-aurora-1' }));

      await expect(send()).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
      await expect(send()).rejects.toMatchObject({ name: 'InternalFailure' });
      await expect(send()).resolves.toMatchObject({ DescribeDBLogFiles: [expect.anything()] });
      expect(standIn.calls.map((c) => c.status)).toEqual([500, 500, 200]);
    });
  });

  it('injects download failures with the configured code in an XML error body', async () => {
    const failures = [{ operation: 'DownloadCompleteDBLogFile', code: 'ServiceUnavailable', status: 503 }];
    await withStandIn({ faults: { failures } }, async (standIn) => {
      const failed = await signedDownload(standIn, 'orders-aurora-1', 'error/mysql-error-running.log');
      const served = await signedDownload(standIn, 'orders-aurora-1', 'error/mysql-error-running.log');

      expect([failed.status, errorCode(failed.body)]).toEqual([503, 'ServiceUnavailable']);
      expect(served.body.toString()).toBe('ready\n');
    });
  });

  it('throttles downloads with 400 Throttling', async () => {
    await withStandIn({ faults: { throttleRate: 1 }, random: () => 0 }, async (standIn) => {
      const result = await signedDownload(standIn, 'orders-aurora-1', 'error/mysql-error-running.log');

      expect([result.status, errorCode(result.body)]).toEqual([400, 'Throttling']);
    });
  });
});
