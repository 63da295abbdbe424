import { type CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import type { StackOutputKey } from '../infra/rds-log-archive-stack';
import { awsFailure, clientRegion, errorName } from './aws';
import { CliError } from './errors';

/** The stack the CDK app deploys (infra/archive-app.ts), unless --stack names another. */
export const DEFAULT_STACK = 'RdsLogArchive';

export const STACK_NAME = /^([A-Za-z][A-Za-z0-9-]{0,127}|arn:aws[a-z-]*:cloudformation:\S+)$/;

async function describeStack(cfn: CloudFormationClient, stackName: string, instead: string): Promise<Stack> {
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (stack) return stack;
  } catch (error) {
    const missing = errorName(error) === 'ValidationError' && /does not exist/i.test((error as Error).message);
    if (!missing) throw awsFailure(`DescribeStacks ${stackName}`, error);
  }
  const region = (await clientRegion(cfn)) ?? 'the default region';
  throw new CliError(
    `stack "${stackName}" not found in ${region}: deploy it (npx cdk deploy), name another with --stack or --region, or pass ${instead}`,
  );
}

/**
 * One output of the deployed stack (DescribeStacks). A missing stack or output is an error that
 * says what to do instead: deploy, name the stack, or pass the value itself (`instead`).
 */
export async function stackOutput(
  cfn: CloudFormationClient,
  stackName: string,
  key: StackOutputKey,
  instead: string,
): Promise<string> {
  const stack = await describeStack(cfn, stackName, instead);
  const value = stack.Outputs?.find((output) => output.OutputKey === key)?.OutputValue;
  if (value) return value;
  const present = (stack.Outputs ?? []).map((output) => output.OutputKey).join(', ') || 'none';
  throw new CliError(
    `stack "${stackName}" (${stack.StackStatus ?? 'unknown status'}) has no output ${key} (outputs: ${present}): update the stack, or pass ${instead}`,
  );
}
