import type { FlagSpec } from './args';
import { COMMANDS, type CommandSpec } from './commands';

const PROGRAM = 'rds-log-archive';

function flagLabel(name: string, spec: FlagSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '';
  return `${short}--${name}${spec.value ? ` ${spec.value}` : ''}`;
}

/** Two aligned columns, the second wrapped to fit a usual terminal width. */
function table(rows: readonly (readonly [string, string])[], width = 100): string[] {
  const left = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.flatMap(([label, text]) => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(' ')) {
      if (line && left + 2 + line.length + word.length + 1 > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    lines.push(line);
    return lines.map((part, index) => `  ${(index === 0 ? label : '').padEnd(left)}${part}`);
  });
}

/** `rds-log-archive --help`: the commands, the exit codes, where to read more. */
export function globalHelp(): string {
  return [
    `${PROGRAM}: start, follow and inspect runs of the RDS log archive workflow; parse DB logs; replay failed forwards`,
    '',
    'Usage:',
    `  ${PROGRAM} <command> [flags]`,
    `  ${PROGRAM} <command> --help`,
    '',
    'Commands:',
    ...table(COMMANDS.map((command) => [command.name, command.summary])),
    '',
    'Exit codes: 0 success, 1 the run failed, 2 usage error, 3 AWS or other error.',
    'AWS credentials and region come from the environment (AWS_PROFILE, AWS_REGION, …) or --region.',
    '',
    'Examples:',
    ...COMMANDS.map((command) => `  ${command.examples[0]}`),
    '',
    'Reference: docs/cli.md',
  ].join('\n');
}

/** `rds-log-archive <command> --help`: usage, what it does, every flag with its form, examples. */
export function commandHelp(command: CommandSpec): string {
  return [
    `Usage: ${command.usage}`,
    '',
    `${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.`,
    ...command.description,
    '',
    'Flags:',
    ...table(Object.entries(command.flags).map(([name, spec]) => [flagLabel(name, spec), spec.help])),
    '',
    'Examples:',
    ...command.examples.map((example) => `  ${example}`),
  ].join('\n');
}
