import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/** A secret the functions read: the secret for IAM, and how the tasks' variable names it. */
export interface ConfiguredSecret {
  readonly secret: ISecret;
  /** The name or ARN as configured, or the ARN of a secret given as such. */
  readonly reference: string;
}

/** A complete secret ARN ends in the hyphen and six characters Secrets Manager appends to the name. */
const COMPLETE_ARN = /^arn:[\w-]+:secretsmanager:[\w-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/;

/**
 * A secret prop as a secret. A name or ARN is imported (nothing is created), by the form that lets
 * IAM match it: a complete ARN as is, a partial ARN or a name with the six-character suffix left
 * open. A name that itself ends in a hyphen and six letters or digits reads as a complete ARN only
 * when given as an ARN; give such a secret by name.
 */
export function configuredSecret(
  scope: Construct,
  id: string,
  given: ISecret | string | undefined,
): ConfiguredSecret | undefined {
  if (given === undefined) return undefined;
  if (typeof given !== 'string') return { secret: given, reference: given.secretFullArn ?? given.secretArn };
  const secret = !given.startsWith('arn:')
    ? Secret.fromSecretNameV2(scope, id, given)
    : COMPLETE_ARN.test(given)
      ? Secret.fromSecretCompleteArn(scope, id, given)
      : Secret.fromSecretPartialArn(scope, id, given);
  return { secret, reference: given };
}
