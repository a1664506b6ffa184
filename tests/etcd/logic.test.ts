/**
 * The pure part of the etcd modules: lossless IDs, parsing of etcdctl's real
 * output (captured from the lab's etcd 3.4.23), quorum arithmetic and its
 * refusals, the survivor choice, ETCD_INITIAL_CLUSTER, and the retry of
 * `etcdserver: unhealthy cluster`.
 */
import t from 'tap';
import { decimalToHex, normaliseHexId, parseEtcdJson } from '../../lib/etcd/ids.js';
import { etcdctlCommand, resolveConn } from '../../lib/etcd/etcdctl.js';
import { etcdctlError, parseEndpointHealth, parseEndpointStatus, parseMemberAdd, parseMemberList, parseSnapshotStatus } from '../../lib/etcd/parse.js';
import { additionRefusal, chooseSurvivor, hasQuorum, quorumSize, removalRefusal } from '../../lib/etcd/quorum.js';
import { joinValues } from '../../lib/etcd/initial-cluster.js';
import { retryUnhealthy } from '../../lib/etcd/retry.js';
import { buildView, describeView } from '../../lib/etcd/cluster.js';
import { decideMember, membersAfter, membersText } from '../../lib/etcd/member-plan.js';
import { learnersSupported } from '../../modules/etcd_member.js';
import { inventoryEtcdHosts, withHosts } from '../../lib/etcd/hosts.js';

const MEMBER_LIST =
  '{"header":{"cluster_id":6408109964783100507,"member_id":14157584124841050879,"raft_term":2},"members":[{"ID":2655628489534115885,"name":"master-1.example.com","peerURLs":["https://127.0.10.2:2380"],"clientURLs":["https://127.0.10.2:2379"]},{"ID":14157584124841050879,"name":"master-0.example.com","peerURLs":["https://127.0.10.1:2380"],"clientURLs":["https://127.0.10.1:2379"]},{"ID":16103578610001175466,"name":"master-2.example.com","peerURLs":["https://127.0.10.3:2380"],"clientURLs":["https://127.0.10.3:2379"]}]}';

// master-2 powered off: two answers on stdout, its failure on stderr, rc 1.
const STATUS_STDOUT =
  '[{"Endpoint":"https://127.0.10.1:2379","Status":{"header":{"cluster_id":6408109964783100507,"member_id":14157584124841050879,"revision":12,"raft_term":2},"version":"3.4.23","dbSize":122880,"leader":2655628489534115885,"raftIndex":19,"raftTerm":2,"raftAppliedIndex":19,"dbSizeInUse":122880}},{"Endpoint":"https://127.0.10.2:2379","Status":{"header":{"cluster_id":6408109964783100507,"member_id":2655628489534115885,"revision":12,"raft_term":2},"version":"3.4.23","dbSize":122880,"leader":2655628489534115885,"raftIndex":21,"raftTerm":2,"raftAppliedIndex":21,"dbSizeInUse":122880}}]';
const STATUS_STDERR =
  '{"level":"warn","ts":"2026-11-30T21:15:38.259Z","caller":"clientv3/retry_interceptor.go:62","msg":"retrying of unary invoker failed"}\nFailed to get the status of endpoint https://127.0.10.3:2379 (context deadline exceeded)\n';
const HEALTH_STDOUT =
  '[{"endpoint":"https://127.0.10.2:2379","health":true,"took":"4.463363ms"},{"endpoint":"https://127.0.10.1:2379","health":true,"took":"9.20191ms"},{"endpoint":"https://127.0.10.3:2379","health":false,"took":"5.001092392s","error":"context deadline exceeded"}]';

t.test('member IDs beyond 2^53 stay exact, as hex', async (t) => {
  t.equal(JSON.parse(MEMBER_LIST).members[1].ID.toString(16), 'c479d7c05edc4000', 'JSON.parse alone loses the ID');
  const doc = parseEtcdJson(MEMBER_LIST) as { members: { ID: string }[] };
  t.equal(doc.members[1].ID, '14157584124841050879');
  t.equal(decimalToHex('14157584124841050879'), 'c479d7c05edc42ff');
  t.equal(decimalToHex('18446744073709551615'), 'ffffffffffffffff', 'the largest uint64');
  t.equal(normaliseHexId('0xC479D7C05EDC42FF'), 'c479d7c05edc42ff');
  t.equal(normaliseHexId('024dab00a8616902d'), '24dab00a8616902d', 'leading zeros dropped, as etcdctl prints IDs');
  t.equal(normaliseHexId('12345'), '12345', 'digits only are hex, as etcdctl reads them');
  t.equal(normaliseHexId('master-0'), null);
  t.equal(normaliseHexId('1ffffffffffffffff'), null, 'more than 64 bits');
});

