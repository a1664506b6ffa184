// The lab as a user checks it: hosts up, etcd healthy with the known data, real
// SSH and Ansible against the inventory, and each way of breaking it.
import t from 'tap';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';
import {
  LAB_DATA_KEYS,
  LAB_INVENTORY,
  LAB_KEY,
  LAB_KNOWN_HOSTS,
  LAB_PASSWORD_SUDO_USER,
  LAB_SUDO_USER,
  LAB_USER_PASSWORD,
  REPO,
  ensureLabUp,
  etcdEndpoints,
  lab,
  labAddress,
  labExec,
  labStatus,
  resetLab,
  run,
  verifyData,
} from '../helpers/lab.js';

const MASTERS = ['master-0', 'master-1', 'master-2'];
const HOSTS = [...MASTERS, 'lb'];
const ALL = etcdEndpoints(3);

function ssh(user: string, host: string, cmd: string, opts: { knownHosts?: string; input?: string } = {}) {
  return run('ssh', [
    '-i', LAB_KEY,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${opts.knownHosts ?? LAB_KNOWN_HOSTS}`,
    '-o', 'ConnectTimeout=5',
    `${user}@${labAddress(host)}`,
    cmd,
  ], { input: opts.input, timeoutMs: 30_000 });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const allHealthy = async () => (await labStatus()).hosts.filter((h) => h.etcd?.healthy).length === 3;

t.before(async () => {
  await ensureLabUp();
});

t.test('every host is running on its own address', async (t) => {
  const st = await labStatus();
  t.equal(st.masters, 3);
  t.same(st.hosts.map((h) => [h.name, h.address, h.state]), HOSTS.map((h) => [h, labAddress(h), 'running']));
  for (const h of HOSTS) {
    const r = await labExec(h, 'hostname; ps -p 1 -o comm=');
    t.equal(r.stdout, `${h}.example.com\nsystemd\n`, `${h} is ${h}.example.com with systemd as PID 1`);
  }
});

t.test('etcd: 3 healthy TLS members, one leader, the documents\' helpers work', async (t) => {
  const st = await labStatus();
  const members = st.hosts.filter((h) => h.etcd);
  t.equal(members.length, 3);
  t.ok(members.every((m) => m.etcd!.healthy && m.etcd!.unit === 'active' && m.etcd!.enabled === 'enabled'), 'all members healthy');
  t.equal(members.filter((m) => m.etcd!.isLeader).length, 1, 'exactly one leader');
  t.ok(members.every((m) => typeof m.etcd!.raftIndex === 'number' && m.etcd!.raftIndex > 0), 'raft indexes reported');

  const list = await labExec('master-1', `etcdctl3 --endpoints=${ALL} member list`);
  t.equal(list.rc, 0, list.stderr);
  t.same(
    list.stdout.trim().split('\n').map((l) => l.split(', ').slice(2, 5)).sort(),
    MASTERS.map((m) => [`${m}.example.com`, `https://${labAddress(m)}:2380`, `https://${labAddress(m)}:2379`]),
  );
  const health = await labExec('master-0', `etcdctl3 --endpoints=${ALL} endpoint health`);
  t.equal(health.rc, 0, health.stderr);
  t.equal(health.stderr.match(/is healthy: successfully committed proposal/g)?.length, 3);
  const v2 = await labExec('master-2', 'etcdctl2 cluster-health');
  t.match(v2.stdout, /cluster is healthy/);
  // Plain HTTP is refused: TLS everywhere.
  const plain = await labExec('master-0', 'ETCDCTL_API=3 etcdctl --endpoints=http://127.0.10.1:2379 --dial-timeout=1s --command-timeout=2s get x');
  t.not(plain.rc, 0, 'no plain-HTTP client port');
});

t.test('the known data reads back with the right checksum', async (t) => {
  const d = await verifyData();
  t.same({ expected: d.expected, read: d.read, matching: d.matching, ok: d.checksumOk }, { expected: LAB_DATA_KEYS, read: LAB_DATA_KEYS, matching: LAB_DATA_KEYS, ok: true });
  const one = await labExec('master-2', `etcdctl3 --endpoints=https://127.0.10.3:2379 get --print-value-only /tsplay-lab/data/0042`);
  t.match(one.stdout, /^value-0042-[0-9a-f]{8}\n$/);
});

