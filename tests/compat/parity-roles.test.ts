/**
 * Roles through the real ansible-playbook 2.14 and tsplay, side by side: the
 * same exit code, PLAY RECAP, banners (`role : task`) and host lines, and the
 * same files written from a role's templates/ and files/. The cases cover
 * `roles:` with parameters, tags and when; import_role and include_role with
 * tasks_from, vars_from, defaults_from, public, apply and loops; meta
 * dependencies and allow_duplicates; Ansible's precedence for role defaults,
 * vars and parameters; handlers by name and `role : name`; roles_path; the
 * ansible.builtin.* spellings and local_action; module_defaults; and the
 * mistakes.
 */
import t from 'tap';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ansibleEnv, bothOutputs, buildCli, compatDir, exec, parseRecap, pool, removeBuild, sameRecapAndExit, sameSections, scratchDir, type Run } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
  inventory: string;
  args?: string[];
  /** Environment for both tools (a roles_path setting). */
  env?: Record<string, string>;
  /** 'recap' compares exit code and recap only; 'exit' only the exit code (an error before any host ran). */
  compare?: 'all' | 'recap' | 'exit';
  /** Files (relative to each tool's workdir) both runs must have written with the same content. */
  wrote?: string[];
  wroteNothing?: boolean;
  /** What tsplay must print (an error's message and where). */
  tsplaySays?: RegExp[];
}

const one = 'inventories/one.ini';
const four = 'inventories/four/hosts.ini';

const cases: Case[] = [
  {
    name: 'roles: with parameters, dedup, allow_duplicates, when; import_role and include_role with *_from; role files and templates; role handlers',
    playbook: 'roles-basic.yml',
    inventory: one,
    wrote: ['greeting.txt', 'data.txt'],
  },
  { name: 'roles in check mode change nothing', playbook: 'roles-basic.yml', inventory: one, args: ['--check'], wroteNothing: true },
  { name: '--tags selects the tagged role entry only', playbook: 'roles-basic.yml', inventory: one, args: ['--tags', 'two'], wroteNothing: true },
  { name: '--skip-tags leaves the tagged role entry out', playbook: 'roles-basic.yml', inventory: one, args: ['--skip-tags', 'two'], wrote: ['greeting.txt', 'data.txt'] },
  {
    name: "role defaults, vars and parameters at Ansible's precedence; roles within roles; handlers by name and role : name",
    playbook: 'roles-precedence.yml',
    inventory: four,
    args: ['-e', 'param_extra=extra'],
  },
  {
    name: 'include_role per host, public, apply, loops; import_role through roles_path; qualified include actions; local_action',
    playbook: 'roles-include.yml',
    inventory: four,
    env: { ANSIBLE_ROLES_PATH: 'playbooks/other-roles' },
  },
  {
    name: 'module_defaults of the play, a role entry, a block, a task and the handlers; the task wins',
    playbook: 'module-defaults.yml',
    inventory: one,
    wrote: ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'role.txt'],
  },
  { name: 'include_role and include_tasks looping over an item met again include it again', playbook: 'roles-loop-repeat.yml', inventory: four },
  // The Python traceback in Ansible's module_stderr differs: compared by the recap and what both print.
  {
    name: 'ping in a playbook; data=crash fails as a module that raised',
    playbook: 'ping.yml',
    inventory: four,
    compare: 'recap',
    tsplaySays: [/An exception occurred during task execution\. To see the full traceback, use -vvv\. The error was: Exception: boom/, /TASK \[ansible\.builtin\.ping\]/, /"msg": "MODULE FAILURE\\nSee stdout\/stderr for the exact error 1 True"/],
  },
  { name: '--tags reaches a role through include_role apply', playbook: 'roles-include.yml', inventory: four, args: ['--tags', 'applied,far'], env: { ANSIBLE_ROLES_PATH: 'playbooks/other-roles' } },
  {
    name: 'a role that is not found',
    playbook: 'roles-bad/missing-role.yml',
    inventory: one,
    compare: 'exit',
    tsplaySays: [/the role 'no_such_role' was not found in .*roles-bad\/roles:/, /missing-role\.yml:4:5/, /To fix it: put it in roles\/no_such_role/],
  },
  { name: 'a tasks_from file the role does not have', playbook: 'roles-bad/missing-tasks-from.yml', inventory: one, compare: 'exit', tsplaySays: [/Could not find specified file in role: tasks\/nowhere/, /missing-tasks-from\.yml:4:7/] },
  { name: 'a dependency loop', playbook: 'roles-bad/dependency-loop.yml', inventory: one, compare: 'exit', tsplaySays: [/A recursion loop was detected with the roles specified/, /meta\/main\.yml:1:15/] },
  { name: 'an unknown include_role option', playbook: 'roles-bad/bad-option.yml', inventory: one, compare: 'exit', tsplaySays: [/Invalid options for include_role: task_from\. Did you mean 'tasks_from'\?/, /bad-option\.yml:6:9/] },
  // Ansible prints an ERROR and leaves the host out of the recap; tsplay reports the host failed (docs/differences.md).
  { name: 'include_role of a role that is not found fails the host', playbook: 'roles-bad/include-missing-role.yml', inventory: one, compare: 'exit', tsplaySays: [/the role 'no_such_role' was not found/] },
];