t.test('member list: hex IDs, names, URLs, started', async (t) => {
  const l = parseMemberList(MEMBER_LIST);
  t.equal(l.cluster_id, '58ee2e0fb489a25b');
  t.equal(l.member_id, 'c479d7c05edc42ff');
  t.same(
    l.members.map((m) => [m.id, m.name, m.peer_urls, m.client_urls, m.started]),
    [
      ['24dab00a8616902d', 'master-1.example.com', ['https://127.0.10.2:2380'], ['https://127.0.10.2:2379'], true],
      ['c479d7c05edc42ff', 'master-0.example.com', ['https://127.0.10.1:2380'], ['https://127.0.10.1:2379'], true],
      ['df7b676ce5b2e3aa', 'master-2.example.com', ['https://127.0.10.3:2380'], ['https://127.0.10.3:2379'], true],
    ],
  );
  // A member added but not started yet has neither name nor client URLs.
  const added = parseMemberList('{"header":{"cluster_id":1,"member_id":2},"members":[{"ID":3,"peerURLs":["https://127.0.10.2:2380"]}]}');
  t.same(added.members[0], { id: '3', name: '', peer_urls: ['https://127.0.10.2:2380'], client_urls: [], started: false, is_learner: false });
  // A learner (`member add --learner`), as etcd 3.4.23 lists it before it starts.
  const learner = parseMemberList('{"header":{"cluster_id":1,"member_id":2},"members":[{"ID":3,"peerURLs":["https://127.0.10.2:2380"],"isLearner":true}]}');
  t.equal(learner.members[0]!.is_learner, true, 'isLearner is kept');
});

t.test('learners: no vote, so they never count for quorum and can always be removed', async (t) => {
  t.equal(additionRefusal({ members: 1, healthy: 1 }, false, true), null, 'a learner may join a single member');
  t.equal(additionRefusal({ members: 3, healthy: 2 }, false, true), null, 'a learner leaves 2 of 3 voters as they were');
  t.match(additionRefusal({ members: 2, healthy: 1 }, false, true), /quorum lost \(needs 2\), so a member addition cannot commit/, 'not without quorum: nothing commits then');
  t.equal(removalRefusal({ members: 1, healthy: 1 }, false, false, true), null, 'removing a learner from beside the last voter is allowed');
  t.equal(removalRefusal({ members: 2, healthy: 1 }, false, false, true), null, 'a learner is removed whatever the voters\' health');
  const list = parseMemberList(
    '{"header":{"cluster_id":1,"member_id":14157584124841050879},"members":[{"ID":14157584124841050879,"name":"master-0.example.com","peerURLs":["https://127.0.10.1:2380"],"clientURLs":["https://127.0.10.1:2379"]},{"ID":3,"peerURLs":["https://127.0.10.2:2380"],"isLearner":true}]}',
  );
  const view = buildView(
    list,
    'https://127.0.10.1:2379',
    parseEndpointStatus(STATUS_STDOUT.replace(/,\{"Endpoint":"https:\/\/127\.0\.10\.2:2379".*\]$/, ']'), ''),
    [{ endpoint: 'https://127.0.10.1:2379', health: true }],
  );
  t.equal(view.member_count, 1, 'one voting member');
  t.equal(view.learner_count, 1, 'one learner');
  t.equal(view.healthy_count, 1);
  t.ok(view.quorum, 'a learner that never started does not cost the quorum');
  t.match(describeView(view), /quorum holds: 1 of 1 healthy \(needs 1\), 1 reachable, 1 learner \(no vote\)/);
  const learner = list.members[1]!;
  t.same(decideMember(list.members, { state: 'present', name: 'master-1.example.com', peer_urls: ['https://127.0.10.2:2380'], learner: true }), { action: 'none', member: learner }, 'a learner already there is left as it is when a learner is wanted');
  t.same(decideMember(list.members, { state: 'present', name: 'master-1.example.com', peer_urls: ['https://127.0.10.2:2380'] }), { action: 'promote', member: learner }, 'and promoted when a voter is wanted');
  t.same(decideMember(list.members.slice(0, 1), { state: 'present', name: 'master-1.example.com', peer_urls: ['https://127.0.10.2:2380'], learner: true }), { action: 'add' });
  t.match(membersText(membersAfter(list.members, { state: 'present', name: 'x', peer_urls: ['https://127.0.10.2:2380'] }, { action: 'promote', member: learner })), /^3 name=\(not started\) peerURLs/m, 'the diff shows it a voter after the promotion');
  t.match(membersText(list.members), /^3 name=\(not started\) learner peerURLs/m, 'and a learner before');
  t.ok(learnersSupported(['3.4.23', undefined, '3.5.0']), 'etcd 3.4 and later have learners');
  t.notOk(learnersSupported(['3.4.23', '3.3.11']), 'one member on 3.3 (OpenShift 3.11 ships 3.2 and 3.3): no learners');
  t.notOk(learnersSupported([undefined]), 'no version known: no learners');
});