t.test('hosts carry OpenShift 3.11 master files', async (t) => {
  const unit = await labExec('master-0', 'grep ^ExecStart= /usr/lib/systemd/system/etcd.service');
  t.match(unit.stdout, /^ExecStart=\/bin\/bash -c ".*\/usr\/bin\/etcd .*"\n$/, 'RHEL-shaped ExecStart ending in a double quote');
  const conf = await labExec('master-1', 'cat /etc/etcd/etcd.conf');
  for (const line of [
    'ETCD_NAME=master-1.example.com',
    'ETCD_DATA_DIR=/var/lib/etcd',
    'ETCD_LISTEN_CLIENT_URLS=https://127.0.10.2:2379',
    'ETCD_LISTEN_PEER_URLS=https://127.0.10.2:2380',
    'ETCD_INITIAL_ADVERTISE_PEER_URLS=https://127.0.10.2:2380',
    'ETCD_INITIAL_CLUSTER=master-0.example.com=https://127.0.10.1:2380,master-1.example.com=https://127.0.10.2:2380,master-2.example.com=https://127.0.10.3:2380',
    'ETCD_INITIAL_CLUSTER_STATE=new',
    'ETCD_CERT_FILE=/etc/etcd/server.crt',
    'ETCD_PEER_KEY_FILE=/etc/etcd/peer.key',
    'ETCD_TRUSTED_CA_FILE=/etc/etcd/ca.crt',
  ]) t.ok(conf.stdout.split('\n').includes(line), line);
  const files = await labExec('master-1', 'ls /etc/etcd/ /etc/origin/node/pods/ && grep -A8 ^etcdClientInfo: /etc/origin/master/master-config.yaml && cat /etc/sysconfig/flanneld');
  t.match(files.stdout, /ca\.crt\n.*peer\.crt\npeer\.key\nserver\.crt\nserver\.key/s);
  t.match(files.stdout, /api\.yaml\ncontroller\.yaml\netcd\.yaml/);
  t.match(files.stdout, /urls:\n  - https:\/\/master-0\.example\.com:2379\n  - https:\/\/master-1\.example\.com:2379\n  - https:\/\/master-2\.example\.com:2379/);
  t.match(files.stdout, /^FLANNEL_ETCD_ENDPOINTS=https:\/\/master-0\.example\.com:2379,/m);
  for (const m of MASTERS) {
    const r = await labExec(m, 'test -f /etc/origin/master/ca.serial.txt');
    t.equal(r.rc, m === 'master-0' ? 0 : 1, `ca.serial.txt ${m === 'master-0' ? 'only' : 'not'} on ${m}`);
  }
  // master-restart goes through systemd, so the restart is observable.
  const ts = 'systemctl show -p ActiveEnterTimestampMonotonic --value atomic-openshift-master-api';
  const r = await labExec('master-2', `a=$(${ts}); sleep 0.1; master-restart api >/dev/null; b=$(${ts}); [ "$b" -gt "$a" ] && systemctl is-active atomic-openshift-master-api`);
  t.equal(r.stdout, 'active\n', 'master-restart api restarted the unit');
  const logs = await labExec('master-0', 'master-logs etcd etcd --tail 200');
  t.match(logs.stdout, /etcd/, 'master-logs etcd etcd shows the log');
});

t.test('haproxy on lb: valid config, mgmt8443 balances over every master', async (t) => {
  const check = await labExec('lb', 'haproxy -c -f /etc/haproxy/haproxy.cfg');
  t.equal(check.rc, 0, check.stderr + check.stdout);
  const cfg = (await labExec('lb', 'cat /etc/haproxy/haproxy.cfg')).stdout;
  const backend = cfg.split(/\n(?=\S)/).find((b) => b.startsWith('backend mgmt8443'));
  t.ok(backend, 'backend mgmt8443 exists');
  t.match(backend!, /balance source/);
  t.match(backend!, /mode tcp/);
  t.same(backend!.match(/server .*/g), MASTERS.map((m) => `server ${m}.example.com ${labAddress(m)}:8443 check`));
  await waitFor('every mgmt8443 server UP', async () =>
    (await labStatus()).haproxy.filter((b) => b.backend === 'mgmt8443' && b.status === 'UP').length === 3);
  t.pass('haproxy sees every master API up');
});

