import { ConfigurationError } from '../../../tasks/common/errors';
import { parseForwardConfig } from '../../../tasks/common/forward/forward-config';

const BASE = {
  AWS_REGION: 'ap-northeast-2',
  ARCHIVE_BUCKET: 'archive-bucket',
  FORWARD_TARGET: 'opensearch',
  FORWARD_ENDPOINT: 'https://search-logs-abc.ap-northeast-2.es.amazonaws.com',
};

const messageOf = (env: Record<string, string>) => {
  try {
    parseForwardConfig({ ...BASE, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigurationError');
};

describe('forwarding configuration', () => {
  it('applies the documented defaults', () => {
    expect(parseForwardConfig(BASE)).toMatchObject({
      openSearchService: 'es',
      indexPrefix: 'rds-logs',
      batchMaxBytes: 5_242_880,
      batchMaxDocuments: 1000,
      logGroupMapping: {},
    });
  });

  it.each([
    [{ FORWARD_TARGET: 'kafka' }, /^FORWARD_TARGET: got "kafka"; expected one of opensearch, https$/],
    [{ FORWARD_ENDPOINT: 'http://search.example.com' }, /^FORWARD_ENDPOINT: got http:/],
    [{ FORWARD_OPENSEARCH_SERVICE: 'opensearch' }, /^FORWARD_OPENSEARCH_SERVICE:/],
    [{ FORWARD_INDEX_PREFIX: 'RDS' }, /^FORWARD_INDEX_PREFIX:/],
    [{ FORWARD_BATCH_MAX_BYTES: '0' }, /^FORWARD_BATCH_MAX_BYTES:/],
    [{ FORWARD_LOG_GROUP_MAPPING: '{"g":{"type":"binlog"}}' }, /^FORWARD_LOG_GROUP_MAPPING: .*"g"\.type is "binlog"/],
    [{ FORWARD_LOG_GROUP_MAPPING: 'not json' }, /^FORWARD_LOG_GROUP_MAPPING: not JSON/],
  ])('names the variable of a malformed value (%j)', (env, message) => {
    expect(messageOf(env)).toMatch(message);
  });

  it('accepts plain http only on the loopback interface', () => {
    expect(parseForwardConfig({ ...BASE, FORWARD_ENDPOINT: 'http://127.0.0.1:9200' }).endpoint.port).toBe('9200');
  });
});
