/**
 * etcd_status, etcd_member and etcd_snapshot on the lab's real etcd 3.4
 * cluster (TLS, 3 masters), run through the engine with playbooks against
 * inventories/lab as an operator runs them. Scenarios: healthy; one member
 * down (remove it twice, refusals, re-add it wiped and see it healthy);
 * quorum lost (status, refusal, snapshot by copy); a forced new cluster
 * (peer URL update, growing back from one member); snapshot restore with
 * every seeded key present; a second member add while the first is not
 * started, which real etcd refuses with `unhealthy cluster` (retried).
 */
import t, { type Test } from 'tap';
import { ensureLabUp, lab, labExec, labStatus, resetLab, verifyData } from '../helpers/lab.js';
import { playOnLab } from './helpers.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const M = ['master-0', 'master-1', 'master-2'];
const IP: Record<string, string> = { 'master-0': '127.0.10.1', 'master-1': '127.0.10.2', 'master-2': '127.0.10.3' };
const NAME = (h: string) => `${h}.example.com`;
const PEER = (h: string) => `https://${IP[h]}:2380`;
const CLIENT = (h: string) => `https://${IP[h]}:2379`;
const etcdctl = (ep: string) => `etcdctl3 --endpoints=${ep}`;

function expectExit(t: Test, r: { exitCode: number; out: string }, code: number) {
  t.equal(r.exitCode, code, `exit code ${code}`);
  if (r.exitCode !== code) t.comment(r.out);
}

/** The member list as the lab reads it (not through tsplay): name -> hex ID. */
async function labMembers(via: string): Promise<Record<string, string>> {
  const r = await labExec(via, `${etcdctl(CLIENT(via))} member list`);
  const out: Record<string, string> = {};
  // e.g. "24dab00a8616902d, started, master-1.example.com, https://127.0.10.2:2380, https://127.0.10.2:2379, false"
  for (const line of r.stdout.trim().split('\n').filter(Boolean)) {
    const [id, , name, peer] = line.split(', ');
    out[name || `(unstarted ${peer})`] = id;
  }
  return out;
}

const statusPlay = (hosts: string) => `
- hosts: ${hosts}
  gather_facts: false
  tasks:
    - name: status
      etcd_status:
`;

/** Wipes a powered-off or running master's etcd and boots it: a repaired machine without its data. */
async function repaired(host: string) {
  t.equal((await lab('wipe-etcd', host)).rc, 0, `lab wipe-etcd ${host}`);
  t.equal((await lab('start', host)).rc, 0, `lab start ${host}`);
}

/**
 * Step A.4 for one host, as the restore playbook does it: member add on a
 * running member, the returned values into the joiner's etcd.conf, start,
 * wait until every member is healthy.
 */
const addBackPlay = (joiner: string, via: string, members: number) => `
- hosts: ${joiner}
  gather_facts: false
  tasks:
    - name: add
      etcd_member:
        name: ${NAME(joiner)}
        peer_urls: ${PEER(joiner)}
        endpoints: ${CLIENT(via)}
      delegate_to: ${via}
      register: added
    - name: write etcd.conf
      shell: >-
        sed -i -e 's|^ETCD_NAME=.*|ETCD_NAME={{ added.ETCD_NAME }}|'
        -e 's|^ETCD_INITIAL_CLUSTER=.*|ETCD_INITIAL_CLUSTER={{ added.ETCD_INITIAL_CLUSTER }}|'
        -e 's|^ETCD_INITIAL_CLUSTER_STATE=.*|ETCD_INITIAL_CLUSTER_STATE={{ added.ETCD_INITIAL_CLUSTER_STATE }}|' /etc/etcd/etcd.conf
    - name: etcd.conf holds the values
      command: grep -c -x -e 'ETCD_INITIAL_CLUSTER={{ added.ETCD_INITIAL_CLUSTER }}' -e 'ETCD_INITIAL_CLUSTER_STATE=existing' /etc/etcd/etcd.conf
      register: written
      failed_when: written.stdout != '2'
    - name: start etcd
      shell: systemctl enable etcd && systemctl start etcd
    - name: wait healthy
      etcd_status:
        endpoints: ${CLIENT(via)}
      register: st
      until: st.healthy_count == ${members} and st.member_count == ${members}
      retries: 30
      delay: 1
    - name: add again
      etcd_member:
        name: ${NAME(joiner)}
        peer_urls: ${PEER(joiner)}
        endpoints: ${CLIENT(via)}
      delegate_to: ${via}
`;

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await resetLab();
});