t.test('ssh: strict host key checking, root by key, sudo users', async (t) => {
  for (const h of HOSTS) {
    const r = await ssh('root', h, 'hostname');
    t.equal(r.stdout, `${h}.example.com\n`, `root@${h} over ssh: ${r.stderr}`);
  }
  const unknown = await ssh('root', 'master-0', 'true', { knownHosts: '/dev/null' });
  t.equal(unknown.rc, 255, 'an unknown host key is refused');
  t.match(unknown.stderr, /Host key verification failed/);
  const nopw = await ssh(LAB_SUDO_USER, 'master-1', 'sudo -n id -u');
  t.equal(nopw.stdout, '0\n', `${LAB_SUDO_USER}: sudo without password`);
  const needpw = await ssh(LAB_PASSWORD_SUDO_USER, 'master-1', 'sudo -n id -u');
  t.not(needpw.rc, 0, `${LAB_PASSWORD_SUDO_USER}: sudo -n refuses without a password`);
  const withpw = await ssh(LAB_PASSWORD_SUDO_USER, 'master-1', "sudo -S -p '' id -u", { input: `${LAB_USER_PASSWORD}\n` });
  t.equal(withpw.stdout, '0\n', `${LAB_PASSWORD_SUDO_USER}: sudo with the password`);
});

t.test('real Ansible pings every host through the inventory', async (t) => {
  const committed = readFileSync(LAB_INVENTORY, 'utf8');
  const generated = await lab('inventory', '3');
  t.equal(generated.stdout, committed, 'committed inventory is what the lab generates for 3 masters');
  const r = await run('ansible', ['-i', 'inventories/lab', 'all', '-m', 'ping', '-o'], { timeoutMs: 120_000, env: hermeticAnsibleEnv().env });
  t.equal(r.rc, 0, r.stderr + r.stdout);
  for (const h of HOSTS) t.match(r.stdout, new RegExp(`^${h} \\| SUCCESS .*"ping": "pong"`, 'm'), `${h} pong`);
});

