// The lab's stand-in `oc` (lab/image/rootfs/usr/local/bin/oc) as the
// decommission playbook and an operator use it on the masters: nodes from the
// registry in etcd, shared by every master; drain, delete; and the kubernetes
// service's endpoints, which follow the masters whose API unit runs.
import t from 'tap';
import { ensureLabUp, lab, labExec, resetLab, verifyData } from '../helpers/lab.js';

t.setTimeout(1_500_000);

const MASTERS = ['master-0', 'master-1', 'master-2'];
const NAMES = MASTERS.map((h) => `${h}.example.com`);
const API_UNIT = 'atomic-openshift-master-api';

/** `oc ...` on a host; stdout, stderr and exit code. */
const oc = (host: string, args: string) => labExec(host, `oc ${args}`);

/** The https Endpoints: line of `oc describe svc kubernetes -n default`. */
async function endpoints(host: string): Promise<string> {
  const r = await oc(host, 'describe svc kubernetes -n default');
  if (r.rc !== 0) throw new Error(`oc describe on ${host} failed: ${r.stderr}`);
  return (/^Endpoints:\s+(.*)$/m.exec(r.stdout) ?? [])[1] ?? '';
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

t.before(async () => {
  await ensureLabUp();
  await resetLab();
});

t.test('oc get nodes: every master, the same from each master', async (t) => {
  for (const h of MASTERS) {
    const r = await oc(h, 'get nodes');
    t.equal(r.rc, 0, `${h}: exit 0 ${r.stderr}`);
    const lines = r.stdout.trimEnd().split('\n');
    t.match(lines[0], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/, `${h}: oc 3.11's header`);
    t.same(lines.slice(1).map((l) => l.split(/\s+/).filter((_, i) => i !== 3)), NAMES.map((n) => [n, 'Ready', 'master', 'v1.11.0+d4cacc0']), `${h}: the three masters, Ready, role master`);
    const names = await oc(h, 'get nodes -o name');
    t.equal(names.stdout, NAMES.map((n) => `node/${n}\n`).join(''), `${h}: -o name`);
  }
  const bare = await oc('master-1', 'get nodes --no-headers');
  t.equal(bare.stdout.split('\n').filter(Boolean).length, 3, '--no-headers: one line per node');
  const loose = await labExec('master-2', 'KUBECONFIG=/nonexistent oc --config=/etc/origin/master/admin.kubeconfig get node master-0.example.com -o name');
  t.equal(loose.stdout, 'node/master-0.example.com\n', '--config and KUBECONFIG are accepted and ignored');
  const one = await oc('master-0', 'get node nope.example.com');
  t.equal(one.rc, 1, 'an unknown node: exit 1');
  t.equal(one.stderr, 'Error from server (NotFound): nodes "nope.example.com" not found\n');
});

t.test('oc adm drain: an unknown node fails as oc does; a known one is cordoned for every master', async (t) => {
  const unknown = await oc('master-0', 'adm drain nope.example.com --ignore-daemonsets --delete-local-data --force');
  t.equal(unknown.rc, 1, 'unknown node: exit 1');
  t.equal(unknown.stderr, 'Error from server (NotFound): nodes "nope.example.com" not found\n', "oc's NotFound message");
  const drain = await oc('master-0', 'adm drain master-1.example.com --ignore-daemonsets --delete-local-data --force');
  t.equal(drain.rc, 0, drain.stderr);
  t.equal(drain.stdout, 'node/master-1.example.com cordoned\nnode/master-1.example.com drained\n');
  const seen = await oc('master-2', 'get nodes --no-headers');
  t.match(seen.stdout, /^master-1\.example\.com\s+Ready,SchedulingDisabled\s+master\s/m, 'master-2 sees master-1 unschedulable');
  t.match(seen.stdout, /^master-0\.example\.com\s+Ready\s+master\s/m, 'and master-0 still schedulable');
  const again = await oc('master-1', 'adm drain master-1.example.com --ignore-daemonsets --delete-local-data --force');
  t.equal(again.stdout, 'node/master-1.example.com already cordoned\nnode/master-1.example.com drained\n', 'a second drain: already cordoned');
  const back = await oc('master-2', 'adm uncordon master-1.example.com');
  t.equal(back.stdout, 'node/master-1.example.com uncordoned\n');
  t.match((await oc('master-0', 'get node master-1.example.com --no-headers')).stdout, /^master-1\.example\.com\s+Ready\s+master/);
});

t.test('oc delete node: gone for every master; unknown fails unless --ignore-not-found; up does not bring it back, reset does', async (t) => {
  const del = await oc('master-1', 'delete node master-2.example.com');
  t.equal(del.rc, 0, del.stderr);
  t.equal(del.stdout, 'node "master-2.example.com" deleted\n');
  for (const h of MASTERS) t.equal((await oc(h, 'get nodes -o name')).stdout, 'node/master-0.example.com\nnode/master-1.example.com\n', `${h}: master-2 no longer listed`);
  const again = await oc('master-0', 'delete node master-2.example.com');
  t.equal(again.rc, 1, 'deleting it again: exit 1');
  t.equal(again.stderr, 'Error from server (NotFound): nodes "master-2.example.com" not found\n');
  const ignored = await oc('master-0', 'delete node master-2.example.com --ignore-not-found');
  t.same([ignored.rc, ignored.stdout, ignored.stderr], [0, '', ''], '--ignore-not-found: exit 0, silent');
  const data = await verifyData();
  t.ok(data.checksumOk && data.read === 1000, 'verify-data: the registry is outside the known data (1000 keys, checksum OK)');
  const up = await lab('up');
  t.equal(up.rc, 0, up.stderr);
  t.equal((await oc('master-0', 'get nodes -o name')).stdout, 'node/master-0.example.com\nnode/master-1.example.com\n', 'lab up keeps the registry as it is');
  await resetLab();
  t.equal((await oc('master-0', 'get nodes -o name')).stdout, NAMES.map((n) => `node/${n}\n`).join(''), 'lab reset seeds every master again');
});

t.test('oc describe svc kubernetes: the endpoints are the masters whose API unit runs', async (t) => {
  const full = await oc('master-1', 'describe svc kubernetes -n default');
  t.equal(full.rc, 0, full.stderr);
  t.match(full.stdout, /^Name:\s+kubernetes\nNamespace:\s+default\nLabels:\s+component=apiserver\n\s+provider=kubernetes\n/, "oc 3.11's layout");
  t.match(full.stdout, /^Port:\s+https\s+443\/TCP\nTargetPort:\s+8443\/TCP\nEndpoints:\s+127\.0\.10\.1:8443,127\.0\.10\.2:8443,127\.0\.10\.3:8443\n/m, 'https: every master on 8443');
  for (const h of MASTERS) t.equal(await endpoints(h), '127.0.10.1:8443,127.0.10.2:8443,127.0.10.3:8443', `${h}: the three APIs`);

  t.equal((await labExec('master-1', `systemctl stop ${API_UNIT}`)).rc, 0, 'master-1: API unit stopped');
  for (const h of MASTERS) t.equal(await endpoints(h), '127.0.10.1:8443,127.0.10.3:8443', `${h}: master-1 left the endpoints`);
  const json = JSON.parse((await oc('master-0', 'get endpoints kubernetes -n default -o json')).stdout) as { subsets: { addresses: { ip: string }[] }[] };
  t.same(json.subsets.flatMap((s) => s.addresses.map((a) => a.ip)), ['127.0.10.1', '127.0.10.3'], 'oc get endpoints -o json: the same two');
  t.equal((await labExec('master-1', `systemctl start ${API_UNIT}`)).rc, 0, 'master-1: API unit started');
  t.equal(await endpoints('master-2'), '127.0.10.1:8443,127.0.10.2:8443,127.0.10.3:8443', 'started again (it is active once it serves): listed again');

  const killed = await lab('kill', 'master-2');
  t.equal(killed.rc, 0, killed.stderr);
  t.equal(await endpoints('master-0'), '127.0.10.1:8443,127.0.10.2:8443', 'a powered-off master is not listed');
  await resetLab();

  const wrong = await oc('master-0', 'describe svc router -n default');
  t.equal(wrong.rc, 1);
  t.equal(wrong.stderr, 'Error from server (NotFound): services "router" not found\n');
  const ns = await oc('master-0', 'describe svc kubernetes -n openshift');
  t.equal(ns.rc, 1, 'kubernetes lives in default only');
});

t.test('the node stand-in stops the API whose static pod is moved to pods/disabled/, and starts it when it is back', async (t) => {
  t.equal((await labExec('master-2', 'mkdir -p /etc/origin/node/pods/disabled && mv /etc/origin/node/pods/api.yaml /etc/origin/node/pods/disabled/')).rc, 0);
  await waitFor('the API of master-2 to stop', async () => (await labExec('master-2', `systemctl is-active ${API_UNIT}`)).stdout.trim() === 'inactive');
  t.equal(await endpoints('master-0'), '127.0.10.1:8443,127.0.10.2:8443', 'master-2 left the endpoints');
  t.equal((await labExec('master-2', 'mv /etc/origin/node/pods/disabled/api.yaml /etc/origin/node/pods/')).rc, 0);
  await waitFor('the API of master-2 to serve again', async () => (await endpoints('master-0')) === '127.0.10.1:8443,127.0.10.2:8443,127.0.10.3:8443');
  t.pass('back in the endpoints');
});

t.test('unknown commands and resources exit non-zero with a clear message', async (t) => {
  for (const args of ['rollout status dc/router', 'adm prune images', 'get pods', '']) {
    const r = await oc('master-0', args);
    t.equal(r.rc, 1, `oc ${args}: exit 1`);
    t.match(r.stderr, /lab stand-in oc/, `oc ${args}: says what the stand-in supports`);
  }
  const lb = await labExec('lb', 'oc get nodes');
  t.not(lb.rc, 0, 'on lb (no master config): an error');
  t.match(lb.stderr, /no master/);
});

t.teardown(async () => {
  await resetLab();
});
