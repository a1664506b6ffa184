/**
 * User strings are Jinja with Ansible's semantics, rendered by one
 * interpreter; dicts keep Python's insertion order for every key; tuples
 * look as Ansible shows them once a template's text is read back as data.
 * Each playbook runs through ansible-playbook 2.14 and tsplay; the exit code,
 * the recap and every banner and host line (debug messages, loop labels) must
 * be the same.
 */
import t from 'tap';
import { bothOutputs, parityOutcomesBefore, sameRecapAndExit, sameSections } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
  /** Compare every host line too (not only the recap): false where the error texts of the two tools differ. */
  lines: boolean;
}

const cases: Case[] = [
  { name: "a loop variable called `this` is a name; text, comments, raw blocks, dict literals and backslashes as in Jinja", playbook: 'jinja-strings.yml', lines: true },
  { name: '`@` in an expression and a Handlebars block are template errors, as in Ansible', playbook: 'jinja-errors.yml', lines: false },
  { name: 'dicts keep insertion order for integer-like keys: YAML, JSON, literals, combine, dict(), update(), loops, to_json, debug var=', playbook: 'jinja-dict-order.yml', lines: true },
  { name: 'tuples: loop items and facts read back as lists, a lone tuple stays its text', playbook: 'jinja-tuples.yml', lines: true },
];

const outcome = parityOutcomesBefore(t, cases);

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcome(c.name);
    sameRecapAndExit(t, o, bothOutputs(o));
    if (c.lines) sameSections(t, o, { detail: bothOutputs(o) });
    t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
  });
}

t.test('the errors are template errors of the task, and the run goes on', async (t) => {
  const o = outcome(cases[1]!.name);
  const fatal = o.tsplay.stdout.split('\n').filter((l) => l.startsWith('fatal: [solo]'));
  t.equal(fatal.length, 3, 'three tasks failed', { detail: o.tsplay.stdout });
  t.match(fatal[0], /@index/, 'the first names the expression with `@`');
  t.match(fatal[2], /#each items_/, 'the Handlebars block is not read as a block');
  t.match(o.tsplay.stdout, /"msg": "2"/, 'the last task ran');
});
