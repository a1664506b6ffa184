/**
 * Inventory variables → SSH settings, and become settings, as Ansible names them.
 */
import t from 'tap';
import { homedir, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { becomeFromVars, createConnection } from '../../lib/connection/factory.js';
import { LocalConnection } from '../../lib/connection/local.js';
import { parseJumpHost, parseSshArgs, splitArgs, sshSettingsFromVars } from '../../lib/connection/ssh/options.js';
import { TsplayError } from '../../lib/errors.js';

t.test('defaults', async (t) => {
  const s = sshSettingsFromVars('master-0', {});
  t.equal(s.address, 'master-0', 'without ansible_host the inventory name is the address');
  t.equal(s.port, 22);
  t.equal(s.user, process.env.USER || userInfo().username);
  t.same(s.identityFiles, ['id_ed25519', 'id_rsa', 'id_ecdsa'].map((f) => `${homedir()}/.ssh/${f}`));
  t.equal(s.hostKeyChecking, 'strict');
  t.equal(s.connectTimeoutMs, 10_000);
  t.same(s.userKnownHostsFiles, [`${homedir()}/.ssh/known_hosts`]);
  t.same(s.jump, []);
  t.equal(s.maxChannels, 8);
});

t.test('Ansible variables', async (t) => {
  const s = sshSettingsFromVars(
    'etcd-1',
    {
      ansible_host: '127.0.10.1',
      ansible_port: '2222',
      ansible_user: 'admin',
      ansible_ssh_private_key_file: 'keys/id_lab',
      ansible_ssh_pass: 'pw',
      ansible_ssh_common_args:
        "-o ProxyJump=jump@127.0.10.50:2200 -o 'UserKnownHostsFile=~/lab/known_hosts' -o StrictHostKeyChecking=accept-new -o ConnectTimeout=3",
      ansible_ssh_extra_args: '-i ~/.ssh/extra -o ServerAliveInterval=5',
    },
    { knownHostsFiles: ['inv/known_hosts'] },
  );
  t.equal(s.address, '127.0.10.1');
  t.equal(s.port, 2222);
  t.equal(s.user, 'admin');
  t.same(s.identityFiles, [resolve('keys/id_lab'), `${homedir()}/.ssh/extra`], 'relative to the current directory, ~ expanded');
  t.equal(s.password, 'pw');
  t.same(s.jump, [{ address: '127.0.10.50', port: 2200, user: 'jump' }]);
  t.same(s.userKnownHostsFiles, [`${homedir()}/lab/known_hosts`]);
  t.ok(s.globalKnownHostsFiles.includes(resolve('inv/known_hosts')));
  t.equal(s.hostKeyChecking, 'accept-new');
  t.equal(s.connectTimeoutMs, 3000);
  t.equal(s.keepaliveIntervalMs, 5000);
  t.same(s.warnings, []);
  t.equal(sshSettingsFromVars('h', { ansible_password: 'a', ansible_ssh_pass: 'b' }).password, 'a');
  t.equal(sshSettingsFromVars('h', {}, { password: 'asked' }).password, 'asked', '--ask-pass fills in');
});

t.test('ssh argument parsing', async (t) => {
  t.same(splitArgs(`-o "ProxyCommand=ssh -W %h:%p b" -o'A=b c' x\\ y`), ['-o', 'ProxyCommand=ssh -W %h:%p b', '-oA=b c', 'x y']);
  const a = parseSshArgs('-oStrictHostKeyChecking=no -o StrictHostKeyChecking=yes -p 2200 -l bob -J a,b -q -o Bogus=1 --weird');
  t.equal(a.options.get('stricthostkeychecking'), 'no', 'the first value wins, as in OpenSSH');
  t.equal(a.port, 2200);
  t.equal(a.user, 'bob');
  t.equal(a.jump, 'a,b');
  t.same(a.unknown, ['--weird']);
  const s = sshSettingsFromVars('h', { ansible_ssh_common_args: '-o Bogus=1 -J u@a:1,[::1]:2' });
  t.match(s.warnings, [/bogus/]);
  t.same(s.jump, [
    { address: 'a', port: 1, user: 'u' },
    { address: '::1', port: 2, user: s.user },
  ]);
  t.equal(sshSettingsFromVars('h', { ansible_ssh_common_args: '-o StrictHostKeyChecking=no' }).hostKeyChecking, 'off');
  t.throws(() => sshSettingsFromVars('h', { ansible_ssh_common_args: '-o StrictHostKeyChecking=maybe' }), TsplayError);
  t.throws(() => sshSettingsFromVars('h', { ansible_port: 'ssh' }), /not a TCP port/);
  t.throws(() => parseJumpHost('user@', 'x'));
});

t.test('factory', async (t) => {
  t.ok(createConnection('localhost', { ansible_connection: 'local' }, {}) instanceof LocalConnection);
  t.throws(() => createConnection('w', { ansible_connection: 'winrm' }, {}), /not supported/);
});

t.test('becomeFromVars', async (t) => {
  t.equal(becomeFromVars({}), undefined);
  t.equal(becomeFromVars({ ansible_become: false, ansible_become_user: 'etcd' }), undefined);
  t.same(becomeFromVars({ ansible_become: 'yes' }), { user: 'root', method: 'sudo' });
  t.same(becomeFromVars({ ansible_become: true, ansible_become_user: 'etcd', ansible_become_method: 'su', ansible_become_pass: 'x' }), {
    user: 'etcd',
    method: 'su',
    password: 'x',
  });
  t.same(becomeFromVars({ ansible_become: 'True', ansible_become_password: 'a', ansible_become_pass: 'b' }), { user: 'root', method: 'sudo', password: 'a' });
  t.same(becomeFromVars({ ansible_become: 1 }, { becomePassword: 'asked' }), { user: 'root', method: 'sudo', password: 'asked' });
  t.throws(() => becomeFromVars({ ansible_become: true, ansible_become_method: 'doas' }), /not supported/);
});