t.test('healthy cluster: status everywhere, in check mode too; hex IDs match the cluster', async (t) => {
  const lab0 = await labStatus();
  for (const check of [false, true]) {
    const r = await playOnLab(statusPlay('etcd'), { check });
    expectExit(t, r, 0);
    for (const h of M) {
      const s = r.results.status[h];
      t.equal(r.stats[h].changed, 0, `${h}: a status changes nothing`);
      t.match(s, { reachable: true, quorum: true, member_count: 3, healthy_count: 3, reachable_count: 3, quorum_size: 2, lost: [] });
      t.equal(s.members.length, 3);
      t.ok(s.leader, 'a leader');
      t.ok(s.survivor?.name, 'a survivor');
      t.same(s.members.map((m: { name: string; host: string }) => m.host).sort(), M, 'each member with its inventory host');
      t.equal(s.survivor.raft_index, Math.max(...s.members.map((m: { raft_index: number }) => m.raft_index)), 'the survivor has the highest raft index');
    }
    const byName = Object.fromEntries(r.results.status['master-0'].members.map((m: { name: string; id: string }) => [m.name, m.id]));
    for (const h of lab0.hosts.filter((x) => x.etcd?.memberId)) t.equal(byName[NAME(h.name)], h.etcd!.memberId, `${h.name}: the exact uint64 ID, in hex`);
  }
});

t.test('no address variable in the inventory: each host\'s endpoint from its own etcd.conf, members matched by host name', async (t) => {
  // -e openshift_ip= blanks the inventory's address for every host, as in an inventory that never set one.
  const r = await playOnLab(statusPlay('etcd'), { extraVars: { openshift_ip: '' } });
  expectExit(t, r, 0);
  for (const h of M) {
    const s = r.results.status[h];
    t.match(s, { reachable: true, quorum: true, member_count: 3, healthy_count: 3 }, `${h}: the status through ETCD_ADVERTISE_CLIENT_URLS`);
    t.same(s.members.map((m: { host: string }) => m.host).sort(), M, `${h}: each member with its inventory host, by the short form of its name`);
  }
});

