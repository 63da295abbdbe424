/** The exit codes the commands promise (docs/cli.md): scripts branch on them. */
export const EXIT = {
  ok: 0,
  /** The run ended, but failed (execution not SUCCEEDED, or its summary says `failed`). */
  runFailed: 1,
  /** Bad command line: nothing was sent to AWS. */
  usage: 2,
  /** AWS refused or failed, or something else went wrong. */
  error: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command line is wrong; the message names the flag and the form it expects. Exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the command explains itself (missing stack, unknown execution…); exit 3 unless told otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.error,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}
