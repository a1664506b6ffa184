/**
 * restore-quorum.yml with no etcd member reachable (docs/playbooks.md, A.0:
 * "refuse when no member is reachable"): etcd stopped on every master, then
 * every master powered off. Refused twice, with the hosts up in numbers,
 * nothing changed.
 *
 * Kept out of the repository until the playbook refuses here: today
 * `A.0 Refuse when no member is reachable` tests `view is none`, but
 * set_fact renders `(... + [none])[0]` to the empty string (as
 * ansible-playbook 2.14 does: `type_debug` says str), so the guard never
 * fires and the next task fails on `'view.quorum' is undefined`.
 */
import t from 'tap';
import { ensureLabUp, labExec, lab, resetLab } from '../helpers/lab.js';
import { prepare, refusesChangingNothing, type Scenario } from '../helpers/procedure-tester.js';
import { RESTORE } from './helpers.js';

t.setTimeout(1_500_000);

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await resetLab();
});

const healthy: Scenario = { playbook: RESTORE, setup: async () => {} };

t.test('no member reachable: etcd stopped on every master, then every master powered off: refused twice, nothing changed', async (t) => {
  const inv = await prepare(healthy);
  for (const h of ['master-0', 'master-1', 'master-2']) {
    const r = await labExec(h, 'systemctl stop etcd');
    t.equal(r.rc, 0, `${h}: etcd stopped (${r.stderr.trim()})`);
  }
  await refusesChangingNothing(t, healthy, inv, {
    rc: 2,
    task: 'A.0 Confirm quorum is lost and choose the survivor (etcd_restore_plan: the raft indexes, the guards)',
    msg: 'No etcd member answers (etcd hosts master-0, master-1, master-2; up: master-0, master-1, master-2). Start etcd on a host that still has its data, then run this again.',
  });
  for (const h of ['master-0', 'master-1', 'master-2']) {
    const r = await lab('kill', h);
    t.equal(r.rc, 0, `${h}: powered off`);
  }
  await refusesChangingNothing(t, healthy, inv, {
    rc: 2,
    task: 'A.0 Confirm quorum is lost and choose the survivor (etcd_restore_plan: the raft indexes, the guards)',
    msg: 'No etcd member answers (etcd hosts master-0, master-1, master-2; up: none). Start etcd on a host that still has its data, then run this again.',
  });
});

