import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { PARSED_COLUMNS, PARTITION_KEYS, PROJECTED_YEARS } from '../../infra/constructs/athena-tables';
import { RdsLogArchive } from '../../infra/constructs/rds-log-archive';
import { REPO_ROOT } from '../../infra/constructs/repo-paths';
import { LOG_TYPES } from '../../tasks/common/types';
import { synthConstruct } from './synth-app';

interface TableInput {
  readonly Name: string;
  readonly PartitionKeys: { Name: string; Type: string }[];
  readonly Parameters: Record<string, string>;
  readonly StorageDescriptor: {
    readonly Columns: { Name: string; Type: string }[];
    readonly Location: unknown;
    readonly SerdeInfo: { SerializationLibrary: string; Parameters: Record<string, string> };
  };
}

function tablesOf(template: Template): Record<string, TableInput> {
  return Object.fromEntries(
    Object.values(template.findResources('AWS::Glue::Table')).map((table) => {
      const input = table.Properties.TableInput as TableInput;
      return [input.Name, input];
    }),
  );
}

/** A resolved value as text, Fn::Joins joined and the bucket reference as `{bucket}`. */
function location(value: unknown): string {
  const node = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (typeof value === 'string') return value;
  if (node['Fn::Join']) return node['Fn::Join'][1].map(location).join(node['Fn::Join'][0]);
  if (node.Ref) return '{bucket}';
  return JSON.stringify(value);
}

describe('Athena tables', () => {
  let tables: Record<string, TableInput>;
  let template: Template;

  beforeAll(() => {
    ({ template } = synthConstruct({
      clusters: ['orders-aurora'],
      instances: ['billing-pg'],
      athenaTables: true,
      parsedOutput: ['all'],
    }));
    tables = tablesOf(template);
  });

  it('creates the database and a raw and a parsed table per log type', () => {
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'rds_log_archive' } });
    expect(Object.keys(tables).sort()).toEqual(
      LOG_TYPES.flatMap((logType) => [`${logType}_parsed`, `${logType}_raw`]).sort(),
    );
  });

  it('reads each raw file as lines of text in one string column', () => {
    const raw = tables.slowquery_raw;

    expect(raw?.StorageDescriptor.Columns).toEqual([{ Name: 'line', Type: 'string' }]);
    expect(raw?.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
    );
  });

  it.each(LOG_TYPES)('projects the %s partitions over the archive layout', (logType) => {
    const raw = tables[`${logType}_raw`];
    const parsed = tables[`${logType}_parsed`];

    for (const table of [raw, parsed]) {
      expect(table?.PartitionKeys.map((key) => key.Name)).toEqual([...PARTITION_KEYS]);
      expect(table?.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.cluster.type': 'enum',
        'projection.cluster.values': 'orders-aurora,billing-pg',
        'projection.instance.type': 'injected',
        'projection.year.type': 'integer',
        'projection.year.range': PROJECTED_YEARS,
        'projection.month.type': 'integer',
        'projection.month.range': '1,12',
        'projection.month.digits': '2',
        'projection.day.range': '1,31',
        'projection.day.digits': '2',
        'projection.hour.range': '0,23',
        'projection.hour.digits': '2',
      });
    }
    const template = (table?: TableInput) => location(table?.Parameters['storage.location.template']);
    expect(template(raw)).toBe(
      `s3://{bucket}/\${cluster}/${logType}/\${year}/\${month}/\${day}/\${hour}/\${instance}/`,
    );
    expect(template(parsed)).toBe(
      `s3://{bucket}/parsed/\${cluster}/${logType}/\${year}/\${month}/\${day}/\${hour}/\${instance}/`,
    );
  });

  it.each(LOG_TYPES)('gives the %s parsed table a typed column per record field, read by the JSON SerDe', (logType) => {
    const parsed = tables[`${logType}_parsed`];
    const serde = parsed?.StorageDescriptor.SerdeInfo;

    expect(parsed?.StorageDescriptor.Columns).toEqual(
      PARSED_COLUMNS[logType].map(({ name, type }) => ({ Name: name, Type: type })),
    );
    expect(serde?.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    for (const { name, field } of PARSED_COLUMNS[logType]) expect(serde?.Parameters[`mapping.${name}`]).toBe(field);
  });

  it('names the slow query columns after the record fields the parser writes', () => {
    expect(PARSED_COLUMNS.slowquery.map(({ name, field }) => `${name}:${field}`)).toEqual(
      expect.arrayContaining([
        'event_time:time',
        'user_name:user',
        'query_time:queryTime',
        'rows_examined:rowsExamined',
        'fingerprint:fingerprint',
        'parse_error:parseError',
      ]),
    );
  });

  it('projects the configured instances when no cluster is configured, and injects the cluster without sources', () => {
    const { template: standalone } = synthConstruct({ instances: ['billing-pg'], athenaTables: true });
    const { template: logsOnly } = synthConstruct({ logGroups: ['/aws/rds/instance/a/error'], athenaTables: true });

    expect(tablesOf(standalone).error_raw?.Parameters).toMatchObject({
      'projection.instance.type': 'enum',
      'projection.instance.values': 'billing-pg',
    });
    expect(tablesOf(logsOnly).error_raw?.Parameters['projection.cluster.type']).toBe('injected');
  });

  it('projects the instances given for Athena, the members of the clusters', () => {
    const { template: members } = synthConstruct({
      clusters: ['orders-aurora'],
      athenaTables: true,
      athenaInstances: ['orders-aurora-1', 'orders-aurora-2'],
      athenaDatabaseName: 'orders_logs',
    });

    members.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'orders_logs' } });
    expect(tablesOf(members).audit_raw?.Parameters['projection.instance.values']).toBe(
      'orders-aurora-1,orders-aurora-2',
    );
  });

  it('creates parsed tables only for the parsed log types among the archived ones, and tells the archive task', () => {
    const { template: some } = synthConstruct({
      clusters: ['orders-aurora'],
      logTypes: ['slowquery', 'audit'],
      athenaTables: true,
      parsedOutput: ['slowquery'],
    });

    expect(Object.keys(tablesOf(some)).sort()).toEqual(['audit_raw', 'slowquery_parsed', 'slowquery_raw']);
    some.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { PARSED_OUTPUT: 'slowquery' } },
    });
  });

  it('creates no Glue resource by default', () => {
    const { template: plain } = synthConstruct({ clusters: ['orders-aurora'] });

    plain.resourceCountIs('AWS::Glue::Database', 0);
    plain.resourceCountIs('AWS::Glue::Table', 0);
  });

  it('refuses unknown parsed log types and a malformed database name, naming each', () => {
    const create = () =>
      new RdsLogArchive(new Stack(), 'Archive', {
        clusters: ['orders-aurora'],
        parsedOutput: ['slowquery', 'binlog'],
        athenaTables: true,
        athenaDatabaseName: 'Logs-DB',
      });

    expect(create).toThrow(/parsedOutput\[1\]: "binlog" is not one of[\s\S]*athenaDatabaseName: "Logs-DB"/);
  });
});