t.test('snapshot: saved and verified, kept on a re-run, check mode writes nothing, restores with every seeded key', async (t) => {
  const path = '/var/lib/etcd/tsplay-test-snapshot.db';
  await labExec('master-0', `rm -f ${path}`);
  const play = `
- hosts: master-0
  gather_facts: false
  tasks:
    - name: snapshot
      etcd_snapshot:
        path: ${path}
`;
  const checked = await playOnLab(play, { check: true });
  expectExit(t, checked, 0);
  t.equal(checked.stats['master-0'].changed, 1, 'check mode predicts a snapshot');
  t.equal((await labExec('master-0', `test -e ${path}; echo $?`)).stdout.trim(), '1', 'check mode wrote nothing');

  const r = await playOnLab(play);
  expectExit(t, r, 0);
  const s = r.results.snapshot['master-0'];
  t.match(s, { changed: true, method: 'save', path, endpoint: CLIENT('master-0') });
  t.ok(s.total_keys >= 1000, `${s.total_keys} keys in the snapshot`);
  t.ok(s.revision > 0 && s.hash > 0 && s.total_size > 0);

  const fetched = join(mkdtempSync(join(tmpdir(), 'tsplay-etcd-fetch-')), 'master-0-etcd.db');
  const again = await playOnLab(play.replace(`path: ${path}`, `path: ${path}\n        fetch: ${fetched}`));
  t.equal(again.stats['master-0'].changed, 1, 're-run with fetch: only the copy to the controller changes');
  const remoteSum = (await labExec('master-0', `sha256sum ${path}`)).stdout.split(' ')[0];
  t.equal(createHash('sha256').update(readFileSync(fetched)).digest('hex'), remoteSum, 'the fetched snapshot is the one on the host');
  const kept = await playOnLab(play.replace(`path: ${path}`, `path: ${path}\n        fetch: ${fetched}`));
  t.equal(kept.stats['master-0'].changed, 0, 're-run: the existing snapshot is kept, the fetched copy too');
  t.match(kept.results.snapshot['master-0'], { method: 'existing', hash: s.hash, revision: s.revision });

  // Restore into a scratch directory, serve it from a throwaway etcd on another port, read every key back.
  const restore = await labExec(
    'master-0',
    `set -e; d=$(mktemp -d); ETCDCTL_API=3 etcdctl snapshot restore ${path} --data-dir=$d/etcd --name=scratch \
       --initial-cluster=scratch=http://127.0.10.1:23800 --initial-advertise-peer-urls=http://127.0.10.1:23800 >/dev/null 2>&1
     timeout 60 etcd --data-dir=$d/etcd --name=scratch --listen-client-urls=http://127.0.10.1:23790 --advertise-client-urls=http://127.0.10.1:23790 \
       --listen-peer-urls=http://127.0.10.1:23800 >$d/log 2>&1 & pid=$!
     for i in $(seq 50); do ETCDCTL_API=3 etcdctl --endpoints=http://127.0.10.1:23790 endpoint health >/dev/null 2>&1 && break; sleep 0.2; done
     ETCDCTL_API=3 etcdctl --endpoints=http://127.0.10.1:23790 get --prefix /tsplay-lab/data/ > $d/restored
     kill $pid; wait $pid || true
     ${etcdctl(CLIENT('master-0'))} get --prefix /tsplay-lab/data/ > $d/live
     echo "restored=$(grep -c '^/tsplay-lab/data/' $d/restored) live=$(grep -c '^/tsplay-lab/data/' $d/live)"
     cmp -s $d/restored $d/live && echo same || echo differ; rm -rf $d`,
  );
  t.equal(restore.stdout.trim(), 'restored=1000 live=1000\nsame', 'every seeded key with its value in the restored snapshot');
  await labExec('master-0', `rm -f ${path}`);
});

