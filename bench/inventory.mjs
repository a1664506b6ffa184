/**
 * How long the built CLI takes to load a large INI inventory: two groups of
 * 100,000 hosts each (`[a] h[0:99999]`, `[b] h[0:99999]`), as
 * `tsplay inventory --list` and as a `tsplay run` of a play that matches no
 * host (so only the loading and the pattern matching are timed).
 *   npm run build && node bench/inventory.mjs [hosts]
 * Prints one line per command with its wall time and exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const n = Number(process.argv[2] ?? 100_000);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'bin', 'tsplay.js');
const dir = mkdtempSync(join(os.tmpdir(), 'tsplay-bench-inventory-'));
try {
  const inventory = join(dir, 'hosts.ini');
  writeFileSync(inventory, `[a]\nh[0:${n - 1}]\n[b]\nh[0:${n - 1}]\n`);
  const playbook = join(dir, 'play.yml');
  writeFileSync(playbook, '- hosts: nomatch\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n');
  const runs = [
    ['inventory --list', ['inventory', '-i', inventory, '--list']],
    ['run (no host matched)', ['run', playbook, '-i', inventory]],
  ];
  for (const [label, args] of runs) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    process.stdout.write(`${label}: ${(ms / 1000).toFixed(2)} s, exit ${r.status}${r.status && r.status > 2 ? `: ${r.stderr.slice(0, 300)}` : ''}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
