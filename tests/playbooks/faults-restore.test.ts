/**
 * Faults a host brings during playbooks/restore-quorum.yml, on the lab, as
 * scenarios of the procedure tester (tests/helpers/procedure-tester.ts). Each
 * scenario starts from a reset lab with quorum lost (master-1 the only member
 * left, master-0 and master-2 back from repair without their etcd data):
 *   1. the survivor powered off while etcd restarts with --force-new-cluster;
 *      started again, the same command finishes;
 *   2. etcd cannot start on a joining host (a bad etcd.conf) during the add-back:
 *      the member added for it is removed again, quorum holds, the run says
 *      which host, which step and what to do; mended, the same command finishes.
 */
import t from 'tap';
import { ensureLabUp, etcdEndpoints, lab, labExec, labStatus } from '../helpers/lab.js';
import { assertDataReadBack, atTask, checkChangesNothing, digest, failures, labFault, prepare, runWatched } from '../helpers/procedure-tester.js';
import { RESTORE, memberNames } from './helpers.js';
import { NAMES, labOk, quorumLost } from './scenarios.js';

t.setTimeout(3_600_000);

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await lab('reset', '--masters', '3');
});

t.test('1. the survivor powered off during the forced new cluster; back, the same command finishes', async (t) => {
  const inventory = await prepare(quorumLost);
  await checkChangesNothing(t, quorumLost, inventory);

  const STEP = 'A.3 Restart etcd with --force-new-cluster (systemctl restart etcd)';
  const first = await runWatched(RESTORE, inventory, [], { at: atTask(STEP), inject: labFault('kill', 'master-1') });
  t.ok(first.trigger, `the fault went in when "${STEP}" started`);
  t.ok(first.injection?.ok, `master-1 powered off (${first.injection?.detail})`);
  t.notOk(first.hung, 'the run ends by itself');
  t.not(first.rc, 0, `the run fails (exit ${first.rc})`);
  const failed = failures(first);
  t.comment(JSON.stringify(failed, null, 1));
  // Powered off while systemctl waits: the command's connection is cut (failed), or the next task cannot connect (UNREACHABLE).
  t.ok(failed.some((f) => f.host === 'master-1' && f.task.startsWith('A.3')), 'master-1 is reported at an A.3 step');
  const told = failed.find((f) => f.task === 'A.3 The forced new cluster failed: which step and what to do');
  if (told) {
    t.match(told.msg, /master-1 \(the survivor\): step "A\.3 [^"]+" failed/, 'which host and step');
    t.match(told.msg, /bring master-1 back \(power, SSH\), then run the same command again: tsplay run playbooks\/restore-quorum\.yml -i \S+ \(it resumes this restore/, 'and the command to run next');
  } else {
    // Lost between two tasks: UNREACHABLE (a rescue needs a failed task), and the add-back says what to do.
    t.ok(failed.some((f) => f.host === 'master-1' && f.status === 'unreachable'), 'master-1 UNREACHABLE');
    const stop = failed.find((f) => f.task === 'A.4 Stop when the survivor is gone');
    t.match(stop?.msg, /The survivor master-1 no longer answers on its SSH port: no member can be added back without it, and master-\d was not changed by A\.4\./, 'the add-back stops, saying why');
    t.match(stop?.msg, /What to do: bring master-1 back \(power, SSH\), then run the same command again: tsplay run playbooks\/restore-quorum\.yml -i \S+ \(it resumes this restore with the same survivor\)/, 'and the command to run next');
  }
  if (first.rc === 0 || !failed.length) t.comment(digest(first));
  const status = await labStatus();
  for (const h of ['master-0', 'master-2']) t.not(status.hosts.find((x) => x.name === h)!.etcd!.unit, 'active', `${h}: no member was started while the survivor was away`);

  await labOk('start', 'master-1');
  const second = await runWatched(RESTORE, inventory, []);
  t.notOk(second.hung, 'the re-run ends by itself');
  t.equal(second.rc, 0, 'the re-run after master-1 is back exits 0');
  if (second.rc !== 0) t.comment(digest(second), second.stderr);
  t.match(second.stdout, /resuming the interrupted restore/, 'it resumes the interrupted restore');
  t.same(await memberNames('master-1', etcdEndpoints(3)), NAMES, 'three members');
  await assertDataReadBack(t, 'after the re-run');

  const third = await runWatched(RESTORE, inventory, []);
  t.equal(third.rc, 2, 'once more: the preflight refuses, quorum holds');
  t.same(third.changed, [], 'and nothing changes');
});

t.test('2. a bad etcd.conf on a joining host during the add-back: the member is removed again, quorum holds; mended, the same command finishes', async (t) => {
  const inventory = await prepare(quorumLost);
  const STEP = 'A.4 member add on a running member (as a learner)';
  const first = await runWatched(RESTORE, inventory, [], { at: atTask(STEP), inject: labFault('break-etcd-conf', 'master-0') });
  t.ok(first.injection?.ok, `etcd.conf broken on master-0 when "${STEP}" started (${first.injection?.detail})`);
  t.notOk(first.hung, 'the run ends by itself');
  t.equal(first.rc, 2, 'the run fails (exit 2)');
  const told = failures(first).find((f) => f.task === 'A.4 The join of this host failed: which step, the cluster, and what to do');
  t.ok(told, 'the run says what happened');
  if (!told) t.comment(digest(first));
  t.equal(told?.host, 'master-0', 'on master-0');
  t.match(told?.msg, /^master-0 did not join the cluster: step "A\.4 Start etcd \(enabled, so it comes back after a reboot\)" failed/, 'which host and step');
  t.match(told?.msg, /The member added for it was removed again/, 'the member that cannot start is not left behind');
  t.match(told?.msg, /The cluster now: 1 of 1 voting members healthy, quorum holds\./, 'the quorum, in numbers');
  t.match(told?.msg, /What to do: find why etcd does not start on master-0 \(journalctl -u etcd there; \/etc\/etcd\/etcd\.conf; free space in \/var\/lib\/etcd\), fix it, then run the same command again: tsplay run playbooks\/restore-quorum\.yml -i \S+ \(it resumes this restore\)/, 'and what to do');
  t.same(await memberNames('master-1', 'https://127.0.10.2:2379'), ['master-1.example.com'], 'the member list is the survivor alone: no member that cannot start');
  await assertDataReadBack(t, 'with master-0 out, the survivor still serves');
  t.equal((await labExec('master-2', 'systemctl is-active etcd || true')).stdout.trim(), 'inactive', 'master-2 was not touched after the failure (one host at a time)');

  await labOk('mend-etcd-conf', 'master-0');
  const second = await runWatched(RESTORE, inventory, []);
  t.notOk(second.hung, 'the re-run ends by itself');
  t.equal(second.rc, 0, 'the re-run after etcd.conf is mended exits 0');
  if (second.rc !== 0) t.comment(digest(second), second.stderr);
  t.same(await memberNames('master-1', etcdEndpoints(3)), NAMES, 'three members');
  await assertDataReadBack(t, 'after the re-run');
  const third = await runWatched(RESTORE, inventory, []);
  t.equal(third.rc, 2, 'once more: the preflight refuses, quorum holds');
  t.same(third.changed, [], 'and nothing changes');
});
