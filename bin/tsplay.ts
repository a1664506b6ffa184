#!/usr/bin/env node
// `tsplay --version` answers before anything else loads: start-up is the whole of its time.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { readFileSync } = await import('node:fs');
  // dist/bin/tsplay.js, or bin/tsplay.ts run from source.
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name !== 'tsplay') continue;
      process.stdout.write(`tsplay ${pkg.version}\n`);
      break;
    } catch {
      // not here
    }
  }
} else {
  const { main } = await import('../lib/cli/main.js');
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
}
