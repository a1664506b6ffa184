/**
 * The guards an operator meets on a cluster that lost quorum (master-1 the
 * only member left, master-0 and master-2 back from repair without their
 * etcd data: scenarios.ts's quorumLost), as docs/playbooks.md lists them:
 *
 *   - the audit, restore-quorum.yml --check --diff: exit 0, nothing changed
 *     on any host (files, running units, /tmp, /run, /var/tmp), and exactly
 *     the steps it says it cannot predict (`depends on the earlier step`);
 *   - -e survivor=HOST whose etcd is not running, or that is no etcd host;
 *   - add-etcd-member.yml while quorum is lost;
 *   - decommission-master.yml while quorum is lost.
 *
 * Each refusal starts from the known state: the one the scenario set up, or,
 * once a refusal is proven to have changed nothing, the same state again; a
 * sub-test that failed makes the next one set the cluster up afresh.
 */
import t, { type Test } from 'tap';
import { ensureLabUp, resetLab } from '../helpers/lab.js';
import { checkChangesNothing, prepare, refusesChangingNothing, type Scenario } from '../helpers/procedure-tester.js';
import { ADD_MEMBER, DECOMMISSION, type Run } from './helpers.js';
import { quorumLost } from './scenarios.js';

t.setTimeout(1_500_000);

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await resetLab();
});

let inventory: string | undefined;

/** The quorumLost cluster: set up afresh unless the previous sub-test proved it unchanged. */
async function knownState(): Promise<string> {
  inventory ??= await prepare(quorumLost);
  return inventory;
}

/** A sub-test whose run may have changed something sets the cluster up afresh for the next one. */
function keepState(t: Test) {
  if (!t.passing()) inventory = undefined;
}

/**
 * What check mode says it cannot predict, host by host, word for word. Fixed
 * here and reviewed, not read from the playbook under test: a step that
 * starts or stops saying so is a change this test must catch.
 */
const UNPREDICTABLE = [
  'master-0: A.4 etcdClientInfo.urls, master-restart, ETCD_INITIAL_CLUSTER, the inventory and flanneld for master-0, master-2: depends on the earlier step (A.2 removed them, A.4 adds back the members that joined)',
  'master-0: A.4 wipe the etcd data, member add, etcd.conf values, start and health of master-0: depends on the earlier step (the forced new cluster); done one host at a time in the real run',
  'master-1: A.3 one member, its peer URL, removing the force (temp.conf or ETCD_FORCE_NEW_CLUSTER, then a restart) and health: depends on the earlier step (the forced new cluster); done and checked in the real run',
  'master-1: A.4 etcdClientInfo.urls, master-restart, ETCD_INITIAL_CLUSTER, the inventory and flanneld for master-0, master-2: depends on the earlier step (A.2 removed them, A.4 adds back the members that joined)',
  'master-2: A.4 etcdClientInfo.urls, master-restart, ETCD_INITIAL_CLUSTER, the inventory and flanneld for master-0, master-2: depends on the earlier step (A.2 removed them, A.4 adds back the members that joined)',
  'master-2: A.4 wipe the etcd data, member add, etcd.conf values, start and health of master-2: depends on the earlier step (the forced new cluster); done one host at a time in the real run',
];

/** Every `host: message` of a result that says it depends on an earlier step, sorted. */
function unpredictable(run: Run): string[] {
  const out: string[] = [];
  for (const e of run.events) {
    if (e.type !== 'host_result' || e.loopSummary) continue;
    const msg = String((e.result as { msg?: unknown } | undefined)?.msg ?? '');
    if (/depends on the earlier step/.test(msg)) out.push(`${String(e.host)}: ${msg}`);
  }
  // By host, then by message (code unit order).
  return out.sort();
}

t.test('the audit (--check --diff) on a cluster that lost quorum: exit 0, nothing changed, exactly the steps it cannot predict', async (t) => {
  const inv = await knownState();
  const check = await checkChangesNothing(t, quorumLost, inv);
  t.equal(check.rc, 0, 'exit code 0');
  t.same(unpredictable(check), UNPREDICTABLE, 'what check mode cannot predict, host by host, is exactly the reviewed list');
  t.match(check.stdout, /0 of 3 members healthy \(2 needed\): quorum LOST/, 'it says quorum is lost, in numbers');
  t.match(check.stdout, /survivor: master-1 \(master-1\.example\.com\)/, 'it names the survivor');
  keepState(t);
});

t.test('-e survivor=master-0, whose etcd is not running: refused, nothing changed', async (t) => {
  const inv = await knownState();
  const s: Scenario = { ...quorumLost, args: ['-e', 'survivor=master-0'] };
  await refusesChangingNothing(t, s, inv, {
    rc: 2,
    task: 'A.0 Confirm quorum is lost and choose the survivor (etcd_restore_plan: the raft indexes, the guards)',
    msg: '-e survivor=master-0: not a reachable etcd host with a running member (reachable members: master-1.example.com)',
  });
  keepState(t);
});

t.test('-e survivor=lb, no etcd host: refused, nothing changed', async (t) => {
  const inv = await knownState();
  const s: Scenario = { ...quorumLost, args: ['-e', 'survivor=lb'] };
  await refusesChangingNothing(t, s, inv, {
    rc: 2,
    task: 'A.0 Confirm quorum is lost and choose the survivor (etcd_restore_plan: the raft indexes, the guards)',
    msg: '-e survivor=lb: not a reachable etcd host with a running member (reachable members: master-1.example.com)',
  });
  keepState(t);
});

t.test('add-etcd-member.yml while quorum is lost: refused (restore quorum first), nothing changed', async (t) => {
  const inv = await knownState();
  const s: Scenario = { ...quorumLost, playbook: ADD_MEMBER, args: ['-e', 'host=master-0'] };
  await refusesChangingNothing(t, s, inv, {
    rc: 2,
    task: 'A.4 Read the cluster through the other etcd hosts; refuse while quorum is lost (etcd_add_member_plan)',
    msg: 'no etcd member answers with quorum (through master-1, master-2): restore quorum first (playbooks/restore-quorum.yml)',
  });
  keepState(t);
});

t.test('decommission-master.yml while quorum is lost (-e force=true past the count): refused, nothing changed', async (t) => {
  const inv = await knownState();
  const s: Scenario = { ...quorumLost, playbook: DECOMMISSION, args: ['-e', 'master=master-0', '-e', 'force=true'] };
  await refusesChangingNothing(t, s, inv, {
    rc: 2,
    task: 'B.0 What is left; refuse to go below 3 masters or to an even number, or while quorum is lost (etcd_decommission_plan)',
    msg: 'etcd has no quorum through master-1, master-2: restore quorum first (playbooks/restore-quorum.yml)',
  });
  keepState(t);
});
