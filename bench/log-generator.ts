/**
 * Deterministic DB log files of a given size for the parse benchmark, in the formats RDS and
 * Aurora write: MySQL 8 and MariaDB slow query logs, Aurora MySQL audit, MySQL 8 error and
 * general logs, PostgreSQL with the RDS log_line_prefix. The same seed gives the same bytes.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { seededRandom } from '../sandbox/seeded-random';
import type { LogType } from '../tasks/common/types';
import { between, DATABASES, ipOf, pick, type Random, statementOf, USERS } from './sql-generator';

export type Flavor = 'mysql8' | 'mariadb';

/** What a generated file holds: its entries are what a parser should count as records. */
export interface GeneratedLog {
  readonly bytes: number;
  readonly entries: number;
}

interface Clock {
  /** Milliseconds since the epoch; each entry moves it on a little. */
  ms: number;
  /** The second of the last `# Time:` line MariaDB wrote. */
  shownSecond: number;
}

const BLOCK_CHARS = 4 * 1024 * 1024;
const START = Date.parse('2026-11-20T00:00:00Z');

/** ISO-8601 UTC with microseconds, the way MySQL 8 writes it; the last three digits are random. */
const iso = (ms: number, random: Random) =>
  `${new Date(ms).toISOString().slice(0, 23)}${String(between(random, 0, 999)).padStart(3, '0')}Z`;
const seconds = (random: Random, scale: number) => (random() * random() * scale).toFixed(6);
const pad = (value: number, width: number) => String(value).padStart(width, ' ');

/** The `# Time:` MariaDB writes: YYMMDD H:MM:SS (hour not zero-padded). */
function mariaDbTime(ms: number): string {
  const date = new Date(ms);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())} ${pad(date.getUTCHours(), 2)}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
}

/** Which database each thread is in, so `use db;` appears when a thread changes database. */
const threadDatabases = new Map<number, string>();

function slowEntry(random: Random, clock: Clock, flavor: Flavor): string {
  clock.ms += between(random, 1, 40);
  const thread = between(random, 10, 400);
  const user = pick(random, USERS);
  const database = random() < 0.97 ? (threadDatabases.get(thread) ?? pick(random, DATABASES)) : pick(random, DATABASES);
  const use = threadDatabases.get(thread) !== database ? `use ${database};\n` : '';
  threadDatabases.set(thread, database);
  const queryTime = seconds(random, 12);
  const lockTime = seconds(random, 0.01);
  const sent = between(random, 0, 500);
  const examined = sent + between(random, 0, 200000);
  const statement = `SET timestamp=${Math.floor(clock.ms / 1000)};\n${statementOf(random)};\n`;
  if (flavor === 'mysql8') {
    return (
      `# Time: ${iso(clock.ms, random)}\n` +
      `# User@Host: ${user}[${user}] @  [${ipOf(random)}]  Id: ${pad(thread, 6)}\n` +
      `# Query_time: ${queryTime}  Lock_time: ${lockTime} Rows_sent: ${sent}  Rows_examined: ${examined}\n` +
      `${use}${statement}`
    );
  }
  // MariaDB writes `# Time:` only when the second changes.
  const second = Math.floor(clock.ms / 1000);
  const time = second === clock.shownSecond ? '' : `# Time: ${mariaDbTime(clock.ms)}\n`;
  clock.shownSecond = second;
  return (
    `${time}# User@Host: ${user}[${user}] @  [${ipOf(random)}]\n` +
    `# Thread_id: ${thread}  Schema: ${database}  QC_hit: No\n` +
    `# Query_time: ${queryTime}  Lock_time: ${lockTime}  Rows_sent: ${sent}  Rows_examined: ${examined}\n` +
    `# Rows_affected: ${between(random, 0, 20)}  Bytes_sent: ${between(random, 11, 90000)}\n` +
    `${use}${statement}`
  );
}

const AUDIT_OPERATIONS = ['CONNECT', 'QUERY', 'QUERY', 'QUERY', 'READ', 'WRITE', 'DISCONNECT', 'FAILED_CONNECT'];

function auditEntry(random: Random, clock: Clock): string {
  clock.ms += between(random, 1, 10);
  const micros = clock.ms * 1000 + between(random, 0, 999);
  const operation = pick(random, AUDIT_OPERATIONS);
  const head = `${micros},ip-10-0-1-23,${pick(random, USERS)},${ipOf(random)},${between(random, 10, 400)},${between(random, 1, 9e6)},${operation}`;
  const database = pick(random, DATABASES);
  switch (operation) {
    case 'QUERY': {
      const text = statementOf(random).replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', ' ');
      return `${head},${database},'${text}',0\n`;
    }
    case 'READ':
    case 'WRITE':
      return `${head},${database},${pick(random, ['orders', 'customers', 'products', 'order_items'])},\n`;
    case 'FAILED_CONNECT':
      return `${head},,,1045\n`;
    default:
      return `${head},${database},,0\n`;
  }
}