t.test('break-quorum: writes fail, serializable reads still work; reset heals', async (t) => {
  const r = await lab('break-quorum', '--keep', 'master-0');
  t.equal(r.rc, 0, r.stderr);
  const st = await labStatus();
  t.same(st.hosts.map((h) => h.state), ['running', 'stopped', 'stopped', 'running']);
  const put = await labExec('master-0', 'etcdctl3 --endpoints=https://127.0.10.1:2379 --command-timeout=3s put /tsplay-lab/x y');
  t.not(put.rc, 0, 'put fails without quorum');
  t.match(put.stderr, /context deadline exceeded/);
  const health = await labExec('master-0', 'etcdctl3 --endpoints=https://127.0.10.1:2379 --command-timeout=2s endpoint health');
  t.match(health.stderr, /unhealthy/);
  const lin = await verifyData();
  t.ok(lin.error, 'a linearizable read fails without quorum');
  const ser = await verifyData({ serializable: true });
  t.equal(ser.matching, LAB_DATA_KEYS, 'serializable reads return every known key');
  t.ok(ser.checksumOk);

  // How long it takes is the lab README's measured figure, not an assertion: a loaded machine is slower.
  const t0 = Date.now();
  await resetLab();
  t.comment(`reset took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  t.ok(await allHealthy(), 'all members healthy after reset');
  const d = await verifyData();
  t.equal(d.matching, LAB_DATA_KEYS);
  t.ok(d.checksumOk);
  const w = await labExec('master-0', `etcdctl3 --endpoints=${ALL} get --print-value-only /tsplay-lab/x`);
  t.equal(w.stdout, '', 'reset left no trace of the broken run');
});

t.test('kill and start: a dead host comes back with its disk', async (t) => {
  t.equal((await lab('kill', 'master-2')).rc, 0);
  let st = await labStatus();
  t.equal(st.hosts.find((h) => h.name === 'master-2')!.state, 'stopped');
  t.equal(st.hosts.filter((h) => h.etcd?.healthy).length, 2, 'two members left');
  const put = await labExec('master-0', `etcdctl3 --endpoints=${ALL} put /tsplay-lab/while-down yes`);
  t.equal(put.rc, 0, 'quorum holds with 2 of 3');
  t.equal((await lab('start', 'master-2')).rc, 0);
  st = await labStatus();
  t.equal(st.hosts.find((h) => h.name === 'master-2')!.state, 'running');
  await waitFor('master-2 healthy again', allHealthy);
  const got = await labExec('master-2', 'etcdctl3 --endpoints=https://127.0.10.3:2379 get --consistency=s --print-value-only /tsplay-lab/while-down');
  t.equal(got.stdout, 'yes\n', 'the returning member caught up');
  t.equal((await verifyData()).matching, LAB_DATA_KEYS);
});

t.test('a host started under a caller\'s lock does not keep the lock', async (t) => {
  // Operators and scripts serialise lab work with flock; a host that inherited
  // the lock's descriptor would hold it for as long as it runs.
  const lockFile = join(mkdtempSync(join(tmpdir(), 'tsplay-lab-caller-')), 'lock');
  t.equal((await lab('kill', 'master-2')).rc, 0);
  const started = await run('flock', [lockFile, 'bash', 'lab/lab.sh', 'start', 'master-2']);
  t.equal(started.rc, 0, started.stderr);
  const free = await run('flock', ['-n', lockFile, 'true']);
  t.equal(free.rc, 0, 'the lock is free once the command has returned');
  await waitFor('master-2 healthy again', allHealthy);
});

t.test('wipe-etcd: data gone, etcd stopped and disabled, also after a reboot', async (t) => {
  t.equal((await lab('wipe-etcd', 'master-1')).rc, 0);
  const probe = 'systemctl is-active etcd; systemctl is-enabled etcd; find /var/lib/etcd -mindepth 1 | wc -l; stat -c %U:%a /var/lib/etcd';
  t.equal((await labExec('master-1', probe)).stdout, 'inactive\ndisabled\n0\netcd:700\n');
  t.equal((await lab('kill', 'master-1')).rc, 0);
  t.equal((await lab('start', 'master-1')).rc, 0);
  t.equal((await labExec('master-1', probe)).stdout, 'inactive\ndisabled\n0\netcd:700\n', 'still wiped after a reboot');
  // A wiped disk of a host that is off: the same result.
  t.equal((await lab('kill', 'master-2')).rc, 0);
  t.equal((await lab('wipe-etcd', 'master-2')).rc, 0);
  t.equal((await lab('start', 'master-2')).rc, 0);
  t.equal((await labExec('master-2', probe)).stdout, 'inactive\ndisabled\n0\netcd:700\n');

  await resetLab();
  t.ok(await allHealthy(), 'reset restores a healthy cluster');
  t.equal((await verifyData()).matching, LAB_DATA_KEYS);
});

t.test('the lab tells a non-root user what it needs', async (t) => {
  // A user runs the lab from a checkout they can read. This one may be private
  // to root (a clone under /root), so the user `nobody` gets its own copy of the scripts.
  const home = mkdtempSync(join(tmpdir(), 'tsplay-lab-nonroot-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  cpSync(join(REPO, 'lab', 'lab.sh'), join(home, 'lab', 'lab.sh'));
  cpSync(join(REPO, 'lab', 'lib'), join(home, 'lab', 'lib'), { recursive: true });
  for (const d of [home, join(home, 'lab'), join(home, 'lab', 'lib')]) chmodSync(d, 0o755);
  for (const f of ['lab.sh', ...readdirSync(join(home, 'lab', 'lib')).map((f) => join('lib', f))]) chmodSync(join(home, 'lab', f), 0o644);
  const r = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', 'lab/lab.sh', 'status'], { cwd: home });
  t.equal(r.rc, 1);
  t.match(r.stderr, /needs root/);
});
