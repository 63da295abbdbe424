// limit and nextToken as the describe calls take them. A token is opaque to the client but
// names the sort key of the last item served, so items added or removed between pages are
// neither repeated nor skipped; it is only valid for the call (and group) that issued it.
import { invalidToken } from './errors';

export type SortKey = readonly (string | number)[];

export function compareSortKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export const encodeToken = (scope: string, payload: unknown): string =>
  Buffer.from(JSON.stringify([scope, payload])).toString('base64url');

/** The payload of a token this scope issued; InvalidParameterException for anything else. */
export function decodeToken(token: string, scope: string): unknown {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && decoded[0] === scope) return decoded[1];
  } catch {
    // Reported below, like any token this call did not hand out.
  }
  throw invalidToken();
}

const isSortKey = (value: unknown): value is SortKey =>
  Array.isArray(value) && value.every((part) => typeof part === 'string' || typeof part === 'number');

export interface PageRequest {
  readonly token: string | undefined;
  readonly limit: number;
  readonly scope: string;
  readonly descending?: boolean;
}

/** Sorts the items by key (descending if asked) and returns the page after the token. */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  request: PageRequest,
): { page: T[]; nextToken?: string } {
  const direction = request.descending ? -1 : 1;
  const sorted = [...items].sort((a, b) => direction * compareSortKeys(keyOf(a), keyOf(b)));
  let rest = sorted;
  if (request.token !== undefined && request.token !== '') {
    const after = decodeToken(request.token, request.scope);
    if (!isSortKey(after)) throw invalidToken();
    rest = sorted.filter((item) => direction * compareSortKeys(keyOf(item), after) > 0);
  }
  const page = rest.slice(0, request.limit);
  const last = page[page.length - 1];
  return rest.length > request.limit && last !== undefined
    ? { page, nextToken: encodeToken(request.scope, keyOf(last)) }
    : { page };
}
