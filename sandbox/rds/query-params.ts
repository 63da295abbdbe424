// Reads awsQuery request parameters, including the flattened `Filters.Filter.N` lists.
import { invalidParameterValue, missingParameter } from './errors';

export interface QueryFilter {
  readonly name: string;
  readonly values: readonly string[];
}

export function requiredParam(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw missingParameter(name);
  return value;
}

export function readFilters(params: URLSearchParams): QueryFilter[] {
  const filters: QueryFilter[] = [];
  for (let n = 1; params.has(`Filters.Filter.${n}.Name`); n++) {
    const values: string[] = [];
    for (let m = 1; params.has(`Filters.Filter.${n}.Values.Value.${m}`); m++) {
      values.push(params.get(`Filters.Filter.${n}.Values.Value.${m}`) ?? '');
    }
    filters.push({ name: params.get(`Filters.Filter.${n}.Name`) ?? '', values });
  }
  return filters;
}

/** Keeps the items that pass every filter; a filter name the call does not know is an error. */
export function applyFilters<T>(
  items: readonly T[],
  filters: readonly QueryFilter[],
  fields: Readonly<Record<string, (item: T) => readonly (string | undefined)[]>>,
): T[] {
  for (const filter of filters) {
    if (fields[filter.name] === undefined) throw invalidParameterValue(`Unrecognized filter name: ${filter.name}`);
    if (filter.values.length === 0) throw invalidParameterValue(`Filter ${filter.name} must have at least one value.`);
  }
  return items.filter((item) =>
    filters.every((filter) => {
      const candidates = fields[filter.name]?.(item) ?? [];
      return filter.values.some((value) => candidates.includes(value));
    }),
  );
}
