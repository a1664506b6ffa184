/**
 * Hostile input through the built command line, side by side with the real
 * ansible-playbook 2.14 where Ansible's behaviour is the reference: exit
 * codes, messages, no stack trace; then what only the CLI does: --json on
 * a load error, and SIGHUP/SIGTERM while a command runs.
 */
import t, { type Test } from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildCli, removeBuild, runAnsible, runTsplay, type Run } from '../compat/helpers.js';
import { laughs, play, project } from './helpers.js';

const dir = project({
  'proto-task.yml': play('    - debug: msg=hi\n      __proto__: {when: false}\n'),
  'proto-play.yml': '- __proto__: {hosts: localhost}\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n',
  'undefined-alias.yml': play('    - debug: msg=hi\n', '    a: *nope\n'),
  'dup.yml': play('    - debug: msg="{{ x }}"\n', '    x: 1\n    x: 2\n'),
  'bom.yml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(play('    - debug: msg=bom\n'))]),
  'merge.yml': play('    - debug: msg="{{ m }}"\n', '    base: &base {a: 1}\n    m:\n      <<: *base\n      c: 2\n'),
  'laughs.yml': play('    - debug: msg=hi\n', laughs(9, '    ')),
  'sleep.yml': play('    - command: sleep 3171\n'),
  'laughs-vars.yml': laughs(9),
  'laughs-inv.yml': `all:\n  hosts:\n    localhost:\n      ansible_connection: local\n  vars:\n${laughs(9, '    ')}`,
  'laughs-everywhere.yml':
    '- hosts: all\n  gather_facts: false\n  vars_files: [laughs-vars.yml]\n  tasks:\n' +
    `    - block:\n        - set_fact: {x: 1}\n        - debug: {msg: "{{ hostvars[inventory_hostname].x }}"}\n          vars:\n${laughs(9, '            ', 't')}` +
    `      vars:\n${laughs(9, '        ', 'b')}`,
});

let cli = '';
t.before(() => {
  cli = buildCli('hostile');
});
t.teardown(() => {
  if (cli) removeBuild(cli);
});

const both = async (args: string[]): Promise<{ ansible: Run; tsplay: Run }> => {
  const [ansible, tsplay] = await Promise.all([runAnsible(args, dir), runTsplay(cli, args, dir)]);
  return { ansible, tsplay };
};
const clean = (t: Test, r: Run) => {
  const text = r.stdout + r.stderr;
  t.notMatch(text, /^\s+at /m, 'no stack trace');
  t.notMatch(text, /Unexpected error|bug in tsplay/, 'not reported as a bug');
};

t.test('exit codes and messages as ansible-playbook', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['proto-task.yml', /conflicting action statements: debug, __proto__/],
    ['proto-play.yml', /'__proto__' is not a valid attribute for a play/i],
    ['undefined-alias.yml', /found undefined alias/],
    ['dup.yml', /While constructing a mapping from .*dup\.yml, line 4, column 5, found a duplicate dict key \(x\)\. Using last defined value only\./],
    ['bom.yml', /"msg": "bom"/],
    ['merge.yml', /"a": 1,\s+"c": 2/],
    ['laughs.yml', /"msg": "hi"/],
  ];
  for (const [file, expect] of cases) {
    const { ansible, tsplay } = await both([file]);
    t.equal(tsplay.code, ansible.code, `${file}: exit ${ansible.code} as ansible-playbook`, { detail: ansible.stdout + ansible.stderr });
    t.match(tsplay.stdout + tsplay.stderr, expect, `${file}: ${expect}`);
    t.match(ansible.stdout + ansible.stderr.replace(/\n(?!\n)/g, ' '), new RegExp(expect.source.replace(/\\\./g, '.').slice(0, 40)), `${file}: Ansible says the same`);
    clean(t, tsplay);
  }
  const { tsplay } = await both(['dup.yml']);
  t.match(tsplay.stdout, /"msg": 2/, 'the last duplicate wins');
});

t.test('an unused billion laughs in every place variables come from runs as ansible-playbook runs it', async (t) => {
  const { ansible, tsplay } = await both(['laughs-everywhere.yml', '-i', 'laughs-inv.yml', '-e', '@laughs-vars.yml']);
  t.equal(ansible.code, 0, 'ansible-playbook runs it', { detail: ansible.stdout + ansible.stderr });
  t.equal(tsplay.code, 0, 'tsplay runs it', { detail: tsplay.stdout + tsplay.stderr });
  t.match(tsplay.stdout, /"msg": "1"/, 'the fact set in the block is read through hostvars');
  t.match(tsplay.stdout, /ok=2 +changed=0/, 'the recap as Ansible gives it');
  t.match(ansible.stdout, /ok=2 +changed=0/, 'Ansible\'s recap');
  clean(t, tsplay);
});

t.test('--json ends a failed load with an error event and an end event', async (t) => {
  const r = await runTsplay(cli, ['undefined-alias.yml', '--json'], dir);
  t.equal(r.code, 4, 'exit 4');
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.same(events.map((e) => e.type), ['run_start', 'error', 'run_end'], 'the run, the error, the end');
  t.match(events[1], { type: 'error', message: /found undefined alias/, pos: { line: 4, col: 8 }, exitCode: 4 }, 'the error with its position');
  t.match(events[2], { type: 'run_end', exitCode: 4 }, 'then the end');
  const e = await runTsplay(cli, ['bom.yml', '--json', '-e', '{a: &a {k: *a}}'], dir);
  t.equal(e.code, 4, 'a bad -e: exit 4');
  t.match(e.stdout, /"type":"error".*inside the value it refers to[\s\S]*"type":"run_end"/, 'a bad -e is an error event too');
  clean(t, e);
});

function sleepRunning(): boolean {
  try {
    execFileSync('pgrep', ['-f', 'sleep 3171']);
    return true;
  } catch {
    return false;
  }
}

for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
  t.test(`${signal} stops the run and the command it runs`, async (t) => {
    const child = spawn(process.execPath, [cli, 'run', 'sleep.yml'], { cwd: dir, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    // Wait (bounded) until the command is running on the host.
    for (let i = 0; i < 200 && !sleepRunning(); i++) await new Promise((r) => setTimeout(r, 100));
    t.ok(sleepRunning(), 'the command is running');
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill(signal);
    });
    t.equal(code, 99, 'exit 99, interrupted');
    for (let i = 0; i < 50 && sleepRunning(); i++) await new Promise((r) => setTimeout(r, 100));
    t.notOk(sleepRunning(), 'the command was killed');
    t.match(out, new RegExp(`Received ${signal}`), 'says why it stopped');
  });
}
