import { InvalidInputError } from '../../../tasks/common/errors';
import {
  classify,
  eventKey,
  parseRdsEvent,
  postedMarkerKey,
  type RdsEvent,
  snapshotDatabase,
} from '../../../tasks/common/rds-events';
import { RDS_EVENT_SAMPLES, rdsEventSample } from '../../helpers/rds-event-samples';

type Json = Record<string, unknown>;

const sample = rdsEventSample;

/** The sample with some detail fields replaced. */
function withDetail(name: string, detail: Json): RdsEvent {
  const event = sample(name);
  return parseRdsEvent({ ...event, detail: { ...(event.detail as Json), ...detail } });
}

function parseError(input: unknown): InvalidInputError {
  try {
    parseRdsEvent(input);
  } catch (error) {
    return error as InvalidInputError;
  }
  throw new Error('expected parseRdsEvent to throw');
}

describe('parseRdsEvent', () => {
  it.each(RDS_EVENT_SAMPLES)('accepts the %s sample as EventBridge delivers it', (name) => {
    const input = sample(name);

    expect(parseRdsEvent(input)).toEqual(input);
  });

  it.each([
    ['detail.EventID', (event: Json) => delete (event.detail as Json).EventID],
    ['detail.Date', (event: Json) => Object.assign(event.detail as Json, { Date: 'yesterday' })],
    ['detail.SourceIdentifier', (event: Json) => Object.assign(event.detail as Json, { SourceIdentifier: '../x' })],
    ['detail.SourceIdentifier', (event: Json) => Object.assign(event.detail as Json, { SourceIdentifier: 'a/b' })],
    ['detail.EventCategories', (event: Json) => Object.assign(event.detail as Json, { EventCategories: 'backup' })],
    ['detail.Message', (event: Json) => Object.assign(event.detail as Json, { Message: 42 })],
    ['source', (event: Json) => Object.assign(event, { source: 'aws.ec2' })],
    ['detail-type', (event: Json) => Object.assign(event, { 'detail-type': 'AWS API Call via CloudTrail' })],
    ['id', (event: Json) => Object.assign(event, { id: 'a/../b' })],
    ['region', (event: Json) => Object.assign(event, { region: 'Seoul' })],
    ['detail', (event: Json) => delete event.detail],
  ])('names %s when it is malformed', (field, spoil) => {
    const event = sample('cluster-automated-snapshot');
    spoil(event);

    const error = parseError(event);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
  });

  it('says what it expected and what it got', () => {
    const event = sample('reboot');
    (event.detail as Json).EventID = 'EVENT-6';

    expect(parseError(event).message).toBe(
      'detail.EventID: got "EVENT-6"; expected an RDS event id such as RDS-EVENT-0169',
    );
  });

  it('refuses something that is not an object', () => {
    expect(parseError('RDS-EVENT-0091').field).toBe('event');
  });
});

describe('classify', () => {
  it.each([
    ['automated-snapshot', 'snapshot'],
    ['cluster-automated-snapshot', 'snapshot'],
    ['cluster-manual-snapshot', 'snapshot'],
    ['backup', 'backup'],
    ['failover', 'failover'],
    ['reboot', 'reboot'],
    ['maintenance', 'maintenance'],
    ['failure', 'failure'],
    ['other', 'other'],
  ])('classifies the %s sample as %s', (name, kind) => {
    expect(classify(parseRdsEvent(sample(name)))).toBe(kind);
  });

  it.each([
    [
      'a manual DB snapshot created (RDS-EVENT-0042)',
      { EventID: 'RDS-EVENT-0042', EventCategories: ['creation'], Message: 'Manual snapshot created' },
      'snapshot',
    ],
    [
      'an automated cluster snapshot being created (RDS-EVENT-0168)',
      { EventID: 'RDS-EVENT-0168', EventCategories: ['backup'], Message: 'Creating automated cluster snapshot' },
      'backup',
    ],
    [
      'the failure category',
      {
        EventID: 'RDS-EVENT-0035',
        EventCategories: ['failure'],
        Message: 'Database instance put into incompatible-parameters.',
      },
      'failure',
    ],
    [
      'a failed failover',
      {
        EventID: 'RDS-EVENT-0069',
        EventCategories: ['failover'],
        Message: 'Cluster failover failed, check the health of your cluster instances and try again.',
      },
      'failure',
    ],
    [
      'an error while restarting',
      { EventID: 'RDS-EVENT-0022', EventCategories: ['availability'], Message: 'Error restarting mysql: ...' },
      'failure',
    ],
    [
      'a global failover',
      {
        EventID: 'RDS-EVENT-0238',
        EventCategories: ['global failover'],
        Message: 'Global failover to DB cluster orders-aurora completed.',
      },
      'failover',
    ],
    [
      'security patching',
      { EventID: 'RDS-EVENT-0230', EventCategories: ['security patching'], Message: 'A system update is available.' },
      'maintenance',
    ],
    [
      'categories in another case',
      { EventID: 'RDS-EVENT-0013', EventCategories: ['Failover'], Message: 'Multi-AZ instance failover started.' },
      'failover',
    ],
    [
      'a configuration change',
      { EventID: 'RDS-EVENT-0016', EventCategories: ['configuration change'], Message: 'Reset master credentials.' },
      'other',
    ],
  ])('classifies %s', (_case, detail, kind) => {
    expect(classify(withDetail('reboot', detail))).toBe(kind);
  });
});

describe('eventKey', () => {
  it('files the event by its UTC day, its source and its event and envelope ids', () => {
    const event = parseRdsEvent(sample('cluster-automated-snapshot'));

    expect(eventKey(event)).toBe(
      'rds-events/2026/11/21/rds:orders-aurora-2026-11-21-15-30/RDS-EVENT-0169-9e2d41a7-3b6c-f0d8-5a17-c84e06b2d9f3.json',
    );
  });

  it('takes the day of detail.Date in UTC, also when it carries an offset', () => {
    const event = withDetail('failover', { Date: '2026-11-22T08:30:00+09:00' });

    expect(eventKey(event)).toMatch(/^rds-events\/2026\/11\/21\/orders-aurora\//);
  });

  it('puts the posted marker beside the event', () => {
    expect(postedMarkerKey('rds-events/2026/11/21/orders-aurora/RDS-EVENT-0071-abc.json')).toBe(
      'rds-events/2026/11/21/orders-aurora/RDS-EVENT-0071-abc.posted',
    );
  });
});

describe('snapshotDatabase', () => {
  it('reads the cluster from an automated cluster snapshot name', () => {
    expect(snapshotDatabase(parseRdsEvent(sample('cluster-automated-snapshot')))).toBe('orders-aurora');
  });

  it('reads the instance from an automated DB snapshot name', () => {
    expect(snapshotDatabase(parseRdsEvent(sample('automated-snapshot')))).toBe('billing-pg');
  });

  it('does not guess from a manual snapshot name', () => {
    expect(snapshotDatabase(parseRdsEvent(sample('cluster-manual-snapshot')))).toBeUndefined();
  });

  it('is undefined for events that are not about a snapshot', () => {
    expect(snapshotDatabase(parseRdsEvent(sample('failover')))).toBeUndefined();
  });
});
