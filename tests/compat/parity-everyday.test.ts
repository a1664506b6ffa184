/**
 * Everyday playbooks through the real ansible-playbook 2.14 and tsplay: the
 * same exit code, PLAY RECAP, banners, host lines and debug output. Each case
 * is one cause of a difference users met: multi-line shell scripts, set_fact
 * in loops, the with_* lookups, include tags, hostvars, meta, --limit,
 * includes that fail or recurse, and the warnings of a first run.
 */
import t, { type Test as Tap } from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bothOutputs, buildCli, compatDir, exec, parseRecap, perHost, pool, removeBuild, runParityCase, sameSections, scratchDir, type Run } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
  inventory?: string;
  args?: string[];
  /** Lines (or patterns) both tools must print, on stdout or stderr: warnings and errors. */
  both?: (string | RegExp)[];
  /** Environment for ansible-playbook on top of the helpers' (to turn a warning back on). */
  ansibleEnv?: Record<string, string>;
  /** 'recap' compares exit code and recap only: the tools word that message differently. */
  compare?: 'all' | 'recap';
  /** What tsplay prints besides, where Ansible's behaviour is a trap worth a warning. */
  tsplayWarns?: (string | RegExp)[];
}

const four = 'inventories/four/hosts.ini';
const one = 'inventories/one.ini';

const cases: Case[] = [
  { name: 'multi-line shell and command keep their newlines', playbook: 'everyday-shell.yml', inventory: one },
  { name: 'a name that is null, a number or a boolean: the banner shows the action', playbook: 'everyday-names.yml', inventory: one },
  { name: 'import_tasks among play and role handlers: each imported task is a handler with the import\'s when and vars', playbook: 'everyday-handler-imports.yml', inventory: one },
  { name: 'task and handler names are templated for the banner; an undefined one shows as written', playbook: 'everyday-names-templated.yml', inventory: one },
  { name: 'set_fact in a loop accumulates, the last value stays', playbook: 'everyday-set-fact-loop.yml', inventory: four, args: ['--limit', 'h1,h2'] },
  { name: 'include tags select the include only; import tags pass on', playbook: 'everyday-include-tags.yml', inventory: one },
  { name: 'include tags with --tags on the include', playbook: 'everyday-include-tags.yml', inventory: one, args: ['--tags', 'outer'] },
  { name: 'include tags with --tags on an included task', playbook: 'everyday-include-tags.yml', inventory: one, args: ['--tags', 'inner'] },
  { name: 'include tags with --skip-tags', playbook: 'everyday-include-tags.yml', inventory: one, args: ['--skip-tags', 'outer'] },
  { name: 'a missing include file fails that host, rescue runs, the run goes on', playbook: 'everyday-include-missing.yml', inventory: four, args: ['--limit', 'h1,h2,h3'] },
  { name: 'hostvars holds inventory vars and facts, not play vars', playbook: 'everyday-hostvars.yml', inventory: four },
  {
    name: 'meta: end_host leaves ansible_play_hosts; end_play evaluates its when once, for the first host',
    playbook: 'everyday-meta.yml',
    inventory: four,
    tsplayWarns: [
      "[WARNING]: meta: end_play runs once for all hosts, and its 'when' was evaluated only for the first host, h1 (false), as in Ansible 2.14; it would have been true for h3. So nothing happens for any host.",
      /evaluated only for the first host, h1 \(true\).*false for h2, h3, h4\. So end_play applies to every host/,
    ],
  },
  {
    name: 'no -i: the implicit localhost only, with both warnings',
    playbook: 'everyday-no-inventory.yml',
    ansibleEnv: { ANSIBLE_LOCALHOST_WARNING: 'True', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'True' },
    both: [
      '[WARNING]: No inventory was parsed, only implicit localhost is available',
      /\[WARNING\]: provided hosts list is empty, only localhost is available\. Note that\s+the implicit localhost does not match 'all'/,
    ],
  },
  { name: 'an empty playbook is an error, exit 4', playbook: 'everyday-empty.yml', inventory: one, both: [/ERROR! Empty playbook, nothing to do: \S*everyday-empty\.yml/] },
  { name: '--limit applies to a localhost play', playbook: 'everyday-limit.yml', inventory: four, args: ['--limit', 'h1'] },
  { name: '--limit naming localhost keeps it', playbook: 'everyday-limit.yml', inventory: four, args: ['--limit', 'h2,localhost'] },
  {
    name: '--limit that matches nothing is an error, exit 1',
    playbook: 'everyday-limit.yml',
    inventory: four,
    args: ['--limit', 'nomatch'],
    both: ['Specified inventory, host pattern and/or --limit leaves us with no hosts to target.', '[WARNING]: Could not match supplied host pattern, ignoring: nomatch'],
  },
  {
    name: '-i localhost, tries SSH; refused, tsplay hints at -c local',
    playbook: 'everyday-ssh-localhost.yml',
    inventory: 'localhost,',
    args: ['-e', 'ansible_port=1'],
    compare: 'recap',
    tsplayWarns: [/connection refused.*localhost is this machine: to run on it without SSH, use the local connection \(-c local/],
  },
  {
    name: '{{ }} inside when and changed_when warns',
    playbook: 'everyday-when-template.yml',
    inventory: four,
    both: [/\[WARNING\]: conditional statements should not include jinja2\s+templating\s+delimiters such as \{\{ \}\} or \{% %\}\. Found: \{\{ listen_port \}\} == 8001/, /Found: \{\{ listen_port > 9000 \}\}/],
  },
  {
    name: 'with_ loops Ansible refuses at run time fail the task; ignore_errors covers them',
    playbook: 'everyday-loop-errors.yml',
    inventory: one,
    // tsplay adds the task's file:line:col to each message.
    compare: 'recap',
    both: [
      'fatal: [solo]: FAILED! => {"msg": "with_dict expects a dict',
      'fatal: [solo]: FAILED! => {"msg": "must specify count or end in with_sequence',
      'fatal: [solo]: FAILED! => {"msg": "No file was found when using first_found.',
      "fatal: [solo]: FAILED! => {\"msg\": \"Invalid data passed to 'loop', it requires a list, got this instead: just a string.",
      "fatal: [solo]: FAILED! => {\"msg\": \"could not find 'keys' key in iterated item '{'name': 'a'}'",
    ],
  },
  {
    name: 'with_flattened is not in ansible-core: refused when read, exit 4',
    playbook: 'everyday-with-flattened.yml',
    inventory: one,
    both: ["ERROR! 'with_flattened' is not a valid attribute for a Task"],
  },
  { name: 'with_dict, with_together, with_sequence, with_subelements, with_nested, with_indexed_items, with_fileglob, with_first_found', playbook: 'everyday-with.yml', inventory: one },
];

let cli = '';
const outcomes = new Map<string, { ansible: Run; tsplay: Run }>();

t.before(async () => {
  cli = buildCli('parity-everyday');
  await pool(cases, 2, async (c) => {
    const { ansible, tsplay } = await runParityCase(cli, c);
    outcomes.set(c.name, { ansible, tsplay });
  });
});

t.teardown(() => {
  if (cli) removeBuild(cli);
});

/** Debug output per host in order: `msg` lines and `var` dumps (`"x.y": [...]`), as a user reads them. */
function debugOutput(stdout: string): Record<string, string[]> {
  return perHost(stdout, /^ok: \[([^\]]+)\](?: => \(item=[^\n]*\))? => \{\n((?: {4}.*\n)+)\}$/gm, (s) => s.trimEnd());
}

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcomes.get(c.name);
    if (!o) throw new Error(`case ${c.name} did not run`);
    const detail = bothOutputs(o);
    t.equal(o.tsplay.code, o.ansible.code, 'same exit code', { detail });
    t.same(parseRecap(o.tsplay.stdout), parseRecap(o.ansible.stdout), 'same PLAY RECAP', { detail });
    if (c.compare === 'recap') return checkPrinted(t, c, o, detail);
    sameSections(t, o, { detail });
    t.same(debugOutput(o.tsplay.stdout), debugOutput(o.ansible.stdout), 'same debug output per host, in order', { detail });
    checkPrinted(t, c, o, detail);
  });
}

