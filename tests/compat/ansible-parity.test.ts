/**
 * Parity with the real ansible-playbook 2.14: every case runs the same
 * playbook, inventory and options through both tools (all hosts are local
 * connections, so multi-host runs, serial and failures need no SSH) and
 * compares what a user or a script reads: the PLAY RECAP, the exit code, the
 * sequence of banners, and each task's host lines with their results and
 * debug messages. Hosts finish a task in any order in both tools, so host
 * lines are grouped by host under each task, each host's lines in order.
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bothOutputs, buildCli, linesPerHost, perHost, pool, removeBuild, runParityCase, sameRecapAndExit, sameSections, type ParityRun } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
  inventory: string;
  args?: string[];
  /**
   * 'sections' compares banners and each banner's host lines. 'lines' compares
   * each host's lines in the order printed, without the banners: Ansible 2.14
   * reprints a stale handler banner after flush_handlers (its callback prints
   * a banner whenever the task of a result changes), which tsplay does not imitate.
   */
  compare?: 'sections' | 'lines';
}

const four = 'inventories/four/hosts.ini';
const ten = 'inventories/ten/hosts.ini';

const cases: Case[] = [
  { name: 'variable precedence with -e', playbook: 'vars.yml', inventory: four, args: ['-e', 'cli=extra'] },
  { name: 'variable precedence without -e', playbook: 'vars.yml', inventory: four },
  { name: 'when, also per loop item', playbook: 'when.yml', inventory: four },
  { name: 'when with --limit', playbook: 'when.yml', inventory: four, args: ['--limit', 'h1,h3'] },
  { name: 'loops, register results, loop_control', playbook: 'loops.yml', inventory: four },
  { name: 'handlers, listen, flush_handlers', playbook: 'handlers.yml', inventory: four, compare: 'lines' },
  { name: 'block, rescue, always, nested', playbook: 'blocks.yml', inventory: four },
  { name: 'ignore_errors, failed_when, changed_when', playbook: 'errors.yml', inventory: four },
  { name: 'until, retries, delay 0', playbook: 'until.yml', inventory: four },
  { name: 'serial as a number', playbook: 'serial.yml', inventory: ten, args: ['-e', 'batch_size=3'] },
  { name: 'serial as a percentage', playbook: 'serial.yml', inventory: ten, args: ['-e', 'batch_size=30%'] },
  { name: 'serial as a list', playbook: 'serial_list.yml', inventory: ten },
  { name: 'tags: none given', playbook: 'tags.yml', inventory: four },
  { name: 'tags: --tags a', playbook: 'tags.yml', inventory: four, args: ['--tags', 'a'] },
  { name: 'tags: --tags b (play tags)', playbook: 'tags.yml', inventory: four, args: ['--tags', 'b'] },
  { name: 'tags: --tags c (block tags)', playbook: 'tags.yml', inventory: four, args: ['--tags', 'c'] },
  { name: 'tags: --skip-tags a', playbook: 'tags.yml', inventory: four, args: ['--skip-tags', 'a'] },
  { name: 'tags: never runs when asked', playbook: 'tags.yml', inventory: four, args: ['--tags', 'debugonly'] },
  { name: 'tags: --skip-tags always', playbook: 'tags.yml', inventory: four, args: ['--skip-tags', 'always'] },
  { name: 'run_once and delegate_to localhost', playbook: 'run_once.yml', inventory: four },
  { name: 'any_errors_fatal on the play', playbook: 'fatal.yml', inventory: four },
  { name: 'any_errors_fatal on a task, rescued and not', playbook: 'fatal_task.yml', inventory: four },
  { name: 'max_fail_percentage exceeded', playbook: 'max_fail.yml', inventory: ten, args: ['-e', 'max_pct=20'] },
  { name: 'max_fail_percentage reached, not exceeded', playbook: 'max_fail.yml', inventory: ten, args: ['-e', 'max_pct=30'] },
  { name: 'max_fail_percentage 0 with serial', playbook: 'max_fail.yml', inventory: ten, args: ['-e', 'max_pct=0', '-e', 'batch_size=5'] },
  { name: 'a failing host leaves later tasks and plays', playbook: 'failing_host.yml', inventory: four },
  { name: 'include_tasks and import_tasks', playbook: 'include.yml', inventory: four },
  { name: 'import_playbook', playbook: 'site.yml', inventory: four, compare: 'lines' },
  { name: 'command and shell, creates and removes', playbook: 'commands.yml', inventory: four },
  { name: 'command and shell in --check', playbook: 'commands.yml', inventory: four, args: ['--check'] },
  { name: 'gather_facts', playbook: 'facts.yml', inventory: four },
  { name: 'meta end_host and end_play', playbook: 'end_meta.yml', inventory: four },
];

let cli = '';
const outcomes = new Map<string, ParityRun>();

t.before(async () => {
  cli = buildCli('parity');
  // Two cases at a time, each running both tools at once: about two busy processes per core.
  await pool(cases, 2, async (c) => {
    outcomes.set(c.name, await runParityCase(cli, c));
  });
});

t.teardown(() => {
  if (cli) removeBuild(cli);
});

/** `ok: [h] => {"msg": ...}` pairs in output order per host: the debug messages a user reads. */
function debugMessages(stdout: string): Record<string, string[]> {
  return perHost(stdout, /^ok: \[([^\]]+)\] => \{\n {4}"msg": (.*)\n\}$/gm);
}

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcomes.get(c.name);
    if (!o) throw new Error(`case ${c.name} did not run`);
    sameRecapAndExit(t, o, bothOutputs(o));
    if ((c.compare ?? 'sections') === 'sections') {
      sameSections(t, o);
    } else {
      t.same(linesPerHost(o.tsplay.stdout), linesPerHost(o.ansible.stdout), "same host lines, in order for each host");
    }
    t.same(debugMessages(o.tsplay.stdout), debugMessages(o.ansible.stdout), 'same debug messages per host, in order');
    t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
  });
}

t.test('--check leaves the disk as it was, in both tools', async (t) => {
  const o = outcomes.get('command and shell in --check')!;
  for (const [tool, dir] of Object.entries(o.workdirs)) {
    t.notOk(existsSync(path.join(dir, 'h1')), `${tool}: the directory a command would create does not exist`);
  }
  const real = outcomes.get('command and shell, creates and removes')!;
  for (const [tool, dir] of Object.entries(real.workdirs)) {
    t.ok(existsSync(path.join(dir, 'h1')), `${tool}: without --check the directory is created`);
    t.notOk(existsSync(path.join(dir, 'h1', 'made')), `${tool}: and the file made then removed is gone`);
  }
});
