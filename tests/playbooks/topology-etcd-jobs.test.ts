/**
 * The routine etcd jobs on the other etcd topologies, with the inventory an
 * operator writes (`lab inventory --fqdn`: hosts by FQDN, no lab variables):
 * etcd as static pods on the masters (`lab up --etcd static-pod`) and on
 * dedicated etcd hosts (`lab up --etcd-hosts 3`). Discovery is per host, so
 * the same commands as on etcd.service:
 *
 *   etcd-backup.yml   the snapshot from the leader's host, verified, fetched identical;
 *   defrag.yml        every member, one at a time, the leader last; every key read back.
 *
 * The default lab is restored at the end.
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, LAB_DATA_KEYS, labExec, labTopologyStatus, labUpWith, restoreDefaultLab } from '../helpers/lab.js';
import { assertDataReadBack, digest, runWatched } from '../helpers/procedure-tester.js';
import { DEDICATED, STATIC_POD, fqdn, freshCluster, healthyMembers, type Topology } from './topology.js';

t.setTimeout(1_500_000);

const BACKUP = join(REPO, 'playbooks/etcd-backup.yml');
const DEFRAG = join(REPO, 'playbooks/defrag.yml');
const SNAPSHOT_TASK = 'Backup: etcdctl snapshot save, then etcdctl snapshot status (etcd_snapshot)';
const DEFRAG_TASK = 'C.2.2 step 2: etcdctl defrag on this member (etcd_defrag: every member healthy first; --command-timeout raised on a timeout error)';

t.teardown(restoreDefaultLab);

/** Hosts that had a result of the task, in order. */
function hostsOf(run: { events: Record<string, unknown>[] }, name: string): string[] {
  const out: string[] = [];
  let task = '';
  for (const e of run.events) {
    if (e.type === 'task_start') task = String(e.name);
    if (e.type === 'host_result' && task === name && !e.loopSummary) out.push(String(e.host));
  }
  return out;
}

/** The leader's lab id, and its name in the operator's inventory (by FQDN). */
async function leader(): Promise<{ id: string; inventoryName: string }> {
  const st = await labTopologyStatus();
  const l = st.hosts.filter((h) => h.etcd?.isLeader);
  if (l.length !== 1) throw new Error(`expected one leader: ${JSON.stringify(l)}`);
  return { id: l[0]!.name, inventoryName: fqdn(l[0]!.name) };
}

async function jobs(t: Test, topo: Topology, members: string[]) {
  await labUpWith(...topo.flags);
  const inventory = await freshCluster(topo);
  t.same(await healthyMembers(topo), members, `every member healthy, as ${topo.deployment}`);

  const l = await leader();
  const fetchTo = mkdtempSync(join(tmpdir(), 'tsplay-backup-topology-'));
  const dir = '/backup/etcd-test-topology';
  const backup = await runWatched(BACKUP, inventory, ['-e', `backup_dir=${dir}`, '-e', `fetch_to=${fetchTo}`]);
  t.equal(backup.rc, 0, 'etcd-backup.yml exits 0');
  if (backup.rc !== 0) t.comment(digest(backup), backup.stderr.slice(-2000));
  t.same(hostsOf(backup, SNAPSHOT_TASK), [l.inventoryName], "the snapshot comes from the leader's host");
  const status = await labExec(l.id, `etcdctl3 snapshot status ${dir}/snapshot.db -w json`);
  t.equal(status.rc, 0, 'snapshot status reads it');
  t.ok(Number((JSON.parse(status.stdout || '{}') as { totalKey?: number }).totalKey) >= LAB_DATA_KEYS + 1, 'it holds the known keys');
  const fetched = readdirSync(fetchTo);
  t.equal(fetched.length, 1, 'one snapshot fetched');
  const local = fetched[0] ? createHash('sha256').update(readFileSync(join(fetchTo, fetched[0]))).digest('hex') : '';
  t.equal(local, (await labExec(l.id, `sha256sum ${dir}/snapshot.db`)).stdout.split(' ')[0], 'the fetched copy is identical');

  const defrag = await runWatched(DEFRAG, inventory, ['-e', 'defrag_pause=1']);
  t.equal(defrag.rc, 0, 'defrag.yml exits 0');
  if (defrag.rc !== 0) t.comment(digest(defrag), defrag.stderr.slice(-2000));
  const order = hostsOf(defrag, DEFRAG_TASK);
  t.equal(order.length, members.length, 'every member defragmented once');
  t.equal(order[order.length - 1], l.inventoryName, 'the leader last');
  t.same(await healthyMembers(topo), members, 'every member healthy after');
  await assertDataReadBack(t, 'after the defragmentation');
}

t.test('etcd as static pods on the masters', async (t) => {
  await jobs(t, STATIC_POD, ['master-0', 'master-1', 'master-2']);
});

t.test('etcd on 3 dedicated hosts', async (t) => {
  await jobs(t, DEDICATED, ['etcd-0', 'etcd-1', 'etcd-2']);
});
