import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RdsStandIn, startRdsStandIn } from '../../../sandbox/rds-stand-in';
import { errorCode, ordersCluster, seedOf, signDownload, signedDownload } from './helpers';

const SLOW_LOG = 'slowquery/mysql-slowquery.log.2026-11-20.09';
const TEXT = '# Time: 2026-11-20T09:00:01.000000Z\n# Query_time: 2.5\nSELECT SLEEP(2.5);\n';

const seed = seedOf({
  clusters: [ordersCluster()],
  files: [
    { instance: 'orders-aurora-1', name: SLOW_LOG, lastWritten: '2026-11-20T10:00:00Z', content: { text: TEXT } },
    {
      instance: 'orders-aurora-1',
      name: 'audit/audit.log.0.2026-11-20-09-00.0',
      lastWritten: '2026-11-20T10:00:00Z',
      content: { generate: { sizeBytes: 300_000 } },
    },
    {
      instance: 'orders-aurora-1',
      name: 'odd names/log file+1:2.log',
      lastWritten: '2026-11-20T10:00:00Z',
      content: { text: 'odd\n' },
    },
    {
      instance: 'orders-aurora-1',
      name: 'audit/audit.log.1.2026-11-20-09-00.0',
      lastWritten: '2026-11-20T10:00:00Z',
      content: { generate: { sizeBytes: 256 * 1024 * 1024 } },
    },
    { instance: 'orders-aurora-2', name: 'error/e.log', lastWritten: '2026-11-20T10:00:00Z', content: { text: 'e' } },
  ],
  faults: {
    resets: [
      { instance: 'orders-aurora-1', file: 'audit/audit.log.0.2026-11-20-09-00.0', afterBytes: 65_537, times: 2 },
    ],
  },
});

let standIn: RdsStandIn;

beforeEach(async () => {
  standIn = await startRdsStandIn({ seed });
});

afterEach(async () => {
  await standIn.stop();
});

describe('signed download of a complete log file', () => {
  it('streams the file to a correctly signed request (name with "/")', async () => {
    const result = await signedDownload(standIn, 'orders-aurora-1', SLOW_LOG);

    expect(result).toEqual({ status: 200, body: Buffer.from(TEXT), complete: true });
  });

  it('accepts a name whose path segments had to be percent-encoded', async () => {
    const result = await signedDownload(standIn, 'orders-aurora-1', 'odd names/log file+1:2.log', { encodePath: true });

    expect([result.status, result.body.toString()]).toEqual([200, 'odd\n']);
  });

  it('rejects a request signed with the wrong secret with 403 SignatureDoesNotMatch', async () => {
    const result = await signedDownload(standIn, 'orders-aurora-1', SLOW_LOG, { secretAccessKey: 'wrong-secret' });

    expect([result.status, errorCode(result.body)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('rejects an unsigned request with 403 MissingAuthenticationToken', async () => {
    const result = await signedDownload(standIn, 'orders-aurora-1', SLOW_LOG, { unsigned: true });

    expect([result.status, errorCode(result.body)]).toEqual([403, 'MissingAuthenticationToken']);
  });

  it('rejects a signature for another region', async () => {
    const result = await signedDownload(standIn, 'orders-aurora-1', SLOW_LOG, { region: 'us-west-2' });

    expect([result.status, errorCode(result.body)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('rejects an X-Amz-Date more than 15 minutes off', async () => {
    const signingDate = new Date(Date.now() - 16 * 60 * 1000);

    const result = await signedDownload(standIn, 'orders-aurora-1', SLOW_LOG, { signingDate });

    expect(result.status).toBe(403);
    expect(result.body.toString()).toContain('Signature expired');
  });

  it('accepts an X-Amz-Date 14 minutes off', async () => {
    const signingDate = new Date(Date.now() + 14 * 60 * 1000);

    const result = await signedDownload(standIn, 'orders-aurora-1', SLOW_LOG, { signingDate });

    expect(result.status).toBe(200);
  });

  it('answers 404 DBLogFileNotFoundFault for an unknown file or instance', async () => {
    const unknownFile = await signedDownload(standIn, 'orders-aurora-1', 'slowquery/nope.log');
    const unknownInstance = await signedDownload(standIn, 'ghost', SLOW_LOG);

    expect([unknownFile.status, errorCode(unknownFile.body)]).toEqual([404, 'DBLogFileNotFoundFault']);
    expect([unknownInstance.status, errorCode(unknownInstance.body)]).toEqual([404, 'DBLogFileNotFoundFault']);
  });

  it('answers DBInstanceNotReady for a paused instance', async () => {
    const result = await signedDownload(standIn, 'orders-aurora-2', 'error/e.log');

    expect([result.status, errorCode(result.body)]).toEqual([400, 'DBInstanceNotReady']);
  });
});

describe('streaming', () => {
  it('reads the file no faster than the client takes it (backpressure)', async () => {
    const signed = await signDownload(standIn, 'orders-aurora-1', 'audit/audit.log.1.2026-11-20-09-00.0');
    const response = await new Promise<import('node:http').IncomingMessage>((resolve) => {
      request({ host: signed.hostname, port: signed.port, path: signed.path, headers: signed.headers }, resolve).end();
    });
    response.pause();

    await sleep(300);
    const servedWhilePaused = standIn.calls[0]?.bytes ?? 0;
    response.destroy();

    // Only socket and stream buffers fill up; without backpressure all 256 MiB would be read.
    expect(servedWhilePaused).toBeGreaterThan(0);
    expect(servedWhilePaused).toBeLessThan(32 * 1024 * 1024);
  });
});

describe('reset fault', () => {
  const AUDIT = 'audit/audit.log.0.2026-11-20-09-00.0';

  it('drops the connection after afterBytes bytes, the configured number of times, then serves the file whole', async () => {
    const first = await signedDownload(standIn, 'orders-aurora-1', AUDIT);
    const second = await signedDownload(standIn, 'orders-aurora-1', AUDIT);
    const third = await signedDownload(standIn, 'orders-aurora-1', AUDIT);

    expect([first.status, first.complete, first.body.length]).toEqual([200, false, 65_537]);
    expect([second.complete, second.body.length]).toEqual([false, 65_537]);
    expect([third.complete, third.body.length]).toEqual([true, 300_000]);
    expect(third.body.subarray(0, 65_537)).toEqual(first.body);
    expect(standIn.calls.map((c) => c.bytes)).toEqual([65_537, 65_537, 300_000]);
  });

  it('leaves other files alone', async () => {
    const result = await signedDownload(standIn, 'orders-aurora-1', SLOW_LOG);

    expect(result.complete).toBe(true);
  });
});
