#!/usr/bin/env node
// The `rds-log-archive` bin: runs cli/main.ts from source with the same Node executable, the
// preload that lets CommonJS code require the ESM-only @middy packages, and tsx; forwards the
// arguments, the terminal and the exit code (or the signal that ended it).
const { spawn } = require('node:child_process');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.join(__dirname, '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `rds-log-archive needs Node.js 22 or later (this is ${process.version}); run it with npx from the project\n`,
  );
  process.exit(3);
}

const tsx = pathToFileURL(require.resolve('tsx', { paths: [root] })).href;
const child = spawn(
  process.execPath,
  [
    '--require',
    path.join(root, 'sandbox', 'require-esm-packages.cjs'),
    '--import',
    tsx,
    path.join(root, 'cli', 'main.ts'),
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}

child.on('error', (error) => {
  process.stderr.write(`rds-log-archive: could not start Node: ${error.message}\n`);
  process.exit(3);
});

child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 3);
  }
});
