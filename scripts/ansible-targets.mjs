#!/usr/bin/env node
/**
 * Runs ansible-core's own integration targets (test/integration/targets/ of a
 * branch, e.g. stable-2.14) as plain playbooks, the way ansible-test runs a
 * role-style target — `hosts: testhost`, `roles: [TARGET]`, the target folder
 * as the roles path, a local `testhost` — under ansible-playbook and under
 * tsplay, and prints which pass under each.
 *
 *   node scripts/ansible-targets.mjs --repo PATH_TO_ANSIBLE_CLONE [--ref stable-2.14]
 *        [--only a,b] [--runners ansible,tsplay] [--timeout 180] [--json FILE]
 *
 * Targets run by a runme.sh, hidden helpers (setup_*, prepare_*), and those
 * whose aliases mark them unsupported, disabled, destructive (they change the
 * machine), or needing a cloud, Windows, a network device, an HTTP tester or
 * SSH to another host are listed as not run, with the reason. Each run has a
 * fresh HOME and output dir and Ansible's hermetic environment (no
 * collections, no ansible.cfg). Not a test: the figure for the docs and notes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const source = opt('repo');
if (!source) {
  process.stderr.write('usage: node scripts/ansible-targets.mjs --repo PATH_TO_ANSIBLE_CLONE [--ref stable-2.14] [--only a,b] [--runners ansible,tsplay] [--timeout 180] [--json FILE]\n');
  process.exit(2);
}
const ref = opt('ref', 'stable-2.14');
const only = opt('only')?.split(',');
const runners = opt('runners', 'ansible,tsplay').split(',');
const timeoutS = Number(opt('timeout', '180'));
const jsonOut = opt('json');

const work = mkdtempSync(path.join(os.tmpdir(), 'tsplay-targets-'));
execFileSync('bash', ['-c', `git -C "$1" archive "$2" test/integration/targets | tar -x -C "$3"`, '_', source, ref, work]);
const targetsDir = path.join(work, 'test/integration/targets');

const SKIP_ALIASES = [
  [/^unsupported$/, 'unsupported in CI by ansible-core itself'],
  [/^disabled$/, 'disabled by ansible-core'],
  [/^destructive$/, 'destructive: changes the machine it runs on'],
  [/^needs\/httptester$/, 'needs ansible-test\'s HTTP tester'],
  [/^needs\/ssh$/, 'needs SSH to another host'],
  [/^needs\/privileged$/, 'needs a privileged container'],
  [/^cloud\//, 'needs a cloud'],
  [/^(windows|network)\b/, 'Windows or network devices'],
  [/^skip\/python3$/, 'skipped on Python 3'],
];

function plan(name) {
  const dir = path.join(targetsDir, name);
  if (/^(setup|prepare)_/.test(name)) return 'a helper role of other targets';
  if (existsSync(path.join(dir, 'runme.sh'))) return 'run by runme.sh (a shell script driving several playbooks)';
  if (!existsSync(path.join(dir, 'tasks/main.yml'))) return 'no tasks/main.yml';
  const aliases = existsSync(path.join(dir, 'aliases')) ? readFileSync(path.join(dir, 'aliases'), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean) : [];
  for (const a of aliases) for (const [re, why] of SKIP_ALIASES) if (re.test(a)) return why;
  return undefined;
}

function hermeticEnv(home) {
  const noCollections = path.join(home, 'no-collections');
  mkdirSync(path.join(noCollections, 'ansible_collections'), { recursive: true });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANSIBLE_') && !k.startsWith('TSPLAY_')));
  return {
    ...inherited,
    HOME: home,
    ANSIBLE_CONFIG: path.join(home, 'no-ansible.cfg'),
    ANSIBLE_COLLECTIONS_PATH: noCollections,
    ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: 'False',
    ANSIBLE_LOCAL_TEMP: path.join(home, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_ROLES_PATH: targetsDir,
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
  };
}

function runOne(runner, name) {
  const home = mkdtempSync(path.join(work, `${runner}-${name}-`));
  const outputDir = path.join(home, 'output');
  mkdirSync(outputDir);
  const playbook = path.join(home, 'playbook.yml');
  writeFileSync(playbook, `- hosts: testhost\n  gather_facts: true\n  roles:\n    - role: ${name}\n`);
  const inventory = path.join(home, 'inventory');
  writeFileSync(inventory, `testhost ansible_connection=local ansible_python_interpreter=${process.env.PYTHON ?? '/usr/bin/python3'}\n`);
  const vars = path.join(home, 'vars.json');
  writeFileSync(vars, JSON.stringify({ output_dir: outputDir }));
  const cmd = runner === 'ansible'
    ? ['ansible-playbook', ['-i', inventory, playbook, '-e', `@${vars}`]]
    : [process.execPath, [path.join(repoRoot, 'dist/bin/tsplay.cjs'), 'run', playbook, '-i', inventory, '-e', `@${vars}`]];
  const t0 = Date.now();
  const r = spawnSync(cmd[0], cmd[1], { cwd: home, env: hermeticEnv(home), encoding: 'utf8', timeout: timeoutS * 1000, maxBuffer: 64 << 20 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  rmSync(home, { recursive: true, force: true });
  return { exit: r.status ?? (r.signal ? `signal ${r.signal}` : 'timeout'), seconds: (Date.now() - t0) / 1000, tail: out.split('\n').filter(Boolean).slice(-6).join('\n') };
}

const names = readdirSync(targetsDir).filter((n) => !only || only.includes(n)).sort();
const results = [];
for (const name of names) {
  const skip = plan(name);
  if (skip) {
    results.push({ name, skipped: skip });
    continue;
  }
  const row = { name };
  for (const runner of runners) row[runner] = runOne(runner, name);
  results.push(row);
  process.stderr.write(`${name}: ${runners.map((r) => `${r} ${row[r].exit}`).join(', ')}\n`);
}
const ran = results.filter((r) => !r.skipped);
const ansibleOk = ran.filter((r) => !r.ansible || r.ansible.exit === 0);
const lines = [`targets: ${names.length}; run: ${ran.length}; not run: ${results.length - ran.length}`];
if (runners.includes('ansible')) lines.push(`ansible-playbook passes: ${ansibleOk.length} of ${ran.length}`);
if (runners.includes('tsplay')) lines.push(`tsplay passes: ${ansibleOk.filter((r) => r.tsplay?.exit === 0).length} of the ${ansibleOk.length} that ansible-playbook passes`);
process.stdout.write(lines.join('\n') + '\n');
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
rmSync(work, { recursive: true, force: true });
