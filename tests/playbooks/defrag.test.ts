/**
 * playbooks/defrag.yml on the 3.11 lab (3 masters, etcd.service), as an
 * operator runs it:
 *
 *   --check                  the leader, the order and the sizes; nothing changed;
 *   a run                    every other member first and the leader last, one
 *                            at a time (read from the run's own events), each
 *                            member's DB size before and after, every key read back;
 *   NOSPACE for real         `lab fill-etcd master-1` lowers its quota and writes
 *                            until the alarm is raised; the run gives the space
 *                            back, disarms the alarm, and a write works again;
 *   a member down            refused before any defragmentation, nothing changed.
 *
 * The default lab is reset at the end.
 */
import t, { type Test } from 'tap';
import { ensureLabUp, etcdEndpoints, lab, labExec, labStatus, resetLab, verifyData, waitUntil, labLeader } from '../helpers/lab.js';
import { assertHostsUnchanged, snapshotHosts } from '../helpers/check-proof.js';
import { digest, failures, runWatched } from '../helpers/procedure-tester.js';
import { inventoryCopy, type Run } from './helpers.js';
import { join } from 'node:path';
import { REPO } from '../helpers/lab.js';

t.setTimeout(1_500_000);

const DEFRAG = join(REPO, 'playbooks/defrag.yml');
const MASTERS = ['master-0', 'master-1', 'master-2'];
const DEFRAG_TASK = 'C.2.2 step 2: etcdctl defrag on this member (etcd_defrag: every member healthy first; --command-timeout raised on a timeout error)';
const ALARM_TASK = 'C.2.2 step 3: etcdctl alarm list; alarm disarm when NOSPACE is raised; alarm list again (etcd_alarm)';
const GUARD_TASK = 'C.2.2 step 1: refuse unless every member is healthy (defragmenting blocks a member: quorum must not be at risk)';

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await resetLab();
});

let inventory: string;

interface Defragged {
  host: string;
  name: string;
  is_leader: boolean;
  db_size_before: number;
  db_size_after?: number;
  db_size_in_use_before?: number;
}

/**
 * The defrag task's results in the order they came, each with how many
 * defrag results had started before it ended: one member at a time means
 * each task_start of the defrag task has exactly one host result before the next.
 */
function defragResults(run: Run): { results: Defragged[]; batches: string[][] } {
  const results: Defragged[] = [];
  const batches: string[][] = [];
  let task = '';
  for (const e of run.events) {
    if (e.type === 'task_start') {
      task = String(e.name);
      if (task === DEFRAG_TASK) batches.push([]);
    }
    if (e.type === 'host_result' && task === DEFRAG_TASK && !e.loopSummary) {
      batches[batches.length - 1]!.push(String(e.host));
      results.push({ host: String(e.host), ...(e.result as Omit<Defragged, 'host'>) });
    }
  }
  return { results, batches };
}

function alarmResult(run: Run): { alarms_before: { alarm: string }[]; alarms: { alarm: string }[] } | undefined {
  let task = '';
  for (const e of run.events) {
    if (e.type === 'task_start') task = String(e.name);
    if (e.type === 'host_result' && task === ALARM_TASK) return e.result as { alarms_before: { alarm: string }[]; alarms: { alarm: string }[] };
  }
  return undefined;
}

async function alarmList(): Promise<string> {
  const r = await labExec('master-0', `etcdctl3 --endpoints=${etcdEndpoints()} alarm list`);
  if (r.rc !== 0) throw new Error(`alarm list failed: ${r.stderr}`);
  return r.stdout.trim();
}

async function assertEveryKey(t: Test, what: string) {
  const data = await verifyData();
  t.equal(data.matching, 1000, `${what}: every known key reads back with its value`);
  t.ok(data.checksumOk, `${what}: the checksum of the known data matches`);
}

