import { App } from 'aws-cdk-lib';
import { contextList } from '../../infra/context';

describe('contextList', () => {
  it('takes a JSON array from cdk.json as is', () => {
    const app = new App({ context: { clusters: ['orders-aurora', 'billing-aurora'] } });

    expect(contextList(app, 'clusters')).toEqual(['orders-aurora', 'billing-aurora']);
  });

  it('splits a comma-separated value from the command line', () => {
    const app = new App({ context: { clusters: ' orders-aurora, billing-aurora ,' } });

    expect(contextList(app, 'clusters')).toEqual(['orders-aurora', 'billing-aurora']);
  });

  it('is undefined when the key is not set', () => {
    expect(contextList(new App(), 'clusters')).toBeUndefined();
  });

  it('names the key when the value has the wrong form', () => {
    const app = new App({ context: { clusters: [1, 2] } });

    expect(() => contextList(app, 'clusters')).toThrow(/context "clusters"/);
  });
});
