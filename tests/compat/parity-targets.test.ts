/**
 * Behaviour ansible-core's own integration targets (stable-2.14) rely on:
 * `*list` / `**mapping` in calls and the empty tuple (loops, filter_urls),
 * the lookups' term handling (lookup_subelements, lookup_first_found, ...),
 * the config lookup and the template module's template_* variables. Each
 * playbook runs through ansible-playbook 2.14 and tsplay; the exit code,
 * the recap and, where the texts agree, every banner and host line must be
 * the same.
 */
import t from 'tap';
import { bothOutputs, parityOutcomesBefore, parseSections, sameRecapAndExit, sameSections } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
  /** Compare every host line too (not only the recap). */
  lines: boolean;
  /** Tasks whose host lines must be the same where not every line is (an unhandled lookup failure's wording differs: docs/differences.md). */
  sameTasks?: string[];
}

const cases: Case[] = [
  { name: '*list and **mapping unpack into a lookup, a method, a function and a filter; () is the empty tuple; with_list refuses a mapping', playbook: 'targets-call-unpacking.yml', lines: true },
  { name: "ansible_host falls back to the inventory name in a task's templates, not in hostvars; with_first_found in a role finds the role's files; ansible_search_path; ansible_loop's extended fields", playbook: 'targets-task-vars.yml', lines: true },
  { name: "loop_control's loop_var and index_var are templates, for a task's loop and an include's; an included task sees the item and the index only", playbook: 'targets-loop-names.yml', lines: true },
  { name: 'a template file sees template_host, template_path, template_fullpath, template_mtime, template_uid, template_run_date and template_destpath, in the module and the lookup', playbook: 'targets-template-vars.yml', lines: true },
  {
    name: 'the config lookup: settings by their Ansible names, on_missing, ssh and sh options from the task variables',
    playbook: 'targets-config.yml',
    lines: false,
    // Ansible's "Unable to find setting X" goes on with Python's AttributeError twice; tsplay stops at the setting's name.
    sameTasks: ['settings at their defaults', 'a missing setting, skipped and warned about', 'a bad on_missing fails', 'a number is no setting name', "plugin options from the task's variables", "the failures' messages"],
  },
  {
    name: "a lookup's failure is the task's msg as Ansible writes it, for rescue and registered results",
    playbook: 'targets-lookup-errors.yml',
    lines: false,
    sameTasks: ['the message is Ansible\'s', 'with_sequence with an unknown argument', 'with_together of nothing', 'with_indexed_items of a mapping', 'the messages'],
  },
];

const outcome = parityOutcomesBefore(t, cases);

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcome(c.name);
    sameRecapAndExit(t, o, bothOutputs(o));
    if (c.lines) sameSections(t, o, { detail: bothOutputs(o) });
    for (const task of c.sameTasks ?? []) {
      const lines = (stdout: string) => parseSections(stdout).find((s) => s.banner === `TASK [${task}]`)?.lines;
      const expected = lines(o.ansible.stdout);
      t.ok(expected, `ansible-playbook ran "${task}"`, { detail: o.ansible.stdout });
      t.same(lines(o.tsplay.stdout), expected, `the same host lines for "${task}"`, { detail: bothOutputs(o) });
    }
    t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
  });
}
