/**
 * 5. A master powered off during the API restart of decommission-master.yml
 * (the procedure tester's `lab kill`), from a reset lab of 4 masters,
 * deprecating master-3: master-1 goes down when `B.4 Restart the master API`
 * starts. The run must end, name the host and the step, keep quorum (3
 * members left, 2 up), and keep master-3 in the inventory so that the same
 * command, once master-1 is back, finishes the steps master-1 missed; after
 * that, a further run has nothing to do.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { ensureLabUp, etcdEndpoints, lab } from '../helpers/lab.js';
import { assertDataReadBack, atTask, digest, failures, labFault, prepare, runWatched, type Scenario } from '../helpers/procedure-tester.js';
import { DECOMMISSION, envValue, iniGroup, memberNames } from './helpers.js';
import { NAMES, labOk } from './scenarios.js';

t.setTimeout(1_400_000);

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await lab('reset', '--masters', '3');
});

const fourMasters: Scenario = { playbook: DECOMMISSION, masters: 4, args: ['-e', 'master=master-3'], setup: async () => {} };

t.test('5. a master powered off during the API restart: the run names it, quorum holds, master-3 stays in the inventory; back, the same command finishes', async (t) => {
  const inventory = await prepare(fourMasters);
  const STEP = 'B.4 Restart the master API (master-restart api)';
  const first = await runWatched(DECOMMISSION, inventory, fourMasters.args!, { at: atTask(STEP), inject: labFault('kill', 'master-1') });
  t.ok(first.injection?.ok, `master-1 powered off when "${STEP}" started (${first.injection?.detail})`);
  t.notOk(first.hung, 'the run ends by itself');
  t.not(first.rc, 0, `the run fails (exit ${first.rc})`);
  const failed = failures(first);
  t.ok(failed.some((f) => f.host === 'master-1' && f.task.startsWith('B.4')), 'master-1 is reported at a B.4 step');
  const told = failed.find((f) => f.task === 'B.4 Stop unless every remaining member is healthy: which, and what to do');
  t.ok(told, 'the run says what is left and what to do');
  if (!told) t.comment(digest(first));
  t.match(told?.msg, /^2 of 3 remaining etcd members are healthy \(not: master-1\.example\.com; quorum holds\)\./, 'which member, and the quorum');
  t.match(told?.msg, /What to do: bring the hosts named back \(power, SSH, etcd\), then run the same command again: tsplay run playbooks\/decommission-master\.yml -i \S+ -e master=master-3\./, 'and the command to run');
  const text = readFileSync(inventory, 'utf8');
  t.ok(iniGroup(text, 'masters').includes('master-3'), 'the inventory still lists master-3 in [masters]: the same command will finish');
  t.same(await memberNames('master-0', etcdEndpoints(3)), NAMES, 'etcd: master-3 has left, three members remain');
  await assertDataReadBack(t, 'with master-1 down, 2 of 3 members up');

  await labOk('start', 'master-1');
  const second = await runWatched(DECOMMISSION, inventory, fourMasters.args!);
  t.notOk(second.hung, 'the re-run ends by itself');
  t.equal(second.rc, 0, 'the re-run after master-1 is back exits 0');
  if (second.rc !== 0) t.comment(digest(second), second.stderr);
  const after = readFileSync(inventory, 'utf8');
  for (const g of ['masters', 'nodes', 'etcd']) t.notOk(iniGroup(after, g).includes('master-3'), `master-3 is out of [${g}]`);
  const cluster = await envValue('master-1', '/etc/etcd/etcd.conf', 'ETCD_INITIAL_CLUSTER');
  t.notMatch(cluster, /master-3/, `master-1's ETCD_INITIAL_CLUSTER no longer names master-3 (${cluster})`);
  t.notMatch(await envValue('master-1', '/etc/sysconfig/flanneld', 'FLANNEL_ETCD_ENDPOINTS'), /master-3/, "master-1's FLANNEL_ETCD_ENDPOINTS no longer names master-3");
  t.same(await memberNames('master-0', etcdEndpoints(3)), NAMES, 'three members');
  await assertDataReadBack(t, 'after the re-run');
  const third = await runWatched(DECOMMISSION, inventory, fourMasters.args!);
  t.equal(third.rc, 0, 'once more: exit 0');
  t.match(third.stdout, /already deprecated, nothing to do/);
  t.same(third.changed, [], 'and nothing changes');
});
