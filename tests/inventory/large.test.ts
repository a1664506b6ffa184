/**
 * Large inventories: two groups of 100,000 hosts load with every membership
 * right (the loading is linear; bench/inventory.mjs prints how long it
 * takes), host_vars are still found among them, a signal is heard while such
 * an inventory loads (exit 99, not a process killed by the signal), and a
 * file without an extension is reported in the format it was written in.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { TsplayError } from '../../lib/errors.js';
import { inventoryToAnsibleList, loadInventory, selectHosts } from '../../lib/inventory/index.js';
import { fileURLToPath } from 'node:url';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-inv-large-'));
const write = (name: string, text: string): string => {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
};

t.test('two groups of 100,000 hosts: every host in both, none ungrouped', async (t) => {
  const sub = path.join(dir, 'two');
  const file = write('two/hosts.ini', '[a]\nh[0:99999]\n[b]\nh[0:99999]\n');
  write('two/host_vars/h31337.yml', 'marker: found\n');
  const inv = await loadInventory([file]);
  const list = inventoryToAnsibleList(inv) as Record<string, { hosts?: string[] }>;
  t.equal(list.a.hosts?.length, 100_000, 'a has 100,000 hosts');
  t.equal(list.b.hosts?.length, 100_000, 'b has the same 100,000');
  t.equal(list.a.hosts?.[99_999], 'h99999', 'in order');
  t.notOk(list.ungrouped?.hosts?.length, 'no host is ungrouped');
  t.same(inv.groupNames('h500'), ['a', 'b'], 'a host is in both groups');
  t.equal(inv.hostVars('h31337').marker, 'found', 'host_vars beside the inventory still apply');
  t.equal(inv.hostVars('h31338').marker, undefined, 'and only to their host');
  t.equal(selectHosts(inv, 'a:&b').hosts.length, 100_000, 'the intersection is every host');
  t.ok(sub);
});

t.test('a host in a group and in ungrouped leaves ungrouped, at scale', async (t) => {
  const lines = ['h[0:49999]', '[g]', 'h[0:49999]', 'x[0:9]'];
  const inv = await loadInventory([write('ungrouped.ini', lines.join('\n') + '\n')]);
  const list = inventoryToAnsibleList(inv) as Record<string, { hosts?: string[] }>;
  t.notOk(list.ungrouped?.hosts?.length, 'ungrouped is empty: every host is also in g');
  t.equal(list.g.hosts?.length, 50_010, 'g has them all');
});

t.test('an INI file without an extension is reported as INI', async (t) => {
  const cases: { name: string; text: string; line: number; col: number; message: RegExp }[] = [
    { name: 'loop', text: '[a:children]\nb\n[b:children]\na\n', line: 4, col: 1, message: /Adding group 'a' as child to 'b' creates a recursive dependency loop/ },
    { name: 'undefined-child', text: '[a:children]\nb\n\n[c]\n', line: 2, col: 1, message: /Section \[a:children\] includes undefined group: b/ },
    { name: 'vars-undefined', text: '[web]\nh\n[db:vars]\nx=1\n', line: 3, col: 1, message: /not valid for undefined group: db/ },
  ];
  for (const c of cases) {
    const err = await loadInventory([write(`noext/${c.name}`, c.text)]).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(err instanceof TsplayError, `${c.name}: a TsplayError`);
    const e = err as TsplayError;
    t.match(e.message, c.message, `${c.name}: the INI error`);
    t.notMatch(e.message, /YAML/, `${c.name}: not a YAML syntax error`);
    t.match(e.pos, { line: c.line, col: c.col }, `${c.name}: at ${c.line}:${c.col}`);
  }
  const yamlErr = await loadInventory([write('noext/yaml', 'all:\n  hosts:\n    a: [1\n')]).then(
    () => undefined,
    (e: unknown) => e as TsplayError,
  );
  t.match(yamlErr?.message, /YAML/, 'a YAML file without an extension still gets its YAML error');
});

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

t.test('a signal while a large inventory loads ends with exit 99', async (t) => {
  // Ten groups of 100,000 hosts: a million memberships, far more than a signal needs to arrive in.
  const text = Array.from({ length: 10 }, (_, i) => `[g${i}]\nh[0:99999]\n`).join('');
  const play = write('signal/play.yml', '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n');
  const commands: [string, string[]][] = [
    ['inventory --list', ['inventory', '--list']],
    ['run', ['run', play]],
  ];
  for (const [label, args] of commands) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      // A FIFO as the inventory: once the test can open it for writing, the CLI is reading it, inside the load.
      const fifo = path.join(dir, 'signal', `hosts-${label.replace(/\W/g, '')}-${signal}`);
      execFileSync('mkfifo', [fifo]);
      const child = spawn(process.execPath, ['--import', '@tapjs/typescript/import', path.join(root, 'bin', 'tsplay.ts'), ...args, '-i', fifo], {
        cwd: root,
        env: { ...process.env, CI: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.stdout.resume();
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
      const fh = await open(fifo, 'w');
      await fh.writeFile(text);
      await fh.close();
      child.kill(signal);
      // The hang detector: far above any machine's load time; a deaf process is killed and fails the test.
      const hang = setTimeout(() => child.kill('SIGKILL'), 120_000);
      const end = await exited;
      clearTimeout(hang);
      t.same(end, { code: 99, signal: null }, `${label}, ${signal}: exit 99, not killed`, { detail: err });
      t.match(err, signal === 'SIGINT' ? /User interrupted execution/ : /Received SIGTERM, stopping/, `${label}, ${signal}: says why it stopped`);
      t.notMatch(err, /^\s+at /m, `${label}, ${signal}: no stack trace`);
    }
  }
});
