/**
 * Behaviour the last of ansible-core's integration targets (stable-2.14)
 * rely on: command and shell with no command, and their output's trailing
 * CR and LF (command_shell). Each playbook
 * runs through ansible-playbook 2.14 and tsplay; the exit code, the recap
 * and every banner and host line must be the same.
 */
import t from 'tap';
import { bothOutputs, parityOutcomesBefore, sameRecapAndExit, sameSections } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
}

const cases: Case[] = [
  { name: 'command and shell with no command line, or command with both a line and argv, fail with rc 256 before running anything', playbook: 'targets4-no-command.yml' },
  { name: "strip_empty_ends strips every trailing CR and LF; stdout_lines splits as Python's splitlines()", playbook: 'targets4-strip.yml' },
];

const outcome = parityOutcomesBefore(t, cases);

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcome(c.name);
    sameRecapAndExit(t, o, bothOutputs(o));
    sameSections(t, o, { detail: bothOutputs(o) });
    t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
  });
}
