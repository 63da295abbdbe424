import { gzipSync } from 'node:zlib';
import { InvalidInputError } from '../../../tasks/common/errors';
import { decodeAwsLogs } from '../../../tasks/common/forward/awslogs';
import { awslogs, decodedSample, sample } from './helpers';

function decodeError(input: unknown): Error {
  try {
    decodeAwsLogs(input);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected decodeAwsLogs to fail');
}

describe('decoding a CloudWatch Logs subscription delivery', () => {
  it('recognises the control message CloudWatch Logs sends to check the target', () => {
    expect(decodeAwsLogs(sample('awslogs.control'))).toEqual({ messageType: 'CONTROL_MESSAGE' });
  });

  it('returns every event of a data message with its group and stream', () => {
    const decoded = decodeAwsLogs(sample('awslogs.audit'));

    expect(decoded).toMatchObject({
      messageType: 'DATA_MESSAGE',
      logGroup: '/aws/rds/cluster/orders-aurora/audit',
      logStream: 'orders-aurora-1',
    });
    expect(decoded.messageType === 'DATA_MESSAGE' && decoded.logEvents).toEqual(decodedSample('audit').logEvents);
  });

  it('says the data is not base64, without quoting it', () => {
    const error = decodeError({ awslogs: { data: 'SELECT password FROM users;' } });

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe('awslogs.data: not base64; expected base64 of gzip of the CloudWatch Logs JSON');
    expect(error.message).not.toContain('password');
  });

  it('says the data is not gzip', () => {
    const error = decodeError({ awslogs: { data: Buffer.from('{"secret":"x"}').toString('base64') } });

    expect(error.message).toContain('not gzip');
    expect(error.message).not.toContain('secret');
  });

  it('says the gzip stream is damaged when it is cut short', () => {
    const zipped = gzipSync(Buffer.from(JSON.stringify(decodedSample('slowquery'))));
    const data = zipped.subarray(0, zipped.length - 12).toString('base64');

    expect(decodeError({ awslogs: { data: data.padEnd(Math.ceil(data.length / 4) * 4, '=') } }).message).toContain(
      'gzip stream is damaged',
    );
  });

  it('says the inflated data is not JSON', () => {
    const data = gzipSync(Buffer.from('not json at all')).toString('base64');

    expect(decodeError({ awslogs: { data } }).message).toContain('inflated data is not JSON');
  });

  it.each([
    ['logGroup', 'awslogs.data.logGroup'],
    ['logStream', 'awslogs.data.logStream'],
    ['logEvents', 'awslogs.data.logEvents'],
  ])('names the missing field %s', (field, named) => {
    const json: Record<string, unknown> = decodedSample('slowquery');
    delete json[field];

    expect(decodeError(awslogs(json)).message).toMatch(new RegExp(`^${named.replaceAll('.', '\\.')}:`));
  });

  it('names the event whose message is not a string', () => {
    const json = decodedSample('slowquery');
    (json.logEvents[1] as { message: unknown }).message = 42;

    expect(decodeError(awslogs(json)).message).toMatch(/^awslogs\.data\.logEvents\[1\]\.message:/);
  });

  it('refuses an awslogs object without data', () => {
    expect(decodeError({ awslogs: {} }).message).toMatch(/^awslogs\.data: missing/);
  });
});
