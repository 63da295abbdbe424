import { Logger } from '@aws-lambda-powertools/logger';

/** The one logger of every task; the execution id is set as correlation id per invocation. */
export const logger = new Logger({ serviceName: 'rds-log-archive' });
