/**
 * The recovery playbooks on dedicated etcd hosts (`lab up --etcd-hosts 3`:
 * etcd.service on etcd-0..2, the masters without etcd), run with the
 * inventory an operator writes (`lab inventory --etcd-hosts 3 --fqdn`: hosts
 * by FQDN, no lab variables), as docs/playbooks.md documents them:
 *
 *   1. quorum lost keeping etcd-1, etcd-0 and etcd-2 back without data:
 *      --check --diff changes nothing; the restore ends exit 0 with 3 healthy
 *      members and every key read back; run again it stops at preflight;
 *   2. add-etcd-member.yml of a host whose etcd was wiped and removed;
 *   3. decommission-master.yml of master-2 (-e force=true): no etcd member,
 *      so the member list stays as it was.
 *
 * Each scenario resets the lab (same topology) and sets up its own cluster.
 * The default lab is restored at the end.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { etcdEndpointsOf, labExec, labUpWith, restoreDefaultLab } from '../helpers/lab.js';
import { assertDataReadBack, checkChangesNothing, digest, refusesChangingNothing, runWatched, type Scenario } from '../helpers/procedure-tester.js';
import { ADD_MEMBER, DECOMMISSION, RESTORE, iniGroup, memberNames } from './helpers.js';
import { labOk } from './scenarios.js';
import { DEDICATED, fqdn, freshCluster, healthyMembers } from './topology.js';

t.setTimeout(1_500_000);

const TOPO = DEDICATED;
const ARGS: string[] = [];
const MEMBERS = ['etcd-0', 'etcd-1', 'etcd-2'];
const HOSTS = ['master-0', 'master-1', 'master-2', ...MEMBERS, 'lb'];

t.before(async () => {
  await labUpWith(...TOPO.flags);
});

t.teardown(restoreDefaultLab);

const restore: Scenario = {
  playbook: RESTORE,
  args: ARGS,
  hosts: HOSTS,
  setup: async () => {
    await labOk('break-quorum', '--keep', 'etcd-1');
    for (const h of ['etcd-0', 'etcd-2']) {
      await labOk('wipe-etcd', h);
      await labOk('start', h);
    }
  },
};

t.test('1. quorum lost on the etcd hosts: --check changes nothing; the restore ends with 3 healthy members and every key; again: stops at preflight', async (t) => {
  const inventory = await freshCluster(TOPO);
  await restore.setup();
  await checkChangesNothing(t, restore, inventory);
  const real = await runWatched(RESTORE, inventory, ARGS);
  t.notOk(real.hung, 'the restore ends by itself');
  t.equal(real.rc, 0, 'the restore exits 0');
  if (real.rc !== 0) t.comment(digest(real), real.stderr.slice(-2000));
  t.same(await healthyMembers(TOPO), MEMBERS, 'every member healthy');
  t.same(await memberNames('etcd-1', etcdEndpointsOf(MEMBERS)), MEMBERS.map(fqdn), 'the member list names the three etcd hosts');
  await assertDataReadBack(t, 'after the restore');
  await refusesChangingNothing(t, restore, inventory, {
    rc: 2,
    task: 'A.0 Confirm quorum is lost and choose the survivor (etcd_restore_plan: the raft indexes, the guards)',
    msg: 'etcd quorum holds (3 of 3 members healthy, 2 needed): there is nothing to restore and nothing was changed. Run with -e force=true to restore anyway.',
  });
});

t.test('2. add-etcd-member.yml of etcd-2, wiped and removed from the cluster: 3 healthy members, every key; again: changed=0', async (t) => {
  const inventory = await freshCluster(TOPO);
  const list = await labExec('etcd-0', `etcdctl3 --endpoints=${etcdEndpointsOf(['etcd-0'])} member list | grep etcd-2 | cut -d, -f1`);
  const id = list.stdout.trim();
  t.match(id, /^[0-9a-f]+$/, 'etcd-2 has a member ID');
  // etcd refuses membership changes for about 5 s after a member started: retried, as its answer says.
  let removed = await labExec('etcd-0', `etcdctl3 --endpoints=${etcdEndpointsOf(['etcd-0'])} member remove ${id}`);
  for (let i = 0; removed.rc !== 0 && /unhealthy cluster/.test(removed.stderr) && i < 60; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    removed = await labExec('etcd-0', `etcdctl3 --endpoints=${etcdEndpointsOf(['etcd-0'])} member remove ${id}`);
  }
  t.equal(removed.rc, 0, 'etcd-2 removed from the cluster');
  await labOk('wipe-etcd', 'etcd-2');
  const args = ['-e', `host=${fqdn('etcd-2')}`, ...ARGS];
  const run = await runWatched(ADD_MEMBER, inventory, args);
  t.equal(run.rc, 0, 'exit code 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  t.same(await healthyMembers(TOPO), MEMBERS, 'every member healthy');
  t.same(await memberNames('etcd-0', etcdEndpointsOf(MEMBERS)), MEMBERS.map(fqdn), 'three members');
  await assertDataReadBack(t, 'after the add');
  const again = await runWatched(ADD_MEMBER, inventory, args);
  t.equal(again.rc, 0, 'again: exit code 0');
  t.same(again.changed, [], 'again: changed=0');
});

t.test('3. decommission-master.yml of master-2 (-e force=true): the etcd members untouched and healthy, every key, out of the inventory', async (t) => {
  const inventory = await freshCluster(TOPO);
  const args = ['-e', `master=${fqdn('master-2')}`, '-e', 'force=true', ...ARGS];
  const run = await runWatched(DECOMMISSION, inventory, args);
  t.equal(run.rc, 0, 'exit code 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  t.same(await memberNames('etcd-0', etcdEndpointsOf(MEMBERS)), MEMBERS.map(fqdn), 'the three etcd members are still there');
  t.same(await healthyMembers(TOPO), MEMBERS, 'and healthy');
  await assertDataReadBack(t, 'after the decommission');
  const text = readFileSync(inventory, 'utf8');
  t.same(iniGroup(text, 'masters'), ['master-0', 'master-1'].map(fqdn), 'the inventory [masters] no longer lists master-2');
  t.same(iniGroup(text, 'etcd'), MEMBERS.map(fqdn), '[etcd] is unchanged');
});