const ERROR_MESSAGES: readonly ((random: Random) => [string, string, string])[] = [
  (r) => ['Warning', 'MY-010055', `IP address '${ipOf(r)}' could not be resolved: Name or service not known`],
  (r) => [
    'Note',
    'MY-010914',
    `Aborted connection ${between(r, 10, 9e5)} to db: '${pick(r, DATABASES)}' user: '${pick(r, USERS)}' host: '${ipOf(r)}' (Got an error reading communication packets).`,
  ],
  () => ['Warning', 'MY-013360', `Plugin mysql_native_password reported: ''mysql_native_password' is deprecated'`],
  (r) => ['ERROR', 'MY-012592', `InnoDB: Operating system error number ${between(r, 2, 30)} in a file operation.`],
  (r) => ['Note', 'MY-010048', `Access denied for user '${pick(r, USERS)}'@'${ipOf(r)}' (using password: YES)`],
  () => [
    'System',
    'MY-010931',
    "/rdsdbbin/mysql/bin/mysqld: ready for connections. Version: '8.0.39'  socket: '/tmp/mysql.sock'  port: 3306  Source distribution.",
  ],
];

function errorEntry(random: Random, clock: Clock): string {
  clock.ms += between(random, 1, 2000);
  const [severity, code, message] = pick(random, ERROR_MESSAGES)(random);
  const subsystem = code === 'MY-012592' ? 'InnoDB' : 'Server';
  return `${iso(clock.ms, random)} ${between(random, 0, 400)} [${severity}] [${code}] [${subsystem}] ${message}\n`;
}

function generalEntry(random: Random, clock: Clock): string {
  clock.ms += between(random, 1, 10);
  const time = iso(clock.ms, random);
  const thread = pad(between(random, 10, 400), 7);
  const roll = random();
  if (roll < 0.04)
    return `${time}\t${thread} Connect\t${pick(random, USERS)}@${ipOf(random)} on ${pick(random, DATABASES)} using TCP/IP\n`;
  if (roll < 0.08) return `${time}\t${thread} Quit\t\n`;
  if (roll < 0.1) return `${time}\t${thread} Init DB\t${pick(random, DATABASES)}\n`;
  return `${time}\t${thread} Query\t${statementOf(random)}\n`;
}

function postgresEntry(random: Random, clock: Clock): string {
  clock.ms += between(random, 1, 10);
  const time = `${new Date(clock.ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  const prefix = `${time}:${ipOf(random)}(${between(random, 30000, 65000)}):${pick(random, USERS)}@${pick(random, DATABASES)}:[${between(random, 1000, 99999)}]:`;
  const statement = statementOf(random).replaceAll('\n', '\n\t').replaceAll("\\'", "''");
  const roll = random();
  if (roll < 0.03) {
    return `${prefix}ERROR:  relation "no_such_table" does not exist at character 15\n${prefix}STATEMENT:  SELECT * FROM no_such_table;\n`;
  }
  if (roll < 0.06)
    return `${prefix}LOG:  connection authorized: user=app_user database=shop SSL enabled (protocol=TLSv1.3)\n`;
  return `${prefix}LOG:  duration: ${(random() * random() * 5000).toFixed(3)} ms  statement: ${statement};\n`;
}

/** Lines the file starts with: what the server writes when it opens the log. */
function header(kind: LogType, flavor: Flavor): string {
  if (kind !== 'slowquery') return '';
  const binary =
    flavor === 'mysql8'
      ? '/rdsdbbin/mysql/bin/mysqld, Version: 8.0.39 (Source distribution)'
      : '/rdsdbbin/mariadb/bin/mariadbd, Version: 10.11.9-MariaDB-log (managed by https://aws.amazon.com/rds/)';
  return `${binary}. started with:\nTcp port: 3306  Unix socket: /tmp/mysql.sock\nTime                 Id Command    Argument\n`;
}

function entryWriter(kind: LogType, flavor: Flavor): (random: Random, clock: Clock) => string {
  switch (kind) {
    case 'slowquery':
      return (random, clock) => slowEntry(random, clock, flavor);
    case 'audit':
      return auditEntry;
    case 'error':
      return errorEntry;
    case 'general':
      return generalEntry;
    case 'postgresql':
      return postgresEntry;
  }
}

/**
 * Write whole entries to `file` until it holds at least `sizeBytes` (it ends on an entry
 * boundary, so it may be a little larger). A PostgreSQL error is two lines, ERROR and the
 * STATEMENT that caused it, and one entry: the statement belongs to the error.
 */
export async function generateLog(
  file: string,
  kind: LogType,
  sizeBytes: number,
  options: { readonly flavor?: Flavor; readonly seed?: number } = {},
): Promise<GeneratedLog> {
  const random = seededRandom(options.seed ?? 20261120);
  const entry = entryWriter(kind, options.flavor ?? 'mysql8');
  const clock: Clock = { ms: START, shownSecond: 0 };
  threadDatabases.clear();
  const out = createWriteStream(file);
  let bytes = 0;
  let entries = 0;
  let block = header(kind, options.flavor ?? 'mysql8');
  // Every generated character is ASCII: string length is byte length.
  while (bytes + block.length < sizeBytes) {
    const text = entry(random, clock);
    entries += 1;
    block += text;
    if (block.length >= BLOCK_CHARS) {
      bytes += block.length;
      if (!out.write(block)) await once(out, 'drain');
      block = '';
    }
  }
  bytes += block.length;
  out.end(block);
  await once(out, 'finish');
  return { bytes, entries };
}
