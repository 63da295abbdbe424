import { setTimeout as sleep } from 'node:timers/promises';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { s3Client, secretsClient } from '../clients';
import { readSecret } from '../secrets';
import type { DeliveryTarget } from './delivery-target';
import type { ForwardConfig } from './forward-config';
import type { ForwardDeps } from './forward-documents';
import { httpsTarget, parseAuthSecret } from './https-target';
import { openSearchTarget } from './opensearch-target';

let credentials: ReturnType<typeof defaultProvider> | undefined;

function target(config: ForwardConfig): DeliveryTarget {
  if (config.target === 'opensearch') {
    // The Lambda role's credentials, refreshed by the provider before they expire.
    credentials ??= defaultProvider();
    return openSearchTarget({
      endpoint: config.endpoint,
      region: config.region,
      service: config.openSearchService,
      credentials,
    });
  }
  const secretId = config.authSecret;
  return httpsTarget({
    endpoint: config.endpoint,
    authHeader: secretId
      ? async () => parseAuthSecret(secretId, await readSecret(secretsClient(), secretId))
      : undefined,
  });
}

/** What the forwarding task runs with in Lambda: the configured backend, the shared S3 client, the clock. */
export function forwardDeps(config: ForwardConfig): ForwardDeps {
  return {
    target: target(config),
    limits: { maxBytes: config.batchMaxBytes, maxDocuments: config.batchMaxDocuments },
    sleep: (ms) => sleep(ms),
    s3: s3Client(),
    bucket: config.archiveBucket,
    now: Date.now,
  };
}