t.test('endpoint status keeps answers and failures; health keeps every endpoint', async (t) => {
  const s = parseEndpointStatus(STATUS_STDOUT, STATUS_STDERR);
  t.equal(s.length, 3);
  t.match(s[0], { endpoint: 'https://127.0.10.1:2379', member_id: 'c479d7c05edc42ff', leader: '24dab00a8616902d', raft_index: 19, raft_term: 2, db_size: 122880, version: '3.4.23' });
  t.same(s[2], { endpoint: 'https://127.0.10.3:2379', error: 'context deadline exceeded' });
  t.same(parseEndpointStatus('', 'Failed to get the status of endpoint https://127.0.10.1:2379 (context deadline exceeded)'), [
    { endpoint: 'https://127.0.10.1:2379', error: 'context deadline exceeded' },
  ]);
  const h = parseEndpointHealth(HEALTH_STDOUT);
  t.same(h[2], { endpoint: 'https://127.0.10.3:2379', health: false, error: 'context deadline exceeded' });
  t.same(parseEndpointHealth(''), []);
  t.same(parseSnapshotStatus('{"hash":3362226543,"revision":1012,"totalKey":1007,"totalSize":2134016}\n'), {
    hash: 3362226543,
    revision: 1012,
    total_keys: 1007,
    total_size: 2134016,
  });
  t.equal(etcdctlError(STATUS_STDERR + 'Error: context deadline exceeded\n'), 'context deadline exceeded', 'the Error: line, not the JSON warnings');
});

t.test('member add output gives the values etcd.conf needs, as etcdctl prints them', async (t) => {
  const out =
    '{"header":{"cluster_id":6408109964783100507,"member_id":14157584124841050879,"raft_term":3},"member":{"ID":12008357014862381001,"peerURLs":["https://127.0.10.3:2380"]},"members":[{"ID":14157584124841050879,"name":"master-0.example.com","peerURLs":["https://127.0.10.1:2380"],"clientURLs":["https://127.0.10.1:2379"]},{"ID":12008357014862381001,"peerURLs":["https://127.0.10.3:2380"]}]}';
  const added = parseMemberAdd(out);
  t.equal(added.member.id, 'a6a64114fef13fc9');
  t.same(joinValues(added.members, 'master-2.example.com', added.member.id), {
    ETCD_NAME: 'master-2.example.com',
    ETCD_INITIAL_CLUSTER: 'master-0.example.com=https://127.0.10.1:2380,master-2.example.com=https://127.0.10.3:2380',
    ETCD_INITIAL_CLUSTER_STATE: 'existing',
  });
});

t.test('quorum arithmetic', async (t) => {
  t.same([1, 2, 3, 4, 5, 6, 7].map(quorumSize), [1, 2, 2, 3, 3, 4, 4]);
  t.ok(hasQuorum({ members: 3, healthy: 2 }));
  t.notOk(hasQuorum({ members: 3, healthy: 1 }));
  t.notOk(hasQuorum({ members: 4, healthy: 2 }));
  t.notOk(hasQuorum({ members: 0, healthy: 0 }));
});

