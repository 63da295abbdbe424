import { executionConsoleLink } from '../tasks/common/run-report-format';
import { UsageError } from './errors';
import { EXECUTION_NAME } from './naming';

export const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[0-9A-Za-z_-]{1,80}$/;
export const EXECUTION_ARN =
  /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[0-9A-Za-z_/-]{1,200}:[0-9A-Za-z_-]{1,80}$/;

/** The region field of an ARN (`arn:aws:states:{region}:…`). */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? '';
}

/** An execution's ARN from its state machine's ARN and its name, as Step Functions forms it. */
export function executionArnFor(stateMachineArn: string, name: string): string {
  const [arn, partition, service, region, account, , stateMachineName] = stateMachineArn.split(':');
  return [arn, partition, service, region, account, 'execution', stateMachineName, name].join(':');
}

/** The execution's page in the Step Functions console, the same link the run report carries. */
export const consoleLink = executionConsoleLink;

/** `status`'s argument: an execution ARN as it is, or a bare name to resolve against the state machine. */
export function parseExecutionRef(value: string): { readonly arn: string } | { readonly name: string } {
  if (EXECUTION_ARN.test(value)) return { arn: value };
  if (EXECUTION_NAME.test(value)) return { name: value };
  throw new UsageError(
    `execution: got "${value.slice(0, 90)}"; expected an execution name (1-80 of 0-9 A-Z a-z - _) or an execution ARN (arn:aws:states:{region}:{account}:execution:{stateMachine}:{name})`,
  );
}
