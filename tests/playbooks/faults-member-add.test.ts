/**
 * A joining host powered off during its `member add` (restore-quorum.yml's
 * add-back, from a reset lab with quorum lost: master-1 kept, master-0 and
 * master-2 back without data). The member is added as a learner, so the
 * survivor keeps its quorum while master-0 is gone; the run names master-0;
 * started again, the same command finishes with every key read back.
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
  await lab('reset', '--masters', '3');
});

t.test('a joining host powered off during its member add: quorum holds, the run names it; back, the same command finishes', async (t) => {
  const inventory = await prepare(quorumLost);
  const STEP = 'A.4 member add on a running member (as a learner)';
  const first = await runWatched(RESTORE, inventory, [], { at: atTask(STEP), inject: labFault('kill', 'master-0') });
  t.ok(first.injection?.ok, `master-0 powered off when "${STEP}" started (${first.injection?.detail})`);
  t.notOk(first.hung, 'the run ends by itself');
  t.not(first.rc, 0, `the run fails (exit ${first.rc})`);
  const failed = failures(first);
  t.ok(failed.some((f) => f.host === 'master-0' && f.task.startsWith('A.4')), 'master-0 is reported at an A.4 step');
  if (!failed.length) t.comment(digest(first));
  const list = await labExec('master-1', 'etcdctl3 --endpoints=https://127.0.10.2:2379 member list -w json');
  const members = (JSON.parse(list.stdout) as { members: { name?: string; isLearner?: boolean }[] }).members;
  t.same(members.filter((m) => !m.isLearner).map((m) => m.name), ['master-1.example.com'], 'the only voting member is the survivor: master-0 got no vote');
  await assertDataReadBack(t, 'with master-0 off');

  await labOk('start', 'master-0');
  const second = await runWatched(RESTORE, inventory, []);
  t.notOk(second.hung, 'the re-run ends by itself');
  t.equal(second.rc, 0, 'the re-run after master-0 is back exits 0');
  if (second.rc !== 0) t.comment(digest(second), second.stderr);
  t.same(await memberNames('master-1', etcdEndpoints(3)), NAMES, 'three members');
  await assertDataReadBack(t, 'after the re-run');
  const third = await runWatched(RESTORE, inventory, []);
  t.equal(third.rc, 2, 'once more: the preflight refuses, quorum holds');
  t.same(third.changed, [], 'and nothing changes');
});