t.test('one member down: status, refusals in numbers, remove twice, re-add it wiped and healthy', async (t) => {
  const before = await labMembers('master-0');
  t.equal((await lab('kill', 'master-2')).rc, 0, 'lab kill master-2');

  const st = await playOnLab(statusPlay('master-0'));
  expectExit(t, st, 0);
  const s = st.results.status['master-0'];
  t.match(s, { quorum: true, member_count: 3, healthy_count: 2, reachable_count: 2 });
  t.same(s.lost, [{ id: before[NAME('master-2')], name: NAME('master-2'), peer_urls: [PEER('master-2')], host: 'master-2' }], 'the lost member, by hex ID, name and inventory host');
  t.not(s.survivor.name, NAME('master-2'), 'the survivor is reachable');
  t.match(s.members.find((m: { name: string }) => m.name === NAME('master-2')), { reachable: false, healthy: false, error: /deadline|refused/ });

  const refuse = await playOnLab(`
- hosts: master-0
  gather_facts: false
  tasks:
    - name: remove healthy
      etcd_member: { name: ${NAME('master-1')}, state: absent }
      ignore_errors: true
    - name: add while one is down
      etcd_member: { name: extra.example.com, peer_urls: 'https://127.0.10.3:2390' }
      ignore_errors: true
`);
  t.equal(refuse.results['remove healthy']['master-0'].msg,
    `refusing to remove member ${NAME('master-1')} (${before[NAME('master-1')]}): 2 of 3 healthy; removing a healthy member leaves 1 of 2: quorum lost`);
  t.equal(refuse.results['add while one is down']['master-0'].msg,
    'refusing to add member extra.example.com (https://127.0.10.3:2390): 2 of 3 healthy; adding a member leaves 2 of 4 until it starts: quorum lost');
  t.same(await labMembers('master-0'), before, 'nothing changed');

  const removePlay = `
- hosts: master-0
  gather_facts: false
  tasks:
    - name: remove
      etcd_member: { id: '${before[NAME('master-2')]}', state: absent }
`;
  const predicted = await playOnLab(removePlay, { check: true });
  expectExit(t, predicted, 0);
  t.equal(predicted.stats['master-0'].changed, 1);
  t.equal(predicted.results.remove['master-0'].msg, `would remove member ${NAME('master-2')} (${before[NAME('master-2')]})`);
  t.match(predicted.out, new RegExp(`-${before[NAME('master-2')]} name=${NAME('master-2')}`), '--diff shows the member going');
  t.same(await labMembers('master-0'), before, 'check mode removed nothing');

  const removed = await playOnLab(removePlay);
  expectExit(t, removed, 0);
  t.equal(removed.stats['master-0'].changed, 1);
  t.same(Object.keys(await labMembers('master-0')).sort(), [NAME('master-0'), NAME('master-1')], 'master-2 is gone');
  const twice = await playOnLab(removePlay);
  expectExit(t, twice, 0);
  t.equal(twice.stats['master-0'].changed, 0, 'removing it again is no change');
  t.match(twice.results.remove['master-0'].msg, /already absent/);

  await repaired('master-2');
  const checkAdd = await playOnLab(addBackPlay('master-2', 'master-0', 3).split('    - name: write etcd.conf')[0], { check: true });
  expectExit(t, checkAdd, 0);
  t.equal(checkAdd.results.add['master-2'].msg, `would add member ${NAME('master-2')} (${PEER('master-2')})`);
  t.equal(Object.keys(await labMembers('master-0')).length, 2, 'check mode added nothing');

  const added = await playOnLab(addBackPlay('master-2', 'master-0', 3));
  expectExit(t, added, 0);
  const a = added.results.add['master-2'];
  t.equal(a.ETCD_NAME, NAME('master-2'));
  t.equal(a.ETCD_INITIAL_CLUSTER_STATE, 'existing');
  t.same(a.ETCD_INITIAL_CLUSTER.split(',').sort(), M.map((h) => `${NAME(h)}=${PEER(h)}`).sort(), 'every member name=peer URL');
  t.match(added.results['wait healthy']['master-2'], { quorum: true, healthy_count: 3, member_count: 3 });
  const re = added.results['add again']['master-2'];
  t.equal(re.changed, false, 'adding it again is no change');
  t.match(re, { action: 'none', ETCD_NAME: NAME('master-2'), ETCD_INITIAL_CLUSTER_STATE: 'existing' });
  t.same(re.ETCD_INITIAL_CLUSTER.split(',').sort(), a.ETCD_INITIAL_CLUSTER.split(',').sort(), 'the same etcd.conf values on a re-run');
  t.equal((await labExec('master-2', 'grep ^ETCD_INITIAL_CLUSTER_STATE= /etc/etcd/etcd.conf')).stdout.trim(), 'ETCD_INITIAL_CLUSTER_STATE=existing');
  const data = await verifyData();
  t.equal(data.matching, 1000, 'every key reads back through all members');
});

