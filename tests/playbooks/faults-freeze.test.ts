/**
 * A host's SSH frozen mid-command during playbooks/restore-quorum.yml (the
 * procedure tester's `lab freeze`: sshd and its sessions stopped, the TCP
 * connection open, nothing answering). From a reset lab with quorum lost
 * (master-1 kept, master-0 and master-2 back without data), master-0's SSH
 * freezes while etcd starts there as a new member. The run must end through
 * its own timeouts (SSH keepalives), name master-0, and leave the survivor
 * serving (the new member is a learner: no vote, so no quorum to lose).
 * Thawed, the same command finishes with every key read back.
 */
import t from 'tap';
import { ensureLabUp, etcdEndpoints, lab, labExec } from '../helpers/lab.js';
import { assertDataReadBack, atTask, digest, failures, labFault, prepare, runWatched } from '../helpers/procedure-tester.js';
import { RESTORE, memberNames } from './helpers.js';
import { NAMES, labOk, quorumLost } from './scenarios.js';

t.setTimeout(1_400_000);

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await lab('thaw', 'master-0');
  await lab('reset', '--masters', '3');
});

t.test('3. SSH frozen on a joining host mid-command: the run ends by its keepalives, quorum holds; thawed, the same command finishes', async (t) => {
  const inventory = await prepare(quorumLost);
  const STEP = 'A.4 Start etcd (enabled, so it comes back after a reboot)';
  const first = await runWatched(RESTORE, inventory, [], { at: atTask(STEP), inject: labFault('freeze', 'master-0') });
  t.ok(first.injection?.ok, `master-0's SSH frozen when "${STEP}" started (${first.injection?.detail})`);
  t.notOk(first.hung, 'the run ends by itself (SSH keepalives), well before the hang detector');
  t.not(first.rc, 0, `the run fails (exit ${first.rc})`);
  const failed = failures(first);
  t.ok(failed.some((f) => f.host === 'master-0' && f.status === 'unreachable' && f.task.startsWith('A.4')), 'master-0 is reported UNREACHABLE at an A.4 step');
  const m0 = failed.find((f) => f.host === 'master-0');
  t.match(m0?.msg, /keepalive|timed out|timeout/i, `and why: ${m0?.msg}`);
  if (!failed.length) t.comment(digest(first));
  const end = first.events.find((e) => e.type === 'run_end') as { durationMs?: number } | undefined;
  t.comment(`the run with master-0 frozen ended after ${((end?.durationMs ?? 0) / 1000).toFixed(1)} s`);

  // While master-0 is still frozen: the survivor serves, with its quorum.
  const voters = await labExec('master-1', 'etcdctl3 --endpoints=https://127.0.10.2:2379 member list -w json');
  const members = (JSON.parse(voters.stdout) as { members: { name?: string; isLearner?: boolean }[] }).members;
  t.same(members.filter((m) => !m.isLearner).map((m) => m.name), ['master-1.example.com'], 'the only voting member is the survivor: master-0 never got a vote');
  await assertDataReadBack(t, 'with master-0 frozen');

  await labOk('thaw', 'master-0');
  const second = await runWatched(RESTORE, inventory, []);
  t.notOk(second.hung, 'the re-run ends by itself');
  t.equal(second.rc, 0, 'the re-run after master-0 is thawed exits 0');
  if (second.rc !== 0) t.comment(digest(second), second.stderr);
  t.same(await memberNames('master-1', etcdEndpoints(3)), NAMES, 'three members');
  await assertDataReadBack(t, 'after the re-run');
  const third = await runWatched(RESTORE, inventory, []);
  t.equal(third.rc, 2, 'once more: the preflight refuses, quorum holds');
  t.same(third.changed, [], 'and nothing changes');
});
