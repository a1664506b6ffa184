/**
 * The older-raft-index guard of A.0 on the lab (docs/playbooks.md, Guards):
 * `-e survivor=HOST` whose raft index is below another reachable member's is
 * refused unless `-e force=true`.
 *
 * The set-up, on 5 masters, gives two running members that answer with
 * different raft indexes while quorum is lost, and cannot converge:
 *   1. master-1's etcd peer traffic is dropped (an nftables table of this
 *      test's own, matching master-1's cgroup and address on the machine's
 *      loopback that the lab hosts share); master-1 keeps running and
 *      answering its clients;
 *   2. keys are written through master-0 (quorum holds with 4 of 5): master-1
 *      receives none of them;
 *   3. master-2..4 are powered off; master-0 reports no leader (nobody
 *      replicates any more);
 *   4. every etcd peer connection left is destroyed (`ss -K`), so nothing a
 *      leader had queued for master-1 is sent after the partition ends; then
 *      the partition ends. master-1 answers with its older index and, with no
 *      leader, cannot catch up. (A restarted etcd would not do: it serves
 *      clients only once it has quorum.)
 * Then:
 *   - `-e survivor=master-1`: refused in A.0 with both indexes, exit 2,
 *     nothing changed (files, units' InvocationIDs, member lists, inventory);
 *   - without `-e survivor`: the plan keeps master-0 and the later keys;
 *   - `-e survivor=master-1 -e force=true`: the restore goes on from
 *     master-1, and the later keys are gone, as the operator asked.
 */
import t, { type Test } from 'tap';
import { existsSync } from 'node:fs';
import { ensureLabUp, lab, labExec, run, waitUntil } from '../helpers/lab.js';
import { prepare, refusesChangingNothing, type Scenario } from '../helpers/procedure-tester.js';
import { RESTORE, memberNames, tsplay } from './helpers.js';
import { labOk } from './scenarios.js';

t.setTimeout(1_800_000);

const M0 = 'https://127.0.10.1:2379';
const M1 = 'https://127.0.10.2:2379';
const M1_ADDRESS = '127.0.10.2';
const PEER_PORT = 2380;
/** nftables table of this test only: deleting it ends the partition, whatever it holds. */
const TABLE = 'tsplay_test_older_index';
const LATER = '/tsplay-test/older-index/later-';
const BEFORE = '/tsplay-test/older-index/before';
const LATER_KEYS = 20;

