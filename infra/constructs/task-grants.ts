import { ArnFormat, Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { WildcardAcknowledgements } from './wildcard-acknowledgements';

/** A function whose role the grants extend. */
type Grantee = IGrantable & { addToRolePolicy(statement: PolicyStatement): void };

/**
 * The statements the task functions are given, written once: exact actions on exact resources,
 * every wildcard resource with its reason (which also acknowledges the cdk-nag finding).
 */
export class TaskGrants {
  constructor(
    private readonly scope: Construct,
    private readonly bucket: IBucket,
    readonly wildcards: WildcardAcknowledgements,
  ) {}

  /** An RDS resource of the stack's account and region, such as `cluster:orders-aurora` or `cluster-snapshot:*`. */
  rdsArn(resource: 'cluster' | 'db' | 'cluster-snapshot' | 'snapshot', name: string): string {
    return Stack.of(this.scope).formatArn({
      service: 'rds',
      resource,
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** Allows `actions` on `resources`; nothing when there is no resource to allow. */
  allow(grantee: Grantee, actions: string[], resources: string[], conditions?: Record<string, unknown>): void {
    if (resources.length > 0) grantee.addToRolePolicy(new PolicyStatement({ actions, resources, conditions }));
  }

  /**
   * s3:ListBucket under the given prefixes only. S3 also asks for it before answering 404 for a
   * missing key (403 otherwise), with the key as `s3:prefix`: the tasks' existence checks under
   * these prefixes need it too.
   */
  allowListing(grantee: Grantee, prefixes: readonly string[]): void {
    this.allow(grantee, ['s3:ListBucket'], [this.bucket.bucketArn], {
      StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) },
    });
  }

  /** The bucket's objects whose keys match `keys` (which ends in `*`), with why they are named at run time. */
  objects(keys: string, why: string): string {
    return this.wildcards.because(this.bucket.arnForObjects(keys), why);
  }

  /**
   * The tasks that read or write objects need the bucket's KMS key too, when it has one: S3 asks
   * for a data key to write and decrypts one to read (and to complete a multipart upload). Exactly
   * these actions, not the `kms:ReEncrypt*` and `kms:GenerateDataKey*` of grantEncryptDecrypt;
   * a task that only reads gets kms:Decrypt alone.
   */
  grantKey(grantees: readonly IGrantable[], actions: readonly string[] = ['kms:Decrypt', 'kms:GenerateDataKey']): void {
    const encryptionKey = this.bucket.encryptionKey;
    if (encryptionKey) for (const grantee of grantees) encryptionKey.grant(grantee, ...actions);
  }

  /**
   * secretsmanager:GetSecretValue on each given secret, and no DescribeSecret (grantRead adds it):
   * the tasks only read the value. A secret with a customer managed key also needs kms:Decrypt on
   * the key, through Secrets Manager only.
   */
  readSecrets(grantee: Grantee, secrets: readonly (ISecret | undefined)[]): void {
    const given = secrets.filter((secret): secret is ISecret => secret !== undefined);
    this.allow(grantee, ['secretsmanager:GetSecretValue'], given.map(secretPolicyArn));
    for (const { encryptionKey, env } of given) {
      if (!encryptionKey) continue;
      this.allow(grantee, ['kms:Decrypt'], [encryptionKey.keyArn], {
        StringEquals: { 'kms:ViaService': `secretsmanager.${env.region}.amazonaws.com` },
      });
    }
  }
}

/**
 * The ARN a policy names for a secret: the complete ARN when it is known, otherwise the partial
 * ARN and the six characters Secrets Manager appends to every secret's name (`?` matches one).
 */
export function secretPolicyArn(secret: ISecret): string {
  return secret.secretFullArn ?? `${secret.secretArn}-??????`;
}
