import { type ParsedArgs, parseCommandLine } from './args';
import { COMMANDS, type CommandSpec, commandSpec } from './commands';
import type { CliDeps } from './context';
import { CliError, EXIT, type ExitCode, UsageError } from './errors';
import { commandHelp, globalHelp } from './help';
import { localCommand } from './local-command';
import { writeJson } from './output';
import { parseCommand } from './parse-command';
import { replayCommand } from './replay-command';
import { startCommand } from './start-command';
import { statusCommand } from './status-command';

const RUNNERS: Readonly<Record<CommandSpec['name'], (args: ParsedArgs, deps: CliDeps) => Promise<ExitCode>>> = {
  start: startCommand,
  status: statusCommand,
  run: localCommand,
  parse: parseCommand,
  replay: replayCommand,
};

const COMMAND_NAMES = COMMANDS.map((command) => command.name).join(', ');

function explain(error: unknown): { code: ExitCode; kind: string; message: string; hint?: string } {
  if (error instanceof UsageError) return { code: EXIT.usage, kind: 'usage', message: error.message };
  if (error instanceof CliError) return { code: error.exitCode, kind: 'error', message: error.message };
  const { name, message } = error as Error;
  const hint =
    name === 'CredentialsProviderError'
      ? 'no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY'
      : undefined;
  return { code: EXIT.error, kind: 'error', message: `${name}: ${message}`, ...(hint && { hint }) };
}

/** Say what went wrong (stderr, and with --json also as the JSON document) and pick the exit code. */
function reportError(error: unknown, command: string | undefined, json: boolean, deps: CliDeps): ExitCode {
  const { code, kind, message, hint } = explain(error);
  const prefix = command ? `rds-log-archive ${command}` : 'rds-log-archive';
  const help = code === EXIT.usage ? `Run "${prefix} --help" for the flags and their forms.` : undefined;
  deps.stderr.write(`${prefix}: ${message}\n${[hint, help].filter(Boolean).join('\n')}${hint || help ? '\n' : ''}`);
  if (json) writeJson(deps.stdout, { error: { kind, message, ...(hint && { hint }) }, exitCode: code });
  return code;
}

function helpRequest(argv: readonly string[], deps: CliDeps): ExitCode | undefined {
  const [first, topic] = argv;
  if (first !== '--help' && first !== '-h' && first !== 'help') return undefined;
  const spec = first === 'help' && topic ? commandSpec(topic) : undefined;
  if (first === 'help' && topic && !spec) {
    return reportError(
      new UsageError(`unknown command "${topic}"; commands: ${COMMAND_NAMES}`),
      undefined,
      false,
      deps,
    );
  }
  deps.stdout.write(`${spec ? commandHelp(spec) : globalHelp()}\n`);
  return EXIT.ok;
}

/**
 * The whole command line: find the command, show help when asked, parse and validate its flags,
 * run it, and turn every failure into a message and an exit code (0 ok, 1 run failed, 2 usage,
 * 3 AWS or other error).
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<ExitCode> {
  if (argv.length === 0) {
    deps.stderr.write(`${globalHelp()}\n`);
    return EXIT.usage;
  }
  const help = helpRequest(argv, deps);
  if (help !== undefined) return help;
  const [name = '', ...rest] = argv;
  const json = rest.includes('--json');
  const spec = commandSpec(name);
  if (!spec) {
    const problem = name.startsWith('-')
      ? `unknown flag ${name} before a command; commands: ${COMMAND_NAMES}`
      : `unknown command "${name}"; commands: ${COMMAND_NAMES}`;
    return reportError(new UsageError(problem), undefined, json, deps);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    deps.stdout.write(`${commandHelp(spec)}\n`);
    return EXIT.ok;
  }
  try {
    return await RUNNERS[spec.name](parseCommandLine(spec.name, rest, spec.flags, spec.positionals), deps);
  } catch (error) {
    return reportError(error, spec.name, json, deps);
  }
}
