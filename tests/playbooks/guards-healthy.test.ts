/**
 * The guards an operator meets on a healthy cluster of 3 masters, and with no
 * etcd member running at all, as docs/playbooks.md lists them:
 *
 *   restore-quorum.yml       quorum holds: refused; -e force=true: the restore
 *                            goes through the member-remove path (A.2) and
 *                            ends with 3 healthy members and every key;
 *   decommission-master.yml  without -e master, a host outside [masters],
 *                            below 3 masters: refused; a host the inventory
 *                            no longer lists: nothing to do;
 *   add-etcd-member.yml      without -e host, an unknown host, a host powered
 *                            off: refused; a healthy member: exit 0, nothing
 *                            changed.
 *
 * Every refusal is checked for its exit code, its message word for word and
 * that nothing changed (member lists, files, running units, /tmp, /run,
 * /var/tmp, the inventory). Each starts from a reset lab, or from the state
 * the previous refusal was proven to leave as it found it.
 */
import t, { type Test } from 'tap';
import { ensureLabUp, etcdEndpoints, lab, resetLab } from '../helpers/lab.js';
import { assertHostsUnchanged, etcdMemberLists, snapshotHosts } from '../helpers/check-proof.js';
import { assertDataReadBack, digest, failures, labHosts, prepare, refusesChangingNothing, runWatched, type Scenario } from '../helpers/procedure-tester.js';
import { ADD_MEMBER, DECOMMISSION, RESTORE, memberNames } from './helpers.js';
import { NAMES } from './scenarios.js';

t.setTimeout(1_500_000);

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await resetLab();
});

const healthy: Scenario = { playbook: RESTORE, setup: async () => {} };
let inventory: string | undefined;

async function knownState(): Promise<string> {
  inventory ??= await prepare(healthy);
  return inventory;
}

function keepState(t: Test) {
  if (!t.passing()) inventory = undefined;
}

t.test('restore-quorum.yml while quorum holds: refused, nothing changed', async (t) => {
  await refusesChangingNothing(t, healthy, await knownState(), {
    rc: 2,
    task: 'A.0 Confirm quorum is lost and choose the survivor (etcd_restore_plan: the raft indexes, the guards)',
    msg: 'etcd quorum holds (3 of 3 members healthy, 2 needed): there is nothing to restore and nothing was changed. Run with -e force=true to restore anyway.',
  });
  keepState(t);
});

t.test('decommission-master.yml without -e master: refused, nothing changed', async (t) => {
  await refusesChangingNothing(t, { ...healthy, playbook: DECOMMISSION }, await knownState(), {
    rc: 2,
    task: 'B.0 Refuse without -e master=HOST',
    msg: 'give the master to deprecate: -e master=HOST (one of master-0, master-1, master-2)',
  });
  keepState(t);
});

t.test('decommission-master.yml of a host outside [masters] (lb): refused, nothing changed', async (t) => {
  await refusesChangingNothing(t, { ...healthy, playbook: DECOMMISSION, args: ['-e', 'master=lb'] }, await knownState(), {
    rc: 2,
    task: 'B.0 Refuse a host that is not a master',
    msg: 'lb is not in [masters] (masters: master-0, master-1, master-2)',
  });
  keepState(t);
});

t.test('decommission-master.yml from 3 masters to 2: refused without -e force=true, nothing changed', async (t) => {
  await refusesChangingNothing(t, { ...healthy, playbook: DECOMMISSION, args: ['-e', 'master=master-2'] }, await knownState(), {
    rc: 2,
    task: 'B.0 What is left; refuse to go below 3 masters or to an even number, or while quorum is lost (etcd_decommission_plan)',
    msg: 'deprecating master-2 leaves 2 masters and 2 etcd members: fewer than 3, so the control plane is no longer highly available (HA needs at least 3, and an odd number). Run with -e force=true to deprecate it anyway.',
  });
  keepState(t);
});

