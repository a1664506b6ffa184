/**
 * Become users from host data cannot inject options into sudo or su: a user
 * that is not a user name is refused with a task error naming it, before
 * sudo or su runs, and every command line ends options with `--`. Become
 * keywords and variables are templates, rendered as ansible-playbook does.
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { becomeUserProblem, wrapBecome } from '../../lib/connection/become.js';
import { LocalConnection } from '../../lib/connection/local.js';
import { ensureTestUsers, OTHER_USER } from '../helpers/sshd.js';
import { both, buildCli, LOCAL_INVENTORY, removeBuild, sameAsAnsible, scratch, tsplayCli } from './helpers.js';

const cli = buildCli('security-become-user');
t.teardown(() => removeBuild(cli));
ensureTestUsers();

/** The classes of hostile become users: options, whitespace, shell and control characters, empty. */
const HOSTILE = ['-c id', '--help', '-', '-s/bin/sh', '-l', 'root -c id', 'a b', 'a\tb', 'a\nb', 'root;id', 'a$(id)', 'a`id`', "a'b", 'a"b', 'a|b', 'a&b', 'a>b', 'a/b', 'a\x1b[2Jb', 'a\x7fb', 'a\u009bb', 'a\0b', '', ' root', 'root ', '#0;id', '#-1'];

t.test('a become user that is not a user name is refused, for sudo and su alike', async (t) => {
  for (const user of HOSTILE) {
    for (const method of ['sudo', 'su'] as const) {
      t.ok(becomeUserProblem(user, method), `${method}: ${JSON.stringify(user)} is refused`);
      t.throws(() => wrapBecome('true', { user, method }), undefined, `${method}: no command line is made for ${JSON.stringify(user)}`);
    }
  }
  t.match(becomeUserProblem('-c id', 'su'), /starts with '-'.*option by su/);
  for (const user of ['root', 'etcd', 'svc-app', 'a.b', '_apt', 'machine$', 'user01']) {
    t.equal(becomeUserProblem(user, 'sudo'), undefined, `${user} is a user name`);
    t.equal(becomeUserProblem(user, 'su'), undefined, `${user} is a user name for su too`);
  }
  t.equal(becomeUserProblem('#0', 'sudo'), undefined, "sudo's #UID is accepted");
  t.ok(becomeUserProblem('#0', 'su'), 'su has no #UID');
  t.match(becomeUserProblem('1000', 'sudo'), /is a number.*'#1000'/);
});

t.test('options end with -- for every method, and the real sudo and su accept the line', async (t) => {
  t.match(wrapBecome('id -un', { user: OTHER_USER }), new RegExp(`-u ${OTHER_USER} -- sh -c `));
  t.match(wrapBecome('id -un', { user: OTHER_USER, method: 'su' }), new RegExp(`-- ${OTHER_USER}$`));
  const local = new LocalConnection('localhost');
  t.teardown(() => local.close());
  // Runs as root: neither sudo nor su asks for a password.
  for (const method of ['sudo', 'su'] as const) {
    t.equal((await local.exec('id -un', { become: { user: OTHER_USER, method } })).stdout, `${OTHER_USER}\n`, `${method} runs the command as the user`);
    const err = await local.exec('id -un', { become: { user: '-c id', method } }).catch((e: Error) => e);
    t.match(err, { message: /starts with '-'/ }, `${method}: a user starting with - never reaches ${method}`);
  }
});

t.test('become keywords and variables are templates, at task, block, play and inventory level, as in Ansible', async (t) => {
  const s = scratch('tsplay-sec-become-tpl-', {
    hosts: `${LOCAL_INVENTORY}[all:vars]\nbecome_to=${OTHER_USER}\nhow=su\nfrom_inventory="{{ become_to }}"\n`,
    'play.yml': `- hosts: localhost
  gather_facts: no
  become: "{{ 1 == 1 }}"
  become_user: "{{ become_to }}"
  tasks:
    - command: id -un
      register: play_level
    - debug: var=play_level.stdout
    - command: id -un
      become_user: "{{ 'no' ~ 'body' }}"
      register: task_level
    - debug: var=task_level.stdout
    - block:
        - command: id -un
          register: block_level
        - debug: var=block_level.stdout
      become_method: "{{ how }}"
    - command: id -un
      vars:
        ansible_become_user: "{{ from_inventory }}"
      become_user: nobody
      register: var_level
    - debug: var=var_level.stdout
`,
  });
  const run = await both(cli, s, ['-i', 'hosts', 'play.yml']);
  sameAsAnsible(t, run, { exitCode: 0 });
  t.match(run.tsplay.stdout, `"play_level.stdout": "${OTHER_USER}"`);
  t.match(run.tsplay.stdout, '"task_level.stdout": "nobody"');
  t.match(run.tsplay.stdout, `"block_level.stdout": "${OTHER_USER}"`);
  t.match(run.tsplay.stdout, `"var_level.stdout": "${OTHER_USER}"`, 'the variable wins over the keyword');
});

t.test('a become user from host data starting with - fails the task, naming the user; nothing runs', async (t) => {
  const s = scratch('tsplay-sec-become-hostile-', { hosts: LOCAL_INVENTORY });
  const marker = path.join(s.dir, 'pwned');
  s.write(
    'play.yml',
    `- hosts: localhost
  gather_facts: no
  tasks:
    - command: printf '%s' '-c touch ${marker}'
      register: from_host
    - command: id -un
      become: true
      become_method: "{{ item }}"
      become_user: "{{ from_host.stdout }}"
      loop: [sudo, su]
      ignore_errors: true
    - command: id -un
      become: true
      vars:
        ansible_become_user: "{{ from_host.stdout }}"
`,
  );
  const r = await tsplayCli(cli, ['run', '-i', 'hosts', 'play.yml'], s.dir);
  t.equal(r.code, 2, 'the run fails');
  t.match(r.stdout, /become user \\"-c touch [^"]*pwned\\" starts with '-' and would be read as an option by sudo/);
  t.match(r.stdout, /option by su/);
  t.match(r.stdout, /play\.yml:\d+:\d+/, 'the error names the task');
  t.notMatch(r.stdout + r.stderr, /at \w+ \(|\.ts:\d+/, 'no stack trace');
  t.equal(existsSync(marker), false, 'the host-chosen command never ran');
});

t.test('a become password with a line break is refused before sudo reads half of it', async (t) => {
  const local = new LocalConnection('localhost');
  t.teardown(() => local.close());
  for (const password of ['first\nsecond', 'a\rb', 'a\0b']) {
    const err = await local.exec('cat', { become: { user: OTHER_USER, password }, stdin: 'input' }).catch((e: Error) => e);
    t.match(err, { message: /contains a line break or NUL/ }, JSON.stringify(password));
    t.notMatch((err as Error).message, /first|second/, 'the message does not quote the password');
  }
});
