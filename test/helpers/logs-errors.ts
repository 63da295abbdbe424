import { CloudWatchLogsServiceException } from '@aws-sdk/client-cloudwatch-logs';

/** CloudWatch Logs throttling as the SDK throws it once its own retries are used up. */
export function logsThrottled(): CloudWatchLogsServiceException {
  return new CloudWatchLogsServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });
}
