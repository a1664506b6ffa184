/**
 * The recovery playbooks on a mixed deployment (`lab up --etcd mixed`):
 * etcd.service on master-0, the static pod on master-1 and master-2, as
 * after a later installer run replaced some masters. Run with the inventory
 * an operator writes (`lab inventory --etcd mixed --fqdn`) and no
 * -e etcd_deployment: how etcd runs is found per host.
 *
 *   1. quorum lost keeping master-1 (static pod), master-0 and master-2 back
 *      without data: --check --diff changes nothing; the restore ends exit 0
 *      with 3 healthy members and every key read back, each host running etcd
 *      its own way; run again it stops at preflight;
 *   2. the same keeping master-0 (etcd.service);
 *   3. add-etcd-member.yml of master-0 (etcd.service), wiped and removed,
 *      through a static-pod member;
 *   4. decommission-master.yml of master-2 (static pod, -e force=true).
 *
 * Each scenario resets the lab (same topology) and sets up its own cluster.
 * The default lab is restored at the end.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import type { Test } from 'tap';
import { etcdEndpointsOf, lab, labExec, labUpWith, restoreDefaultLab } from '../helpers/lab.js';
import { assertDataReadBack, checkChangesNothing, digest, refusesChangingNothing, runWatched, type Scenario } from '../helpers/procedure-tester.js';
import { ADD_MEMBER, DECOMMISSION, RESTORE, iniGroup, memberNames } from './helpers.js';
import { labOk } from './scenarios.js';
import { MIXED, deploymentOf, fqdn, freshCluster, healthyMembers } from './topology.js';

t.setTimeout(1_800_000);

const TOPO = MIXED;
const MEMBERS = ['master-0', 'master-1', 'master-2'];
const HOSTS = [...MEMBERS, 'lb'];

t.before(async () => {
  await labUpWith(...TOPO.flags);
});

t.teardown(restoreDefaultLab);

/**
 * How etcd runs on the host, from its own units and files: 'service' when
 * etcd.service is active and enabled and no etcd pod runs; 'static-pod' when
 * the node runs the pod from /etc/origin/node/pods/etcd.yaml and etcd.service
 * is not active; anything else spelled out.
 */
async function runningAs(host: string): Promise<string> {
  const r = await labExec(
    host,
    'echo "$(systemctl is-active etcd.service) $(systemctl is-enabled etcd.service 2>/dev/null || echo none) $(systemctl is-active static-pod-etcd.service) $([ -e /etc/origin/node/pods/etcd.yaml ] && echo manifest || echo no-manifest)"',
  );
  const [svc, enabled, pod, manifest] = r.stdout.trim().split(' ');
  if (svc === 'active' && enabled === 'enabled' && pod !== 'active') return 'service';
  if (pod === 'active' && manifest === 'manifest' && svc !== 'active') return 'static-pod';
  return `etcd.service ${svc}/${enabled}, static pod ${pod}/${manifest}`;
}

async function assertOwnDeployments(t: Test, what: string, hosts = MEMBERS) {
  for (const h of hosts) t.equal(await runningAs(h), deploymentOf(TOPO, h), `${what}: ${h} runs etcd as ${deploymentOf(TOPO, h)}`);
}

t.test('0. lab inventory --etcd mixed: the masters under [etcd], the header says how etcd runs; 1 master or dedicated hosts refused', async (t) => {
  const r = await lab('inventory', '--etcd', 'mixed', '--fqdn');
  t.equal(r.rc, 0, 'exit 0');
  t.match(r.stdout, /etcd co-located, etcd\.service on master-0 and static pods on the others/);
  t.match(r.stdout, /Brought up by: npm run lab -- up --etcd mixed\n/);
  t.same(iniGroup(r.stdout, 'etcd'), MEMBERS.map(fqdn));
  const one = await lab('inventory', '1', '--etcd', 'mixed');
  t.not(one.rc, 0, 'one master: refused');
  t.match(one.stderr, /--etcd mixed needs 2 masters or more/);
  const dedicated = await lab('inventory', '--etcd-hosts', '3', '--etcd', 'mixed');
  t.not(dedicated.rc, 0, 'dedicated etcd hosts: refused');
  t.match(dedicated.stderr, /--etcd mixed runs etcd on the masters .*: use --etcd-hosts 0/);
});

const quorumLostKeeping = (survivor: string): Scenario => ({
  playbook: RESTORE,
  hosts: HOSTS,
  setup: async () => {
    await labOk('break-quorum', '--keep', survivor);
    for (const h of MEMBERS.filter((x) => x !== survivor)) {
      await labOk('wipe-etcd', h);
      await labOk('start', h);
    }
  },
});

