/**
 * ProxyJump through a bastion sshd, and ssh-agent authentication.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnection } from '../../lib/connection/ssh/connection.js';
import { sshSettingsFromVars } from '../../lib/connection/ssh/options.js';
import { ensureTestUsers, freePort, makeKey, startAgent, startSshd, tempDir, TEST_USER } from '../helpers/sshd.js';

ensureTestUsers();
const dir = tempDir('jump');
const key = makeKey(dir, 'id_ed25519');
const agentKey = makeKey(dir, 'id_agent_only');
const bastion = await startSshd({ address: '127.0.20.8', authorized: { [TEST_USER]: [key.line] } });
// The target listens on an address only the bastion is meant to reach; on one machine that is loopback too.
const target = await startSshd({ address: '127.0.20.9', authorized: { [TEST_USER]: [key.line, agentKey.line] } });
t.teardown(() => Promise.all([bastion.stop(), target.stop()]));
const knownHosts = join(dir, 'known_hosts');
writeFileSync(knownHosts, [...bastion.knownHostsLines(), ...target.knownHostsLines()].join('\n') + '\n');

function connect(vars: Record<string, unknown>, agent?: string): SshConnection {
  const s = sshSettingsFromVars('inner', {
    ansible_host: target.address,
    ansible_port: target.port,
    ansible_user: TEST_USER,
    ...vars,
  });
  s.agent = agent;
  return new SshConnection('inner', s);
}

t.test('ProxyJump through a bastion', async (t) => {
  const beforeB = bastion.connectionCount();
  const beforeT = target.connectionCount();
  const c = connect({
    ansible_ssh_private_key_file: key.private,
    ansible_ssh_common_args: `-o ProxyJump=${TEST_USER}@${bastion.address}:${bastion.port} -o UserKnownHostsFile=${knownHosts}`,
  });
  t.equal(c.settings.jump.length, 1);
  const r = await Promise.all(Array.from({ length: 5 }, () => c.exec('echo $SSH_CONNECTION')));
  // sshd on the target sees the connection coming from the bastion's forward, not from us directly.
  for (const x of r) t.match(x.stdout, new RegExp(`^\\S+ \\d+ ${target.address.replace(/\./g, '\\.')} ${target.port}\\n$`));
  const data = Buffer.alloc(300_000, 7);
  await c.put(`/home/${TEST_USER}/through-bastion`, data);
  t.ok((await c.get(`/home/${TEST_USER}/through-bastion`)).equals(data), 'SFTP through the bastion');
  t.equal(bastion.connectionCount() - beforeB, 1, 'one connection to the bastion');
  t.equal(target.connectionCount() - beforeT, 1, 'one connection to the target');
  t.match(bastion.log(), new RegExp(`direct-tcpip|port forwarding|Connection from`), 'the bastion forwarded it');
  await c.close();
});

t.test('-J in ssh_extra_args works too; a dead target behind a live bastion is refused', async (t) => {
  const c = connect({
    ansible_ssh_private_key_file: key.private,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
    ansible_ssh_extra_args: `-J ${TEST_USER}@${bastion.address}:${bastion.port}`,
  });
  t.equal((await c.exec('echo via -J')).stdout, 'via -J\n');
  await c.close();
  const closed = await freePort('127.0.20.9');
  const d = connect({
    ansible_port: closed,
    ansible_ssh_private_key_file: key.private,
    ansible_ssh_common_args: `-o ProxyJump=${TEST_USER}@${bastion.address}:${bastion.port} -o UserKnownHostsFile=${knownHosts}`,
  });
  const err = await d.connect().catch((e) => e);
  t.equal(err.reason, 'refused');
  t.match(err.message, `via ${TEST_USER}@${bastion.address}:${bastion.port}`);
});

t.test('the bastion host key is checked too', async (t) => {
  const onlyTarget = join(dir, 'kh-target-only');
  writeFileSync(onlyTarget, target.knownHostsLines().join('\n') + '\n');
  const c = connect({
    ansible_ssh_private_key_file: key.private,
    ansible_ssh_common_args: `-o ProxyJump=${TEST_USER}@${bastion.address}:${bastion.port} -o UserKnownHostsFile=${onlyTarget}`,
  });
  const err = await c.connect().catch((e) => e);
  t.equal(err.reason, 'host-key');
  t.match(err.message, `[${bastion.address}]:${bastion.port}`);
});

t.test('ssh-agent authentication (SSH_AUTH_SOCK)', async (t) => {
  const agent = await startAgent(dir, [agentKey.private]);
  t.teardown(agent.stop);
  const prev = process.env.SSH_AUTH_SOCK;
  process.env.SSH_AUTH_SOCK = agent.sock;
  t.teardown(() => {
    if (prev === undefined) delete process.env.SSH_AUTH_SOCK;
    else process.env.SSH_AUTH_SOCK = prev;
  });
  // The key is only in the agent: no key file is given and the default ones do not exist for this test.
  const s = sshSettingsFromVars('inner', {
    ansible_host: target.address,
    ansible_port: target.port,
    ansible_user: TEST_USER,
    ansible_ssh_private_key_file: join(dir, 'not-there'),
    ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
  });
  t.equal(s.agent, agent.sock, 'the agent is found through SSH_AUTH_SOCK');
  const c = new SshConnection('inner', s);
  t.equal((await c.exec('id -un')).stdout, `${TEST_USER}\n`);
  await c.close();
  // The bastion does not know the agent's key: auth fails there and says so.
  const viaBastion = new SshConnection(
    'inner',
    sshSettingsFromVars('inner', {
      ansible_host: target.address,
      ansible_port: target.port,
      ansible_user: TEST_USER,
      ansible_ssh_private_key_file: join(dir, 'not-there'),
      ansible_ssh_common_args: `-o ProxyJump=${TEST_USER}@${bastion.address}:${bastion.port} -o UserKnownHostsFile=${knownHosts}`,
    }),
  );
  const err = await viaBastion.connect().catch((e) => e);
  t.equal(err.reason, 'auth');
  t.match(err.message, /tried: ssh-agent/);
  t.match(err.message, `key file ${join(dir, 'not-there')}: ENOENT`);
});
