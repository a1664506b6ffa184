/**
 * playbooks/decommission-master.yml on the lab's 3 healthy masters, with the
 * lab's stand-in oc on every master (lab/image/rootfs/usr/local/bin/oc):
 *   1. --check --diff: no byte changes on any host or on the controller, the
 *      node registry unchanged, drain and delete reported as would-run;
 *      without an oc on the remaining master it says what to do by hand;
 *   2. master-2 (with -e force=true): 2 healthy members, out of haproxy, pods
 *      disabled and its API stopped, inventory updated, its node drained and
 *      deleted (changed, not skipped), the kubernetes service's endpoints
 *      exactly the remaining masters; a re-run changes nothing;
 *   3. the first master: its CA serial file and folders reach the others, and
 *      it leaves the nodes and the endpoints.
 */
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureLabUp, labExec, labStatus, resetLab, verifyData } from '../helpers/lab.js';
import { DECOMMISSION, envValue, hashDiff, hashHost, iniGroup, inventoryCopy, memberNames, tsplay } from './helpers.js';

t.setTimeout(1_200_000);

const HOSTS = ['master-0', 'master-1', 'master-2', 'lb'];
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const DRAIN = 'B.3 Drain its node (oc adm drain)';
const DELETE = 'B.3 Delete its node (oc delete node)';

/** The node registry as the API server keeps it: key=value under /kubernetes.io/minions/. */
async function registry(): Promise<string> {
  const r = await labExec('master-0', 'etcdctl3 --endpoints=https://127.0.10.1:2379,https://127.0.10.2:2379 get --prefix /kubernetes.io/minions/');
  if (r.rc !== 0) throw new Error(`reading the node registry failed: ${r.stderr}`);
  return r.stdout;
}

async function nodes(host: string): Promise<string> {
  return (await labExec(host, 'oc get nodes -o name')).stdout;
}

/** The https Endpoints: line of the documents' check. */
async function endpoints(host: string): Promise<string> {
  const r = await labExec(host, 'oc describe svc kubernetes -n default');
  return (/^Endpoints:\s+(.*)$/m.exec(r.stdout) ?? [])[1] ?? `(oc failed: ${r.stderr})`;
}

t.before(async () => {
  await ensureLabUp();
});

t.test('1. --check --diff changes nothing, the node registry included, and predicts drain and delete', async (t) => {
  await resetLab();
  const inv = inventoryCopy(3);
  const before = new Map<string, Map<string, string>>();
  for (const h of HOSTS) before.set(h, await hashHost(h));
  const folder = readdirSync(dirname(inv));
  const text = readFileSync(inv, 'utf8');
  const nodesBefore = await registry();
  const check = await tsplay(DECOMMISSION, inv, '-e', 'master=master-2', '-e', 'force=true', '--check', '--diff');
  t.equal(check.rc, 0, 'check mode exits 0');
  if (check.rc !== 0) t.comment(check.stdout.slice(-6000), check.stderr);
  for (const h of HOSTS) t.same(hashDiff(before.get(h)!, await hashHost(h)), [], `${h}: every file byte-identical after --check`);
  t.same(readdirSync(dirname(inv)), folder, 'no file added beside the inventory');
  t.equal(readFileSync(inv, 'utf8'), text, 'the inventory is unchanged');
  t.equal(await registry(), nodesBefore, 'the node registry in etcd is unchanged');
  t.equal(await endpoints('master-0'), '127.0.10.1:8443,127.0.10.2:8443,127.0.10.3:8443', 'every API still serves');
  t.ok(check.wouldRun.includes(`${DRAIN}|master-0`), 'drain: would run on master-0 (a command, not run in check mode)');
  t.ok(check.wouldRun.includes(`${DELETE}|master-0`), 'delete: would run on master-0');
  t.notOk(check.changed.some((c) => c.startsWith('B.3 Drain') || c.startsWith('B.3 Delete')), 'neither reported as done');
  t.match(check.stdout, /node master-2\.example\.com would be drained and deleted/, 'the summary says what would happen to the node');

  // Another site: no oc on the remaining master.
  t.equal((await labExec('master-0', 'mv /usr/local/bin/oc /usr/local/bin/oc.hidden')).rc, 0);
  const noOc = await tsplay(DECOMMISSION, inv, '-e', 'master=master-2', '-e', 'force=true', '--check');
  await labExec('master-0', 'mv /usr/local/bin/oc.hidden /usr/local/bin/oc');
  t.equal(noOc.rc, 0, 'without oc: exit 0');
  t.match(noOc.stdout, /no oc on master-0: drain and delete node master-2\.example\.com by hand \(oc adm drain master-2\.example\.com --ignore-daemonsets --delete-local-data --force; oc delete node master-2\.example\.com\)/, 'without oc: it says what to run by hand');
  t.notOk(noOc.wouldRun.some((c) => c.startsWith('B.3 Drain') || c.startsWith('B.3 Delete')), 'without oc: no drain or delete planned');
});

