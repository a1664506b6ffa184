/**
 * The pure part of etcd_defrag: durations, the timeouts tried, the quorum
 * guard, `alarm list` parsing, and the retry with a longer --command-timeout
 * after a timeout error (a real member cannot be made to time out on demand,
 * so that path runs over a scripted etcdctl; the lab tests prove the rest).
 */
import t from 'tap';
import { defragment, humanBytes, isTimeoutError, parseDuration, timeoutSteps, unsafeToDefragment } from '../../lib/etcd/defrag.js';
import { resolveConn } from '../../lib/etcd/etcdctl.js';
import { parseAlarmList } from '../../lib/etcd/parse.js';
import type { ClusterView, MemberState } from '../../lib/etcd/cluster.js';

const conn = resolveConn({ endpoints: 'https://127.0.10.2:2379' }, {});

t.test('durations as etcdctl writes them', async (t) => {
  t.equal(parseDuration('30s'), 30);
  t.equal(parseDuration('2m'), 120);
  t.equal(parseDuration('1m30s'), 90);
  t.equal(parseDuration('1h'), 3600);
  t.equal(parseDuration('45'), 45);
  t.equal(parseDuration(10), 10);
  t.ok(Number.isNaN(parseDuration('soon')));
  t.ok(Number.isNaN(parseDuration('')));
});

t.test('the timeouts double from the first up to the longest, which is tried last', async (t) => {
  t.same(timeoutSteps(30, 300), [30, 60, 120, 240, 300]);
  t.same(timeoutSteps(30, 30), [30]);
  t.same(timeoutSteps(30, 60), [30, 60]);
});

t.test('timeout errors are told from other errors', async (t) => {
  t.ok(isTimeoutError('context deadline exceeded'));
  t.ok(isTimeoutError('rpc error: code = DeadlineExceeded desc = context deadline exceeded'));
  t.notOk(isTimeoutError('etcdserver: mvcc: database space exceeded'));
  t.notOk(isTimeoutError('permission denied'));
});

function scripted(answers: Array<{ rc: number; stderr?: string }>) {
  const commands: string[] = [];
  const exec = async (command: string) => {
    commands.push(command);
    const a = answers.shift() ?? { rc: 0 };
    return { rc: a.rc, stdout: a.rc === 0 ? 'Finished defragmenting etcd member[https://127.0.10.2:2379]\n' : '', stderr: a.stderr ?? '' };
  };
  return { exec, commands };
}

t.test('a defrag that times out is tried again with a longer --command-timeout, on that one endpoint', async (t) => {
  const s = scripted([{ rc: 1, stderr: 'Failed to defragment etcd member[https://127.0.10.2:2379] (context deadline exceeded)\n' }, { rc: 0 }]);
  const r = await defragment(s.exec, conn, 'https://127.0.10.2:2379', [30, 60, 120]);
  t.same(r, { ok: true, timeout: 60, attempts: ['--command-timeout=30s: Failed to defragment etcd member[https://127.0.10.2:2379] (context deadline exceeded)'] });
  t.equal(s.commands.length, 2);
  t.match(s.commands[0], /--endpoints=https:\/\/127\.0\.10\.2:2379 .*--command-timeout=30s defrag$/);
  t.match(s.commands[1], /--command-timeout=60s defrag$/);
  t.notMatch(s.commands.join('\n'), /--cluster/);
});

t.test('a defrag that keeps timing out fails after the longest timeout', async (t) => {
  const timeout = { rc: 1, stderr: 'Error: context deadline exceeded\n' };
  const s = scripted([timeout, timeout]);
  const r = await defragment(s.exec, conn, 'https://127.0.10.2:2379', [30, 60]);
  t.same(r.ok, false);
  t.match(r, { error: 'it still timed out with --command-timeout=60s' });
  t.equal(s.commands.length, 2);
});

t.test('another error is not retried', async (t) => {
  const s = scripted([{ rc: 1, stderr: 'Error: open /etc/etcd/peer.key: permission denied\n' }]);
  const r = await defragment(s.exec, conn, 'https://127.0.10.2:2379', [30, 60]);
  t.match(r, { ok: false, error: 'open /etc/etcd/peer.key: permission denied' });
  t.equal(s.commands.length, 1);
});

function member(name: string, id: string, n: number, over: Partial<MemberState> = {}): MemberState {
  return {
    id, name, peer_urls: [`https://127.0.10.${n}:2380`], client_urls: [`https://127.0.10.${n}:2379`],
    started: true, is_learner: false, reachable: true, healthy: true, is_leader: false, ...over,
  };
}

function view(members: MemberState[]): ClusterView {
  return { members } as ClusterView;
}

t.test('the quorum guard: every voting member healthy, or the reason naming each one that is not', async (t) => {
  const a = member('master-0.example.com', 'a', 1, { is_leader: true });
  const b = member('master-1.example.com', 'b', 2);
  t.equal(unsafeToDefragment(view([a, b])), null);
  t.equal(unsafeToDefragment(view([a, b, member('new', 'c', 3, { is_learner: true, healthy: false, reachable: false })])), null, 'a learner has no vote');
  t.equal(
    unsafeToDefragment(view([a, member('master-1.example.com', 'b', 2, { reachable: false, healthy: false, error: 'context deadline exceeded' })])),
    'member master-1.example.com (https://127.0.10.2:2379: context deadline exceeded) is not healthy: a defragmented member does not answer until it finishes, so defragmenting now would put quorum at risk',
  );
});

t.test('alarm list as etcdctl 3.4 prints it', async (t) => {
  t.same(parseAlarmList('memberID:14157584124841050879 alarm:NOSPACE \nmemberID:2655628489534115885 alarm:CORRUPT \n'), [
    { member_id: 'c479d7c05edc42ff', alarm: 'NOSPACE' },
    { member_id: '24dab00a8616902d', alarm: 'CORRUPT' },
  ]);
  t.same(parseAlarmList(''), []);
});

t.test('sizes for people', async (t) => {
  t.equal(humanBytes(512), '512 B');
  t.equal(humanBytes(122880), '120.0 KiB');
  t.equal(humanBytes(25 * 1024 * 1024), '25.0 MiB');
  t.equal(humanBytes(undefined), '?');
});
