import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { archiveProps } from './context';
import { RdsLogArchiveStack } from './rds-log-archive-stack';

/** The stack's name: the CLI finds the deployment by it. */
export const STACK_NAME = 'RdsLogArchive';

/**
 * The app: one stack configured from the context (cdk.json or `-c key=value`), checked by cdk-nag's
 * AWS Solutions rules on every synth, so a finding without a written acknowledgement fails it.
 * No env: the stack stays environment-agnostic, so synth needs no credentials and no lookups.
 */
export function defineArchiveApp(app: App): RdsLogArchiveStack {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return new RdsLogArchiveStack(app, STACK_NAME, {
    description:
      'rds-log-archive: archives RDS and Aurora log files, and exports CloudWatch Logs, to S3 with a Step Functions workflow',
    archive: archiveProps(app),
  });
}
