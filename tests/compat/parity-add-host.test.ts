/**
 * add_host and group_by through the real ansible-playbook 2.14 and tsplay:
 * the same exit code, PLAY RECAP, banners, host lines and debug output, and
 * the same files written by the hosts added at run time. The cases follow
 * ansible-core's integration targets add_host and group_by: idempotent
 * `changed`, loops, host:port, groups as a list or a comma list, variables,
 * group_vars for groups made at run time, parents, check mode, --limit,
 * serial, odd group names, and the errors.
 */
import t, { type Test as Tap } from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bothOutputs, buildCli, parseRecap, perHost, pool, removeBuild, runParityCase, sameSections, type ParityRun, type Run } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
  inventory?: string;
  args?: string[];
  /** Lines (or patterns) both tools must print, on stdout or stderr. */
  both?: (string | RegExp)[];
  /** 'recap' compares exit code, recap and `both` only: tsplay adds file:line:col to error messages. */
  compare?: 'all' | 'recap';
  /** Files (relative to each tool's workdir) both runs must, or must not, have written. */
  wrote?: string[];
  wroteNothing?: boolean;
}

const four = 'inventories/four/hosts.ini';
const herd = 'inventories/herd/hosts.ini';
const invalidGroups = /\[WARNING\]: Invalid characters were found in group names but not replaced, use\s+-vvvv to see details/;

const cases: Case[] = [
  { name: 'add_host: once per play, per loop item, changed when new, seen by later plays', playbook: 'add-host.yml', inventory: four, wrote: ['added1', 'added2', 'added3', 'h3'] },
  { name: 'add_host in check mode still adds the hosts', playbook: 'add-host.yml', inventory: four, args: ['--check'], wroteNothing: true },
  { name: 'add_host with --limit: added hosts are limited too', playbook: 'add-host.yml', inventory: four, args: ['--limit', 'web'], wroteNothing: true },
  {
    name: 'add_host and group_by errors: ignored ones go on, an add_host failure ends the play',
    playbook: 'add-host-errors.yml',
    inventory: four,
    compare: 'recap',
    both: [
      '"msg": "name, host or hostname needs to be provided',
      `"msg": "Invalid raw parameters passed, requires a dictonary/mapping got a  <class 'str'>"`,
      `"msg": "Invalid raw parameters passed, requires a dictonary/mapping got a  <class 'list'>"`,
      `"msg": "the 'key' param is required when using group_by`,
      'NO MORE HOSTS LEFT',
    ],
  },
  { name: 'add_host from a template mapping; group_by on the implicit localhost; host output stays data', playbook: 'add-host-localhost.yml' },
  { name: 'add_host with serial runs once per batch', playbook: 'add-host-serial.yml', inventory: four },
  { name: 'odd group names are kept, with one warning', playbook: 'group-names.yml', inventory: four, both: [invalidGroups] },
  {
    name: 'a host named like a group, a group like a host: warned',
    playbook: 'add-host-name-clash.yml',
    inventory: four,
    both: ['[WARNING]: Found both group and host with same name: web', '[WARNING]: Found both group and host with same name: h2'],
  },
  { name: 'group_by: per host, parents, loops, group_vars of groups made at run time', playbook: 'group-by.yml', inventory: herd, both: [invalidGroups] },
  { name: 'group_by in check mode still makes the groups', playbook: 'group-by.yml', inventory: herd, args: ['--check'] },
];

let cli = '';
const outcomes = new Map<string, ParityRun>();

t.before(async () => {
  cli = buildCli('parity-add-host');
  await pool(cases, 2, async (c) => {
    outcomes.set(c.name, await runParityCase(cli, c));
  });
});

t.teardown(() => {
  if (cli) removeBuild(cli);
});

/** Debug output per host in order: `msg` lines and `var` dumps, as a user reads them. */
function debugOutput(stdout: string): Record<string, string[]> {
  return perHost(stdout, /^ok: \[([^\]]+)\](?: => \(item=[^\n]*\))? => \{\n((?: {4}.*\n)+)\}$/gm, (s) => s.trimEnd());
}

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcomes.get(c.name);
    if (!o) throw new Error(`case ${c.name} did not run`);
    const detail = bothOutputs(o);
    t.ok(Object.keys(parseRecap(o.ansible.stdout)).length > 0, 'ansible-playbook ran some hosts', { detail });
    t.equal(o.tsplay.code, o.ansible.code, 'same exit code', { detail });
    t.same(parseRecap(o.tsplay.stdout), parseRecap(o.ansible.stdout), 'same PLAY RECAP', { detail });
    if (c.compare !== 'recap') {
      // Ansible writes warnings to stderr, tsplay's plain output has them in line: `both` checks them.
      const lines = { ansible: o.ansible, tsplay: { ...o.tsplay, stdout: withoutWarnings(o.tsplay.stdout) } };
      sameSections(t, lines, { detail });
      t.same(debugOutput(lines.tsplay.stdout), debugOutput(o.ansible.stdout), 'same debug output per host, in order', { detail });
    }
    checkPrinted(t, c, o, detail);
    for (const f of c.wrote ?? []) {
      t.ok(existsSync(path.join(o.workdirs.ansible, f)), `ansible-playbook's added host wrote ${f}`, { detail });
      t.ok(existsSync(path.join(o.workdirs.tsplay, f)), `tsplay's added host wrote ${f}`, { detail });
    }
    if (c.wroteNothing) {
      for (const f of ['added1', 'added2', 'added3', 'h3']) t.notOk(existsSync(path.join(o.workdirs.tsplay, f)), `tsplay wrote no ${f}`, { detail });
    }
  });
}

function withoutWarnings(stdout: string): string {
  return stdout
    .split('\n')
    .filter((l) => !l.startsWith('[WARNING]: '))
    .join('\n');
}

function checkPrinted(t: Tap, c: Case, o: { ansible: Run; tsplay: Run }, detail: string): void {
  for (const want of c.both ?? []) {
    const has = (r: Run) => (typeof want === 'string' ? (r.stdout + r.stderr).includes(want) : want.test(r.stdout + r.stderr));
    t.ok(has(o.ansible), `ansible-playbook prints ${want}`, { detail });
    t.ok(has(o.tsplay), `tsplay prints ${want}`, { detail });
  }
  t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
}
