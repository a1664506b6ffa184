/**
 * The connection settings of ansible.cfg against a real sshd: remote_user,
 * private_key_file, host_key_checking and ssh_common_args reach the host as
 * Ansible's would, and --private-key / --ssh-common-args do the same from
 * the command line. What a user checks: the marker file the task leaves on
 * the host, owned by the configured user, and the exit code.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCli, removeBuild } from '../compat/helpers.js';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, TEST_USER, uidOf } from '../helpers/sshd.js';

ensureTestUsers();
const cli = buildCli('config-ssh');
const dir = tempDir('config-ssh');
const key = makeKey(path.join(dir, 'keys'), 'deploy');
const sshd = await startSshd({ address: '127.0.20.91', authorized: { [TEST_USER]: [key.line] } });
const knownHosts = path.join(dir, 'known_hosts');
writeFileSync(knownHosts, sshd.knownHostsLines().join('\n') + '\n');
const drop = path.join(dir, 'drop');
mkdirSync(drop);
chmodSync(drop, 0o777);
t.teardown(async () => {
  await sshd.stop();
  removeBuild(cli);
});

writeFileSync(path.join(dir, 'hosts'), `target ansible_host=127.0.20.91 ansible_port=${sshd.port}\n`);
writeFileSync(
  path.join(dir, 'play.yml'),
  `- hosts: all
  gather_facts: no
  tasks:
    - command: touch ${drop}/{{ marker }}
`,
);

function tsplay(cfg: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  writeFileSync(path.join(dir, 'ansible.cfg'), cfg);
  const { env } = hermeticAnsibleEnv('tsplay-config-ssh-');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'run', 'play.yml', ...args], { cwd: dir, env: { ...env, ANSIBLE_CONFIG: path.join(dir, 'ansible.cfg'), CI: '1', NO_COLOR: '1' }, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

function made(marker: string): boolean {
  const file = path.join(drop, marker);
  const ok = existsSync(file) && statSync(file).uid === uidOf(TEST_USER);
  rmSync(file, { force: true });
  return ok;
}

t.test('remote_user, private_key_file (relative to the file) and host_key_checking = False', async (t) => {
  const r = await tsplay('[defaults]\ninventory = hosts\nremote_user = tsplaytest\nprivate_key_file = keys/deploy\nhost_key_checking = False\n', ['-e', 'marker=a']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.ok(made('a'), 'the task ran on the host as tsplaytest');
});

t.test('host_key_checking = True is strict: an unknown host key stops the connection', async (t) => {
  const r = await tsplay('[defaults]\ninventory = hosts\nremote_user = tsplaytest\nprivate_key_file = keys/deploy\nhost_key_checking = True\n', ['-e', 'marker=b']);
  t.equal(r.code, 4, r.stdout);
  t.match(r.stdout, /UNREACHABLE/);
  t.notOk(made('b'));
});

t.test('ssh_common_args in [ssh_connection] reach the connection', async (t) => {
  const r = await tsplay(`[defaults]\ninventory = hosts\nremote_user = tsplaytest\nprivate_key_file = keys/deploy\n[ssh_connection]\nssh_common_args = -o UserKnownHostsFile=${knownHosts}\n`, ['-e', 'marker=c']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.ok(made('c'));
});

t.test('--private-key and --ssh-common-args on the command line', async (t) => {
  const r = await tsplay('[defaults]\ninventory = hosts\nremote_user = tsplaytest\n', ['--private-key', key.private, '--ssh-common-args', `-o UserKnownHostsFile=${knownHosts}`, '-e', 'marker=d']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.ok(made('d'));
  const without = await tsplay('[defaults]\ninventory = hosts\nremote_user = tsplaytest\n', ['--ssh-common-args', `-o UserKnownHostsFile=${knownHosts}`, '-e', 'marker=e']);
  t.equal(without.code, 4, 'no key, no way in');
  t.notOk(made('e'));
});

t.test('a host variable wins over remote_user, as in Ansible', async (t) => {
  writeFileSync(path.join(dir, 'hosts-root'), `target ansible_host=127.0.20.91 ansible_port=${sshd.port} ansible_user=nobody-here\n`);
  const r = await tsplay('[defaults]\ninventory = hosts-root\nremote_user = tsplaytest\nprivate_key_file = keys/deploy\nhost_key_checking = False\n', ['-e', 'marker=f']);
  t.equal(r.code, 4, r.stdout);
  t.match(r.stdout, /nobody-here/);
  t.notOk(made('f'));
});
