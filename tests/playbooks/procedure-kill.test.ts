/**
 * The procedure tester's controller-loss scenarios for restore-quorum.yml:
 * the whole tsplay process group SIGKILLed (a lost laptop) at a step
 * boundary and inside a long step, each from its own reset lab with quorum
 * lost (master-1 kept, master-0 and master-2 back without data); the same
 * command run again finishes with every key read back, and once more changes
 * nothing.
 *   - at the boundary after the restore is marked in progress (A.1);
 *   - inside A.4's `member promote` of the first host added back (a learner
 *     in the member list, not yet a voter).
 */
import t from 'tap';
import { ensureLabUp, etcdEndpoints, lab } from '../helpers/lab.js';
import { afterTask, assertDataReadBack, atTask, killedThenRerun, prepare, runWatched } from '../helpers/procedure-tester.js';
import { RESTORE, memberNames } from './helpers.js';
import { NAMES, quorumLost } from './scenarios.js';

t.setTimeout(1_400_000);

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await lab('reset', '--masters', '3');
});

const points: [string, Parameters<typeof killedThenRerun>[3]][] = [
  ['at the boundary after the restore is marked in progress (A.1)', afterTask('A.1 Mark the restore as in progress on the survivor (a re-run resumes from it)', 'master-1')],
  ['inside member promote of the first host added back (A.4)', atTask('A.4 member promote: the learner becomes a voting member once it has caught up')],
];

for (const [what, at] of points) {
  t.test(`the controller killed ${what}; the same command finishes`, async (t) => {
    const inventory = await prepare(quorumLost);
    const { second } = await killedThenRerun(t, quorumLost, inventory, at, what);
    t.match(second.stdout, /resuming the interrupted restore/, 'it resumes the interrupted restore');
    t.same(await memberNames('master-1', etcdEndpoints(3)), NAMES, 'three members');
    await assertDataReadBack(t, 'after the re-run');
    const third = await runWatched(RESTORE, inventory, []);
    t.equal(third.rc, 2, 'once more: the preflight refuses, quorum holds');
    t.same(third.changed, [], 'and nothing changes');
  });
}
