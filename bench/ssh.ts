/**
 * SSH transport figures against real sshd instances on this machine
 * (127.0.20.100-119, random ports). Run as root: npm run bench:ssh
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnection } from '../lib/connection/ssh/connection.js';
import { sshSettingsFromVars } from '../lib/connection/ssh/options.js';
import { spawnSync } from 'node:child_process';
import { runPlaybook } from '../lib/engine/run.js';
import { hermeticAnsibleEnv } from '../tests/helpers/ansible-env.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, TEST_USER, type Sshd } from '../tests/helpers/sshd.js';

const HOSTS = 20;
const PER_HOST = 20;

ensureTestUsers();
const dir = tempDir('bench');
const key = makeKey(dir, 'id_ed25519');
const servers: Sshd[] = [];
for (let i = 0; i < HOSTS; i++) {
  servers.push(await startSshd({ address: `127.0.20.${100 + i}`, authorized: { [TEST_USER]: [key.line] } }));
}
const knownHosts = join(dir, 'known_hosts');
writeFileSync(knownHosts, servers.flatMap((s) => s.knownHostsLines()).join('\n') + '\n');

function connect(s: Sshd): SshConnection {
  const settings = sshSettingsFromVars(`host-${s.address}`, {
    ansible_host: s.address,
    ansible_port: s.port,
    ansible_user: TEST_USER,
    ansible_ssh_private_key_file: key.private,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
  });
  settings.agent = undefined;
  return new SshConnection(`host-${s.address}`, settings);
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

try {
  const c = connect(servers[0]);
  await c.exec('true'); // connect and warm up
  for (let i = 0; i < 10; i++) await c.exec('true');

  const SEQ = 200;
  const seq = await time(async () => {
    for (let i = 0; i < SEQ; i++) await c.exec('true');
  });
  console.log(`one connection, sequential:      ${fmt(seq / SEQ)} per exec (${SEQ} execs of 'true')`);

  const ROUNDS = 10;
  const par = await time(async () => {
    for (let r = 0; r < ROUNDS; r++) await Promise.all(Array.from({ length: 20 }, () => c.exec('true')));
  });
  console.log(`one connection, 20 in parallel:  ${fmt(par / ROUNDS)} per batch of 20, ${fmt(par / (ROUNDS * 20))} per exec`);

  const data = Buffer.alloc(1024 * 1024, 1);
  const put = await time(() => c.put('/tmp/.tsplay-bench', data));
  const get = await time(() => c.get('/tmp/.tsplay-bench'));
  console.log(`one connection, 1 MiB file:      put ${fmt(put)} (atomic, one exec), get ${fmt(get)} (SFTP)`);
  await c.exec('rm -f /tmp/.tsplay-bench');
  await c.close();

  // One connection per host for the run: every host's commands in order, hosts in parallel.
  const conns = servers.map(connect);
  const shared = await time(() =>
    Promise.all(
      conns.map(async (conn) => {
        for (let i = 0; i < PER_HOST; i++) await conn.exec(`echo ${i}`);
      }),
    ),
  );
  await Promise.all(conns.map((x) => x.close()));
  console.log(`${HOSTS} hosts x ${PER_HOST} commands, one connection per host:   ${fmt(shared)} wall`);

  const fresh = await time(() =>
    Promise.all(
      servers.map(async (s) => {
        for (let i = 0; i < PER_HOST; i++) {
          const conn = connect(s);
          await conn.exec(`echo ${i}`);
          await conn.close();
        }
      }),
    ),
  );
  console.log(`${HOSTS} hosts x ${PER_HOST} commands, a new connection each:     ${fmt(fresh)} wall (for contrast)`);

  // The same work as a playbook: 20 command tasks on 20 hosts, through the whole engine.
  const inventory = join(dir, 'hosts');
  writeFileSync(
    inventory,
    servers.map((s, i) => `h${i} ansible_host=${s.address} ansible_port=${s.port}`).join('\n') +
      `\n[all:vars]\nansible_user=${TEST_USER}\nansible_ssh_private_key_file=${key.private}\nansible_python_interpreter=/usr/bin/python3\n` +
      `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes'\n`,
  );
  const playbook = join(dir, 'twenty.yml');
  const tasks = Array.from({ length: PER_HOST }, (_x, i) => `    - name: task ${i}\n      command: echo ${i}`).join('\n');
  writeFileSync(playbook, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}\n`);
  const engine = await time(() => runPlaybook({ playbooks: [playbook], inventory: [inventory], forks: HOSTS }));
  console.log(`tsplay run: ${PER_HOST} tasks on ${HOSTS} hosts (one connection per host): ${fmt(engine)} wall`);
  if (spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0) {
    const t0 = performance.now();
    const r = spawnSync('ansible-playbook', ['-i', inventory, playbook, '-f', String(HOSTS)], {
      env: { ...hermeticAnsibleEnv('tsplay-bench-ssh-').env, ANSIBLE_HOST_KEY_CHECKING: 'True' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ms = performance.now() - t0;
    console.log(`ansible-playbook, same playbook and inventory (forks=${HOSTS}): ${fmt(ms)} wall${r.status ? ` (exit ${r.status})` : ''}`);
  }
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
