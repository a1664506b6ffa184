/**
 * no_log censors a result once, before any reporter sees it: plain lines at
 * every verbosity, --json, the live terminal view and a library user's own
 * reporter. Passwords from the inventory never appear in any output.
 */
import t from 'tap';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { runPlaybook } from '../../lib/index.js';
import type { RunEvent } from '../../lib/index.js';
import { createInkReporter } from '../../lib/output/ink/index.js';
import { both, buildCli, LOCAL_INVENTORY, removeBuild, sameAsAnsible, scratch, tsplayCli } from './helpers.js';

const cli = buildCli('security-nolog');
t.teardown(() => removeBuild(cli));

const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";
const SECRET = /[A-Z]+SECRET\d?/;

const s = scratch('tsplay-sec-nolog-', {
  hosts: LOCAL_INVENTORY,
  'play.yml': `- hosts: localhost
  gather_facts: no
  tasks:
    - command: echo CMDSECRET
      no_log: true
    - debug: msg="DEBUGSECRET"
      no_log: true
    - command: echo {{ item }}
      loop: [LOOPSECRET1, LOOPSECRET2]
      no_log: true
    - command: /bin/sh -c 'echo {{ item }}; exit {{ item is search("2") | int }}'
      loop: [ITEMSECRET1, ITEMSECRET2]
      no_log: "{{ 1 == 1 }}"
      ignore_errors: true
    - set_fact: x=FACTSECRET
      no_log: true
    - fail: msg=FAILSECRET
      no_log: true
      ignore_errors: true
    - block:
        - debug: msg=BLOCKSECRET
        - command: echo BLOCKSECRET2
      no_log: true
    - debug: msg="shown, not secret"
- hosts: localhost
  gather_facts: no
  no_log: true
  tasks:
    - debug: msg=PLAYSECRET
    - command: /bin/false FALSESECRET
      ignore_errors: yes
    - debug: msg=TASKSECRET
      no_log: false
      when: false
`,
});

t.test('plain output is what ansible-playbook prints', async (t) => {
  const run = await both(cli, s, ['-i', 'hosts', 'play.yml']);
  const { tsplay } = run;
  sameAsAnsible(t, run);
  t.match(tsplay.stdout, 'changed: [localhost] => (item=None)');
  t.match(tsplay.stdout, `fatal: [localhost]: FAILED! => {"censored": "${CENSORED}", "changed": true}`);
  t.notMatch(tsplay.stdout + tsplay.stderr, SECRET, 'no secret in the output');
});

for (const flags of [['-v'], ['-vvv'], ['--json'], ['--json', '-vvv'], ['--diff', '-vvvv']]) {
  t.test(`nothing hidden shows with ${flags.join(' ')}`, async (t) => {
    const r = await tsplayCli(cli, ['run', '-i', 'hosts', 'play.yml', ...flags], s.dir);
    t.equal(r.code, 0, 'the run succeeds');
    t.notMatch(r.stdout + r.stderr, SECRET, 'no secret in the output');
    t.match(r.stdout, CENSORED, 'the censored message is shown');
    t.match(r.stdout, 'shown, not secret', 'a task without no_log is shown');
    if (flags.includes('--json')) {
      const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
      const items = events.filter((e) => e.type === 'host_result' && e.item !== undefined).map((e) => (e as { item: string }).item);
      t.same(items, ['None', 'None', 'None', 'None'], 'loop items are None');
    }
  });
}

/** A terminal for ink, recording what it is sent. */
class FakeTty extends EventEmitter {
  columns = 120;
  rows = 40;
  isTTY = true;
  written = '';
  write(chunk: string | Uint8Array, cb?: () => void): boolean {
    this.written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    if (typeof cb === 'function') cb();
    return true;
  }
}

