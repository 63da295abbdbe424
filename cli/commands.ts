import { DEFAULT_REPLAY_OBJECTS, MAX_REPLAY_OBJECTS } from '../tasks/common/forward/failed-store';
import { LOG_TYPES } from '../tasks/common/types';
import type { FlagSpecs } from './args';
import { DATE_FORM } from './dates';

/** The flags that make up a manual run's input: the same for `start` and `run --local`. */
export const RUN_FLAGS: FlagSpecs = {
  from: { type: 'string', value: 'DATE', help: `start of the range (required): ${DATE_FORM}` },
  to: {
    type: 'string',
    value: 'DATE',
    help: 'end of the range (required), same forms; files last written in [from, to], CloudWatch events in [from, to)',
  },
  clusters: {
    type: 'string',
    multiple: true,
    value: 'LIST',
    help: 'DB cluster ids, comma-separated; naming any source limits the run to the sources named',
  },
  instances: { type: 'string', multiple: true, value: 'LIST', help: 'standalone DB instance ids, comma-separated' },
  'log-types': {
    type: 'string',
    multiple: true,
    value: 'LIST',
    help: 'audit, slowquery, error, general, postgresql (default: those configured)',
  },
  'log-groups': {
    type: 'string',
    multiple: true,
    value: 'LIST',
    help: 'CloudWatch Logs group names or prefixes ending in * (/aws/rds/cluster/*); --to must then be 12 hours ago or more',
  },
  'trim-mode': {
    type: 'string',
    value: 'MODE',
    help: 'rewrite, retention, delete-exported or none (default: the configured TRIM_MODE)',
  },
  force: { type: 'boolean', help: 'trim streams written to within the quiet period too' },
  'dry-run': { type: 'boolean', help: 'plan and report only: archive, export, trim and delete nothing' },
};

const STACK_FLAGS: FlagSpecs = {
  stack: {
    type: 'string',
    value: 'NAME',
    help: 'the CloudFormation stack whose outputs are read (default RdsLogArchive)',
  },
  region: { type: 'string', value: 'REGION', help: "AWS region (default: AWS_REGION or the profile's region)" },
};

const STATE_MACHINE_FLAG: FlagSpecs = {
  'state-machine-arn': {
    type: 'string',
    value: 'ARN',
    help: "the state machine, instead of the stack's StateMachineArn output",
  },
};

const HELP_FLAG: FlagSpecs = { help: { type: 'boolean', short: 'h', help: 'show this help' } };

const COMMON_FLAGS: FlagSpecs = {
  json: { type: 'boolean', help: 'one JSON document on stdout; progress and messages on stderr' },
  ...HELP_FLAG,
};

