/**
 * The guards that need more than 3 masters, as docs/playbooks.md lists them:
 *
 *   5 masters  decommission-master.yml to an even number (4): refused;
 *   4 masters  decommission-master.yml from 4 to 3: no force needed, it ends
 *              with 3 healthy members and every key; again: nothing to do.
 *
 * Each scenario sets up its own cluster from a reset lab.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { ensureLabUp, etcdEndpoints, resetLab } from '../helpers/lab.js';
import { assertDataReadBack, digest, prepare, refusesChangingNothing, runWatched, type Scenario } from '../helpers/procedure-tester.js';
import { DECOMMISSION, iniGroup, memberNames } from './helpers.js';

t.setTimeout(1_500_000);

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await resetLab();
});

t.test('5 masters, decommission-master.yml of master-4 (4 would be left, an even number): refused, nothing changed', async (t) => {
  const s: Scenario = { masters: 5, playbook: DECOMMISSION, args: ['-e', 'master=master-4'], setup: async () => {} };
  const inventory = await prepare(s);
  await refusesChangingNothing(t, s, inventory, {
    rc: 2,
    task: 'B.0 What is left; refuse to go below 3 masters or to an even number, or while quorum is lost (etcd_decommission_plan)',
    msg: 'deprecating master-4 leaves 4 masters and 4 etcd members: an even number, so the control plane is no longer highly available (HA needs at least 3, and an odd number). Run with -e force=true to deprecate it anyway.',
  });
});

t.test('4 masters, decommission-master.yml of master-3 (3 left): no force needed, 3 healthy members, every key; again: nothing to do', async (t) => {
  const s: Scenario = { masters: 4, playbook: DECOMMISSION, args: ['-e', 'master=master-3'], setup: async () => {} };
  const inventory = await prepare(s);
  const run = await runWatched(DECOMMISSION, inventory, s.args!);
  t.notOk(run.hung, 'the run ends by itself');
  t.equal(run.rc, 0, 'exit code 0, without -e force=true');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  const names = ['master-0', 'master-1', 'master-2'].map((h) => `${h}.example.com`);
  t.same(await memberNames('master-0', etcdEndpoints(3)), names, 'the member list names the three remaining masters');
  const text = readFileSync(inventory, 'utf8');
  t.same(iniGroup(text, 'masters'), ['master-0', 'master-1', 'master-2'], 'the inventory [masters] no longer lists master-3');
  t.same(iniGroup(text, 'etcd'), ['master-0', 'master-1', 'master-2'], 'nor does [etcd]');
  await assertDataReadBack(t, 'after the decommission');
  const again = await runWatched(DECOMMISSION, inventory, s.args!);
  t.equal(again.rc, 0, 'the same command again exits 0');
  t.match(again.stdout, /master-3 is in no group of this inventory \(masters: master-0, master-1, master-2\): already deprecated, nothing to do/);
  t.same(again.changed, [], 'and changes nothing');
});
