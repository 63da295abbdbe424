import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { isUnparsed, type LogRecord } from '../tasks/common/parse';
import { parseStream } from '../tasks/common/parse/stream';
import { LOG_TYPES, type LogType } from '../tasks/common/types';
import { booleanFlag, type ParsedArgs, stringFlag } from './args';
import type { CliDeps } from './context';
import { CliError, EXIT, type ExitCode, UsageError } from './errors';
import { writeLines } from './output';
import { writeAll } from './stream-output';

/** Records are written in blocks about this large: one write per record would cost more than parsing it. */
const BLOCK_CHARS = 64 * 1024;

function logTypeOf(args: ParsedArgs): LogType {
  const type = stringFlag(args, 'type');
  if (type === undefined) throw new UsageError(`parse needs --type: one of ${LOG_TYPES.join(', ')}`);
  if (!(LOG_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`--type: got "${type.slice(0, 40)}"; expected one of ${LOG_TYPES.join(', ')}`);
  }
  return type as LogType;
}

function fileOf(args: ParsedArgs): string | undefined {
  if (args.positionals.length > 1) throw new UsageError(`parse takes one FILE (or -), got ${args.positionals.length}`);
  const file = args.positionals[0];
  return file === '-' ? undefined : file;
}

const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

/** Open the file first, so that a wrong path is a plain usage error, not a failure halfway through. */
async function openFile(file: string): Promise<FileHandle> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    if ((await handle.stat()).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return handle;
  } catch (error) {
    await handle?.close();
    const problem = FILE_PROBLEMS[(error as NodeJS.ErrnoException).code ?? ''];
    if (problem) throw new CliError(`${file}: ${problem}`, EXIT.usage, { cause: error });
    throw new CliError(`${file}: cannot open: ${(error as Error).message}`, EXIT.error, { cause: error });
  }
}

interface Tally {
  records: number;
  parseErrors: number;
  bytes: number;
}

async function* counted(source: AsyncIterable<Buffer>, tally: Tally): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    tally.bytes += chunk.length;
    yield chunk;
  }
}

/** The records as NDJSON, gathered into blocks of about BLOCK_CHARS. */
async function* ndjsonBlocks(records: AsyncIterable<LogRecord>, tally: Tally): AsyncGenerator<string> {
  let block = '';
  for await (const record of records) {
    tally.records += 1;
    if (isUnparsed(record)) tally.parseErrors += 1;
    block += `${JSON.stringify(record)}\n`;
    if (block.length >= BLOCK_CHARS) {
      yield block;
      block = '';
    }
  }
  if (block) yield block;
}

function summaryLines(type: LogType, source: string, tally: Tally, seconds: number): string[] {
  const megabytes = tally.bytes / (1024 * 1024);
  const lines = [
    `parsed ${source} as ${type}: ${tally.records} records, ${tally.parseErrors} parse errors, ` +
      `${megabytes.toFixed(1)} MiB read in ${seconds.toFixed(1)} s`,
  ];
  if (tally.records > 0 && tally.parseErrors === tally.records) {
    lines.push(`no line parsed as ${type}: is --type right? (${LOG_TYPES.join(', ')})`);
  }
  return lines;
}

/**
 * `parse --type TYPE [FILE|-]`: the records of a DB log file (gzip or plain) as NDJSON on stdout,
 * in constant memory and at the reader's pace; a summary on stderr unless --quiet. Lines that do
 * not parse are printed too, as records with parseError and raw.
 */
export async function parseCommand(args: ParsedArgs, deps: CliDeps): Promise<ExitCode> {
  const type = logTypeOf(args);
  const file = fileOf(args);
  const started = deps.now();
  const handle = file === undefined ? undefined : await openFile(file);
  const input = handle ? handle.createReadStream() : deps.stdin;
  const tally: Tally = { records: 0, parseErrors: 0, bytes: 0 };
  try {
    const records = parseStream(type, counted(input as AsyncIterable<Buffer>, tally));
    const outcome = await writeAll(deps.stdout, ndjsonBlocks(records, tally));
    if (outcome === 'closed') return EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const side = (error as NodeJS.ErrnoException).syscall === 'write' ? 'writing stdout' : `reading ${file ?? 'stdin'}`;
    throw new CliError(`${side} failed: ${(error as Error).message}`, EXIT.error, { cause: error });
  } finally {
    await handle?.close();
  }
  if (!booleanFlag(args, 'quiet')) {
    writeLines(deps.stderr, summaryLines(type, file ?? 'stdin', tally, (deps.now() - started) / 1000));
  }
  return EXIT.ok;
}
