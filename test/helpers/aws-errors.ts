import { RDSServiceException } from '@aws-sdk/client-rds';
import { NotFound } from '@aws-sdk/client-s3';

/** An RDS error as the SDK throws it once its own retries are used up. */
export function rdsError(name: string, httpStatusCode = 400): RDSServiceException {
  return new RDSServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, attempts: 3 },
    message: `${name} (test)`,
  });
}

/** HeadObject on a missing key. */
export function s3NotFound(): NotFound {
  return new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } });
}
