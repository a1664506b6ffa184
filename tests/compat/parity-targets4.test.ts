/**
 * Behaviour the last of ansible-core's integration targets (stable-2.14)
 * rely on: command and shell with no command, and their output's trailing
 * CR and LF (command_shell); a module named by a template in `action:`
 * (group); file's modification_time and access_time (find); the config lookup
 * (lookup_config); invalid plugin names (templating); ansible_playbook_python
 * (ansible-galaxy-role). Each playbook runs through ansible-playbook 2.14 and tsplay; the
 * exit code, the recap and every banner and host line must be the same,
 * or, where tsplay's message says more than Ansible's, the named tasks'.
 */
import t from 'tap';
import { bothOutputs, parityOutcomesBefore, parseSections, sameRecapAndExit, sameSections } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
  /** Compare every host line (else only those of `sameTasks`). */
  lines: boolean;
  /** Tasks whose host lines must be the same where not every line is. */
  sameTasks?: string[];
  /** The playbook is refused when read: no recap, the same exit code, and tsplay names the place. */
  loadError?: RegExp;
}

const cases: Case[] = [
  { name: 'command and shell with no command line, or command with both a line and argv, fail with rc 256 before running anything', playbook: 'targets4-no-command.yml', lines: true },
  { name: "strip_empty_ends strips every trailing CR and LF; stdout_lines splits as Python's splitlines()", playbook: 'targets4-strip.yml', lines: true },
  { name: "a module named by a template in action: runs as that module, its banner the template, its result the module's", playbook: 'targets4-templated-action.yml', lines: true },
  { name: 'a templated module name that renders to no module fails the task when it runs, which ignore_errors covers', playbook: 'targets4-templated-action-unknown.yml', lines: false, sameTasks: ['registered', 'never reached'] },
  { name: "file's modification_time and access_time: a time in its format, preserve and now; idempotent, check mode changes nothing, a time that does not match fails", playbook: 'targets4-file-times.yml', lines: true },
  { name: "the config lookup refuses a function of Ansible's constants as no setting, whatever on_missing says; a missing setting follows on_missing", playbook: 'targets4-config-lookup.yml', lines: false, sameTasks: ['missing and skipped', 'a setting both read', 'registered'] },
  { name: "a test named by a string that cannot be a plugin's name fails a template with Ansible's invalid plugin name words", playbook: 'targets4-invalid-plugin-name.yml', lines: false, sameTasks: ['registered'] },
  { name: "ansible_playbook_python is a Python on the controller that runs a script", playbook: 'targets4-playbook-python.yml', lines: true },
  { name: 'a templated module name with a free-form word is refused when the playbook is read', playbook: 'targets4-templated-action-free-form.yml', lines: false, loadError: /extra params[\s\S]*targets4-templated-action-free-form\.yml:\d+:\d+/ },
];

const outcome = parityOutcomesBefore(t, cases);

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcome(c.name);
    if (c.loadError) {
      t.equal(o.ansible.code, 4, 'ansible-playbook refuses the playbook', { detail: bothOutputs(o) });
      t.equal(o.tsplay.code, o.ansible.code, 'same exit code', { detail: bothOutputs(o) });
      t.match(o.tsplay.stdout + o.tsplay.stderr, c.loadError, 'tsplay names the place and the cause');
    } else {
      sameRecapAndExit(t, o, bothOutputs(o));
      if (c.lines) sameSections(t, o, { detail: bothOutputs(o) });
    }
    for (const task of c.sameTasks ?? []) {
      const lines = (stdout: string) => parseSections(stdout).find((s) => s.banner === `TASK [${task}]`)?.lines;
      const expected = lines(o.ansible.stdout);
      t.same(lines(o.tsplay.stdout), expected, `the same host lines for "${task}"`, { detail: bothOutputs(o) });
    }
    t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
  });
}