/** What `--help` shows for a command and what its parser accepts. */
export interface CommandSpec {
  readonly name: 'start' | 'status' | 'run' | 'parse' | 'replay';
  readonly summary: string;
  readonly usage: string;
  readonly description: readonly string[];
  readonly flags: FlagSpecs;
  readonly positionals: boolean;
  readonly examples: readonly string[];
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'start',
    summary: 'start a manual run of the deployed state machine',
    usage: 'rds-log-archive start --from DATE --to DATE [flags]',
    description: [
      'Starts an execution named after its input (manual-{from}-{to}-{hash}), prints its ARN and console link.',
      'The same input gives the same name: a run that already ran is reported, not repeated (see --again).',
    ],
    flags: {
      ...RUN_FLAGS,
      wait: { type: 'boolean', help: 'follow the run until it ends, with progress; exit 1 if it failed' },
      again: { type: 'boolean', help: 'run an input that already ran once more, as NAME-2, NAME-3… (the first free)' },
      ...STACK_FLAGS,
      ...STATE_MACHINE_FLAG,
      ...COMMON_FLAGS,
    },
    positionals: false,
    examples: [
      'rds-log-archive start --from 2026-11-20 --to 2026-11-21 --clusters orders-aurora --wait',
      'rds-log-archive start --from -2d --to now --instances billing-pg --log-types postgresql --dry-run',
      'rds-log-archive start --from 2026-11-01 --to 2026-11-08 --log-groups "/aws/rds/cluster/*" --trim-mode retention --json',
    ],
  },
  {
    name: 'status',
    summary: 'show an execution: status, times, summary, console link',
    usage: 'rds-log-archive status NAME|ARN [flags]',
    description: [
      "A bare NAME is looked up in the stack's state machine; an execution ARN is used as it is.",
      'Exits 1 when the execution ended and did not succeed, or its summary says failed.',
    ],
    flags: {
      wait: { type: 'boolean', help: 'follow a running execution until it ends, with progress' },
      ...STACK_FLAGS,
      ...STATE_MACHINE_FLAG,
      ...COMMON_FLAGS,
    },
    positionals: true,
    examples: [
      'rds-log-archive status manual-20261120T0000Z-20261121T0000Z-6daa7347',
      'rds-log-archive status arn:aws:states:eu-west-1:123456789012:execution:RdsLogArchive-Archive:manual-20261120T0000Z-20261121T0000Z-6daa7347 --json',
      'rds-log-archive status manual-20261120T0000Z-20261121T0000Z-6daa7347-2 --wait',
    ],
  },
  {
    name: 'run',
    summary: 'run the same workflow on this machine against the AWS account (--local)',
    usage: 'rds-log-archive run --local --from DATE --to DATE [flags]',
    description: [
      'Runs statemachines/archive.asl.json in the local interpreter with the real task code, calling the AWS',
      "APIs of the account in the environment. ARCHIVE_BUCKET is --bucket or the stack's BucketName output;",
      'CLUSTERS, INSTANCES and LOG_GROUPS come from the flags. Wait states wait 30 s each.',
      'With --dry-run it lists what it would archive and export: only the plans and the report are written.',
    ],
    flags: {
      local: { type: 'boolean', help: 'run on this machine (required: the deployed workflow is started with start)' },
      ...RUN_FLAGS,
      bucket: { type: 'string', value: 'BUCKET', help: "the archive bucket (default: the stack's BucketName output)" },
      ...STACK_FLAGS,
      ...COMMON_FLAGS,
    },
    positionals: false,
    examples: [
      'rds-log-archive run --local --from -1d --to now --clusters orders-aurora --dry-run',
      'rds-log-archive run --local --from 2026-11-20 --to 2026-11-21 --instances billing-pg --bucket my-archive-bucket',
    ],
  },
  {
    name: 'parse',
    summary: 'print the records of a DB log file (plain or gzip) as NDJSON',
    usage: 'rds-log-archive parse --type TYPE [FILE|-] [flags]',
    description: [
      'Reads FILE, or stdin when FILE is - or missing; gzip input (an archived .gz object) is detected and',
      'inflated. Prints one JSON object per record on stdout; a line that does not parse is printed as a',
      'record with parseError and raw. Ends with a count of records and parse errors on stderr.',
      "Memory stays flat whatever the size; output goes at the reader's pace and | head ends it quietly.",
    ],
    flags: {
      type: { type: 'string', value: 'TYPE', help: `the log's type (required): ${LOG_TYPES.join(', ')}` },
      quiet: { type: 'boolean', short: 'q', help: 'no summary on stderr' },
      ...HELP_FLAG,
    },
    positionals: true,
    examples: [
      'rds-log-archive parse --type slowquery mysql-slowquery.log | head',
      'aws s3 cp s3://my-archive-bucket/orders-aurora/slowquery/2026/11/20/09/orders-aurora-1/mysql-slowquery.log.2026-11-20.09.gz - | rds-log-archive parse --type slowquery',
      'rds-log-archive parse --type audit audit.log.gz --quiet | jq -c \'select(.operation == "FAILED_CONNECT")\'',
    ],
  },
  {
    name: 'replay',
    summary: 'send the stored failed forward items again',
    usage: 'rds-log-archive replay [--prefix P | --date YYYY-MM-DD] [flags]',
    description: [
      "Invokes the forward function (the stack's ForwardFunctionName output, or --function) with a replay",
      'request and waits for its counts: objects read, documents in them, delivered, failed. Documents that',
      'fail again are stored again; an object is deleted only when all its documents were dealt with.',
      'Exits 1 when the function failed or some documents still failed.',
    ],
    flags: {
      prefix: {
        type: 'string',
        value: 'PREFIX',
        help: 'replay the objects under this key prefix, which must start with forward-failed/ (default forward-failed/)',
      },
      date: { type: 'string', value: 'YYYY-MM-DD', help: 'replay one UTC day: the prefix forward-failed/YYYY/MM/DD/' },
      'max-objects': {
        type: 'string',
        value: 'N',
        help: `take on at most N stored objects in this call, 1 to ${MAX_REPLAY_OBJECTS} (default ${DEFAULT_REPLAY_OBJECTS}); run again for the rest`,
      },
      function: {
        type: 'string',
        value: 'NAME',
        help: "the forward function's name or ARN, instead of the stack's ForwardFunctionName output",
      },
      ...STACK_FLAGS,
      ...COMMON_FLAGS,
    },
    positionals: false,
    examples: [
      'rds-log-archive replay --date 2026-11-22',
      'rds-log-archive replay --prefix forward-failed/2026/11/22/09/ --max-objects 50 --json',
      'rds-log-archive replay --function RdsLogArchive-Forward --region eu-west-1',
    ],
  },
];

/** The spec of a command by name, or undefined. */
export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}
