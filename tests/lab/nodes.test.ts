// Plain nodes in the lab: `up --nodes 2` adds node-0 and node-1 (systemd, sshd,
// python3, no etcd) on their own addresses, in the inventory's [nodes] group,
// reachable over SSH with strict host keys and by real Ansible; a plain `up`
// takes them away again and leaves the default lab.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';
import { LAB_KEY, LAB_KNOWN_HOSTS, REPO, lab, labStatus, lockLab, run } from '../helpers/lab.js';

const NODES = ['node-0', 'node-1'];
const ADDRESS: Record<string, string> = { 'node-0': '127.0.10.20', 'node-1': '127.0.10.21' };
const INVENTORY = join(REPO, 'inventories/lab/.lab/hosts-3-nodes-2');

function ssh(host: string, cmd: string) {
  return run('ssh', [
    '-i', LAB_KEY,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${LAB_KNOWN_HOSTS}`,
    '-o', 'ConnectTimeout=10',
    `root@${ADDRESS[host]}`,
    cmd,
  ], { timeoutMs: 60_000 });
}

t.before(async () => {
  await lockLab();
  const r = await lab('up', '--nodes', '2');
  if (r.rc !== 0) throw new Error(`lab up --nodes 2 failed:\n${r.stderr}`);
});

t.teardown(async () => {
  // Leave the default lab (3 masters + lb, no nodes) for the next test file.
  await lab('up');
});

t.test('the inventory lists the nodes in [nodes], next to the masters', async (t) => {
  const ini = readFileSync(INVENTORY, 'utf8');
  const nodes = ini.split('[nodes]\n')[1].split('\n\n')[0].split('\n');
  t.same(nodes.map((l) => l.split(' ')[0]), ['master-0', 'master-1', 'master-2', ...NODES]);
  for (const n of NODES) t.match(ini, new RegExp(`^${n} ansible_host=${ADDRESS[n].replace(/\./g, '\\.')} `, 'm'), `${n}'s address`);
  const printed = await lab('inventory', '--nodes', '2');
  t.equal(printed.stdout, ini, '`inventory --nodes 2` prints the file up wrote');
});

t.test('status shows the nodes running, without etcd', async (t) => {
  const st = await labStatus();
  t.equal(st.masters, 3);
  for (const n of NODES) {
    const h = st.hosts.find((x) => x.name === n);
    t.ok(h, `${n} is listed`);
    t.equal(h?.address, ADDRESS[n]);
    t.equal(h?.state, 'running');
    t.notOk(h?.etcd, `${n} runs no etcd`);
  }
  t.equal(st.hosts.filter((h) => h.etcd?.healthy).length, 3, 'the masters\' etcd is still healthy');
});

t.test('each node answers over SSH with a checked host key: systemd, python3, the node stand-in, no etcd', async (t) => {
  for (const n of NODES) {
    const r = await ssh(n, 'hostname; ps -p 1 -o comm=; python3 -c "print(1)"; systemctl is-active atomic-openshift-node; systemctl is-enabled etcd || true');
    t.equal(r.rc, 0, r.stderr);
    t.equal(r.stdout, `${n}.example.com\nsystemd\n1\nactive\ndisabled\n`);
  }
});

t.test('real Ansible reaches both nodes through the inventory\'s [nodes] group', async (t) => {
  const { env } = hermeticAnsibleEnv();
  const r = await run('ansible', ['-i', INVENTORY, 'nodes:!masters', '-m', 'ping', '-o'], { env, timeoutMs: 300_000 });
  t.equal(r.rc, 0, r.stderr + r.stdout);
  for (const n of NODES) t.match(r.stdout, new RegExp(`^${n} \\| SUCCESS`, 'm'));
});

t.test('a plain `up` takes the nodes away again', async (t) => {
  const r = await lab('up');
  t.equal(r.rc, 0, r.stderr);
  const st = await labStatus();
  t.same(st.hosts.map((h) => h.name), ['master-0', 'master-1', 'master-2', 'lb']);
  t.equal(st.nodes, 0);
});
