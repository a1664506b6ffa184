/**
 * The etcd modules' error paths the lab cannot produce on demand, run through
 * the engine on localhost: bad arguments (each names the task's file:line:col),
 * a stand-in etcdctl (the `etcdctl` argument, as for static pods) that answers
 * `etcdserver: unhealthy cluster` a few times, a member list that cannot be
 * read, and a name and a peer URL that belong to different members.
 */
import t from 'tap';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-etcd-local-'));
let n = 0;

async function play(tasks: string) {
  const file = join(dir, `play-${++n}.yml`);
  writeFileSync(file, `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks}`);
  const results: Record<string, Record<string, any>> = {};
  let task = '';
  const r = await runPlaybook({
    playbooks: [file],
    inventory: [],
    reporters: [
      (e) => {
        if (e.type === 'task_start') task = e.name;
        if (e.type === 'host_result') results[task] = e.result;
      },
    ],
  });
  return { ...r, results, file };
}

/**
 * A stand-in etcdctl: answers `<verb>-<noun>` from files beside it, logs every
 * call, and fails the first `<cmd>.fail` calls with etcd's transient error.
 */
function fakeEtcdctl(answers: Record<string, { out?: string; err?: string; rc?: number; failFirst?: number }>): { bin: string; calls: () => string[] } {
  const d = mkdtempSync(join(dir, 'etcdctl-'));
  for (const [cmd, a] of Object.entries(answers)) {
    writeFileSync(join(d, `${cmd}.out`), a.out ?? '');
    writeFileSync(join(d, `${cmd}.err`), a.err ?? '');
    writeFileSync(join(d, `${cmd}.rc`), String(a.rc ?? 0));
    writeFileSync(join(d, `${cmd}.fail`), String(a.failFirst ?? 0));
  }
  const bin = join(d, 'etcdctl');
  writeFileSync(
    bin,
    `#!/bin/bash
d=$(dirname "$0")
echo "ETCDCTL_API=$ETCDCTL_API $*" >> "$d/calls"
words=(); for a in "$@"; do case $a in --*) ;; *) words+=("$a");; esac; done
cmd="\${words[0]}-\${words[1]}"
[ -f "$d/$cmd.rc" ] || { echo "Error: unexpected $cmd" >&2; exit 2; }
seen=$(grep -c " \${words[0]} \${words[1]} " "$d/calls")
if [ "$seen" -le "$(cat "$d/$cmd.fail")" ]; then echo "Error: etcdserver: unhealthy cluster" >&2; exit 1; fi
cat "$d/$cmd.out"; cat "$d/$cmd.err" >&2; exit "$(cat "$d/$cmd.rc")"
`,
  );
  chmodSync(bin, 0o755);
  return { bin, calls: () => readFileSync(join(d, 'calls'), 'utf8').trim().split('\n') };
}

const ONE_MEMBER = '{"header":{"cluster_id":6408109964783100507,"member_id":14157584124841050879},"members":[{"ID":14157584124841050879,"name":"master-0.example.com","peerURLs":["https://127.0.10.1:2380"],"clientURLs":["https://127.0.10.1:2379"]}]}';
const ONE_STATUS = '[{"Endpoint":"https://127.0.10.1:2379","Status":{"header":{"cluster_id":6408109964783100507,"member_id":14157584124841050879,"revision":12,"raft_term":2},"version":"3.4.23","dbSize":122880,"leader":14157584124841050879,"raftIndex":19,"raftTerm":2}}]';
const ONE_HEALTH = '[{"endpoint":"https://127.0.10.1:2379","health":true,"took":"1ms"}]';
const ADDED =
  '{"header":{"cluster_id":6408109964783100507,"member_id":14157584124841050879},"member":{"ID":12008357014862381001,"peerURLs":["https://127.0.10.2:2380"]},"members":[{"ID":14157584124841050879,"name":"master-0.example.com","peerURLs":["https://127.0.10.1:2380"],"clientURLs":["https://127.0.10.1:2379"]},{"ID":12008357014862381001,"peerURLs":["https://127.0.10.2:2380"]}]}';