t.test('quorum lost: status names the survivor and the lost, removal refused about quorum, snapshot by copy', async (t) => {
  await resetLab();
  const before = await labMembers('master-1');
  t.equal((await lab('break-quorum', '--keep', 'master-1')).rc, 0, 'lab break-quorum --keep master-1');

  const r = await playOnLab(`
- hosts: master-1
  gather_facts: false
  tasks:
    - name: status
      etcd_status:
    - name: remove lost
      etcd_member: { name: ${NAME('master-0')}, state: absent }
      ignore_errors: true
    - name: snapshot from a dead endpoint
      etcd_snapshot:
        path: /var/lib/etcd/tsplay-copy.db
        endpoints: ${CLIENT('master-0')}
        force: true
    - name: snapshot from the survivor
      etcd_snapshot:
        path: /var/lib/etcd/tsplay-survivor.db
        force: true
`);
  expectExit(t, r, 0);
  const s = r.results.status['master-1'];
  t.match(s, { quorum: false, member_count: 3, healthy_count: 0, reachable_count: 1, leader: '' });
  t.equal(s.survivor.name, NAME('master-1'));
  t.equal(s.survivor.host, 'master-1', 'the inventory host to delegate to');
  t.match(s.survivor.reason, /^master-1\.example\.com has the highest raft index \(\d+, term \d+\) of 1 reachable member$/);
  t.same(s.lost.map((m: { id: string; name: string }) => [m.name, m.id]).sort(), [
    [NAME('master-0'), before[NAME('master-0')]],
    [NAME('master-2'), before[NAME('master-2')]],
  ]);
  t.match(r.results.status['master-1'].msg, /^quorum LOST: 0 of 3 healthy \(needs 2\), 1 reachable; survivor master-1\.example\.com/);
  t.equal(r.results['remove lost']['master-1'].msg,
    `refusing to remove member ${NAME('master-0')} (${before[NAME('master-0')]}): 0 of 3 healthy: quorum lost (needs 2), so a member removal cannot commit; restore quorum first (force: true tries anyway)`);
  const snap = r.results['snapshot from a dead endpoint']['master-1'];
  t.match(snap, { changed: true, method: 'copy', restore_needs_skip_hash_check: true });
  t.ok(snap.total_keys >= 1000, `${snap.total_keys} keys in the copied db`);
  const saved = r.results['snapshot from the survivor']['master-1'];
  t.match(saved, { changed: true, method: 'save', endpoint: CLIENT('master-1') }, 'a member serves a snapshot without quorum');
  t.ok(saved.total_keys >= 1000, `${saved.total_keys} keys in the survivor's snapshot`);
});

