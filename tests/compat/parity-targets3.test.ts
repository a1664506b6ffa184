/**
 * Behaviour more of ansible-core's integration targets (stable-2.14) rely on:
 * `until` against the result as registered (loop-until), Python's
 * regular expressions' reasons and anchors (lookup_varnames, find), find's
 * aliases, a module's warnings in its result (command_shell), known_hosts'
 * registered diff, the expanduser filter and chained comparisons
 * (known_hosts, facts_d). Each playbook
 * runs through ansible-playbook 2.14 and tsplay; the exit code, the recap and,
 * where the texts agree, every banner and host line must be the same.
 */
import t from 'tap';
import { bothOutputs, parityOutcomesBefore, parseSections, sameRecapAndExit, sameSections } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
  /** Compare every host line too (not only the recap). */
  lines: boolean;
  /** Tasks whose host lines must be the same where not every line is. */
  sameTasks?: string[];
}

const cases: Case[] = [
  { name: 'the varnames lookup and the regex filters fail with Python\'s reason for a pattern that does not compile; varnames refuses a term that is no string', playbook: 'targets3-regex-errors.yml', lines: false, sameTasks: ['the reasons are Python\'s'] },
  { name: "find's contains: Python's $ before a final newline, in the whole file and a line; Ansible's aliases exclude, pattern and path", playbook: 'targets3-find.yml', lines: true },
  { name: "a module's warnings are in its registered result, not in its printed one", playbook: 'targets3-warnings.yml', lines: true },
  { name: 'known_hosts registers the before and after of the file as diff, in check mode and not, and does not print it', playbook: 'targets3-known-hosts.yml', lines: true },
  { name: "the expanduser filter expands ~ and ~name as Python's os.path.expanduser does on the controller", playbook: 'targets3-expanduser.yml', lines: true },
  { name: 'comparisons chain as in Python (a == b == c, 0 <= x < 10); a parenthesised one does not', playbook: 'targets3-chained-comparisons.yml', lines: true },
  { name: 'a dangling symlink in fact_path is a "Could not stat fact" message in ansible_local', playbook: 'targets3-facts-d.yml', lines: true },
  { name: 'until sees failed and changed as failed_when and changed_when left them; they read attempts', playbook: 'targets3-until.yml', lines: true },
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
