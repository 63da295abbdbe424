import type { S3ClientConfig } from '@aws-sdk/client-s3';

// Obviously fake credentials shared by every sandbox server, so tasks running against the
// sandbox can use one ordinary credential chain (environment variables) for S3 and RDS.
export const SANDBOX_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIASANDBOXEXAMPLE01',
  secretAccessKey: 'sandbox+secret+EXAMPLE+not+a+real+key+0001',
});

export const SANDBOX_REGION = 'us-east-1';

/** The fake account the stand-ins put in ARNs. */
export const SANDBOX_ACCOUNT_ID = '123456789012';

/** Client settings s3rver needs: path-style URLs and no default CRC32 checksums. */
export function sandboxS3ClientConfig(endpoint: string, region: string = SANDBOX_REGION): S3ClientConfig {
  return {
    endpoint,
    region,
    credentials: { ...SANDBOX_CREDENTIALS },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}
