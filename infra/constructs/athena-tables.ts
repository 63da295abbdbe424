import { Stack } from 'aws-cdk-lib';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PARSED_PREFIX } from '../../tasks/common/layout';
import type { LogType } from '../../tasks/common/types';
import { pascalCase } from './task-function';

/** A column of a parsed table and the record field (tasks/common/parse) it is read from. */
export interface ParsedColumn {
  readonly name: string;
  readonly type: 'string' | 'bigint' | 'double' | 'int' | 'map<string,string>';
  readonly field: string;
}

const column = (name: string, type: ParsedColumn['type'], field = name): ParsedColumn => ({ name, type, field });

/** Every record has a type; a line that did not parse has only parseError and raw besides it. */
const EVERY_RECORD = [column('record_type', 'string', 'type')];
const UNPARSED = [column('parse_error', 'string', 'parseError'), column('raw', 'string')];

/**
 * The columns of each parsed table, snake_case, named after the record fields (tasks/common/parse/types.ts):
 * `user`, `database`, `time`, `query` and `location` are renamed, being words SQL reads as keywords
 * or types. MariaDB's further slow log fields are in the `extra` map.
 */
export const PARSED_COLUMNS: Readonly<Record<LogType, readonly ParsedColumn[]>> = {
  slowquery: [
    ...EVERY_RECORD,
    column('event_time', 'string', 'time'),
    column('user_name', 'string', 'user'),
    column('host', 'string'),
    column('client_ip', 'string', 'clientIp'),
    column('thread_id', 'bigint', 'threadId'),
    column('db_name', 'string', 'database'),
    column('query_time', 'double', 'queryTime'),
    column('lock_time', 'double', 'lockTime'),
    column('rows_sent', 'bigint', 'rowsSent'),
    column('rows_examined', 'bigint', 'rowsExamined'),
    column('rows_affected', 'bigint', 'rowsAffected'),
    column('bytes_sent', 'bigint', 'bytesSent'),
    column('extra', 'map<string,string>'),
    column('statement', 'string'),
    column('fingerprint', 'string'),
    ...UNPARSED,
  ],
  audit: [
    ...EVERY_RECORD,
    column('event_time', 'string', 'time'),
    column('time_micros', 'bigint', 'timeMicros'),
    column('server_host', 'string', 'serverHost'),
    column('user_name', 'string', 'user'),
    column('host', 'string'),
    column('connection_id', 'bigint', 'connectionId'),
    column('query_id', 'bigint', 'queryId'),
    column('operation', 'string'),
    column('db_name', 'string', 'database'),
    column('object', 'string'),
    column('retcode', 'int'),
    ...UNPARSED,
  ],
  error: [
    ...EVERY_RECORD,
    column('event_time', 'string', 'time'),
    column('thread_id', 'bigint', 'threadId'),
    column('severity', 'string'),
    column('error_code', 'string', 'errorCode'),
    column('subsystem', 'string'),
    column('message', 'string'),
    ...UNPARSED,
  ],
  general: [
    ...EVERY_RECORD,
    column('event_time', 'string', 'time'),
    column('thread_id', 'bigint', 'threadId'),
    column('command', 'string'),
    column('argument', 'string'),
    ...UNPARSED,
  ],
  postgresql: [
    ...EVERY_RECORD,
    column('event_time', 'string', 'time'),
    column('remote_host', 'string', 'remoteHost'),
    column('remote_port', 'int', 'remotePort'),
    column('user_name', 'string', 'user'),
    column('db_name', 'string', 'database'),
    column('pid', 'bigint'),
    column('severity', 'string'),
    column('message', 'string'),
    column('duration_ms', 'double', 'durationMs'),
    column('statement', 'string'),
    column('fingerprint', 'string'),
    column('detail', 'string'),
    column('hint', 'string'),
    column('context', 'string'),
    column('internal_query', 'string', 'query'),
    column('source_location', 'string', 'location'),
    ...UNPARSED,
  ],
};

/** The raw tables' one column: a line of the log file (gzip is read natively, by the `.gz` suffix). */
export const RAW_COLUMNS = [{ name: 'line', type: 'string' }] as const;

/** The partition columns, in the order of the keys: `{cluster}/{logType}/{YYYY}/{MM}/{DD}/{HH}/{instance}/`. */
export const PARTITION_KEYS = ['cluster', 'year', 'month', 'day', 'hour', 'instance'] as const;

/**
 * Projected years: the archive starts with the deployment, and an unfiltered query enumerates
 * every projected hour, so the range is kept to what can hold data.
 */
export const PROJECTED_YEARS = '2024,2045';

