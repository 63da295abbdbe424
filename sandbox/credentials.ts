// Obviously fake credentials shared by every sandbox server, so tasks running against the
// sandbox can use one ordinary credential chain (environment variables) for S3 and RDS.
export const SANDBOX_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIASANDBOXEXAMPLE01',
  secretAccessKey: 'sandbox+secret+EXAMPLE+not+a+real+key+0001',
});

export const SANDBOX_REGION = 'us-east-1';

/** The fake account the stand-ins put in ARNs. */
export const SANDBOX_ACCOUNT_ID = '123456789012';
