// etcd co-located as a static pod (/etc/origin/node/pods/etcd.yaml, run by the
// node service), as openshift-ansible 3.11 installs it: the lab comes up, the
// documents' commands behave as on a real master, and every lab verb takes a
// member by short name or FQDN. The default lab is restored at the end.
import t from 'tap';
import { existsSync } from 'node:fs';
import {
  LAB_DATA_KEYS,
  etcdEndpointsOf,
  lab,
  labExec,
  labTopologyStatus,
  labUpWith,
  printedInventory,
  reportedUpSeconds,
  restoreDefaultLab,
  verifyData,
  waitUntil,
} from '../helpers/lab.js';

const MASTERS = ['master-0', 'master-1', 'master-2'];
const ALL = etcdEndpointsOf(MASTERS);
const POD = 'static-pod-etcd.service';

async function memberHealthy(host: string): Promise<boolean> {
  const st = await labTopologyStatus();
  return st.hosts.find((h) => h.name === host)?.etcd?.healthy === true;
}

async function allHealthy(): Promise<boolean> {
  const st = await labTopologyStatus();
  return st.hosts.filter((h) => h.etcd?.healthy).length === MASTERS.length;
}

t.teardown(restoreDefaultLab);

t.test('up --etcd static-pod: etcd runs from the manifest on every master, no etcd.service', async (t) => {
  const r = await labUpWith('--etcd', 'static-pod');
  t.comment(`up --etcd static-pod (3 members): ${reportedUpSeconds(r)} s`);
  const inventory = printedInventory(r);
  t.match(inventory, /inventories\/lab\/\.lab\/hosts-3-static-pod$/);
  t.ok(existsSync(inventory!), 'the printed inventory exists');

  const st = await labTopologyStatus();
  t.equal(st.etcdDeployment, 'static-pod');
  const members = st.hosts.filter((h) => h.etcd);
  t.same(members.map((m) => [m.name, m.etcd!.deployment, m.etcd!.unit, m.etcd!.enabled, m.etcd!.healthy]),
    MASTERS.map((m) => [m, 'static-pod', 'active', 'manifest', true]));

  for (const m of MASTERS) {
    const r = await labExec(m, 'systemctl is-enabled etcd.service; systemctl is-active etcd.service; ps -o user=,args= -C etcd; test -f /etc/origin/node/pods/etcd.yaml && echo manifest');
    t.equal(r.stdout, 'disabled\ninactive\nroot     /usr/bin/etcd\nmanifest\n', `${m}: etcd from the pod, as root; etcd.service disabled and inactive`);
  }
  const list = await labExec('master-1', `etcdctl3 --endpoints=${ALL} member list`);
  t.same(list.stdout.trim().split('\n').map((l) => l.split(', ')[2]).sort(), MASTERS.map((m) => `${m}.example.com`));
  t.equal((await verifyData()).matching, LAB_DATA_KEYS);
});

t.test('master-restart etcd restarts the pod; master-logs etcd etcd shows its log', async (t) => {
  const before = (await labExec('master-1', `systemctl show -p InvocationID --value ${POD}`)).stdout.trim();
  const r = await labExec('master-1', 'master-restart etcd');
  t.equal(r.rc, 0, r.stderr);
  const after = (await labExec('master-1', `systemctl show -p InvocationID --value ${POD}; systemctl is-active ${POD}`)).stdout.trim().split('\n');
  t.not(after[0], before, 'a new container');
  t.equal(after[1], 'active');
  await waitUntil('master-1 healthy after the restart', () => memberHealthy('master-1'));

  const logs = await labExec('master-1', 'master-logs etcd etcd --tail 200');
  t.equal(logs.rc, 0);
  t.match(logs.stdout, /starting server\.\.\. \[version: 3\.4/, 'etcd\'s own log lines, from the restarted container');
});

t.test('the manifest leaving stops etcd; back, the node starts it again', async (t) => {
  const out = await labExec('master-2', 'mkdir -p /etc/origin/node/pods-stopped && mv /etc/origin/node/pods/etcd.yaml /etc/origin/node/pods-stopped/');
  t.equal(out.rc, 0, out.stderr);
  await waitUntil('the pod to stop on master-2', async () => (await labExec('master-2', `systemctl is-active ${POD}`)).stdout.trim() !== 'active');
  const st = await labTopologyStatus();
  t.same(st.hosts.find((h) => h.name === 'master-2')!.etcd!.enabled, 'no-manifest');
  t.equal(st.hosts.find((h) => h.name === 'master-2')!.etcd!.healthy, false);
  // master-restart refuses where no manifest is, as the real script finds no container.
  const restart = await labExec('master-2', 'master-restart etcd');
  t.equal(restart.rc, 1);
  t.match(restart.stderr, /not a static pod on this host/);

  // The documents' 38.1.3 order: with the node stopped, the manifest coming back starts nothing.
  await labExec('master-2', 'systemctl stop atomic-openshift-node && mv /etc/origin/node/pods-stopped/etcd.yaml /etc/origin/node/pods/');
  t.equal((await labExec('master-2', `systemctl is-active ${POD}`)).stdout.trim(), 'inactive', 'no node, no pod');
  await labExec('master-2', 'systemctl start atomic-openshift-node');
  await waitUntil('master-2 healthy once the node runs', () => memberHealthy('master-2'));
  t.pass('the node started etcd from the manifest');
});

t.test('kill and start by FQDN, wipe-etcd by short name', async (t) => {
  const kill = await lab('kill', 'master-1.example.com');
  t.equal(kill.rc, 0, kill.stderr);
  let st = await labTopologyStatus();
  t.equal(st.hosts.find((h) => h.name === 'master-1')!.state, 'stopped');
  const start = await lab('start', 'master-1.example.com');
  t.equal(start.rc, 0, start.stderr);
  await waitUntil('master-1 healthy after its boot', () => memberHealthy('master-1'));

  const wipe = await lab('wipe-etcd', 'master-2');
  t.equal(wipe.rc, 0, wipe.stderr);
  t.match(wipe.stderr, /master-2: etcd data destroyed; etcd\.yaml moved to pods-stopped\//);
  const r = await labExec('master-2', `ls -A /var/lib/etcd | wc -l; test -f /etc/origin/node/pods-stopped/etcd.yaml && echo stopped; test -e /etc/origin/node/pods/etcd.yaml || echo gone; systemctl is-active ${POD}`);
  t.equal(r.stdout, '0\nstopped\ngone\ninactive\n', 'data empty, manifest parked, pod down');
  st = await labTopologyStatus();
  t.equal(st.hosts.find((h) => h.name === 'master-2')!.etcd!.healthy, false);
  const unknown = await lab('wipe-etcd', 'lb');
  t.equal(unknown.rc, 1);
  t.match(unknown.stderr, /lb runs no etcd/);
});

t.test('break-quorum --keep by FQDN; the survivor still reads', async (t) => {
  const reset = await lab('reset');
  t.equal(reset.rc, 0, reset.stderr);
  t.equal((await labTopologyStatus()).etcdDeployment, 'static-pod', 'reset keeps the topology');
  await waitUntil('every member healthy', allHealthy);
  const r = await lab('break-quorum', '--keep', 'master-1.example.com');
  t.equal(r.rc, 0, r.stderr);
  t.match(r.stderr, /killed master-0 master-2; master-1 keeps running/);
  t.match(r.stderr, /quorum lost: put through master-1 fails/);
  const d = await verifyData({ serializable: true });
  t.equal(d.matching, LAB_DATA_KEYS, 'serializable reads from the survivor');
});
