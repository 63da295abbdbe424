import { Token } from 'aws-cdk-lib';
import { IDENTIFIER } from '../../tasks/common/config';
import { LOG_TYPES, type LogType } from '../../tasks/common/types';
import { describe, isSet, unique } from './prop-checks';

/** Querying the archive with Athena: Glue tables over the raw files and, optionally, their parsed records. */
export interface AthenaProps {
  /**
   * Log types whose archived files also get their parsed records written, as gzip NDJSON under
   * `parsed/` (Archive Log Files reads each file back once archived): log types, or `['all']`.
   * @default - none
   */
  readonly parsedOutput?: readonly string[];
  /**
   * Create a Glue database with a table per archived log type over the raw files and one per
   * parsed log type over the parsed records, with partition projection: queryable in Athena at
   * once, without crawlers.
   * @default false
   */
  readonly athenaTables?: boolean;
  /**
   * The Glue database's name: lowercase letters, digits and underscores, unique in the account and region.
   * @default 'rds_log_archive'
   */
  readonly athenaDatabaseName?: string;
  /**
   * The DB instance identifiers Athena projects the `instance` partition over. Without them the
   * configured instances are used when no cluster is configured; with clusters (whose members are
   * known only at run time) `instance` is an injected partition, which every query must name.
   * @default - the configured instances without clusters, otherwise injected
   */
  readonly athenaInstances?: readonly string[];
}

export const ATHENA_DEFAULTS = { databaseName: 'rds_log_archive' } as const;

const DATABASE_NAME = /^[a-z][a-z0-9_]{0,254}$/;

/** The log types of `parsedOutput`, `all` expanded. */
export function parsedLogTypes(parsedOutput: readonly string[] | undefined): LogType[] {
  const values = unique(parsedOutput);
  if (values.length === 1 && values[0] === 'all') return [...LOG_TYPES];
  return values.filter((value): value is LogType => (LOG_TYPES as readonly string[]).includes(value));
}

/** Every problem with the Athena props, each naming the prop and the expected form. */
export function athenaProblems(props: AthenaProps): string[] {
  const problems: string[] = [];
  const parsed = props.parsedOutput ?? [];
  if (!(parsed.length === 1 && parsed[0] === 'all')) {
    parsed.forEach((value, index) => {
      if (!Token.isUnresolved(value) && !(LOG_TYPES as readonly string[]).includes(value)) {
        problems.push(
          `parsedOutput[${index}]: ${describe(value)} is not one of ${LOG_TYPES.join(', ')} (or all alone)`,
        );
      }
    });
  }
  const name = props.athenaDatabaseName;
  if (isSet(name) && !DATABASE_NAME.test(name)) {
    problems.push(
      `athenaDatabaseName: ${describe(name)} is not a Glue database name (lowercase letters, digits, _; a letter first)`,
    );
  }
  (props.athenaInstances ?? []).forEach((value, index) => {
    if (!Token.isUnresolved(value) && !/^[a-z][a-z0-9-]{0,62}$/.test(value)) {
      const form = IDENTIFIER.test(value)
        ? `lowercase, as RDS stores it ("${value.toLowerCase()}")`
        : 'a DB identifier';
      problems.push(`athenaInstances[${index}]: ${describe(value)} must be ${form}`);
    }
  });
  for (const field of ['athenaDatabaseName', 'athenaInstances'] as const) {
    if (props[field] !== undefined && !props.athenaTables) problems.push(`${field}: set athenaTables too`);
  }
  return problems;
}
