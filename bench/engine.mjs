#!/usr/bin/env node
// Engine figures: `tsplay --version` start-up, and the wall time of a
// 200-task playbook on the local connection, next to ansible-playbook running
// the same file when it is installed. Prints medians of several runs.
// Usage: npm run build && node bench/engine.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The installed command (package.json's bin).
const cli = join(root, 'dist/bin/tsplay.cjs');
const runs = Number(process.argv[2] ?? 7);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(cmd, args, env = process.env) {
  const samples = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) samples.push(ms); // the first run warms the file cache
  }
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

const dir = mkdtempSync(join(tmpdir(), 'tsplay-bench-'));
const tasks = [];
for (let i = 0; i < 200; i++) {
  const kind = i % 4;
  if (kind === 0) tasks.push(`    - name: command ${i}\n      command: echo ${i}\n      register: r${i}`);
  else if (kind === 1) tasks.push(`    - name: debug ${i}\n      debug:\n        msg: "value {{ n }} {{ ${i} }}"`);
  else if (kind === 2) tasks.push(`    - name: set_fact ${i}\n      set_fact:\n        f${i}: "{{ n | int + ${i} }}"`);
  else tasks.push(`    - name: when ${i}\n      debug: msg=skipped\n      when: n == 'never'`);
}
const playbook = join(dir, 'bench-200.yml');
writeFileSync(playbook, `- hosts: localhost\n  gather_facts: false\n  vars:\n    n: "1"\n  tasks:\n${tasks.join('\n')}\n`);
const inventory = join(dir, 'hosts');
writeFileSync(inventory, 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');

const fmt = (r) => `median ${r.median.toFixed(0)} ms (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)}, ${runs} runs)`;
console.log(`machine: ${process.platform} ${process.arch}, node ${process.version}, ${(await import('node:os')).cpus().length} cpus`);
console.log(`tsplay --version:                ${fmt(time('node', [cli, '--version']))}`);
const ts = time('node', [cli, 'run', playbook, '-i', inventory]);
console.log(`tsplay 200-task local playbook:  ${fmt(ts)}`);
const hasAnsible = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasAnsible) {
  // The tests' environment: ansible-core alone, no user ansible.cfg or collections to skew the figure.
  const { hermeticAnsibleEnv } = await import('../tests/helpers/ansible-env.js');
  const an = time('ansible-playbook', [playbook, '-i', inventory], hermeticAnsibleEnv('tsplay-bench-engine-').env);
  console.log(`ansible-playbook, same playbook: ${fmt(an)}  (tsplay is ${(an.median / ts.median).toFixed(1)}x faster)`);
}
