import { ConfigurationError } from '../../../tasks/common/errors';
import { logSource } from '../../../tasks/common/forward/log-source';

describe('telling the database of a log group', () => {
  it('takes the cluster from an Aurora cluster group and the instance from the stream', () => {
    expect(logSource('/aws/rds/cluster/orders-aurora/slowquery', 'orders-aurora-2', {})).toEqual({
      cluster: 'orders-aurora',
      instance: 'orders-aurora-2',
      type: 'slowquery',
    });
  });

  it('uses the instance id as cluster for an instance group', () => {
    expect(logSource('/aws/rds/instance/billing-pg/postgresql', 'billing-pg.0', {})).toEqual({
      cluster: 'billing-pg',
      instance: 'billing-pg',
      type: 'postgresql',
    });
  });

  it('lets the mapping override what the group name says', () => {
    const mapping = { '/aws/rds/cluster/orders-aurora/error': { cluster: 'orders', type: 'error' as const } };

    expect(logSource('/aws/rds/cluster/orders-aurora/error', 'orders-aurora-1', mapping)).toEqual({
      cluster: 'orders',
      instance: 'orders-aurora-1',
      type: 'error',
    });
  });

  it('reads a group of another name through the mapping alone', () => {
    const mapping = { 'legacy-slow-logs': { cluster: 'shop', instance: 'shop-db-1', type: 'slowquery' as const } };

    expect(logSource('legacy-slow-logs', 'anything', mapping)).toEqual({
      cluster: 'shop',
      instance: 'shop-db-1',
      type: 'slowquery',
    });
  });

  it('asks for a mapping when neither the name nor the mapping tells the log type', () => {
    const error = (() => {
      try {
        return logSource('/aws/rds/cluster/orders-aurora/upgrade', 'orders-aurora-1', {});
      } catch (caught) {
        return caught as Error;
      }
    })();

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(
      /^FORWARD_LOG_GROUP_MAPPING: .*"\/aws\/rds\/cluster\/orders-aurora\/upgrade"/,
    );
  });
});