t.test('bad arguments fail the task with its file:line:col', async (t) => {
  const cases: [string, RegExp][] = [
    ['etcd_member: { id: master-2, state: absent, endpoints: "https://127.0.10.1:2379" }', /etcd_member: id 'master-2' is not a member ID \(hex, up to 16 digits/],
    ['etcd_member: { name: master-2.example.com, endpoints: "https://127.0.10.1:2379" }', /etcd_member: state=present needs both name and peer_urls/],
    ['etcd_member: { state: absent, endpoints: "https://127.0.10.1:2379" }', /etcd_member: state=absent needs id, name or peer_urls/],
    ['etcd_status: {}', /no etcd endpoint: set `endpoints`, or the host variable etcd_ip/],
    ['etcd_snapshot: { path: /tmp/x.db }', /no etcd endpoint: set `endpoints`, or the host variable etcd_ip/],
    ['etcd_member: { name: a, peer_urls: "https://127.0.10.2:2380", state: gone }', /state/],
  ];
  for (const [task, message] of cases) {
    const r = await play(`    - name: bad\n      ${task}\n`);
    t.equal(r.exitCode, 2, `${task}: the host fails`);
    t.match(r.results.bad.msg, message, task);
    // The task's position; a schema error points at the argument itself.
    t.match(r.results.bad.msg, new RegExp(`\\(in ${r.file}:[45]:\\d+\\)`), `${task}: names the position`);
  }
});

t.test('member add retries etcdserver: unhealthy cluster, then returns the etcd.conf values', async (t) => {
  const fake = fakeEtcdctl({
    'member-list': { out: ONE_MEMBER },
    'endpoint-status': { out: ONE_STATUS },
    'endpoint-health': { out: ONE_HEALTH },
    'member-add': { out: ADDED, failFirst: 2 },
  });
  const r = await play(`    - name: add
      etcd_member:
        name: master-1.example.com
        peer_urls: https://127.0.10.2:2380
        endpoints: https://127.0.10.1:2379
        etcdctl: ${fake.bin}
`);
  t.equal(r.exitCode, 0);
  t.match(r.results.add, {
    changed: true,
    attempts: 3,
    ETCD_NAME: 'master-1.example.com',
    ETCD_INITIAL_CLUSTER: 'master-0.example.com=https://127.0.10.1:2380,master-1.example.com=https://127.0.10.2:2380',
    ETCD_INITIAL_CLUSTER_STATE: 'existing',
    member: { id: 'a6a64114fef13fc9', name: 'master-1.example.com' },
  });
  const adds = fake.calls().filter((c) => c.includes(' member add '));
  t.equal(adds.length, 3, 'two transient refusals, then the add');
  t.equal(
    adds[0],
    'ETCDCTL_API=3 --endpoints=https://127.0.10.1:2379 --cacert=/etc/etcd/ca.crt --cert=/etc/etcd/peer.crt --key=/etc/etcd/peer.key --dial-timeout=2s --command-timeout=4s member add master-1.example.com --peer-urls=https://127.0.10.2:2380 -w json',
    'v3 API, the 3.11 TLS files',
  );
});

const LEARNER_LISTED =
  '{"header":{"cluster_id":6408109964783100507,"member_id":14157584124841050879},"members":[{"ID":14157584124841050879,"name":"master-0.example.com","peerURLs":["https://127.0.10.1:2380"],"clientURLs":["https://127.0.10.1:2379"]},{"ID":12008357014862381001,"name":"master-1.example.com","peerURLs":["https://127.0.10.2:2380"],"clientURLs":["https://127.0.10.2:2379"],"isLearner":true}]}';

t.test('learner: true adds with --learner; a learner is promoted, retried until it has caught up', async (t) => {
  const add = fakeEtcdctl({
    'member-list': { out: ONE_MEMBER },
    'endpoint-status': { out: ONE_STATUS },
    'endpoint-health': { out: ONE_HEALTH },
    'member-add': { out: ADDED.replace('"peerURLs":["https://127.0.10.2:2380"]}', '"peerURLs":["https://127.0.10.2:2380"],"isLearner":true}') },
  });
  const r = await play(`    - name: add
      etcd_member: { name: master-1.example.com, peer_urls: "https://127.0.10.2:2380", learner: true, endpoints: "https://127.0.10.1:2379", etcdctl: "${add.bin}" }
`);
  t.equal(r.exitCode, 0);
  t.match(r.results.add, { changed: true, msg: /as a learner/, ETCD_INITIAL_CLUSTER_STATE: 'existing' });
  t.match(add.calls().find((c) => c.includes(' member add ')), / member add master-1\.example\.com --peer-urls=https:\/\/127\.0\.10\.2:2380 --learner -w json$/);

  // etcd 3.3 (OpenShift 3.11) has no learners and would take the flag's request as a plain add: it is asked for one, and says so.
  const old = fakeEtcdctl({
    'member-list': { out: ONE_MEMBER },
    'endpoint-status': { out: ONE_STATUS.replace('"version":"3.4.23"', '"version":"3.3.11"') },
    'endpoint-health': { out: ONE_HEALTH },
    'member-add': { out: ADDED },
  });
  const o = await play(`    - name: add
      etcd_member: { name: master-1.example.com, peer_urls: "https://127.0.10.2:2380", learner: true, endpoints: "https://127.0.10.1:2379", etcdctl: "${old.bin}" }
`);
  t.equal(o.exitCode, 0);
  t.match(old.calls().find((c) => c.includes(' member add ')), / member add master-1\.example\.com --peer-urls=https:\/\/127\.0\.10\.2:2380 -w json$/, 'no --learner for etcd 3.3');

  // etcd refuses a promotion until the learner's log caught up: that answer is retried.
  const promote = fakeEtcdctl({
    'member-list': { out: LEARNER_LISTED },
    'member-promote': { out: 'Member a6a64114fef13fc9 promoted in cluster 58ee2e0fb489a25b\n' },
  });
  // Two refusals as etcd words them, then the promotion.
  const wrapper = promote.bin.replace(/etcdctl$/, 'promote-twice');
  writeFileSync(
    wrapper,
    `#!/bin/bash\nd=$(dirname "$0")\ncase " $* " in *" member promote "*) n=$(cat "$d/n" 2>/dev/null || echo 0); echo $((n+1)) > "$d/n"; if [ "$n" -lt 2 ]; then echo "Error: etcdserver: can only promote a learner member which is in sync with leader" >&2; exit 1; fi;; esac\nexec "$d/etcdctl" "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  const p = await play(`    - name: promote
      etcd_member: { name: master-1.example.com, peer_urls: "https://127.0.10.2:2380", endpoints: "https://127.0.10.1:2379", etcdctl: "${wrapper}" }
`);
  t.equal(p.exitCode, 0, 'promoted');
  t.match(p.results.promote, { changed: true, action: 'promote', attempts: 3, msg: /promote learner master-1\.example\.com \(a6a64114fef13fc9\) to a voting member after 3 attempts/ });
  t.match(promote.calls().filter((c) => c.includes(' member promote ')).pop(), / member promote a6a64114fef13fc9$/, 'asked in its plain form: etcdctl 3.4 panics printing it as JSON');
});

t.test('a change that keeps failing stops after the bounded retries with etcdctl\'s reason', async (t) => {
  const fake = fakeEtcdctl({
    'member-list': { out: ONE_MEMBER },
    'endpoint-status': { out: ONE_STATUS },
    'endpoint-health': { out: ONE_HEALTH },
    'member-update': { err: 'Error: etcdserver: member not found\n', rc: 1 },
  });
  const r = await play(`    - name: update
      etcd_member: { name: master-0.example.com, peer_urls: "https://127.0.10.9:2380", endpoints: "https://127.0.10.1:2379", etcdctl: "${fake.bin}" }
`);
  t.equal(r.exitCode, 2);
  t.equal(r.results.update.msg, 'etcdctl member update failed after 1 attempt(s): etcdserver: member not found', 'not a transient error: no retry');
});

t.test('no member answers: etcd_status reports it as data, etcd_member fails saying why', async (t) => {
  const fake = fakeEtcdctl({ 'member-list': { err: 'Error: context deadline exceeded\n', rc: 1 } });
  const r = await play(`    - name: status
      etcd_status: { endpoints: "https://127.0.10.1:2379", etcdctl: "${fake.bin}" }
    - name: member
      etcd_member: { name: x, peer_urls: "https://127.0.10.2:2380", endpoints: "https://127.0.10.1:2379", etcdctl: "${fake.bin}" }
`);
  t.notOk(r.results.status.failed, 'etcd_status does not fail');
  t.match(r.results.status, { reachable: false, quorum: false, survivor: null, members: [] });
  t.match(r.results.status.error, /member list through https:\/\/127\.0\.10\.1:2379 failed: context deadline exceeded/);
  t.match(r.results.member.msg, /^cannot read the member list: member list through https:\/\/127\.0\.10\.1:2379 failed: context deadline exceeded/);
  t.equal(r.exitCode, 2);
});

t.test('a name and a peer URL of two different members is refused, not guessed', async (t) => {
  const two = ONE_MEMBER.replace(
    /\]\}$/,
    ',{"ID":2655628489534115885,"name":"master-1.example.com","peerURLs":["https://127.0.10.2:2380"],"clientURLs":["https://127.0.10.2:2379"]}]}',
  );
  const fake = fakeEtcdctl({ 'member-list': { out: two } });
  const r = await play(`    - name: member
      etcd_member: { name: master-0.example.com, peer_urls: "https://127.0.10.2:2380", endpoints: "https://127.0.10.1:2379", etcdctl: "${fake.bin}" }
`);
  t.equal(r.exitCode, 2);
  t.equal(
    r.results.member.msg,
    'master-0.example.com is member c479d7c05edc42ff, but peer URL https://127.0.10.2:2380 belongs to member 24dab00a8616902d (master-1.example.com); remove one of them first',
  );
  t.notOk(fake.calls().some((c) => / member (add|update|remove) /.test(c)), 'nothing was changed');
});
