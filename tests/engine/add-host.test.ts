/**
 * add_host and group_by where parity with ansible-playbook cannot show it:
 * a host added at run time reached over real SSH with the address, port,
 * user and key add_host gave it; --list-hosts before the run; check mode;
 * secrets given to add_host never shown; and the errors, each naming the
 * task's file:line:col.
 */
import t from 'tap';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, type Io } from '../../lib/cli/main.js';
import { runPlaybook } from '../../lib/engine/run.js';
import { plainReporter } from '../../lib/output/plain.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, TEST_USER } from '../helpers/sshd.js';

ensureTestUsers();
const dir = tempDir('engine-add-host');
const key = makeKey(dir, 'id_ed25519');
const knownHosts = join(dir, 'known_hosts');
const address = '127.0.20.91';
const sshd = await startSshd({ address, authorized: { [TEST_USER]: [key.line] } });
writeFileSync(knownHosts, sshd.knownHostsLines().join('\n') + '\n');
t.teardown(() => sshd.stop());

const inventory = join(dir, 'hosts');
writeFileSync(inventory, 'controller ansible_connection=local\n');

function file(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

async function run(playbook: string, extra: Partial<Parameters<typeof runPlaybook>[0]> = {}, verbosity = 0) {
  let out = '';
  const result = await runPlaybook({
    playbooks: [playbook],
    inventory: [inventory],
    reporters: [plainReporter({ write: (s) => (out += s), verbosity, diff: false, color: false })],
    verbosity,
    ...extra,
  });
  return { ...result, out };
}

/** A play that adds the SSH host (as name:port, the way inventories write it) and a play that writes a file there. */
function sshPlaybook(name: string, marker: string, extraTask = ''): string {
  return file(
    name,
    `
- hosts: controller
  gather_facts: false
  tasks:
    - name: add the ssh host
      add_host:
        name: "${address}:${sshd.port}"
        groups: [targets]
        ansible_user: ${TEST_USER}
        ansible_ssh_private_key_file: ${key.private}
        ansible_ssh_common_args: "-o UserKnownHostsFile=${knownHosts}"
${extraTask}
- hosts: targets
  gather_facts: false
  tasks:
    - name: write as the user add_host gave
      command: touch ${marker}
      args:
        creates: ${marker}
    - name: who
      command: id -un
      register: who
      changed_when: false
    - debug:
        msg: "{{ who.stdout }} {{ ansible_ssh_port }}"
`,
  );
}

t.test('a host added at run time is reached over SSH with the port, user and key add_host gave it', async (t) => {
  const marker = join(tempDir('add-host-marker'), 'made-by-added-host');
  chmodSync(join(marker, '..'), 0o777);
  const r = await run(sshPlaybook('ssh.yml', marker));
  t.equal(r.exitCode, 0, r.out);
  t.ok(existsSync(marker), 'the added host wrote its file');
  t.match(r.out, `ok: [${address}] => {\n    "msg": "${TEST_USER} ${sshd.port}"\n}`, 'it ran as the user given, with the port from name:port');
  t.match(r.stats[address], { ok: 3, changed: 1, failed: 0, unreachable: 0 });
  t.match(r.stats.controller, { ok: 1, changed: 1 });
  const again = await run(sshPlaybook('ssh.yml', marker));
  t.equal(again.stats[address].changed, 0, 'a second run changes nothing on the added host');
});

t.test('check mode adds the host, and the host changes nothing', async (t) => {
  const marker = join(tempDir('add-host-check'), 'never-made');
  const r = await run(sshPlaybook('ssh-check.yml', marker), { check: true });
  t.equal(r.exitCode, 0, r.out);
  t.match(r.out, `changed: [controller]`, 'add_host runs in check mode, as in Ansible');
  t.match(r.out, `changed: [${address}]`, 'the added host is reached and predicts its change');
  t.notOk(existsSync(marker), 'nothing was written');
});

t.test('a password given to add_host is never shown', async (t) => {
  const secret = 'add-host-Secret-77';
  const pb = file(
    'secret.yml',
    `
- hosts: controller
  gather_facts: false
  tasks:
    - add_host:
        name: withpassword
        ansible_password: ${secret}
      register: added
    - debug:
        var: added
`,
  );
  const r = await run(pb, {}, 2);
  t.equal(r.exitCode, 0, r.out);
  t.match(r.out, '"host_name": "withpassword"', 'the result is shown');
  t.notMatch(r.out, secret, 'its password is not');
});

t.test('--list-hosts lists the pattern before the run: hosts added at run time are not known yet', async (t) => {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), isTTY: false };
  const marker = join(dir, 'never-listed');
  const code = await main(['run', sshPlaybook('list.yml', marker), '-i', inventory, '--list-hosts'], io);
  t.equal(code, 0, out + err);
  t.match(out, /pattern: \['targets'\]\n\s+hosts \(0\):/, 'the runtime group has no hosts yet, as Ansible lists it');
  t.match(out + err, 'Could not match supplied host pattern, ignoring: targets');
  t.notOk(existsSync(marker), 'nothing ran');
});

t.test('errors name the task and end the play', async (t) => {
  const cases = [
    { name: 'no host name', task: 'add_host:\n        groups: g', message: /name, host or hostname needs to be provided \(in .*errors-0\.yml:5:7\)/ },
    { name: 'an empty group name', task: 'add_host:\n        name: x\n        groups: "a,,b"', message: /Invalid empty\/false group name provided \(in .*errors-1\.yml:5:7\)/ },
    { name: 'a group its own parent', task: 'group_by:\n        key: loop\n        parents: loop', message: /can't add group loop to itself \(in .*errors-2\.yml:5:7\)/ },
    { name: 'group_by without key', task: 'group_by:\n        parents: x', message: /the 'key' param is required when using group_by \(in .*errors-3\.yml:5:7\)/ },
    { name: 'a template that is not a mapping', task: 'add_host: "{{ [1, 2] }}"', message: /Invalid raw parameters passed, requires a dictonary\/mapping got a  <class 'list'>/ },
  ];
  for (const [i, c] of cases.entries()) {
    const marker = join(dir, `after-${i}`);
    const pb = file(
      `errors-${i}.yml`,
      `
- hosts: controller
  gather_facts: false
  tasks:
    - name: ${c.name}
      ${c.task}
    - command: touch ${marker}
`,
    );
    const r = await run(pb);
    t.equal(r.exitCode, 2, `${c.name}: exit code 2`);
    t.match(r.out, c.message, `${c.name}: the message says what and where`);
    t.notMatch(r.out, /^\s+at /m, `${c.name}: no stack trace`);
    t.notOk(existsSync(marker), `${c.name}: the play ended there`);
  }
});

t.test('a bare string that is neither key=value nor one template fails the task, as in Ansible (so ignore_errors works)', async (t) => {
  const pb = file('bad-args.yml', '- hosts: controller\n  gather_facts: false\n  tasks:\n    - add_host: justaname\n      ignore_errors: true\n    - add_host: justaname\n');
  const r = await run(pb);
  t.equal(r.exitCode, 2, 'the second, not ignored, fails the run');
  t.match(r.out, /"msg": "Invalid raw parameters passed, requires a dictonary\/mapping got a  <class 'str'>"\}\n\.\.\.ignoring/, "Ansible's message, ignored the first time");
  t.match(r.out, /controller\s+: ok=1 .*failed=1 .*ignored=1/, 'the recap counts both');
});
