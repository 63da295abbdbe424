import { type BulkStandIn, startBulkStandIn } from '../../../sandbox/bulk-stand-in';
import { SANDBOX_CREDENTIALS } from '../../../sandbox/credentials';
import type { ForwardDocument } from '../../../tasks/common/forward/documents';
import { DeliveryRequestError } from '../../../tasks/common/forward/forward-errors';
import { openSearchTarget } from '../../../tasks/common/forward/opensearch-target';

const doc = (id: string): ForwardDocument => ({ index: 'rds-logs-a-audit-2026.11.22', id, document: { id } });

describe('the bulk stand-in', () => {
  let aoss: BulkStandIn;

  beforeAll(async () => {
    aoss = await startBulkStandIn({ service: 'aoss' });
  });
  afterAll(() => aoss.stop());

  const target = (service: 'es' | 'aoss', secretAccessKey: string = SANDBOX_CREDENTIALS.secretAccessKey) =>
    openSearchTarget({
      endpoint: new URL(aoss.endpoint),
      region: 'us-east-1',
      service,
      credentials: async () => ({ accessKeyId: SANDBOX_CREDENTIALS.accessKeyId, secretAccessKey }),
    });

  it('accepts a request signed for aoss with the body hash header', async () => {
    await expect(target('aoss').send([doc('a'), doc('b')])).resolves.toEqual([{ status: 201 }, { status: 201 }]);
  });

  it('refuses a request signed for another service, and the client does not retry it', async () => {
    const error = await target('es')
      .send([doc('c')])
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DeliveryRequestError);
    expect(error).toMatchObject({ status: 403, retriable: false });
  });

  it('refuses a request signed with the wrong secret key', async () => {
    await expect(target('aoss', 'not-the-key').send([doc('d')])).rejects.toMatchObject({ status: 403 });
  });

  it('fails every Nth item with the chosen status', async () => {
    aoss.setFaults({ items: [{ every: 2, status: 429 }] });

    const results = await target('aoss').send([doc('e'), doc('f'), doc('g'), doc('h')]);

    expect(results.map((result) => result.status)).toEqual([201, 429, 201, 429]);
    aoss.setFaults({});
  });

  it('overwrites a re-sent document instead of adding one', async () => {
    await target('aoss').send([doc('i')]);
    const [again] = await target('aoss').send([doc('i')]);

    expect(again).toEqual({ status: 200 });
    expect(aoss.documents().filter((stored) => stored.id === 'i')).toEqual([expect.objectContaining({ version: 2 })]);
  });
});
