import { type Config, parseConfig } from '../../tasks/common/config';

/** The smallest valid environment; tests add only the variables they are about. */
export const BASE_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'eu-west-1',
  ARCHIVE_BUCKET: 'archive-bucket',
  CLUSTERS: 'aurora-a',
};

/** A Config built the way a task builds it, from an environment. */
export function testConfig(env: Readonly<Record<string, string | undefined>> = {}): Config {
  return parseConfig({ ...BASE_ENV, ...env });
}