t.test('--check: the leader, the order and the sizes; nothing changed', async (t) => {
  inventory = inventoryCopy(3);
  const leader = await labLeader();
  const before = await snapshotHosts([...MASTERS, 'lb']);
  const run = await runWatched(DEFRAG, inventory, ['--check', '-e', 'defrag_pause=1']);
  t.notOk(run.hung, 'the run ends by itself');
  t.equal(run.rc, 0, 'exit 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  const { results } = defragResults(run);
  t.same(results.map((r) => r.host).slice(-1), [leader], 'the leader comes last');
  t.same(results.map((r) => r.host).sort(), MASTERS, 'every member, once');
  for (const r of results) t.ok(r.db_size_before > 0, `${r.host}: its DB size is read`);
  t.match(run.stdout, new RegExp(`leader: ${leader};`), 'step 1 names the leader');
  await assertHostsUnchanged(t, before, 'after --check');
});

/**
 * Space that only a defrag gives back, on every member: 100 values of 64 KiB
 * written, deleted, and history compacted (what etcd's own compaction leaves).
 */
async function fragment(): Promise<void> {
  const eps = etcdEndpoints();
  const r = await labExec(
    'master-0',
    `v=$(head -c 65536 /dev/zero | tr '\\0' x); for i in $(seq -w 1 100); do etcdctl3 --endpoints=${eps} put /tsplay-test/frag/$i "$v" >/dev/null || exit 1; done; ` +
      `etcdctl3 --endpoints=${eps} del --prefix /tsplay-test/frag/ >/dev/null && ` +
      `rev=$(etcdctl3 --endpoints=${eps} get / -w json --limit 1 | grep -o '"revision":[0-9]*' | cut -d: -f2) && ` +
      `etcdctl3 --endpoints=${eps} compact --physical "$rev"`,
  );
  if (r.rc !== 0) throw new Error(`fragmenting the DB failed: ${r.stderr}`);
}

t.test('a run: every other member first, the leader last, one at a time; sizes before and after; every key reads back', async (t) => {
  await fragment();
  const leader = await labLeader();
  // Every member, whatever its dbSizeInUse says: bbolt counts the pages a compaction freed as in use until
  // no transaction holds them, which on a follower can take a while, so the 1 MiB default could skip one.
  const run = await runWatched(DEFRAG, inventory, ['-e', 'defrag_pause=1', '-e', 'defrag_min_free_bytes=0']);
  t.notOk(run.hung, 'the run ends by itself');
  t.equal(run.rc, 0, 'exit 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  const { results, batches } = defragResults(run);
  t.same(batches.map((b) => b.length), [1, 1, 1], 'one member per batch: never two at once');
  t.equal(results[2]?.host, leader, 'the leader is defragmented last');
  t.same(results.map((r) => r.is_leader), [false, false, true], 'the first two were not leading when defragmented');
  for (const r of results) {
    t.ok(r.db_size_before > 0, `${r.host}: DB size before (${r.db_size_before})`);
    t.ok(r.db_size_after !== undefined && r.db_size_after * 2 < r.db_size_before, `${r.host}: DB size after (${r.db_size_after}) less than half of before`);
  }
  const alarms = alarmResult(run);
  t.same(alarms, { ...alarms, alarms_before: [], alarms: [] }, 'no alarm was raised, none disarmed');
  await assertEveryKey(t, 'after the defragmentation');

  const again = await runWatched(DEFRAG, inventory, ['-e', 'defrag_pause=1']);
  t.equal(again.rc, 0, 'a second run exits 0');
  t.same(again.changed, [], 'and changes nothing: no member has space to give back');
});

t.test('NOSPACE raised by fill-etcd: defragmented, disarmed, and writes work again', async (t) => {
  const confBefore = (await labExec('master-1', 'sha256sum /etc/etcd/etcd.conf')).stdout;
  const fill = await lab('fill-etcd', 'master-1');
  t.equal(fill.rc, 0, 'lab fill-etcd master-1');
  if (fill.rc !== 0) t.comment(fill.stderr);
  t.match(await alarmList(), /alarm:NOSPACE/, 'the NOSPACE alarm is raised');
  const refused = await labExec('master-0', `etcdctl3 --endpoints=${etcdEndpoints()} put /tsplay-test/after-fill yes`);
  t.not(refused.rc, 0, 'a write is refused while NOSPACE is raised');
  t.match(refused.stderr, /database space exceeded/, 'refused for lack of space');

  const run = await runWatched(DEFRAG, inventory, ['-e', 'defrag_pause=1']);
  t.notOk(run.hung, 'the run ends by itself');
  t.equal(run.rc, 0, 'exit 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  const filled = defragResults(run).results.find((r) => r.host === 'master-1');
  t.ok(filled && filled.db_size_after !== undefined && filled.db_size_after * 2 < filled.db_size_before,
    `master-1's DB gave back the space (${filled?.db_size_before} -> ${filled?.db_size_after} bytes)`);
  const alarms = alarmResult(run);
  t.same(alarms?.alarms_before.map((a) => a.alarm), ['NOSPACE'], 'step 3 listed NOSPACE');
  t.same(alarms?.alarms, [], 'and the list after the disarm is empty');
  t.equal(await alarmList(), '', 'etcdctl alarm list is empty');
  const put = await labExec('master-0', `etcdctl3 --endpoints=${etcdEndpoints()} put /tsplay-test/after-fill yes && etcdctl3 --endpoints=${etcdEndpoints()} del /tsplay-test/after-fill`);
  t.equal(put.rc, 0, 'a write works again');
  await assertEveryKey(t, 'after NOSPACE was cleared');

  const again = await runWatched(DEFRAG, inventory, ['-e', 'defrag_pause=1']);
  t.equal(again.rc, 0, 'a second run exits 0');
  t.same(alarmResult(again)?.alarms_before, [], 'a second run finds no alarm');

  const unfill = await lab('unfill-etcd', 'master-1');
  t.equal(unfill.rc, 0, "lab unfill-etcd master-1: etcd.conf's own quota again");
  if (unfill.rc !== 0) t.comment(unfill.stderr);
  t.equal((await labExec('master-1', 'sha256sum /etc/etcd/etcd.conf')).stdout, confBefore, 'etcd.conf is byte for byte what it was before fill-etcd');
});

t.test('a member down: refused before any defragmentation, nothing changed', async (t) => {
  const kill = await lab('kill', 'master-2');
  t.equal(kill.rc, 0, 'lab kill master-2');
  const before = await snapshotHosts([...MASTERS, 'lb']);
  const run = await runWatched(DEFRAG, inventory, ['-e', 'defrag_pause=1']);
  t.notOk(run.hung, 'the run ends by itself');
  t.equal(run.rc, 2, 'exit 2');
  const failed = failures(run);
  t.same(failed.map((f) => `${f.host}: ${f.task}`), [`localhost: ${GUARD_TASK}`], 'the guard refuses, and nothing else fails');
  t.match(
    failed[0]?.msg ?? '',
    /^1 of 3 etcd members is not healthy \(master-2\.example\.com on master-2: [^)]+\): a member being defragmented does not answer until it finishes, so defragmenting now would put quorum at risk\. Nothing was defragmented\. Bring every member back to health first \(playbooks\/cluster-status\.yml shows them\), then run again\.$/,
    'the refusal names the member, its host and what to do',
  );
  if (run.rc !== 2) t.comment(digest(run), run.stderr.slice(-2000));
  t.same(run.changed, [], 'changed=0');
  t.same(defragResults(run).results, [], 'no member was defragmented');
  await assertHostsUnchanged(t, before, 'after the refusal');
  const start = await lab('start', 'master-2');
  t.equal(start.rc, 0, 'lab start master-2');
  await waitUntil('every member healthy again', async () => (await labStatus()).hosts.filter((h) => h.etcd?.healthy).length === 3, 180_000);
  await assertEveryKey(t, 'after the refusal');
});
