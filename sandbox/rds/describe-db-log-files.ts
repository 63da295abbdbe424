// DescribeDBLogFiles: the log files of one instance, filtered and paged, sorted by name.
import { contentSize } from '../content/open';
import type { SeedFile } from '../seed-format/types';
import { dbInstanceNotFound, dbInstanceNotReady, invalidParameterValue } from './errors';
import { pageOf, readMaxRecords } from './paging';
import { requiredParam } from './query-params';
import type { RdsWorld } from './world';
import { element, wrap } from './xml';

// AWS documents no range for this call's MaxRecords; 100 per page makes paging visible.
const LOG_FILE_PAGES = { min: 1, max: 1000, fallback: 100 };

function readLong(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if (!/^-?\d+$/.test(value)) throw invalidParameterValue(`Invalid value ${value} for ${name}: expected a long.`);
  return Number(value);
}

const fileXml = (file: SeedFile) =>
  wrap(
    'DescribeDBLogFilesDetails',
    element('LogFileName', file.name) +
      element('LastWritten', Date.parse(file.lastWritten)) +
      element('Size', contentSize(file)),
  );

/** Returns the response body and the names it listed (grow/disappear faults key off them). */
export function describeDbLogFiles(world: RdsWorld, params: URLSearchParams): { xml: string; listed: Set<string> } {
  const id = requiredParam(params, 'DBInstanceIdentifier');
  const instance = world.instance(id);
  if (instance === undefined) throw dbInstanceNotFound(id);
  if (instance.status === 'paused') throw dbInstanceNotReady(instance.id);
  const maxRecords = readMaxRecords(params.get('MaxRecords'), LOG_FILE_PAGES);
  // "Written since" and "larger than", as the API reference words them. The Filters
  // parameter "isn't currently supported" by RDS, so it is ignored here too.
  const since = readLong(params, 'FileLastWritten');
  const largerThan = readLong(params, 'FileSize');
  const contains = params.get('FilenameContains') ?? '';
  const files = world
    .filesOf(instance.id)
    .filter((file) => since === undefined || Date.parse(file.lastWritten) >= since)
    .filter((file) => largerThan === undefined || contentSize(file) > largerThan)
    .filter((file) => file.name.includes(contains));
  const scope = `DescribeDBLogFiles/${instance.id}`;
  const { page, nextMarker } = pageOf(files, (file) => file.name, params.get('Marker'), maxRecords, scope);
  return {
    xml: wrap('DescribeDBLogFiles', page.map(fileXml).join('')) + element('Marker', nextMarker),
    listed: new Set(page.map((file) => file.name)),
  };
}
