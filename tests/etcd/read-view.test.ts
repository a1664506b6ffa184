/**
 * readView asks `endpoint health` only when some member names a leader: with
 * quorum lost (no leader anywhere) health could only time out, so every
 * member is unhealthy at once, with the reason. Answers are etcdctl 3.4.23's
 * own output, captured on the lab.
 */
import t from 'tap';
import { LEARNER, NO_LEADER, readView } from '../../lib/etcd/read.js';
import { resolveConn } from '../../lib/etcd/etcdctl.js';
import { parseMemberList } from '../../lib/etcd/parse.js';

const LIST =
  '{"header":{"cluster_id":6408109964783100507,"member_id":14157584124841050879,"raft_term":2},"members":[{"ID":2655628489534115885,"name":"master-1.example.com","peerURLs":["https://127.0.10.2:2380"],"clientURLs":["https://127.0.10.2:2379"]},{"ID":14157584124841050879,"name":"master-0.example.com","peerURLs":["https://127.0.10.1:2380"],"clientURLs":["https://127.0.10.1:2379"]}]}';
const status = (endpoint: string, memberId: string, leader: string) =>
  `[{"Endpoint":"${endpoint}","Status":{"header":{"cluster_id":6408109964783100507,"member_id":${memberId},"revision":12,"raft_term":2},"version":"3.4.23","dbSize":122880,"leader":${leader},"raftIndex":19,"raftTerm":2}}]`;
const M0 = 'https://127.0.10.1:2379';
const M1 = 'https://127.0.10.2:2379';

/** A stand-in etcdctl runner: answers by the command's words and endpoint, and records what was asked. */
function fake(leader: string) {
  const asked: string[] = [];
  const exec = async (command: string) => {
    const words = command.includes('endpoint health') ? 'health' : 'status';
    asked.push(words === 'health' ? `health ${/--endpoints=(\S+)/.exec(command)?.[1]?.replace(/'/g, '')}` : words);
    if (words === 'health') {
      // etcdctl answers for the endpoints it was given.
      const given = (/--endpoints=(\S+)/.exec(command)?.[1] ?? '').replace(/'/g, '').split(',');
      return { rc: 0, stdout: JSON.stringify(given.map((endpoint) => ({ endpoint, health: true, took: '4ms' }))), stderr: '' };
    }
    const ep = /--endpoints=(\S+)/.exec(command)?.[1]?.replace(/'/g, '');
    return { rc: 0, stdout: ep === M0 ? status(M0, '14157584124841050879', leader) : status(M1, '2655628489534115885', leader), stderr: '' };
  };
  return { exec, asked };
}

const conn = resolveConn({ endpoints: M0 }, {});
const listed = { list: parseMemberList(LIST), answered_by: M0 };

t.test('no member names a leader: health is not asked, every member is unhealthy with the reason', async (t) => {
  const f = fake('0');
  const view = await readView(f.exec, conn, listed);
  t.same(f.asked, ['status', 'status'], 'only endpoint status, once per endpoint');
  t.equal(view.healthy_count, 0);
  t.equal(view.reachable_count, 2, 'both members answered');
  t.notOk(view.quorum, 'quorum lost');
  t.same(view.members.map((m) => m.error), [NO_LEADER, NO_LEADER], 'each member says why it is unhealthy');
});

t.test('a member names a leader: health is asked and decides', async (t) => {
  const f = fake('2655628489534115885');
  const view = await readView(f.exec, conn, listed);
  t.same(f.asked, ['status', 'status', `health ${M1},${M0}`]);
  t.equal(view.healthy_count, 2);
  t.ok(view.quorum);
});

t.test('a learner is not asked its health (it answers no linearizable read): unhealthy, with the reason', async (t) => {
  const f = fake('2655628489534115885');
  const learnerList = LIST.replace('"clientURLs":["https://127.0.10.1:2379"]}', '"clientURLs":["https://127.0.10.1:2379"],"isLearner":true}');
  const view = await readView(f.exec, conn, { list: parseMemberList(learnerList), answered_by: M1 });
  t.same(f.asked, ['status', 'status', `health ${M1}`], 'health of the voter only');
  t.equal(view.learner_count, 1);
  t.equal(view.member_count, 1);
  t.equal(view.healthy_count, 1, 'the voter is healthy');
  const learner = view.members.find((m) => m.is_learner);
  t.equal(learner?.healthy, false);
  t.equal(learner?.error, LEARNER);
});