/** The warnings and errors both tools print, tsplay's own warnings, and never a stack trace. */
function checkPrinted(t: Tap, c: Case, o: { ansible: Run; tsplay: Run }, detail: string): void {
  for (const want of c.both ?? []) {
    const has = (r: Run) => (typeof want === 'string' ? (r.stdout + r.stderr).includes(want) : want.test(r.stdout + r.stderr));
    t.ok(has(o.ansible), `ansible-playbook prints ${want}`, { detail });
    t.ok(has(o.tsplay), `tsplay prints ${want}`, { detail });
  }
  for (const want of c.tsplayWarns ?? []) {
    const out = o.tsplay.stdout + o.tsplay.stderr;
    t.ok(typeof want === 'string' ? out.includes(want) : want.test(out), `tsplay warns: ${want}`, { detail });
  }
  t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
}

t.test('tsplay run … with its stdout closed ends output quietly and finishes the run', async (t) => {
  // The reading end is closed before tsplay starts, so its very first write fails with EPIPE.
  const work = scratchDir();
  const script = [
    'import os, subprocess, sys',
    'r, w = os.pipe()',
    'os.close(r)',
    'p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE, env=dict(os.environ, CI="1"))',
    'sys.stderr.write(p.stderr.decode())',
    'sys.exit(p.returncode)',
  ].join('\n');
  const args = [cli, 'run', path.join('playbooks', 'commands.yml'), '-i', one, '-e', `workdir=${work}`];
  const r = await exec('python3', ['-c', script, process.execPath, ...args], { cwd: compatDir });
  t.equal(r.code, 0, "the run's own exit code, as ansible-playbook gives it");
  t.notMatch(r.stderr, /EPIPE|^\s+at /m, 'no EPIPE error, no stack trace');
  t.equal(r.stderr, '', 'nothing on stderr either');
  t.ok(existsSync(path.join(work, 'solo')), 'the tasks still ran to the end');
});
