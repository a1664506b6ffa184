/**
 * Playbooks over real SSH: one reachable host, one refusing connections, one
 * that accepts TCP and never speaks. What a user checks: the recap, the
 * UNREACHABLE lines with their reason, that the other hosts go on, the exit
 * code 4, become, check mode leaving the host untouched, and host keys.
 */
import t from 'tap';
import { createServer, type Socket } from 'node:net';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { plainReporter } from '../../lib/output/plain.js';
import { ensureTestUsers, freePort, makeKey, startSshd, tempDir, TEST_USER } from '../helpers/sshd.js';

ensureTestUsers();
const dir = tempDir('engine-ssh');
const key = makeKey(dir, 'id_ed25519');
const knownHosts = join(dir, 'known_hosts');

const sshd = await startSshd({ address: '127.0.20.40', authorized: { [TEST_USER]: [key.line] } });
writeFileSync(knownHosts, sshd.knownHostsLines().join('\n') + '\n');
const closedPort = await freePort('127.0.20.41');
const held: Socket[] = [];
const silent = createServer((s) => held.push(s));
const silentPort = await freePort('127.0.20.42');
await new Promise<void>((r) => silent.listen(silentPort, '127.0.20.42', r));
t.teardown(async () => {
  held.forEach((s) => s.destroy());
  silent.close();
  await sshd.stop();
});

function inventory(name: string, hosts: string, known = knownHosts): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `${hosts}\n[all:vars]\nansible_user=${TEST_USER}\nansible_ssh_private_key_file=${key.private}\nansible_ssh_common_args='-o UserKnownHostsFile=${known} -o ConnectTimeout=2'\n`,
  );
  return file;
}

function playbook(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}

async function run(pb: string, inv: string, extra: Partial<Parameters<typeof runPlaybook>[0]> = {}) {
  let out = '';
  const result = await runPlaybook({
    playbooks: [pb],
    inventory: [inv],
    reporters: [plainReporter({ write: (s) => (out += s), verbosity: 0, diff: true, color: false })],
    ...extra,
  });
  return { ...result, out };
}

const good = `good ansible_host=127.0.20.40 ansible_port=${sshd.port}`;
const down = `down ansible_host=127.0.20.41 ansible_port=${closedPort}`;
const mute = `mute ansible_host=127.0.20.42 ansible_port=${silentPort}`;

t.test('unreachable hosts are reported with their reason, the others go on, exit code 4', async (t) => {
  const inv = inventory('mixed', [good, down, mute].join('\n'));
  const pb = playbook(
    'three.yml',
    `- hosts: all
  gather_facts: false
  tasks:
    - name: who am I
      command: id -un
      register: me
    - name: as root
      command: id -un
      become: true
      register: root
    - name: remember
      debug:
        msg: "{{ me.stdout }} then {{ root.stdout }}"
`,
  );
  const r = await run(pb, inv);
  t.equal(r.exitCode, 4, 'ansible-playbook returns 4 when a host is unreachable');
  t.same(r.stats.good, { ok: 3, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  t.same(r.stats.down, { ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  t.same(r.stats.mute, { ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  t.match(r.out, /fatal: \[down\]: UNREACHABLE! => .*refused/i);
  t.match(r.out, /fatal: \[mute\]: UNREACHABLE! => .*(timed out|timeout)/i);
  t.match(r.out, `"msg": "${TEST_USER} then root"`);
  t.equal((r.out.match(/\[down\]/g) ?? []).length, 1, 'the unreachable host is left out after its first failure');
});

t.test('--check predicts and changes nothing on the remote host', async (t) => {
  // The SSH user is not root: give it a directory it may write in.
  const targetDir = tempDir('engine-ssh-check');
  chmodSync(targetDir, 0o777);
  const target = join(targetDir, 'made-by-tsplay');
  const inv = inventory('good-only', good);
  const pb = playbook(
    'touch.yml',
    `- hosts: all
  gather_facts: false
  tasks:
    - shell: echo hi > ${target}
      args:
        creates: ${target}
`,
  );
  const checked = await run(pb, inv, { check: true });
  t.equal(checked.exitCode, 0);
  t.equal(checked.stats.good.changed, 1, 'check mode says it would change');
  t.notOk(existsSync(target), 'and the file is not there');
  const real = await run(pb, inv);
  t.equal(real.stats.good.changed, 1);
  t.equal(readFileSync(target, 'utf8'), 'hi\n');
  const again = await run(pb, inv);
  t.equal(again.stats.good.changed, 0, 'a second run changes nothing');
});

t.test('an unknown host key is refused with its fingerprint; accept-new records it', async (t) => {
  const emptyKnown = join(dir, 'known_hosts_empty');
  writeFileSync(emptyKnown, '');
  const inv = inventory('unknown-key', good, emptyKnown);
  const pb = playbook('ping.yml', `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n`);
  const strict = await run(pb, inv);
  t.equal(strict.exitCode, 4);
  t.match(strict.out, /UNREACHABLE!.*SHA256:[A-Za-z0-9+/]+/);
  t.equal(readFileSync(emptyKnown, 'utf8'), '', 'strict mode writes nothing');
  const accepted = await run(pb, inv, { connection: { hostKeyChecking: 'accept-new' } });
  t.equal(accepted.exitCode, 0);
  t.match(readFileSync(emptyKnown, 'utf8'), /127\.0\.20\.40/, 'the key was recorded');
  const again = await run(pb, inv);
  t.equal(again.exitCode, 0, 'and is trusted from then on');
});