t.test('forced new cluster: peer URL fixed, then the cluster grows back from one member', async (t) => {
  // Continues from the quorum loss above: master-1 is the survivor. The forced
  // new cluster itself is the restore playbook's job; here it is done by hand.
  const forced = await labExec(
    'master-1',
    `set -e; mkdir -p /etc/systemd/system/etcd.service.d
     line=$(grep '^ExecStart=' /usr/lib/systemd/system/etcd.service)
     printf '[Service]\\nExecStart=\\n%s\\n' "\${line%\\"} --force-new-cluster\\"" > /etc/systemd/system/etcd.service.d/temp.conf
     systemctl daemon-reload; systemctl restart etcd
     id=$(${etcdctl(CLIENT('master-1'))} member list | cut -d, -f1)
     # The documents' state after --force-new-cluster: the peer URL says localhost.
     ${etcdctl(CLIENT('master-1'))} member update $id --peer-urls=http://localhost:2380 >/dev/null
     rm /etc/systemd/system/etcd.service.d/temp.conf; systemctl daemon-reload; systemctl restart etcd
     ${etcdctl(CLIENT('master-1'))} member list`,
  );
  t.match(forced.stdout.trim(), /^[0-9a-f]+, started, master-1\.example\.com, http:\/\/localhost:2380, https:\/\/127\.0\.10\.2:2379, false$/, 'one member, peer URL localhost');

  const fix = `
- hosts: master-1
  gather_facts: false
  tasks:
    - name: fix peer URL
      etcd_member: { name: ${NAME('master-1')}, peer_urls: '${PEER('master-1')}' }
`;
  const predicted = await playOnLab(fix, { check: true });
  expectExit(t, predicted, 0);
  t.match(predicted.results['fix peer URL']['master-1'].msg, /^would update member master-1\.example\.com \([0-9a-f]+\) peer URLs http:\/\/localhost:2380 -> https:\/\/127\.0\.10\.2:2380$/);
  t.match((await labExec('master-1', `${etcdctl(CLIENT('master-1'))} member list`)).stdout, /http:\/\/localhost:2380/, 'check mode updated nothing');
  const fixed = await playOnLab(fix);
  expectExit(t, fixed, 0);
  t.equal(fixed.stats['master-1'].changed, 1);
  t.match((await labExec('master-1', `${etcdctl(CLIENT('master-1'))} member list`)).stdout, /, started, master-1\.example\.com, https:\/\/127\.0\.10\.2:2380, /);
  const again = await playOnLab(fix);
  t.equal(again.stats['master-1'].changed, 0, 're-run: no change');
  const last = await playOnLab(`
- hosts: master-1
  gather_facts: false
  tasks:
    - name: remove the last
      etcd_member: { name: ${NAME('master-1')}, state: absent, force: true }
      ignore_errors: true
`);
  t.match(last.results['remove the last']['master-1'].msg, /^refusing to remove member master-1\.example\.com \([0-9a-f]+\): it is the last member of the cluster$/, 'not even with force');

  // 1 of 1 healthy grows to 2 (allowed, as etcd allows it), then 2 of 2 to 3.
  await repaired('master-0');
  const one = await playOnLab(addBackPlay('master-0', 'master-1', 2));
  expectExit(t, one, 0);
  t.match(one.results['wait healthy']['master-0'], { quorum: true, healthy_count: 2 });
  await repaired('master-2');
  const two = await playOnLab(addBackPlay('master-2', 'master-1', 3));
  expectExit(t, two, 0);
  t.match(two.results['wait healthy']['master-2'], { quorum: true, healthy_count: 3, member_count: 3 });
  t.same(Object.keys(await labMembers('master-1')).sort(), M.map(NAME));
  const data = await verifyData();
  t.equal(data.matching, 1000, 'every key survived the forced new cluster');
  t.ok(data.checksumOk);
});

/**
 * A member added but not started: etcd 3.4 refuses the next `member add` with
 * `etcdserver: unhealthy cluster` (not every voting member is connected) until
 * it starts. The extra member is a second etcd on master-0 (ports 2390/2389,
 * master-0's certificates), started as a transient unit when the test says.
 */
const EXTRA = { name: 'extra-x.example.com', peer: 'https://127.0.10.1:2390', client: 'https://127.0.10.1:2389' };
const SECOND = { name: 'extra-y.example.com', peer: 'https://127.0.10.2:2390' };
const secondAddPlay = `
- hosts: master-0
  gather_facts: false
  tasks:
    - name: second add
      etcd_member: { name: ${SECOND.name}, peer_urls: '${SECOND.peer}', endpoints: '${CLIENT('master-0')}' }
      ignore_errors: true
`;

function startExtraEtcd(initialCluster: string) {
  const flags = [
    `--name=${EXTRA.name}`, '--data-dir=/var/lib/etcd-extra-x',
    `--listen-peer-urls=${EXTRA.peer}`, `--initial-advertise-peer-urls=${EXTRA.peer}`,
    `--listen-client-urls=${EXTRA.client}`, `--advertise-client-urls=${EXTRA.client}`,
    `--initial-cluster=${initialCluster}`, '--initial-cluster-state=existing',
    '--cert-file=/etc/etcd/server.crt', '--key-file=/etc/etcd/server.key', '--trusted-ca-file=/etc/etcd/ca.crt', '--client-cert-auth',
    '--peer-cert-file=/etc/etcd/peer.crt', '--peer-key-file=/etc/etcd/peer.key', '--peer-trusted-ca-file=/etc/etcd/ca.crt', '--peer-client-cert-auth',
  ];
  return labExec('master-0', `systemd-run --unit=etcd-extra-x --collect /usr/bin/etcd ${flags.join(' ')}`);
}