async function sh(cmd: string, args: string[]): Promise<string> {
  const r = await run(cmd, args);
  if (r.rc !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (rc ${r.rc}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * master-1's processes, in the unified cgroup hierarchy (lab/lib/host.sh): the
 * peer connections master-1 opens come from 127.0.0.1 like everyone's, so
 * only its cgroup tells them apart.
 */
const M1_CGROUP = 'unified/tsplay-lab/master-1';

/** Drops every peer-port packet master-1 sends or would receive: it runs, answers clients, and hears no peer. */
async function partitionMaster1() {
  if (!existsSync(`/sys/fs/cgroup/${M1_CGROUP}`)) throw new Error(`no cgroup /sys/fs/cgroup/${M1_CGROUP}: is master-1 running?`);
  await sh('nft', ['add', 'table', 'inet', TABLE]);
  for (const [chain, hook] of [['in', 'input'], ['out', 'output']]) {
    await sh('nft', ['add', 'chain', 'inet', TABLE, chain, `{ type filter hook ${hook} priority -300 ; policy accept ; }`]);
    for (const port of ['sport', 'dport']) {
      // Level 2: tsplay-lab (1), master-1 (2), whatever systemd makes below it.
      await sh('nft', ['add', 'rule', 'inet', TABLE, chain, 'socket', 'cgroupv2', 'level', '2', `"${M1_CGROUP}"`, 'tcp', port, String(PEER_PORT), 'drop']);
      await sh('nft', ['add', 'rule', 'inet', TABLE, chain, 'ip', 'daddr', M1_ADDRESS, 'tcp', port, String(PEER_PORT), 'drop']);
      await sh('nft', ['add', 'rule', 'inet', TABLE, chain, 'ip', 'saddr', M1_ADDRESS, 'tcp', port, String(PEER_PORT), 'drop']);
    }
  }
}

async function endPartition() {
  const r = await run('nft', ['delete', 'table', 'inet', TABLE]);
  if (r.rc !== 0 && !/No such file or directory/.test(r.stderr)) throw new Error(`nft delete table failed: ${r.stderr}`);
}

/** `endpoint status` of one member: its raft index and the leader it knows (0: none). */
async function status(endpoint: string): Promise<{ raftIndex: number; leader: string } | undefined> {
  const r = await labExec('master-0', `etcdctl3 --endpoints=${endpoint} --command-timeout=3s endpoint status -w json`);
  if (r.rc !== 0) return undefined;
  // Member IDs are 64-bit: quoted before parsing, so none is rounded. etcdctl leaves out a zero (no leader).
  const s = JSON.parse(r.stdout.replace(/"leader":(\d+)/g, '"leader":"$1"')) as { Status: { raftIndex?: number; leader?: string } }[];
  return { raftIndex: s[0]!.Status.raftIndex ?? 0, leader: s[0]!.Status.leader ?? '0' };
}

/** How many of the later keys a member holds (serializable: from its own data; linearizable: with quorum). */
async function laterKeys(endpoint: string, consistency: 'l' | 's'): Promise<number> {
  const r = await labExec('master-0', `etcdctl3 --endpoints=${endpoint} --command-timeout=5s get --consistency=${consistency} --prefix --keys-only ${LATER}`);
  if (r.rc !== 0) throw new Error(`get ${LATER}* through ${endpoint} failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.startsWith(LATER)).length;
}

/** A key's value through a member: linearizable (with quorum), or serializable (from the member's own data). */
async function getValue(endpoint: string, key: string, consistency: 'l' | 's' = 'l'): Promise<string> {
  const r = await labExec('master-0', `etcdctl3 --endpoints=${endpoint} --command-timeout=5s get --consistency=${consistency} --print-value-only ${key}`);
  if (r.rc !== 0) throw new Error(`get ${key} through ${endpoint} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Both members' indexes, as the set-up left them. */
const indexes = { master0: 0, master1: 0 };

const olderIndex: Scenario = {
  playbook: RESTORE,
  masters: 5,
  setup: async () => {
    await endPartition();
    // A key both members hold.
    await waitUntil('a key written with every member', async () => (await labExec('master-0', `etcdctl3 --endpoints=${M0} --command-timeout=5s put ${BEFORE} both`)).rc === 0, 120_000);
    await waitUntil('master-1 holds it', async () => (await getValue(M1, BEFORE, 's')) === 'both', 120_000);
    await partitionMaster1();
    try {
      // Quorum holds with 4 of 5 (an election first if master-1 led): each write is retried until it commits.
      for (let i = 0; i < LATER_KEYS; i++) {
        const key = `${LATER}${String(i).padStart(2, '0')}`;
        await waitUntil(`${key} written with quorum`, async () => (await labExec('master-0', `etcdctl3 --endpoints=${M0} --command-timeout=5s put ${key} later-${i}`)).rc === 0, 120_000);
      }
      for (const h of ['master-2', 'master-3', 'master-4']) await labOk('kill', h);
      await waitUntil('master-0 knows no leader', async () => (await status(M0))?.leader === '0', 120_000);
      // What a leader had queued for master-1 dies with the connections, never sent: every peer
      // connection left (master-0's and master-1's, the only members running) is closed; etcd reconnects.
      await sh('ss', ['-K', `( sport = :${PEER_PORT} or dport = :${PEER_PORT} )`]);
    } finally {
      await endPartition();
    }
    const s0 = await status(M0);
    const s1 = await status(M1);
    if (!s0 || !s1) throw new Error(`a member does not answer: master-0 ${JSON.stringify(s0)}, master-1 ${JSON.stringify(s1)}`);
    if (!(s1.raftIndex < s0.raftIndex)) throw new Error(`master-1's raft index ${s1.raftIndex} is not below master-0's ${s0.raftIndex}`);
    indexes.master0 = s0.raftIndex;
    indexes.master1 = s1.raftIndex;
  },
};

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await endPartition();
  await lab('reset', '--masters', '3');
});

/** The set-up holds: two answering members, master-1 behind and without the later keys. */
async function assertOlderIndexState(t: Test) {
  t.ok(indexes.master1 < indexes.master0, `master-1's raft index ${indexes.master1} is below master-0's ${indexes.master0}`);
  t.equal(await laterKeys(M0, 's'), LATER_KEYS, 'master-0 holds every later key');
  t.equal(await laterKeys(M1, 's'), 0, 'master-1 holds none of them');
  const again = [await status(M0), await status(M1)];
  t.same(again.map((s) => s?.raftIndex), [indexes.master0, indexes.master1], 'the indexes stay as they are: no leader, nobody replicates');
}

let inventory = '';
/** The refusal proved it changed nothing: the next sub-test starts from the same state. */
let unchanged = false;

t.test('-e survivor=master-1, whose raft index is older than master-0\'s: refused in A.0 with both indexes, nothing changed', async (t) => {
  inventory = await prepare(olderIndex);
  await assertOlderIndexState(t);
  await refusesChangingNothing(t, { ...olderIndex, args: ['-e', 'survivor=master-1'] }, inventory, {
    rc: 2,
    task: 'A.0 Confirm quorum is lost and choose the survivor (etcd_restore_plan: the raft indexes, the guards)',
    msg:
      `-e survivor=master-1 has raft index ${indexes.master1}, older than master-0.example.com (${indexes.master0}): keeping it would lose the writes in between. ` +
      'Choose master-0.example.com, or run with -e force=true to keep master-1 anyway.',
  });
  unchanged = t.passing();
});

t.test('without -e survivor: the plan keeps master-0, and the later keys with it', async (t) => {
  // The refusal above changed nothing (it proved it); set up afresh only if it failed.
  if (!unchanged) inventory = await prepare(olderIndex);
  const r = await tsplay(RESTORE, inventory);
  t.equal(r.rc, 0, 'exit code 0');
  if (r.rc !== 0) t.comment(r.stdout.slice(-6000), r.stderr);
  t.match(r.stdout, new RegExp(`master-0\\.example\\.com has the highest raft index \\(${indexes.master0},`), 'the plan names the highest raft index, master-0\'s');
  t.match(r.stdout, /survivor: master-0 \(master-0\.example\.com\)/, 'the summary names master-0 as the survivor');
  t.same(await memberNames('master-0', M0), ['master-0.example.com', 'master-1.example.com'], 'master-0 and master-1 are the members; master-2..4 are down');
  t.equal(await laterKeys(M0, 'l'), LATER_KEYS, 'every later key reads back with quorum');
  t.equal(await laterKeys(M1, 's'), LATER_KEYS, 'master-1, added back, holds them too');
  t.equal(await getValue(M0, `${LATER}${String(LATER_KEYS - 1).padStart(2, '0')}`), `later-${LATER_KEYS - 1}`, 'the last key written has its value');
  t.equal(await getValue(M0, BEFORE), 'both', 'the key written before is there');
});

t.test('-e survivor=master-1 -e force=true: the restore goes on from master-1, and the later keys are gone, as asked', async (t) => {
  inventory = await prepare(olderIndex);
  const r = await tsplay(RESTORE, inventory, '-e', 'survivor=master-1', '-e', 'force=true');
  t.equal(r.rc, 0, 'exit code 0');
  if (r.rc !== 0) t.comment(r.stdout.slice(-6000), r.stderr);
  t.match(r.stdout, new RegExp(`chosen with -e survivor: raft index ${indexes.master1}`), 'the plan says master-1 was chosen with -e survivor, and its index');
  t.match(r.stdout, /survivor: master-1 \(master-1\.example\.com\)/, 'the summary names master-1 as the survivor');
  t.same(await memberNames('master-1', M1), ['master-0.example.com', 'master-1.example.com'], 'master-0 and master-1 are the members');
  t.equal(await laterKeys(M1, 'l'), 0, 'none of the later keys is left: master-1 never had them');
  t.equal(await laterKeys(M0, 's'), 0, 'master-0, added back from master-1, no longer has them either');
  t.equal(await getValue(M1, BEFORE), 'both', 'the key written before the partition is there');
});