/** The table names a log type gets: `{type}_raw` and `{type}_parsed`. */
export const tableName = (logType: LogType, form: 'raw' | 'parsed') => `${logType}_${form}`;

export interface AthenaTablesProps {
  readonly bucket: IBucket;
  readonly databaseName: string;
  /** Log types archived: each gets a raw table. */
  readonly rawLogTypes: readonly LogType[];
  /** Log types parsed: each gets a parsed table. */
  readonly parsedLogTypes: readonly LogType[];
  /** The first key segments: the clusters, and the standalone instances; empty means injected. */
  readonly clusters: readonly string[];
  /** The instances of the projection; empty means injected. */
  readonly instances: readonly string[];
}

/**
 * A Glue database and its tables over the archive layout, with partition projection: Athena
 * computes each hour's prefix from the query's filter instead of reading partitions from a
 * crawler or the catalog.
 */
export class AthenaTables extends Construct {
  readonly database: CfnDatabase;
  readonly tables: Readonly<Record<string, CfnTable>>;

  constructor(scope: Construct, id: string, props: AthenaTablesProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: props.databaseName,
        description: 'rds-log-archive: the archived RDS log files and their parsed records',
      },
    });
    const tables: Record<string, CfnTable> = {};
    for (const logType of props.rawLogTypes) tables[tableName(logType, 'raw')] = this.rawTable(logType, props);
    for (const logType of props.parsedLogTypes) tables[tableName(logType, 'parsed')] = this.parsedTable(logType, props);
    this.tables = tables;
  }

  private projection(props: AthenaTablesProps, root: string, logType: LogType): Record<string, string> {
    const enumOrInjected = (name: string, values: readonly string[]) =>
      values.length > 0
        ? { [`projection.${name}.type`]: 'enum', [`projection.${name}.values`]: values.join(',') }
        : { [`projection.${name}.type`]: 'injected' };
    const hours = (name: string, range: string) => ({
      [`projection.${name}.type`]: 'integer',
      [`projection.${name}.range`]: range,
      [`projection.${name}.digits`]: '2',
    });
    return {
      'projection.enabled': 'true',
      ...enumOrInjected('cluster', props.clusters),
      'projection.year.type': 'integer',
      'projection.year.range': PROJECTED_YEARS,
      ...hours('month', '1,12'),
      ...hours('day', '1,31'),
      ...hours('hour', '0,23'),
      ...enumOrInjected('instance', props.instances),
      'storage.location.template': `${root}\${cluster}/${logType}/\${year}/\${month}/\${day}/\${hour}/\${instance}/`,
    };
  }

  private table(id: string, name: string, input: Omit<CfnTable.TableInputProperty, 'name'>): CfnTable {
    return new CfnTable(this, id, {
      catalogId: Stack.of(this).account,
      databaseName: this.database.ref,
      tableInput: {
        name,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: PARTITION_KEYS.map((key) => ({ name: key, type: 'string' })),
        ...input,
      },
    });
  }

  private rawTable(logType: LogType, props: AthenaTablesProps): CfnTable {
    const root = `s3://${props.bucket.bucketName}/`;
    return this.table(`${pascalCase(logType)}RawTable`, tableName(logType, 'raw'), {
      description: `The archived ${logType} log files, one row per line`,
      parameters: { EXTERNAL: 'TRUE', classification: 'text', ...this.projection(props, root, logType) },
      storageDescriptor: {
        columns: [...RAW_COLUMNS],
        location: root,
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serdeInfo: {
          serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
          // Control-A never occurs in the logs: the whole line is the one field.
          parameters: { 'field.delim': '\u0001', 'serialization.format': '\u0001' },
        },
      },
    });
  }

  private parsedTable(logType: LogType, props: AthenaTablesProps): CfnTable {
    const root = `s3://${props.bucket.bucketName}/${PARSED_PREFIX}`;
    const columns = PARSED_COLUMNS[logType];
    // Keys keep their case: every column is mapped to its field by name.
    const mapping = Object.fromEntries(columns.map(({ name, field }) => [`mapping.${name}`, field]));
    return this.table(`${pascalCase(logType)}ParsedTable`, tableName(logType, 'parsed'), {
      description: `The parsed records of the archived ${logType} log files`,
      parameters: { EXTERNAL: 'TRUE', classification: 'json', ...this.projection(props, root, logType) },
      storageDescriptor: {
        columns: columns.map(({ name, type }) => ({ name, type })),
        location: root,
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serdeInfo: {
          serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
          parameters: { 'case.insensitive': 'FALSE', ...mapping },
        },
      },
    });
  }
}
