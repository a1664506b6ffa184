/**
 * `command` runs exactly the program named by its first word: no shell
 * builtins, no assignments, no operators; `$VAR` and `~` expanded on the
 * host as Ansible's os.path.expandvars/expanduser do. Compared with the
 * real ansible-playbook 2.14.
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { both, buildCli, LOCAL_INVENTORY, removeBuild, sameAsAnsible, scratch } from './helpers.js';

const cli = buildCli('security-command');
t.teardown(() => removeBuild(cli));

t.test('builtins, assignments and operators are never interpreted', async (t) => {
  const s = scratch('tsplay-sec-cmd-', {
    hosts: LOCAL_INVENTORY,
    'play.yml': `- hosts: localhost
  gather_facts: no
  tasks:
    - command: eval "echo INJECTED; id -un"
      ignore_errors: yes
    - command:
        argv: [eval, "echo INJECTED"]
      ignore_errors: yes
    - command: set -x
      ignore_errors: yes
    - command: PATH=/x ls /
      ignore_errors: yes
    - command: echo INJ1 ; echo INJECTED2 && echo INJECTED3 | cat $(echo INJECTED4) \`echo INJECTED5\` > /dev/null
      register: ops
    - debug: var=ops.stdout
    - command: cd /
      ignore_errors: yes
    - command: /etc/passwd
      ignore_errors: yes
    - command: ./no-such-program
      ignore_errors: yes
    - command: /bin/sh -c 'exit 3'
      ignore_errors: yes
`,
  });
  const run = await both(cli, s, ['-i', 'hosts', 'play.yml']);
  const { tsplay } = run;
  sameAsAnsible(t, run);
  t.match(tsplay.stdout, `"msg": "[Errno 2] No such file or directory: b'eval'", "rc": 2`);
  t.match(tsplay.stdout, `"cmd": "PATH=/x ls /", "msg": "[Errno 2] No such file or directory: b'PATH=/x'"`);
  t.match(tsplay.stdout, `"msg": "[Errno 2] No such file or directory: b'set'"`);
  t.match(tsplay.stdout, `"msg": "[Errno 13] Permission denied: b'/etc/passwd'", "rc": 13`);
  t.match(tsplay.stdout, '"ops.stdout": "INJ1 ; echo INJECTED2 && echo INJECTED3 | cat $(echo INJECTED4) `echo INJECTED5` > /dev/null"');
  t.notMatch(tsplay.stdout, /^INJECTED|"INJECTED"|root\\n/m, 'nothing injected ran');
});

t.test('$VAR, ${VAR} and ~ are expanded on the host, as Ansible does', async (t) => {
  const s = scratch('tsplay-sec-cmdvars-');
  s.write('hosts', LOCAL_INVENTORY);
  const home = path.join(s.dir, 'home');
  s.write(
    'play.yml',
    `- hosts: localhost
  gather_facts: no
  environment:
    HOME: ${home}
    GREETING: "hello world; id"
    EMPTY: ""
  tasks:
    - command: mkdir -p ~/x/y
    - command: echo $HOME ~ \${HOME}z $NO_SUCH_VAR_X ~root '$GREETING' a$EMPTY-b ~no-such-user-q/x $1 \${a b} $ \${} ~/$GREETING
      register: r
    - debug: var=r.stdout
    - command:
        argv: [echo, "$GREETING", "~", "x~"]
      register: r2
    - debug: var=r2.stdout
`,
  );
  const run = await both(cli, s, ['-i', 'hosts', 'play.yml']);
  const { tsplay } = run;
  sameAsAnsible(t, run, { exitCode: 0, recap: false });
  t.ok(existsSync(path.join(home, 'x', 'y')), 'mkdir -p ~/x/y made the directory under HOME');
  t.match(tsplay.stdout, `"r.stdout": "${home} ${home} ${home}z $NO_SUCH_VAR_X /root hello world; id a-b ~no-such-user-q/x $1 \${a b} $ \${} ${home}/hello world; id"`);
});

t.test('a chdir that cannot be entered is reported as Ansible reports it', async (t) => {
  const s = scratch('tsplay-sec-cmdcd-', { hosts: LOCAL_INVENTORY });
  s.write(
    'play.yml',
    `- hosts: localhost
  gather_facts: no
  tasks:
    - command: ls
      args:
        chdir: /nonexistent-dir-tsplay
      ignore_errors: true
    - command: ls
      args:
        chdir: /etc/passwd
      ignore_errors: true
    - command: pwd
      args:
        chdir: ${s.dir}
      register: here
    - debug: var=here.stdout
`,
  );
  const run = await both(cli, s, ['-i', 'hosts', 'play.yml']);
  const { tsplay } = run;
  sameAsAnsible(t, run);
  t.match(tsplay.stdout, `"msg": "Unable to change directory before execution: [Errno 2] No such file or directory: b'/nonexistent-dir-tsplay'", "rc": null`);
});
