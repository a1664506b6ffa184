/**
 * playbooks/etcd-backup.yml on the 3.11 lab (3 masters, etcd.service), as an
 * operator runs it:
 *
 *   --check                 nothing written on any host nor on the controller;
 *   a run                   the snapshot in the dated folder on the leader's host,
 *                           `snapshot status` of it holding at least the lab's known
 *                           keys, /etc/etcd copied on every etcd host, the copy
 *                           fetched to the controller identical to the host's;
 *   the same run again      changes nothing;
 *   -e host=master-2        the snapshot from that member;
 *   no member healthy       refused, nothing written.
 *
 * The default lab is reset at the end.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, ensureLabUp, lab, labExec, resetLab, LAB_DATA_KEYS, labLeader } from '../helpers/lab.js';
import { assertHostsUnchanged, snapshotHosts } from '../helpers/check-proof.js';
import { digest, failures, runWatched } from '../helpers/procedure-tester.js';
import { inventoryCopy } from './helpers.js';

t.setTimeout(1_500_000);

const BACKUP = join(REPO, 'playbooks/etcd-backup.yml');
const MASTERS = ['master-0', 'master-1', 'master-2'];
const DIR = '/backup/etcd-test-routine';
const SNAPSHOT_TASK = 'Backup: etcdctl snapshot save, then etcdctl snapshot status (etcd_snapshot)';
const REFUSAL_TASK = 'Backup: refuse when no member is healthy';

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await resetLab();
});

let inventory: string;

async function exists(host: string, path: string): Promise<boolean> {
  return (await labExec(host, `test -e ${path}`)).rc === 0;
}

async function snapshotStatus(host: string, path: string): Promise<{ hash: number; revision: number; totalKey: number; totalSize: number }> {
  const r = await labExec(host, `etcdctl3 snapshot status ${path} -w json`);
  if (r.rc !== 0) throw new Error(`${host}: snapshot status ${path} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The hosts the snapshot task ran on, with their results. */
function snapshotResults(run: { events: Record<string, unknown>[] }): { host: string; result: Record<string, unknown> }[] {
  const out: { host: string; result: Record<string, unknown> }[] = [];
  let task = '';
  for (const e of run.events) {
    if (e.type === 'task_start') task = String(e.name);
    if (e.type === 'host_result' && task === SNAPSHOT_TASK) out.push({ host: String(e.host), result: e.result as Record<string, unknown> });
  }
  return out;
}

