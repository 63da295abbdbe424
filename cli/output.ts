/** Where a command writes: process.stdout / process.stderr in use, string buffers in tests. */
export interface Output {
  write(text: string): unknown;
  /** A terminal gets a redrawn progress block; anything else a line per change. */
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Write lines, each ended by a newline. */
export function writeLines(output: Output, lines: readonly string[]): void {
  if (lines.length > 0) output.write(`${lines.join('\n')}\n`);
}

/** Pretty JSON, the one document a `--json` command prints on stdout. */
export function writeJson(output: Output, document: unknown): void {
  output.write(`${JSON.stringify(document, null, 2)}\n`);
}