t.test('decommission-master.yml of a host the inventory does not list: already deprecated, exit 0, nothing changed', async (t) => {
  const inv = await knownState();
  const hosts = labHosts(3);
  const before = await snapshotHosts(hosts);
  const members = await etcdMemberLists(hosts);
  const run = await runWatched(DECOMMISSION, inv, ['-e', 'master=master-7']);
  t.equal(run.rc, 0, 'exit code 0');
  t.match(run.stdout, /master-7 is in no group of this inventory \(masters: master-0, master-1, master-2\): already deprecated, nothing to do/);
  t.same(run.changed, [], 'changed=0');
  t.same(failures(run), [], 'nothing fails');
  await assertHostsUnchanged(t, before, 'after the run');
  t.same(await etcdMemberLists(hosts), members, 'every etcd host lists the same members');
  keepState(t);
});

t.test('add-etcd-member.yml without -e host: refused, nothing changed', async (t) => {
  await refusesChangingNothing(t, { ...healthy, playbook: ADD_MEMBER }, await knownState(), {
    rc: 2,
    task: 'A.4 Refuse without -e host=HOST, or with a host the inventory does not know',
    msg: 'give the host to add: -e host=HOST (one of master-0, master-1, master-2, lb)',
  });
  keepState(t);
});

t.test('add-etcd-member.yml of a host the inventory does not know: refused, nothing changed', async (t) => {
  await refusesChangingNothing(t, { ...healthy, playbook: ADD_MEMBER, args: ['-e', 'host=master-9'] }, await knownState(), {
    rc: 2,
    task: 'A.4 Refuse without -e host=HOST, or with a host the inventory does not know',
    msg: 'give the host to add: -e host=HOST (one of master-0, master-1, master-2, lb)',
  });
  keepState(t);
});

t.test('add-etcd-member.yml of a healthy member (master-2): exit 0, changed=0, nothing changed', async (t) => {
  const inv = await knownState();
  const hosts = labHosts(3);
  const before = await snapshotHosts(hosts);
  const members = await etcdMemberLists(hosts);
  const run = await runWatched(ADD_MEMBER, inv, ['-e', 'host=master-2']);
  t.equal(run.rc, 0, 'exit code 0');
  if (run.rc !== 0) t.comment(digest(run));
  t.same(run.changed, [], 'changed=0');
  t.match(run.stdout, /master-2 \(master-2\.example\.com\) is a healthy member already: nothing to do/, 'it says there is nothing to do');
  await assertHostsUnchanged(t, before, 'after the run');
  t.same(await etcdMemberLists(hosts), members, 'every etcd host lists the same members');
  keepState(t);
});

t.test('add-etcd-member.yml of a host that is powered off: refused (start it first), nothing changed', async (t) => {
  const inv = await knownState();
  inventory = undefined; // master-2 goes off: the next scenario starts afresh
  const r = await lab('kill', 'master-2');
  t.equal(r.rc, 0, 'master-2 powered off');
  await refusesChangingNothing(t, { ...healthy, playbook: ADD_MEMBER, args: ['-e', 'host=master-2'] }, inv, {
    rc: 2,
    task: 'A.4 Refuse when the host to add is down',
    msg: 'master-2 does not answer on its SSH port: start it first',
  });
});

t.test('restore-quorum.yml -e force=true while quorum holds: the member-remove path, 3 healthy members, every key; again: refused', async (t) => {
  const inv = await knownState();
  inventory = undefined;
  const run = await runWatched(RESTORE, inv, ['-e', 'force=true']);
  t.notOk(run.hung, 'the run ends by itself');
  t.equal(run.rc, 0, 'exit code 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  t.match(run.stdout, /3 of 3 members healthy \(2 needed\): quorum holds, restoring because -e force=true/, 'it says why it restores although quorum holds');
  const removed = run.changed.filter((c) => c.startsWith('A.2 member remove of each other member, by ID|'));
  t.equal(removed.length, 2, `A.2 removed the two other members with member remove (${removed.join('; ')})`);
  t.same(await memberNames('master-1', etcdEndpoints(3)), NAMES, 'the member list names the three masters again');
  await assertDataReadBack(t, 'after the forced restore');
  const again = await refusesChangingNothing(t, healthy, inv, {
    rc: 2,
    task: 'A.0 Confirm quorum is lost and choose the survivor (etcd_restore_plan: the raft indexes, the guards)',
    msg: 'etcd quorum holds (3 of 3 members healthy, 2 needed): there is nothing to restore and nothing was changed. Run with -e force=true to restore anyway.',
  });
  t.same(again.changed, [], 'the run after it changes nothing');
});
