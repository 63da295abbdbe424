import { App } from 'aws-cdk-lib';
import { archiveProps } from './context';
import { RdsLogArchiveStack } from './rds-log-archive-stack';

const app = new App();
// No env: the stack stays environment-agnostic, so synth needs no credentials and no lookups.
new RdsLogArchiveStack(app, 'RdsLogArchive', {
  description:
    'rds-log-archive: archives RDS and Aurora log files, and exports CloudWatch Logs, to S3 with a Step Functions workflow',
  archive: archiveProps(app),
});