/** Words of the example queries that are SQL, functions, aliases or literals rather than columns. */
const SQL_WORDS = new Set(
  (
    'select from where and or not in as by group order desc asc limit count sum avg max min approx_percentile ' +
    'round between like is null distinct having with case when then else end date cast varchar double bigint ' +
    'from_iso8601_timestamp date_trunc day hour coalesce interval current_date substr'
  ).split(' '),
);

/** The ```sql blocks of docs/athena.md. */
function exampleQueries(): string[] {
  const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'athena.md'), 'utf8');
  return [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe('docs/athena.md example queries', () => {
  let tables: Record<string, TableInput>;

  beforeAll(() => {
    tables = tablesOf(
      synthConstruct({
        clusters: ['orders-aurora'],
        instances: ['billing-pg'],
        athenaTables: true,
        parsedOutput: ['all'],
      }).template,
    );
  });

  it('has the examples the guide promises', () => {
    expect(exampleQueries().length).toBeGreaterThanOrEqual(4);
  });

  it.each(exampleQueries().map((sql, index) => [index + 1, sql]))(
    'query %s uses only tables and columns the construct creates',
    (_index, sql) => {
      const text = String(sql)
        .replace(/--.*$/gm, '')
        .replace(/'(?:[^']|'')*'/g, "''");
      const used = [...text.matchAll(/\brds_log_archive\.(\w+)/g)].map((match) => match[1] as string);
      expect(used.length).toBeGreaterThan(0);
      for (const table of used) expect(Object.keys(tables)).toContain(table);
      const columns = new Set(
        used.flatMap((table) => [
          ...(tables[table]?.StorageDescriptor.Columns ?? []).map((column) => column.Name),
          ...(tables[table]?.PartitionKeys ?? []).map((key) => key.Name),
        ]),
      );
      const aliases = new Set([...text.matchAll(/\bas\s+(\w+)/gi)].map((match) => (match[1] as string).toLowerCase()));
      const words = [...text.replace(/\brds_log_archive\.\w+/g, '').matchAll(/\b([a-z_][a-z0-9_]*)\b/gi)]
        .map((match) => (match[1] as string).toLowerCase())
        .filter((word) => !SQL_WORDS.has(word) && !aliases.has(word));

      expect([...new Set(words)].filter((word) => !columns.has(word))).toEqual([]);
    },
  );
});
