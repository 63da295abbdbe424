// MaxRecords and Marker as the RDS describe calls take them. Markers are opaque to the
// client but name the last item served, so items added or removed between pages are
// neither repeated nor skipped.
import { invalidParameterValue } from './errors';

export interface PageLimits {
  readonly min: number;
  readonly max: number;
  readonly fallback: number;
}

export function readMaxRecords(value: string | null, limits: PageLimits): number {
  if (value === null) return limits.fallback;
  const count = Number(value);
  if (!Number.isInteger(count) || count < limits.min || count > limits.max) {
    throw invalidParameterValue(
      `Invalid value ${value} for MaxRecords. Must be between ${limits.min} and ${limits.max}`,
    );
  }
  return count;
}

const encodeMarker = (scope: string, key: string) => Buffer.from(JSON.stringify([scope, key])).toString('base64url');

function decodeMarker(marker: string, scope: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded[0] === scope && typeof decoded[1] === 'string') return decoded[1];
  } catch {
    // Reported below, like any marker this call did not hand out.
  }
  throw invalidParameterValue(`The marker ${marker} is not valid for this request.`);
}

/**
 * The page after `marker` of `items` (sorted by key). `scope` ties a marker to the call
 * (and instance) that issued it.
 */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  marker: string | null,
  maxRecords: number,
  scope: string,
): { page: T[]; nextMarker?: string } {
  const after = marker === null || marker === '' ? undefined : decodeMarker(marker, scope);
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, maxRecords);
  const last = page[page.length - 1];
  return rest.length > maxRecords && last !== undefined
    ? { page, nextMarker: encodeMarker(scope, keyOf(last)) }
    : { page };
}