t.test('2. decommission master-2 from 3 masters (-e force=true): node drained and deleted, endpoints the remaining masters, 2 healthy members; re-run changes nothing', async (t) => {
  await resetLab();
  const inv = inventoryCopy(3);
  const refused = await tsplay(DECOMMISSION, inv, '-e', 'master=master-2');
  t.equal(refused.rc, 2, 'without force it refuses to go below 3 masters');
  t.match(refused.stdout, /leaves 2 masters and 2 etcd members: fewer than 3/);
  t.same(refused.changed, [], 'and changes nothing');
  const t0 = Date.now();
  const r = await tsplay(DECOMMISSION, inv, '-e', 'master=master-2', '-e', 'force=true');
  t.comment(`decommission of master-2: ${seconds(Date.now() - t0)}`);
  t.equal(r.rc, 0, 'exit code 0');
  if (r.rc !== 0) t.comment(r.stdout.slice(-6000), r.stderr);

  t.ok(r.changed.includes(`${DRAIN}|master-0`), 'drain ran on master-0: changed');
  t.ok(r.changed.includes(`${DELETE}|master-0`), 'delete ran on master-0: changed');
  t.match(r.stdout, /node\/master-2\.example\.com cordoned\\nnode\/master-2\.example\.com drained/, "the drain's output");
  t.match(r.stdout, /node \\"master-2\.example\.com\\" deleted/, "the delete's output");
  t.match(r.stdout, /Endpoints: {9}127\.0\.10\.1:8443,127\.0\.10\.2:8443 \(master-2, 127\.0\.10\.3, is not listed\)/, 'the final check passed, and says so');
  for (const h of ['master-0', 'master-1']) {
    t.equal(await nodes(h), 'node/master-0.example.com\nnode/master-1.example.com\n', `${h}: oc get nodes no longer lists master-2`);
    t.equal(await endpoints(h), '127.0.10.1:8443,127.0.10.2:8443', `${h}: the kubernetes endpoints are exactly the remaining masters`);
  }
  // The node stand-in stops a component at its next poll after the manifest moved (60 s: a hang detector).
  const units = 'atomic-openshift-master-api atomic-openshift-master-controllers';
  await labExec('master-2', `for i in $(seq 240); do [ "$(systemctl is-active ${units} | sort -u)" = inactive ] && break; sleep 0.25; done`);
  t.equal((await labExec('master-2', `systemctl is-active ${units}`)).stdout, 'inactive\ninactive\n', 'master-2: API and controllers stopped with their static pods');

  t.same(await memberNames('master-0', 'https://127.0.10.1:2379,https://127.0.10.2:2379'), ['master-0.example.com', 'master-1.example.com'], 'two members left');
  const status = await labStatus();
  for (const h of ['master-0', 'master-1']) t.ok(status.hosts.find((x) => x.name === h)!.etcd!.healthy, `${h}: healthy`);
  t.same(status.haproxy.filter((b) => b.backend === 'mgmt8443').map((b) => b.server).sort(), ['master-0.example.com', 'master-1.example.com'], 'haproxy runs with master-0 and master-1 in mgmt8443');
  t.equal((await labExec('lb', 'systemctl is-active haproxy')).stdout.trim(), 'active', 'haproxy is running');
  t.equal((await labExec('master-2', 'ls /etc/origin/node/pods/disabled/ | sort | tr "\\n" " "; ls /etc/origin/node/pods/ | tr "\\n" " "')).stdout.trim(), 'api.yaml controller.yaml disabled etcd.yaml', 'master-2: api and controller in pods/disabled/');
  const text = readFileSync(inv, 'utf8');
  for (const g of ['masters', 'nodes', 'etcd']) t.notOk(iniGroup(text, g).includes('master-2'), `the inventory [${g}] group has no master-2`);
  for (const h of ['master-0', 'master-1']) {
    t.equal(await envValue(h, '/etc/etcd/etcd.conf', 'ETCD_INITIAL_CLUSTER'), 'master-0.example.com=https://127.0.10.1:2380,master-1.example.com=https://127.0.10.2:2380', `${h}: ETCD_INITIAL_CLUSTER without master-2`);
    t.notMatch((await labExec(h, 'cat /etc/origin/master/master-config.yaml /etc/sysconfig/flanneld')).stdout, /master-2/, `${h}: master-config.yaml and flanneld without master-2`);
  }
  const data = await verifyData();
  t.equal(data.matching, 1000, 'every seeded key with its value');

  const nodesBefore = await registry();
  const again = await tsplay(DECOMMISSION, inv, '-e', 'master=master-2', '-e', 'force=true');
  t.equal(again.rc, 0, 're-run exits 0');
  t.same(again.changed, [], 're-run: changed=0');
  t.equal(await registry(), nodesBefore, 're-run: the node registry unchanged');
});

