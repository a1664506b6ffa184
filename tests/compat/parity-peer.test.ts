/**
 * Behaviours ansible-core's own integration targets check, through the real
 * ansible-playbook 2.14 and tsplay: the same exit code, PLAY RECAP, banners
 * and host lines (failure messages aside: tsplay adds file:line:col), and
 * the lines both must print.
 */
import t from 'tap';
import { readdirSync } from 'node:fs';
import { bothOutputs, buildCli, parseRecap, pool, removeBuild, runParityCase, sameSections, type ParityRun, type Run } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
  inventory?: string;
  args?: string[];
  /** Lines (or patterns) both tools must print, on stdout or stderr. */
  both?: (string | RegExp)[];
  /** Lines neither tool may print. */
  neither?: (string | RegExp)[];
  /** 'recap' compares exit code, recap and `both` only; 'exit' is for runs that stop before any host runs. */
  compare?: 'all' | 'recap' | 'exit';
  /** The files both runs must have left in their workdir (empty: none). */
  files?: string[];
}

const one = 'inventories/one.ini';
const four = 'inventories/four/hosts.ini';

const cases: Case[] = [
  {
    name: 'a handler that is an include_tasks runs its file once when notified by name or listen, its tasks shown as handlers',
    playbook: 'peer-handler-include.yml',
    inventory: one,
    both: ['RUNNING HANDLER [handler task one] **', '"msg": "running cleanup"', 'RUNNING HANDLER [handler task two] **'],
  },
  {
    name: 'a loop over an undefined variable skips when `when` is false (loop, with_dict, with_items, include_tasks), and fails when it holds',
    playbook: 'peer-loop-when.yml',
    inventory: one,
    both: [/fatal: \[solo\]: FAILED! => \{"msg": "'packages' is undefined/],
  },
  {
    name: 'omit in keywords: delegate_to, check_mode, ignore_errors, no_log and serial fall back to their defaults; run_once is true, as in Ansible',
    playbook: 'peer-omit.yml',
    inventory: four,
    files: ['h1.txt', 'h2.txt', 'h3.txt', 'h4.txt'],
    neither: ['__omit_place_holder__'],
  },
  { name: 'an omitted check_mode follows --check', playbook: 'peer-omit.yml', inventory: four, args: ['--check'], files: [] },
  { name: 'a templated strategy is rendered before it is checked', playbook: 'peer-strategy.yml', inventory: four },
  {
    name: 'a templated strategy that renders to an unknown one is an error',
    playbook: 'peer-strategy.yml',
    inventory: four,
    args: ['-e', 'play_strategy=bogus'],
    compare: 'exit',
    both: ['ERROR! Invalid play strategy specified: bogus'],
  },
  {
    name: 'changed_when or failed_when that cannot be evaluated fails the task and keeps the module result',
    playbook: 'peer-failed-when.yml',
    inventory: one,
    both: ['"failed_when_result": "The conditional check \'out.nope.deeper == 1\' failed. The error was: ', '"stdout": "hello"', '"changed_when_result": "The conditional check \'out2.nope.deeper == 1\' failed.'],
  },
  {
    name: 'debug var=: ansible_facts is a mapping from the start, what debug prints never becomes facts, unsafe values and names stay text',
    playbook: 'peer-debug-var.yml',
    inventory: one,
    both: ['"{{ not_a_template }}": "{{{{ not_a_template }}}}"', '"raw_text": "{{ not_a_template }}"'],
  },
  ...[['--tags', 'deploy'], ['--tags', 'config'], ['--skip-tags', 'web'], ['--tags', 'beta'], []].map((args) => ({
    name: `templated tags are rendered before ${args.join(' ') || 'no tag selection'} selects tasks`,
    playbook: 'peer-tags.yml',
    inventory: one,
    args,
  })),
  { name: 'module arguments the module does not take fail the task, so ignore_errors covers them', playbook: 'peer-bad-args.yml', inventory: one },
  {
    name: 'a notified handler that does not exist is a run-time error (exit 1) after the tasks before it',
    playbook: 'peer-missing-handler.yml',
    inventory: one,
    compare: 'exit',
    both: [/'no such handler'.*not found/, '"msg": "before"'],
  },
  { name: 'any_errors_fatal in a block with always: the failed host runs always, the play goes on', playbook: 'peer-always-fatal.yml', inventory: four },
  { name: 'a handler failing in flush_handlers inside a block: rescue and always run for its host', playbook: 'peer-always-handler.yml', inventory: four },
  { name: 'meta: clear_host_errors in always brings the failed host back', playbook: 'peer-clear-errors.yml', inventory: four },
  {
    name: 'forms Ansible accepts load: play vars as a list, diff, delegate_facts, notify on a block, loop_control.extended',
    playbook: 'peer-accepted-forms.yml',
    inventory: one,
    both: ['RUNNING HANDLER [a handler]'],
  },
  { name: 'action: names the module, as a string or a mapping', playbook: 'peer-action.yml', inventory: one },
  {
    name: 'executable: on command is ignored with a warning, and the command runs',
    playbook: 'peer-command-executable.yml',
    inventory: one,
    both: [/the parameter 'executable' is no longer supported\s+with the 'command' module\. Not using '\/bin\/sh'\./],
  },
  { name: 'notify on import_tasks passes to the imported tasks', playbook: 'peer-import-notify.yml', inventory: one, both: ['RUNNING HANDLER [a handler]'] },
];

let cli = '';
const outcomes = new Map<string, ParityRun>();

t.before(async () => {
  cli = buildCli('parity-peer');
  await pool(cases, 2, async (c) => {
    outcomes.set(c.name, await runParityCase(cli, c));
  });
});

t.teardown(() => {
  if (cli) removeBuild(cli);
});

/** A failure's message differs in wording (tsplay names file:line:col): compare that the host failed, not the text. */
function withoutFailureText(stdout: string): string {
  return stdout
    .split('\n')
    .filter((l) => !l.startsWith('[WARNING]: ') && !l.startsWith('[DEPRECATION WARNING]'))
    .map((l) => l.replace(/^(fatal: \[[^\]]+\](?: => \(item=.*?\))?: FAILED! =>) .*$/, '$1'))
    .join('\n');
}

function has(r: Run, want: string | RegExp): boolean {
  const all = r.stdout + r.stderr;
  return typeof want === 'string' ? all.includes(want) : want.test(all);
}

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcomes.get(c.name);
    if (!o) throw new Error(`case ${c.name} did not run`);
    const detail = bothOutputs(o);
    if (c.compare !== 'exit') t.ok(Object.keys(parseRecap(o.ansible.stdout)).length > 0, 'ansible-playbook ran some hosts', { detail });
    t.equal(o.tsplay.code, o.ansible.code, 'same exit code', { detail });
    t.same(parseRecap(o.tsplay.stdout), parseRecap(o.ansible.stdout), 'same PLAY RECAP', { detail });
    if (c.compare !== 'recap' && c.compare !== 'exit') {
      sameSections(t, { ansible: { ...o.ansible, stdout: withoutFailureText(o.ansible.stdout) }, tsplay: { ...o.tsplay, stdout: withoutFailureText(o.tsplay.stdout) } }, { detail });
    }
    for (const want of c.both ?? []) {
      t.ok(has(o.ansible, want), `ansible-playbook prints ${want}`, { detail });
      t.ok(has(o.tsplay, want), `tsplay prints ${want}`, { detail });
    }
    for (const never of c.neither ?? []) {
      t.notOk(has(o.ansible, never), `ansible-playbook does not print ${never}`, { detail });
      t.notOk(has(o.tsplay, never), `tsplay does not print ${never}`, { detail });
    }
    if (c.files) {
      t.same(readdirSync(o.workdirs.ansible).sort(), c.files, 'ansible-playbook wrote these files', { detail });
      t.same(readdirSync(o.workdirs.tsplay).sort(), c.files, 'tsplay wrote the same files', { detail });
    }
    t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
  });
}
