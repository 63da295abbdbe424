/**
 * Prefixes of the bucket's own objects; everything else is archive. Infrastructure scopes its
 * permissions and lifecycle rules by them.
 */
/** Plans, results and the report of each run: `_runs/{YYYY}/{MM}/{DD}/{execution}/…`. */
export const RUNS_PREFIX = '_runs/';
/** Objects being assembled before they are copied, complete, to their archive key. */
export const STAGING_PREFIX = '_staging/';
/** Verified CloudWatch Logs exports: `cloudwatch/{logGroup}/{YYYY}/{MM}/{DD}/{rangeId}/…` plus manifest.json. */
export const CLOUDWATCH_PREFIX = 'cloudwatch/';
/** Where CloudWatch Logs writes an export (`_exports/{taskName}/{taskId}/…`) until it is verified and moved. */
export const EXPORTS_PREFIX = '_exports/';
/** Kept events of streams being rewritten, and their progress: `_cloudwatch/checkpoints/{group}/{cutoff}/{stream}/`. */
export const CHECKPOINTS_PREFIX = '_cloudwatch/checkpoints/';
/**
 * Parsed records of archived files, as gzip NDJSON beside the raw layout:
 * `parsed/{cluster}/{logType}/{YYYY}/{MM}/{DD}/{HH}/{instance}/{fileName}.ndjson.gz`.
 */
export const PARSED_PREFIX = 'parsed/';
/** Documents the forward function could not deliver: `forward-failed/{YYYY}/{MM}/{DD}/{HH}/{uuid}.ndjson.gz`. */
export const FORWARD_FAILED_PREFIX = 'forward-failed/';
/** Each captured RDS event once: `rds-events/{YYYY}/{MM}/{DD}/{sourceIdentifier}/{eventId}-{id}.json`. */
export const RDS_EVENTS_PREFIX = 'rds-events/';