t.test('3. decommission the first master: ca.serial.txt and the CA folders are on the remaining masters; it leaves the nodes and the endpoints', async (t) => {
  await resetLab();
  const inv = inventoryCopy(3);
  for (const h of ['master-1', 'master-2']) t.equal((await labExec(h, 'test -e /etc/origin/master/ca.serial.txt; echo $?')).stdout.trim(), '1', `${h}: no ca.serial.txt before`);
  const serial = (await labExec('master-0', 'cat /etc/origin/master/ca.serial.txt')).stdout;
  const r = await tsplay(DECOMMISSION, inv, '-e', 'master=master-0', '-e', 'force=true');
  t.equal(r.rc, 0, 'exit code 0');
  if (r.rc !== 0) t.comment(r.stdout.slice(-6000), r.stderr);
  for (const h of ['master-1', 'master-2']) {
    t.equal((await labExec(h, 'cat /etc/origin/master/ca.serial.txt')).stdout, serial, `${h}: ca.serial.txt copied from master-0`);
    t.equal((await labExec(h, 'test -s /etc/etcd/ca/ca.key && test -d /etc/etcd/generated_certs; echo $?')).stdout.trim(), '0', `${h}: /etc/etcd/ca and generated_certs copied`);
  }
  t.ok(r.changed.includes(`${DRAIN}|master-1`) && r.changed.includes(`${DELETE}|master-1`), 'drained and deleted through master-1');
  t.equal(await nodes('master-2'), 'node/master-1.example.com\nnode/master-2.example.com\n', 'oc get nodes no longer lists master-0');
  t.equal(await endpoints('master-2'), '127.0.10.2:8443,127.0.10.3:8443', 'the endpoints are master-1 and master-2');
  t.same(await memberNames('master-1', 'https://127.0.10.2:2379,https://127.0.10.3:2379'), ['master-1.example.com', 'master-2.example.com'], 'master-0 left the etcd cluster');
  t.equal((await verifyData()).matching, 1000, 'every seeded key with its value');
});

t.teardown(async () => {
  await resetLab();
});
