/**
 * Mistakes people make, run through the real ansible-playbook 2.14 and
 * tsplay: the exit code must be Ansible's (scripts depend on it), and
 * tsplay's message must say where (file:line:col when the mistake is in a
 * file), say what to do, and show no stack trace.
 */
import t from 'tap';
import { buildCli, pool, removeBuild, runAnsible, runTsplay, type Run } from './helpers.js';

interface Case {
  name: string;
  args: string[];
  /** file:line:col of the mistake, as tsplay must print it (relative to the test's working directory). */
  where?: RegExp;
  /** The part of the message that tells the user what to do. */
  advice: RegExp;
}

const inv = ['-i', 'inventories/one.ini'];

const cases: Case[] = [
  { name: 'malformed YAML', args: ['bad/malformed.yml', ...inv], where: /bad\/malformed\.yml:7:6/, advice: /To fix it: .*(indentation|YAML)/i },
  { name: 'a play without hosts', args: ['bad/no-hosts.yml', ...inv], where: /bad\/no-hosts\.yml:1:3/, advice: /To fix it: add 'hosts: <pattern>'/ },
  { name: 'two module keys in one task', args: ['bad/two-modules.yml', ...inv], where: /bad\/two-modules\.yml:7:7/, advice: /split it into two tasks/ },
  { name: 'an unknown module', args: ['bad/unknown-module.yml', ...inv], where: /bad\/unknown-module\.yml:5:7/, advice: /check the spelling; modules: .*debug/ },
  { name: 'an unknown task keyword', args: ['bad/unknown-keyword.yml', ...inv], where: /bad\/unknown-keyword\.yml:7:7/, advice: /Did you mean 'when'\?[\s\S]*To fix it: correct the spelling of 'whenn'/ },
  { name: 'an unknown play keyword', args: ['bad/unknown-play-keyword.yml', ...inv], where: /bad\/unknown-play-keyword\.yml:3:3/, advice: /Did you mean 'tasks'\?/ },
  { name: 'a wrong argument type', args: ['bad/wrong-arg-type.yml', ...inv], where: /bad\/wrong-arg-type\.yml:7:20/, advice: /'verbosity' must be an integer.*tsplay doc debug/ },
  { name: 'an unknown argument', args: ['bad/unknown-arg.yml', ...inv], where: /bad\/unknown-arg\.yml:7:\d+/, advice: /unsupported argument 'colour'\. Supported arguments: msg, var, verbosity/ },
  { name: 'a missing vars file', args: ['bad/missing-vars-file.yml', ...inv], where: /bad\/missing-vars-file\.yml:4:7/, advice: /To fix it: check the path in vars_files/ },
  { name: 'a missing playbook file', args: ['bad/does-not-exist.yml', ...inv], advice: /was not found[\s\S]*To fix it: check the path/ },
  { name: 'an undefined variable', args: ['bad/undefined-var.yml', ...inv], where: /bad\/undefined-var\.yml:4:7/, advice: /[Dd]efine 'not_defined_anywhere' .* or give a fallback/ },
  { name: 'an unknown host pattern', args: ['bad/unknown-pattern.yml', ...inv], advice: /Could not match supplied host pattern, ignoring: no_such_group/ },
  { name: 'a bad command-line option', args: ['bad/ok.yml', ...inv, '--no-such-option'], advice: /--no-such-option[\s\S]*tsplay run --help' lists the options/ },
];

let cli = '';
const runs = new Map<string, { ansible: Run; tsplay: Run }>();

t.before(async () => {
  cli = buildCli('bad-input');
  await pool([...cases, { name: 'missing inventory', args: ['bad/ok.yml', '-i', 'inventories/does-not-exist.ini'], advice: /./ }], 2, async (c) => {
    const [ansible, tsplay] = await Promise.all([runAnsible(c.args), runTsplay(cli, c.args)]);
    runs.set(c.name, { ansible, tsplay });
  });
});

t.teardown(() => {
  if (cli) removeBuild(cli);
});

for (const c of cases) {
  t.test(c.name, async (t) => {
    const { ansible, tsplay } = runs.get(c.name)!;
    const text = tsplay.stdout + tsplay.stderr;
    const detail = `\n--- ansible-playbook\n${ansible.stdout}${ansible.stderr}\n--- tsplay\n${text}`;
    t.equal(tsplay.code, ansible.code, `exit code ${ansible.code}, as ansible-playbook`, { detail });
    if (c.where) t.match(text, c.where, 'names file:line:col');
    t.match(text, c.advice, 'says what to do');
    t.notMatch(text, /^\s+at /m, 'no stack trace');
    t.notMatch(text, /Unexpected error|This is a bug in tsplay/, 'not reported as a bug in tsplay');
  });
}

t.test('a missing inventory file: tsplay refuses where Ansible only warns', async (t) => {
  const { ansible, tsplay } = runs.get('missing inventory')!;
  // Measured, not assumed: Ansible warns, runs nothing, and exits 0.
  t.equal(ansible.code, 0, 'ansible-playbook exits 0');
  t.match(ansible.stdout, /skipping: no hosts matched/, 'ansible-playbook runs no host and carries on');
  // Deliberately different: a typo in -i must not silently run nothing.
  const text = tsplay.stdout + tsplay.stderr;
  t.equal(tsplay.code, 1, 'tsplay exits 1');
  t.match(text, /inventory source .*does-not-exist\.ini does not exist/, 'names the missing inventory');
  t.match(text, /To fix it: check the -i path/, 'says what to do');
  t.notMatch(text, /PLAY \[/, 'runs no play');
  t.notMatch(text, /^\s+at /m, 'no stack trace');
});
