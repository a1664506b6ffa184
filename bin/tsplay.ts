#!/usr/bin/env node
import { main } from '../lib/cli/main.js';

// Ctrl-C is handled inside `run` (connections close, exit 99); elsewhere it just stops.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // An interrupted run may leave a remote command's timers behind: leave now.
    if (code === 99) process.stdout.write('', () => process.exit(code));
  },
  (e) => {
    process.stderr.write(`ERROR! Unexpected error: ${(e as Error)?.message ?? e}\n`);
    process.exitCode = 250;
  },
);
