#!/usr/bin/env node
// Build step (after tsc): gives the installed `tsplay` command
// (dist/bin/tsplay.cjs) a first line that sh runs and Node skips.
//
// Node reads and parses every certificate of the file NODE_EXTRA_CA_CERTS
// names before it runs any code: on a machine whose environment points it at
// the system bundle, about 60 ms of a 95 ms start. tsplay makes no TLS
// connection (SSH has its own keys), so the launcher moves the variable aside
// for tsplay's own process, and bin/tsplay.cts puts it back at once for every
// command tsplay starts. For Node the second line is a string and a comment.
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Usage: node scripts/build-launcher.mjs [DIST] (default: this project's dist/).
const dist = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const file = join(dist, 'bin', 'tsplay.cjs');
const HEADER = [
  '#!/bin/sh',
  `':' //; [ -z "\${NODE_EXTRA_CA_CERTS+x}" ] || { TSPLAY_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS; export TSPLAY_NODE_EXTRA_CA_CERTS; unset NODE_EXTRA_CA_CERTS; }; exec node "$0" "$@"`,
].join('\n');
const before = readFileSync(file, 'utf8');
const after = `${HEADER}\n${before.replace(/^#!.*\n(':' \/\/;.*\n)?/, '')}`;
// Renamed into place: a command started meanwhile runs the old file or the new one, never a part.
if (after !== before) {
  writeFileSync(`${file}.tmp`, after, { mode: 0o755 });
  renameSync(`${file}.tmp`, file);
}
chmodSync(file, 0o755);