const PREFLIGHT = {
  rc: 2,
  task: 'A.0 Confirm quorum is lost and choose the survivor (etcd_restore_plan: the raft indexes, the guards)',
  msg: 'etcd quorum holds (3 of 3 members healthy, 2 needed): there is nothing to restore and nothing was changed. Run with -e force=true to restore anyway.',
};

for (const [n, survivor, check] of [
  [1, 'master-1', true],
  [2, 'master-0', false],
] as const) {
  t.test(`${n}. quorum lost keeping ${survivor} (${deploymentOf(TOPO, survivor)}):${check ? ' --check changes nothing;' : ''} the restore ends with 3 healthy members, each its own way, and every key; again: stops at preflight`, async (t) => {
    const inventory = await freshCluster(TOPO);
    await assertOwnDeployments(t, 'the lab as built');
    const restore = quorumLostKeeping(survivor);
    await restore.setup();
    if (check) await checkChangesNothing(t, restore, inventory);
    const real = await runWatched(RESTORE, inventory, []);
    t.notOk(real.hung, 'the restore ends by itself');
    t.equal(real.rc, 0, 'the restore exits 0');
    if (real.rc !== 0) t.comment(digest(real), real.stderr.slice(-2000));
    t.same(await healthyMembers(TOPO), MEMBERS, 'every member healthy');
    await assertOwnDeployments(t, 'after the restore');
    t.same(await memberNames(survivor, etcdEndpointsOf(MEMBERS)), MEMBERS.map(fqdn), 'the member list names the three masters');
    await assertDataReadBack(t, 'after the restore');
    await refusesChangingNothing(t, restore, inventory, PREFLIGHT);
  });
}

t.test('3. add-etcd-member.yml of master-0 (etcd.service), wiped and removed, through a static-pod member: 3 healthy members, every key; again: changed=0', async (t) => {
  const inventory = await freshCluster(TOPO);
  const through = etcdEndpointsOf(['master-1']);
  const list = await labExec('master-1', `etcdctl3 --endpoints=${through} member list | grep master-0 | cut -d, -f1`);
  const id = list.stdout.trim();
  t.match(id, /^[0-9a-f]+$/, 'master-0 has a member ID');
  // etcd refuses membership changes for about 5 s after a member started: retried, as its answer says.
  let removed = await labExec('master-1', `etcdctl3 --endpoints=${through} member remove ${id}`);
  for (let i = 0; removed.rc !== 0 && /unhealthy cluster/.test(removed.stderr) && i < 60; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    removed = await labExec('master-1', `etcdctl3 --endpoints=${through} member remove ${id}`);
  }
  t.equal(removed.rc, 0, 'master-0 removed from the cluster');
  await labOk('wipe-etcd', 'master-0');
  const args = ['-e', `host=${fqdn('master-0')}`];
  const run = await runWatched(ADD_MEMBER, inventory, args);
  t.equal(run.rc, 0, 'exit code 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  t.same(await healthyMembers(TOPO), MEMBERS, 'every member healthy');
  await assertOwnDeployments(t, 'after the add');
  t.same(await memberNames('master-1', etcdEndpointsOf(MEMBERS)), MEMBERS.map(fqdn), 'three members');
  await assertDataReadBack(t, 'after the add');
  const again = await runWatched(ADD_MEMBER, inventory, args);
  t.equal(again.rc, 0, 'again: exit code 0');
  t.same(again.changed, [], 'again: changed=0');
});

t.test('4. decommission-master.yml of master-2 (static pod, -e force=true): 2 healthy members, each its own way, every key, out of the inventory', async (t) => {
  const inventory = await freshCluster(TOPO);
  const args = ['-e', `master=${fqdn('master-2')}`, '-e', 'force=true'];
  const run = await runWatched(DECOMMISSION, inventory, args);
  t.equal(run.rc, 0, 'exit code 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  t.same(await memberNames('master-0', etcdEndpointsOf(['master-0', 'master-1'])), ['master-0', 'master-1'].map(fqdn), 'two members');
  t.same(await healthyMembers(TOPO), ['master-0', 'master-1'], 'both healthy');
  await assertOwnDeployments(t, 'after the decommission', ['master-0', 'master-1']);
  await assertDataReadBack(t, 'after the decommission');
  const text = readFileSync(inventory, 'utf8');
  t.same(iniGroup(text, 'masters'), ['master-0', 'master-1'].map(fqdn), 'the inventory [masters] no longer lists master-2');
  t.same(iniGroup(text, 'etcd'), ['master-0', 'master-1'].map(fqdn), 'nor does [etcd]');
});