t.test('a second member add before the first member starts: etcd says unhealthy cluster; retried past its bound it fails clearly, and succeeds once the member starts', async (t) => {
  // After the scenarios above: a clean cluster of the three masters first.
  await resetLab();
  t.teardown(async () => {
    await labExec('master-0', 'systemctl stop etcd-extra-x 2>/dev/null; rm -rf /var/lib/etcd-extra-x');
    await resetLab();
  });
  // etcd also refuses for about 5 s after a member (re)started, as after the lab came up: until it accepts.
  const addFirst = () => labExec('master-0', `${etcdctl(CLIENT('master-0'))} member add ${EXTRA.name} --peer-urls=${EXTRA.peer}`);
  let added = await addFirst();
  for (const deadline = Date.now() + 120_000; added.rc !== 0 && /unhealthy cluster/.test(added.stderr) && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 1000));
    added = await addFirst();
  }
  t.equal(added.rc, 0, `the first member is added, not started${added.rc ? `: ${added.stderr}` : ''}`);
  // From here on the cluster is past that window: the refusals below are the unstarted member's.
  const initialCluster = /ETCD_INITIAL_CLUSTER="([^"]+)"/.exec(added.stdout)?.[1] ?? '';
  t.match(initialCluster, EXTRA.name, 'etcdctl gave the cluster the new member joins');

  // Real etcd's answer, with nothing in between.
  const direct = await labExec('master-0', `${etcdctl(CLIENT('master-0'))} member add ${SECOND.name} --peer-urls=${SECOND.peer}`);
  t.not(direct.rc, 0, 'etcd refuses a second add');
  t.match(direct.stderr, /etcdserver: unhealthy cluster/, 'with unhealthy cluster');

  // Never started: every retry gets the same answer, and the module gives up at its bound, saying why.
  const gaveUp = await playOnLab(secondAddPlay);
  const failed = gaveUp.results['second add']['master-0'];
  t.equal(gaveUp.stats['master-0'].ignored, 1, 'the add fails (the play ignores it)');
  t.match(failed.msg, /^etcdctl member add failed after 9 attempt\(s\): etcdserver: unhealthy cluster/, 'after its 9 attempts, with etcd\'s reason');
  t.notOk(SECOND.name in (await labMembers('master-0')), 'and adds nothing');

  // Started while the module retries: the add goes through.
  let retries = 0;
  let started: Promise<unknown> | undefined;
  const ok = await playOnLab(secondAddPlay, {
    onEvent: (e) => {
      if (e.type !== 'log' || !/unhealthy cluster \(attempt \d+\)/.test(e.message)) return;
      retries++;
      started ??= startExtraEtcd(initialCluster);
    },
  });
  t.ok(started, 'the module was told unhealthy cluster and retried');
  t.equal(((await started) as { rc: number } | undefined)?.rc, 0, 'the first member started');
  const r = ok.results['second add']['master-0'];
  t.notOk(r.failed, `the add succeeds${r.failed ? `: ${r.msg}` : ''}`);
  t.equal(r.attempts, retries + 1, 'one attempt more than the retries it logged');
  t.match(r.msg, new RegExp(`^added member ${SECOND.name.replace(/\./g, '\\.')} \\(\\w+\\) after ${retries + 1} attempts$`));
  const members = await labMembers('master-0');
  t.ok(EXTRA.name in members, 'the first member runs under its name');
  t.ok(`(unstarted ${SECOND.peer})` in members, 'the second is a member, not started');
});