t.test('removal refusals, in numbers', async (t) => {
  t.equal(removalRefusal({ members: 3, healthy: 2 }, true, false), '2 of 3 healthy; removing a healthy member leaves 1 of 2: quorum lost');
  t.equal(removalRefusal({ members: 3, healthy: 2 }, false, false), null, 'removing the dead member leaves 2 of 2');
  t.equal(removalRefusal({ members: 3, healthy: 3 }, true, false), null, '2 of 2 after');
  t.equal(removalRefusal({ members: 5, healthy: 3 }, true, false), '3 of 5 healthy; removing a healthy member leaves 2 of 4: quorum lost');
  t.equal(removalRefusal({ members: 5, healthy: 3 }, false, false), null, '3 of 4 after');
  t.match(removalRefusal({ members: 3, healthy: 1 }, false, false), /^1 of 3 healthy: quorum lost \(needs 2\), so a member removal cannot commit/);
  t.equal(removalRefusal({ members: 3, healthy: 1 }, false, true), null, 'force lets it try');
  t.equal(removalRefusal({ members: 3, healthy: 2 }, true, true), null);
  t.equal(removalRefusal({ members: 1, healthy: 1 }, true, true), 'it is the last member of the cluster', 'not even with force');
});

t.test('addition refusals, in numbers', async (t) => {
  t.equal(additionRefusal({ members: 1, healthy: 1 }, false), null, 'a forced new cluster grows from 1 to 2, as etcd allows');
  t.equal(additionRefusal({ members: 2, healthy: 2 }, false), null, '2 of 3 after');
  t.equal(additionRefusal({ members: 3, healthy: 3 }, false), null, '3 of 4 after');
  t.equal(additionRefusal({ members: 3, healthy: 2 }, false), '2 of 3 healthy; adding a member leaves 2 of 4 until it starts: quorum lost');
  t.equal(additionRefusal({ members: 2, healthy: 1 }, false), '1 of 2 healthy: quorum lost (needs 2), so a member addition cannot commit; restore quorum first');
  t.equal(additionRefusal({ members: 3, healthy: 2 }, true), null);
});

t.test('the survivor is the reachable member with the highest raft index', async (t) => {
  const m = (name: string, reachable: boolean, raft_index?: number, raft_term = 2) => ({ id: name, name, reachable, raft_index, raft_term });
  t.equal(chooseSurvivor([m('a', true, 19), m('b', true, 21), m('c', false)])?.member.name, 'b');
  t.equal(chooseSurvivor([m('b', true, 21), m('a', true, 19)])?.member.name, 'b', 'order of the list does not matter');
  t.equal(chooseSurvivor([m('a', true, 19), m('b', true, 19, 3)])?.member.name, 'b', 'same index: the later term');
  t.equal(chooseSurvivor([m('b', true, 19), m('a', true, 19)])?.member.name, 'a', 'a full tie: the first name, the same every run');
  t.equal(chooseSurvivor([m('a', false, 99), m('b', true, 5)])?.member.name, 'b', 'an unreachable member is never chosen');
  t.equal(chooseSurvivor([m('a', false)]), null);
  t.equal(
    chooseSurvivor([m('master-0', true, 19), m('master-1', true, 21)])?.reason,
    'master-1 has the highest raft index (21, term 2) of 2 reachable members (master-0 19)',
  );
});

t.test('the cluster view: one member down', async (t) => {
  const v = buildView(parseMemberList(MEMBER_LIST), 'https://127.0.10.1:2379', parseEndpointStatus(STATUS_STDOUT, STATUS_STDERR), parseEndpointHealth(HEALTH_STDOUT));
  t.equal(v.member_count, 3);
  t.equal(v.healthy_count, 2);
  t.equal(v.quorum, true);
  t.equal(v.leader, '24dab00a8616902d');
  t.equal(v.survivor?.name, 'master-1.example.com', 'raft index 21 beats 19');
  t.same(v.lost, [{ id: 'df7b676ce5b2e3aa', name: 'master-2.example.com', peer_urls: ['https://127.0.10.3:2380'] }]);
  t.same(v.non_survivors.map((m) => m.name), ['master-0.example.com', 'master-2.example.com']);
  const dead = v.members.find((m) => m.name === 'master-2.example.com')!;
  t.match(dead, { reachable: false, healthy: false, error: 'context deadline exceeded' });
  t.equal(describeView(v).split(';')[0], 'quorum holds: 2 of 3 healthy (needs 2), 2 reachable');
});