interface Outcome {
  ansible: Run;
  tsplay: Run;
  workdirs: { ansible: string; tsplay: string };
}

let cli = '';
const outcomes = new Map<string, Outcome>();

async function runCase(c: Case): Promise<Outcome> {
  const scratch = scratchDir();
  const workdirs = { ansible: path.join(scratch, 'ansible'), tsplay: path.join(scratch, 'tsplay') };
  mkdirSync(workdirs.ansible);
  mkdirSync(workdirs.tsplay);
  const args = (w: string) => [path.join('playbooks', c.playbook), '-i', c.inventory, '-e', `workdir=${w}`, ...(c.args ?? [])];
  const [ansible, tsplay] = await Promise.all([
    exec('ansible-playbook', args(workdirs.ansible), { cwd: compatDir, env: { ...ansibleEnv, ...c.env } }),
    exec(process.execPath, [cli, 'run', ...args(workdirs.tsplay)], { cwd: compatDir, env: { ...process.env, CI: '1', NO_COLOR: '1', ...c.env } }),
  ]);
  return { ansible, tsplay, workdirs };
}

t.before(async () => {
  cli = buildCli('parity-roles');
  await pool(cases, 2, async (c) => {
    outcomes.set(c.name, await runCase(c));
  });
});

t.teardown(() => {
  if (cli) removeBuild(cli);
});

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcomes.get(c.name);
    if (!o) throw new Error(`case ${c.name} did not run`);
    const detail = bothOutputs(o);
    const text = o.tsplay.stdout + o.tsplay.stderr;
    if (c.compare === 'exit') {
      t.equal(o.tsplay.code, o.ansible.code, `exit code ${o.ansible.code}, as ansible-playbook`, { detail });
      t.notMatch(text, /^\s+at /m, 'no stack trace');
    } else {
      sameRecapAndExit(t, o, detail);
      if (c.compare !== 'recap') sameSections(t, o, { detail });
    }
    for (const re of c.tsplaySays ?? []) t.match(text, re, `tsplay says ${re}`);
    for (const f of c.wrote ?? []) {
      const a = path.join(o.workdirs.ansible, f);
      const b = path.join(o.workdirs.tsplay, f);
      t.ok(existsSync(a), `ansible-playbook wrote ${f}`, { detail });
      t.ok(existsSync(b), `tsplay wrote ${f}`, { detail });
      if (existsSync(a) && existsSync(b)) {
        t.equal(readFileSync(b, 'utf8'), readFileSync(a, 'utf8'), `${f} has the same content`);
        t.equal((statSync(b).mode & 0o7777).toString(8), (statSync(a).mode & 0o7777).toString(8), `${f} has the same mode`);
      }
    }
    if (c.wroteNothing) {
      t.same(readdir(o.workdirs.tsplay), [], 'tsplay wrote nothing');
      t.same(readdir(o.workdirs.ansible), [], 'ansible-playbook wrote nothing');
    }
    if (c.compare !== 'exit') t.ok(Object.keys(parseRecap(o.tsplay.stdout)).length > 0, 'tsplay ran some hosts');
  });
}

function readdir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
