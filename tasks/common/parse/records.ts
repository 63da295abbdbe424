/** Leaves out the optional fields a line did not have, so records and their JSON carry no `undefined`. */
export function withoutUndefined<T extends object>(record: T): T {
  const out: Partial<T> = {};
  for (const key in record) if (record[key] !== undefined) out[key] = record[key];
  return out as T;
}
