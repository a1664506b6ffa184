/**
 * The controller lost during restore-quorum.yml on the two other 3.11 etcd
 * topologies, each scenario from its own clean cluster with quorum lost (one
 * member kept, the two others back without data), run from the inventory an
 * operator writes: the whole tsplay process group SIGKILLed, then the same
 * command run again finishes with three healthy members and every key read
 * back, and once more changes nothing.
 *   static pods (`lab up --etcd static-pod`):
 *     - inside A.3, when the node service is about to stop: the etcd
 *       manifest is moved out and the pod is gone;
 *     - inside A.4's `member promote` of the first host added back.
 *   dedicated etcd hosts (`lab up --etcd-hosts 3`):
 *     - at the boundary after the restore is marked in progress (A.1);
 *     - inside A.3, when etcd restarts with --force-new-cluster (the
 *       temp.conf drop-in in place).
 * The default lab is restored at the end.
 */
import t from 'tap';
import { etcdEndpointsOf, labUpWith, restoreDefaultLab } from '../helpers/lab.js';
import { afterTask, assertDataReadBack, atTask, killedThenRerun, runWatched, type RunEvent, type Scenario } from '../helpers/procedure-tester.js';
import { RESTORE, memberNames } from './helpers.js';
import { labOk } from './scenarios.js';
import { DEDICATED, STATIC_POD, fqdn, freshCluster, healthyMembers, type Topology } from './topology.js';

t.setTimeout(2_400_000);
t.teardown(restoreDefaultLab);

interface Case {
  topology: Topology;
  members: string[];
  keep: string;
  hosts: string[];
  points: [string, (e: RunEvent, seen: RunEvent[]) => boolean][];
}

const cases: [string, Case][] = [
  [
    'static pods',
    {
      topology: STATIC_POD,
      members: ['master-0', 'master-1', 'master-2'],
      keep: 'master-1',
      hosts: ['master-0', 'master-1', 'master-2', 'lb'],
      points: [
        ['inside A.3, the manifest moved out and the pod stopped', atTask('A.3 Stop etcd: stop the node service')],
        ['inside member promote of the first host added back (A.4)', atTask('A.4 member promote: the learner becomes a voting member once it has caught up')],
      ],
    },
  ],
  [
    'dedicated etcd hosts',
    {
      topology: DEDICATED,
      members: ['etcd-0', 'etcd-1', 'etcd-2'],
      keep: 'etcd-1',
      hosts: ['master-0', 'master-1', 'master-2', 'etcd-0', 'etcd-1', 'etcd-2', 'lb'],
      points: [
        ['at the boundary after the restore is marked in progress (A.1)', afterTask('A.1 Mark the restore as in progress on the survivor (a re-run resumes from it)', fqdn('etcd-1'))],
        ['inside A.3, etcd restarting with --force-new-cluster', atTask('A.3 Restart etcd with --force-new-cluster (systemctl restart etcd)')],
      ],
    },
  ],
];

for (const [name, c] of cases) {
  t.test(name, async (t) => {
    await labUpWith(...c.topology.flags);
    const scenario: Scenario = {
      playbook: RESTORE,
      hosts: c.hosts,
      setup: async () => {
        await labOk('break-quorum', '--keep', c.keep);
        for (const h of c.members.filter((m) => m !== c.keep)) {
          await labOk('wipe-etcd', h);
          await labOk('start', h);
        }
      },
    };
    for (const [what, at] of c.points) {
      t.test(`the controller killed ${what}; the same command finishes`, async (t) => {
        const inventory = await freshCluster(c.topology);
        await scenario.setup();
        const { second } = await killedThenRerun(t, scenario, inventory, at, what);
        t.match(second.stdout, /resuming the interrupted restore/, 'it resumes the interrupted restore');
        t.same(await healthyMembers(c.topology), c.members, `every member healthy, as ${c.topology.deployment}`);
        t.same(await memberNames(c.keep, etcdEndpointsOf(c.members)), c.members.map(fqdn), 'the member list names the three members');
        await assertDataReadBack(t, 'after the re-run');
        const third = await runWatched(RESTORE, inventory, []);
        t.equal(third.rc, 2, 'once more: the preflight refuses, quorum holds');
        t.same(third.changed, [], 'and nothing changes');
      });
    }
  });
}
