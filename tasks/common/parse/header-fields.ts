const SPACE = 32;
const COLON = 58;
const camelCache = new Map<string, string>();

/** `[start, end)` is a non-empty run of letters and underscores. */
function isName(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) | 32;
    if (!((c >= 97 && c <= 122) || c === 127)) return false;
  }
  return true;
}

function typed(value: string): number | string {
  const number = value === '' ? Number.NaN : Number(value);
  return Number.isFinite(number) ? number : value;
}

/**
 * `Query_time: 0.000750  Lock_time: 0.000000` → [['Query_time', 0.00075], ['Lock_time', 0]].
 * A name is a word of letters and underscores ending in `:`; its value runs to the next name.
 * Empty values (MariaDB's `Schema:   QC_hit: No`) come back as ''. Every slow log entry has three
 * to six of these lines, so this scans characters instead of running regular expressions.
 */
export function headerFields(text: string): [string, number | string][] {
  const fields: [string, number | string][] = [];
  let name: string | undefined;
  let valueStart = -1;
  let valueEnd = -1;
  const length = text.length;
  for (let i = 0; i < length; ) {
    while (i < length && text.charCodeAt(i) === SPACE) i++;
    if (i >= length) break;
    let end = text.indexOf(' ', i);
    if (end < 0) end = length;
    if (text.charCodeAt(end - 1) === COLON && isName(text, i, end - 1)) {
      if (name !== undefined) fields.push([name, typed(valueStart < 0 ? '' : text.slice(valueStart, valueEnd))]);
      name = text.slice(i, end - 1);
      valueStart = -1;
    } else if (name !== undefined) {
      if (valueStart < 0) valueStart = i;
      valueEnd = end;
    }
    i = end;
  }
  if (name !== undefined) fields.push([name, typed(valueStart < 0 ? '' : text.slice(valueStart, valueEnd))]);
  return fields;
}

/** `Tmp_table_on_disk` → `tmpTableOnDisk`, `QC_hit` → `qcHit`. */
export function camelCase(name: string): string {
  let camel = camelCache.get(name);
  if (camel === undefined) {
    const [first = '', ...rest] = name.split('_');
    camel =
      first.toLowerCase() + rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()).join('');
    camelCache.set(name, camel);
  }
  return camel;
}