t.test("the live view and a library user's reporter get censored events", async (t) => {
  const seen: RunEvent[] = [];
  const tty = new FakeTty();
  const ink = createInkReporter({ stdout: tty as unknown as NodeJS.WriteStream, verbosity: 3, diff: true, color: false });
  const r = await runPlaybook({
    playbooks: [path.join(s.dir, 'play.yml')],
    inventory: [path.join(s.dir, 'hosts')],
    verbosity: 3,
    reporters: [(e) => seen.push(e), ink.reporter],
  });
  await ink.done();
  t.equal(r.exitCode, 0);
  const all = JSON.stringify(seen);
  t.notMatch(all, SECRET, 'no secret in any event');
  t.match(all, CENSORED);
  const loopItems = seen.filter((e) => e.type === 'host_result' && e.item !== undefined);
  t.equal(loopItems.length, 4);
  t.ok(loopItems.every((e) => e.type === 'host_result' && e.item === 'None' && Object.keys(e.result).sort().join() === 'censored,changed'));
  const screen = tty.written.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  t.match(screen, '(item=None)', 'the live view shows loop items as None');
  t.match(screen, 'shown, not secret');
  t.notMatch(screen, SECRET, 'no secret on the screen');
});

t.test('inventory passwords never appear, at any verbosity, in results or errors', async (t) => {
  const p = scratch('tsplay-sec-passwords-');
  p.write(
    'hosts',
    `[web]
localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3 ansible_become_password=BECOMESECRET ansible_password='SSHSECRET' ansible_ssh_pass=PASSSECRET

[web:vars]
ansible_become_pass="{{ 'TEMPLATED' ~ 'SECRET' }}"
`,
  );
  p.write(
    'play.yml',
    `- hosts: web
  gather_facts: no
  tasks:
    - debug: var=ansible_become_password
    - debug: msg="{{ ansible_password }} {{ ansible_ssh_pass }} {{ ansible_become_pass }}"
    - command: echo {{ ansible_become_password }}
      register: out
    - debug: var=out
    - debug: msg="{{ ansible_become_password | from_json }}"
      ignore_errors: true
    - fail: msg="wrong password {{ ansible_password }}"
      ignore_errors: true
    - debug: msg="{{ ansible_password ~ nosuchvar }}"
`,
  );
  for (const flags of [[], ['-vvv'], ['--json']]) {
    const r = await tsplayCli(cli, ['run', '-i', 'hosts', 'play.yml', ...flags], p.dir);
    t.equal(r.code, 2, `${flags.join(' ') || 'plain'}: the last task fails the host`);
    t.notMatch(r.stdout + r.stderr, SECRET, `${flags.join(' ') || 'plain'}: no password in the output`);
    t.match(r.stdout, '********', `${flags.join(' ') || 'plain'}: the passwords are masked`);
  }
});

t.test('a password is masked in an error that ends the run', async (t) => {
  const p = scratch('tsplay-sec-error-');
  p.write('hosts', 'localhost ansible_connection=local ansible_password=ERRORSECRET\n');
  p.write(
    'play.yml',
    `- hosts: localhost
  gather_facts: no
  vars_files: ["/nonexistent/{{ ansible_password }}.yml"]
  tasks:
    - debug: msg=hi
`,
  );
  for (const flags of [[], ['-vvv'], ['--json']]) {
    const r = await tsplayCli(cli, ['run', '-i', 'hosts', 'play.yml', ...flags], p.dir);
    t.equal(r.code, 1, 'the missing vars file ends the run');
    t.match(r.stderr, 'the vars file /nonexistent/********.yml was not found', 'the error says what, with the password masked');
    t.notMatch(r.stdout + r.stderr, SECRET, 'no password anywhere');
  }
});

t.test("an include's loop item with no_log reads as Ansible prints it", async (t) => {
  const p = scratch('tsplay-sec-include-');
  p.write('hosts', LOCAL_INVENTORY);
  p.write('inner.yml', '- debug: msg="inner"\n');
  p.write(
    'play.yml',
    `- hosts: localhost
  gather_facts: no
  tasks:
    - include_tasks: inner.yml
      loop: [INCLUDESECRET1, INCLUDESECRET2]
      no_log: true
`,
  );
  const { ansible, tsplay } = await both(cli, p, ['-i', 'hosts', 'play.yml']);
  const included = (out: string) => out.split('\n').filter((l) => l.startsWith('included:')).map((l) => l.replace(p.dir, '<dir>'));
  t.same(included(tsplay.stdout), included(ansible.stdout), 'the same included lines');
  t.same(included(tsplay.stdout), ['included: <dir>/inner.yml for localhost => (item=(censored due to no_log))', 'included: <dir>/inner.yml for localhost => (item=(censored due to no_log))']);
  t.notMatch(tsplay.stdout, SECRET, 'no loop item in the output');
});