t.test('--check: nothing written on any host nor on the controller', async (t) => {
  inventory = inventoryCopy(3);
  const fetchTo = mkdtempSync(join(tmpdir(), 'tsplay-backup-check-'));
  const before = await snapshotHosts([...MASTERS, 'lb']);
  const run = await runWatched(BACKUP, inventory, ['--check', '-e', `backup_dir=${DIR}`, '-e', `fetch_to=${fetchTo}`]);
  t.notOk(run.hung, 'the run ends by itself');
  t.equal(run.rc, 0, 'exit 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  t.match(run.stdout, /would save a snapshot from https:\/\/127\.0\.10\.\d:2379/, 'it says what it would save');
  await assertHostsUnchanged(t, before, 'after --check');
  for (const h of MASTERS) t.notOk(await exists(h, DIR), `${h}: no ${DIR}`);
  t.same(readdirSync(fetchTo), [], 'nothing fetched');
});

t.test('a run: the snapshot on the leader, verified, /etc/etcd copied, the fetched copy identical; again: nothing changes', async (t) => {
  const leader = await labLeader();
  const fetchTo = mkdtempSync(join(tmpdir(), 'tsplay-backup-'));
  const args = ['-e', `backup_dir=${DIR}`, '-e', `fetch_to=${fetchTo}`];
  const run = await runWatched(BACKUP, inventory, args);
  t.notOk(run.hung, 'the run ends by itself');
  t.equal(run.rc, 0, 'exit 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  t.same(snapshotResults(run).map((r) => r.host), [leader], 'the snapshot comes from the leader\'s host');

  const path = `${DIR}/snapshot.db`;
  const status = await snapshotStatus(leader, path);
  // The known keys plus the lab's checksum key.
  t.ok(status.totalKey >= LAB_DATA_KEYS + 1, `snapshot status: ${status.totalKey} keys, at least the lab's ${LAB_DATA_KEYS} and its checksum`);
  t.match(run.stdout, new RegExp(`${leader}:${path}: hash ${status.hash}, revision ${status.revision},\\s+${status.totalKey} keys, ${status.totalSize} bytes`), 'the run prints hash, revision, keys and size');

  for (const h of MASTERS) {
    const same = await labExec(h, `diff -r /etc/etcd ${DIR}/etcd`);
    t.equal(same.rc, 0, `${h}: ${DIR}/etcd is a copy of /etc/etcd`);
  }
  const fetched = readdirSync(fetchTo);
  t.equal(fetched.length, 1, 'one snapshot fetched');
  t.equal(fetched[0], `${leader}-etcd-test-routine.db`, "named after the host and the backup's folder");
  const local = createHash('sha256').update(readFileSync(join(fetchTo, fetched[0]!))).digest('hex');
  const remote = (await labExec(leader, `sha256sum ${path}`)).stdout.split(' ')[0];
  t.equal(local, remote, 'the fetched copy is identical to the snapshot on the host');

  const again = await runWatched(BACKUP, inventory, args);
  t.equal(again.rc, 0, 'the same command again exits 0');
  t.same(again.changed, [], 'and changes nothing (the backup in that folder is kept)');
  t.equal((await labExec(leader, `sha256sum ${path}`)).stdout.split(' ')[0], remote, 'the snapshot is the same file');
});

t.test('-e host=HOST: the snapshot from that member', async (t) => {
  const leader = await labLeader();
  const other = MASTERS.find((h) => h !== leader)!;
  const dir = '/backup/etcd-test-chosen';
  const run = await runWatched(BACKUP, inventory, ['-e', `backup_dir=${dir}`, '-e', `host=${other}`]);
  t.equal(run.rc, 0, 'exit 0');
  if (run.rc !== 0) t.comment(digest(run), run.stderr.slice(-2000));
  t.same(snapshotResults(run).map((r) => r.host), [other], `the snapshot comes from ${other}`);
  t.ok((await snapshotStatus(other, `${dir}/snapshot.db`)).totalKey >= LAB_DATA_KEYS + 1, 'and it verifies');
  t.notOk(await exists(leader, `${dir}/snapshot.db`), 'no snapshot on the leader');
});

t.test('no member healthy (quorum lost): refused, nothing written', async (t) => {
  const broken = await lab('break-quorum', '--keep', 'master-0');
  t.equal(broken.rc, 0, 'lab break-quorum --keep master-0');
  const dir = '/backup/etcd-test-refused';
  const before = await snapshotHosts(MASTERS);
  const run = await runWatched(BACKUP, inventory, ['-e', `backup_dir=${dir}`]);
  t.notOk(run.hung, 'the run ends by itself');
  t.equal(run.rc, 2, 'exit 2');
  const failed = failures(run);
  t.same(failed.map((f) => `${f.host}: ${f.task}`), [`localhost: ${REFUSAL_TASK}`], 'refused, and nothing else fails');
  const msg = failed[0]?.msg ?? '';
  t.match(
    msg,
    /^no etcd member is healthy \(master-\d\.example\.com: .+\): a snapshot needs a healthy member, and nothing was backed up\. See the cluster with playbooks\/cluster-status\.yml; with quorum lost, playbooks\/restore-quorum\.yml makes its own backup\.$/,
    'the refusal says why and what to do',
  );
  // Each member's reason is its own words (commas and parentheses included); every member is named.
  // In the member list's order (etcd's, by member ID).
  for (const h of MASTERS) t.match(msg, `${h}.example.com: `, `it names ${h}'s member and its error`);
  if (run.rc !== 2) t.comment(digest(run), run.stderr.slice(-2000));
  t.same(run.changed, [], 'changed=0');
  await assertHostsUnchanged(t, before, 'after the refusal');
  t.notOk(await exists('master-0', dir), `no ${dir} on master-0`);
});