t.test('the cluster view: quorum lost, no leader', async (t) => {
  const status = parseEndpointStatus(
    STATUS_STDOUT.replace(/,\{"Endpoint":"https:\/\/127.0.10.2.*\]$/, ']'),
    'Failed to get the status of endpoint https://127.0.10.2:2379 (context deadline exceeded)\nFailed to get the status of endpoint https://127.0.10.3:2379 (context deadline exceeded)\n',
  );
  const health = parseEndpointHealth(HEALTH_STDOUT.replace(/"health":true/g, '"health":false'));
  const v = buildView(parseMemberList(MEMBER_LIST), 'https://127.0.10.1:2379', status, health);
  t.equal(v.quorum, false);
  t.equal(v.healthy_count, 0);
  t.equal(v.leader, '', 'a stale leader is not reported');
  t.equal(v.survivor?.name, 'master-0.example.com');
  t.same(v.lost.map((m) => m.name), ['master-1.example.com', 'master-2.example.com']);
  t.match(describeView(v), /^quorum LOST: 0 of 3 healthy \(needs 2\), 1 reachable; survivor master-0.example.com/);
});

t.test('etcdctl command lines: 3.11 defaults, endpoints from etcd_ip, openshift_ip, else the host\'s own', async (t) => {
  const conn = resolveConn({}, { etcd_ip: '127.0.10.2' });
  t.equal(
    etcdctlCommand(conn, ['member', 'remove', 'df7b676ce5b2e3aa']),
    'ETCDCTL_API=3 etcdctl --endpoints=https://127.0.10.2:2379 --cacert=/etc/etcd/ca.crt --cert=/etc/etcd/peer.crt --key=/etc/etcd/peer.key --dial-timeout=2s --command-timeout=4s member remove df7b676ce5b2e3aa',
  );
  const pod = resolveConn({ etcdctl: 'docker exec -e ETCDCTL_API=3 etcd etcdctl', endpoints: 'https://a:2379, https://b:2379' }, {});
  t.match(etcdctlCommand(pod, ['endpoint', 'health']), /^ETCDCTL_API=3 docker exec -e ETCDCTL_API=3 etcd etcdctl --endpoints=https:\/\/a:2379,https:\/\/b:2379 /);
  t.throws(() => resolveConn({}, {}), /no etcd endpoint: set `endpoints`, or the host variable etcd_ip or openshift_ip/);
  t.same(resolveConn({}, { openshift_ip: '10.0.0.5' }).endpoints, ['https://10.0.0.5:2379'], 'openshift_ip when etcd_ip is not set');
  t.same(resolveConn({}, { etcd_ip: '10.0.0.6', openshift_ip: '10.0.0.5' }).endpoints, ['https://10.0.0.6:2379'], 'etcd_ip first');
  t.same(resolveConn({}, { openshift_ip: 'fd00::5' }).endpoints, ['https://[fd00::5]:2379'], 'an IPv6 address in brackets');
  t.same(resolveConn({}, {}, 'https://10.0.0.7:2379').endpoints, ['https://10.0.0.7:2379'], 'else what the host\'s files say');
});

t.test('unhealthy cluster is retried with a bounded backoff; other errors are not', async (t) => {
  const slept: number[] = [];
  const sleep = async (ms: number) => void slept.push(ms);
  let calls = 0;
  const flaky = async () => (++calls < 3 ? { rc: 1, stdout: '', stderr: 'Error: etcdserver: unhealthy cluster\n' } : { rc: 0, stdout: 'ok', stderr: '' });
  const r = await retryUnhealthy(flaky, { sleep, backoffS: [1, 2, 4] });
  t.equal(r.rc, 0);
  t.equal(r.attempts, 3);
  t.same(slept, [1000, 2000]);

  slept.length = 0;
  const always = async () => ({ rc: 1, stdout: '', stderr: 'Error: etcdserver: unhealthy cluster\n' });
  const given = await retryUnhealthy(always, { sleep, backoffS: [1, 2] });
  t.equal(given.rc, 1, 'gives up after the last delay');
  t.equal(given.attempts, 3);
  t.same(slept, [1000, 2000]);

  slept.length = 0;
  calls = 0;
  const other = async () => (++calls, { rc: 1, stdout: '', stderr: 'Error: context deadline exceeded\n' });
  t.equal((await retryUnhealthy(other, { sleep })).attempts, 1);
  t.same(slept, []);
});

t.test('what etcd_member decides from the member list', async (t) => {
  const m = (id: string, name: string, peer: string) => ({ id, name, peer_urls: [peer], client_urls: name ? [peer.replace('2380', '2379')] : [], started: !!name });
  const list = [m('a1', 'm0', 'https://h0:2380'), m('b2', 'm1', 'https://h1:2380'), m('c3', '', 'https://h2:2380')];
  const d = (w: Partial<Parameters<typeof decideMember>[1]>) => decideMember(list, { state: 'present', peer_urls: [], ...w });
  t.same(d({ name: 'm9', peer_urls: ['https://h9:2380'] }), { action: 'add' });
  t.match(d({ name: 'm0', peer_urls: ['https://h0:2380'] }), { action: 'none', member: { id: 'a1' } });
  t.match(d({ name: 'm0', peer_urls: ['http://localhost:2380'] }), { action: 'update', member: { id: 'a1' } }, 'the forced new cluster fix');
  t.match(d({ name: 'm2', peer_urls: ['https://h2:2380'] }), { action: 'none', member: { id: 'c3' } }, 'added but not started: found by peer URL');
  t.match(d({ name: 'm0', peer_urls: ['https://h1:2380'] }), { action: 'conflict', message: /^m0 is member a1, but peer URL https:\/\/h1:2380 belongs to member b2 \(m1\)/ });
  t.match(d({ name: 'm9', peer_urls: ['https://h1:2380'] }), { action: 'conflict', message: 'peer URL https://h1:2380 belongs to member m1 (b2), not m9' });
  t.match(d({ name: 'm0', peer_urls: ['https://h0:2380'], id: 'b2' }), { action: 'conflict', message: 'm0 is member a1, not b2' });
  t.match(d({ state: 'absent', id: 'b2', name: 'm0' }), { action: 'remove', member: { id: 'b2' } }, 'the ID wins over the name');
  t.match(d({ state: 'absent', name: 'm1' }), { action: 'remove', member: { id: 'b2' } });
  t.match(d({ state: 'absent', peer_urls: ['https://h2:2380'] }), { action: 'remove', member: { id: 'c3' } });
  t.same(d({ state: 'absent', name: 'gone' }), { action: 'none' });
  t.same(d({ state: 'absent', id: 'ffff' }), { action: 'none' }, 'an ID no member has: already absent');
  t.equal(membersText(membersAfter(list, { state: 'absent', peer_urls: [] }, { action: 'remove', member: list[1] })).split('\n').length, 3);
});

t.test('members are matched to inventory hosts as the plan modules match them: name variables, address variables, the host name', async (t) => {
  const hosts = [
    { host: 'master-0', vars: { etcd_hostname: 'master-0.example.com', etcd_ip: '127.0.10.1' } },
    { host: 'master-1.example.com', vars: {} },
    { host: 'master-2', vars: { ansible_host: '127.0.10.3' } },
  ];
  const one = (m: { name: string; peer_urls: string[] }) =>
    withHosts(buildView(parseMemberList(JSON.stringify({ header: {}, members: [{ ID: 1, name: m.name, peerURLs: m.peer_urls, clientURLs: [] }] })), 'https://x:2379', [], []), hosts)
      .members[0]!.host;
  t.equal(one({ name: 'master-1.example.com', peer_urls: ['http://localhost:2380'] }), 'master-1.example.com', 'after a forced new cluster the name still matches');
  t.equal(one({ name: '', peer_urls: ['https://127.0.10.3:2380'] }), 'master-2', 'a member not started yet, by its peer address (ansible_host)');
  t.equal(one({ name: 'other', peer_urls: ['https://10.9.9.9:2380'] }), null, 'no host runs it');
  const v = withHosts(
    buildView(parseMemberList(MEMBER_LIST), 'https://127.0.10.1:2379', parseEndpointStatus(STATUS_STDOUT, STATUS_STDERR), parseEndpointHealth(HEALTH_STDOUT)),
    [
      { host: 'master-0', vars: { openshift_ip: '127.0.10.1' } },
      { host: 'master-1', vars: {} },
      { host: 'master-2', vars: { openshift_ip: '127.0.10.3' } },
    ],
  );
  t.equal(v.survivor?.host, 'master-1', 'the short inventory name matches the FQDN member name');
  t.same(v.lost.map((m) => m.host), ['master-2']);
  t.same(v.members.map((m) => m.host), ['master-1', 'master-0', 'master-2']);
  t.same(
    inventoryEtcdHosts({ groups: { etcd: ['a'], all: ['a', 'lb'] }, hostvars: { a: { etcd_ip: '1.2.3.4' }, lb: {} } }),
    [{ host: 'a', vars: { etcd_ip: '1.2.3.4' } }],
  );
});
