/**
 * Prefixes of the bucket's own objects; everything else is archive. Infrastructure scopes its
 * permissions and lifecycle rules by them.
 */
/** Plans, results and the report of each run: `_runs/{YYYY}/{MM}/{DD}/{execution}/…`. */
export const RUNS_PREFIX = '_runs/';
/** Objects being assembled before they are copied, complete, to their archive key. */
export const STAGING_PREFIX = '_staging/';
