import { type ParsedArgs, stringFlag } from './args';
import { STATE_MACHINE_ARN } from './arns';
import type { CliDeps } from './context';
import { UsageError } from './errors';
import { DEFAULT_STACK, STACK_NAME, stackOutput } from './stack';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Where the commands find the deployed workflow. */
export interface AwsFlags {
  readonly region?: string;
  readonly stack: string;
  readonly stateMachineArn?: string;
  readonly bucket?: string;
}

function checked(args: ParsedArgs, name: string, pattern: RegExp, expected: string): string | undefined {
  const value = stringFlag(args, name);
  if (value !== undefined && !pattern.test(value)) {
    throw new UsageError(`--${name}: got "${value.slice(0, 90)}"; expected ${expected}`);
  }
  return value;
}

/** Validate --region, --stack, --state-machine-arn and --bucket before any AWS call. */
export function awsFlags(args: ParsedArgs): AwsFlags {
  return {
    region: checked(args, 'region', REGION, 'an AWS region such as eu-west-1'),
    stack:
      checked(args, 'stack', STACK_NAME, 'a stack name (a letter, then letters, digits or -) or a stack ARN') ??
      DEFAULT_STACK,
    stateMachineArn: checked(
      args,
      'state-machine-arn',
      STATE_MACHINE_ARN,
      'a state machine ARN (arn:aws:states:{region}:{account}:stateMachine:{name})',
    ),
    bucket: checked(args, 'bucket', BUCKET, 'an S3 bucket name (3-63 of a-z 0-9 . -)'),
  };
}

/** --state-machine-arn, else the stack's StateMachineArn output. */
export async function stateMachineArnOf(deps: CliDeps, flags: AwsFlags): Promise<string> {
  if (flags.stateMachineArn) return flags.stateMachineArn;
  const cfn = deps.cloudFormation(flags.region);
  return stackOutput(cfn, flags.stack, 'StateMachineArn', '--state-machine-arn ARN');
}
