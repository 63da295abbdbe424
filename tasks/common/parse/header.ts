const COLUMN_HEADER = /^Time\s+Id\s+Command\s+Argument$/;

/**
 * The three lines a MySQL or MariaDB server writes at the top of its slow and general logs at every
 * start (`/usr/sbin/mariadbd, Version: … started with:`, `Tcp port: …`, `Time Id Command Argument`).
 * They describe the file, not an event, so the parsers skip them.
 */
export function isServerHeader(line: string): boolean {
  if (line.startsWith('Tcp port: ')) return true;
  if (line.startsWith('Time')) return COLUMN_HEADER.test(line);
  return line.endsWith('started with:') && line.includes(', Version: ');
}
