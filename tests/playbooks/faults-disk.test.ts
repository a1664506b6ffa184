/**
 * Full file systems (the procedure tester's `lab fill`), each from a reset lab:
 *   4. /backup full on master-0 when restore-quorum.yml starts: the backup of
 *      /etc/etcd fails there, the restore stops before its first change, no
 *      half-written backup is left to count as done; with room again the same
 *      command finishes, with a whole backup, and every key reads back;
 *   6. /var/lib/etcd full on the host add-etcd-member.yml adds: etcd cannot
 *      start there, the member added for it is removed again, the cluster
 *      keeps its quorum; with room again the same command finishes.
 */
import t from 'tap';
import { ensureLabUp, etcdEndpoints, lab, labExec } from '../helpers/lab.js';
import { assertDataReadBack, digest, failures, prepare, runWatched } from '../helpers/procedure-tester.js';
import { ADD_MEMBER, RESTORE, memberNames } from './helpers.js';
import { NAMES, labOk, memberToAdd, quorumLost } from './scenarios.js';

t.setTimeout(1_400_000);

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  await lab('reset', '--masters', '3');
});

const exists = async (host: string, path: string) => (await labExec(host, `test -e ${path}; echo $?`)).stdout.trim() === '0';

t.test('4. /backup full on master-0: the restore stops before its first change, no partial backup; with room, the same command finishes', async (t) => {
  const inventory = await prepare(quorumLost);
  await labOk('fill', 'master-0', '/backup');
  const first = await runWatched(RESTORE, inventory, []);
  t.notOk(first.hung, 'the run ends by itself');
  t.equal(first.rc, 2, 'the run fails (exit 2)');
  const told = failures(first).find((f) => f.task === 'A.1 The backup failed: which host and what to do');
  t.ok(told, 'the run says what happened');
  if (!told) t.comment(digest(first));
  t.equal(told?.host, 'master-0', 'on master-0');
  t.match(told?.msg, /^master-0: step "A\.1 Back up \/etc\/etcd on every etcd member[^"]*" failed \([^)]*No space left on device/, 'which host, which step, and why');
  t.match(told?.msg, /The restore stops here, before its first change: no host was changed, and no partial backup is left in \/backup\/etcd-config-\d{8}\./);
  t.match(told?.msg, /What to do: make room for \/backup\/etcd-config-\d{8} on master-0 \(df -h \/backup\), then run the same command again\./, 'and what to do');
  t.same(first.changed.filter((c) => !c.startsWith('A.1 Back up')), [], 'no change but the backups of the other hosts');
  const partial = await labExec('master-0', 'ls -d /backup/etcd-config-*/etcd /backup/etcd-config-*/etcd.partial 2>/dev/null || true');
  t.equal(partial.stdout.trim(), '', 'master-0 keeps no backup folder that a re-run would take for a whole one');
  t.notOk(await exists('master-1', '/etc/etcd/restore-in-progress.json'), 'no restore marked in progress: nothing to resume');
  t.notOk(await exists('master-1', '/etc/systemd/system/etcd.service.d/temp.conf'), 'no --force-new-cluster drop-in');
  t.equal((await labExec('master-1', "grep -c '^  - https' /etc/origin/master/master-config.yaml")).stdout.trim(), '3', 'master-config.yaml still lists the three members');

  await labOk('unfill', 'master-0', '/backup');
  const second = await runWatched(RESTORE, inventory, []);
  t.notOk(second.hung, 'the re-run ends by itself');
  t.equal(second.rc, 0, 'with room in /backup the same command exits 0');
  if (second.rc !== 0) t.comment(digest(second), second.stderr);
  const whole = await labExec('master-0', 'cd /backup/etcd-config-*/etcd && cmp ca.crt /etc/etcd/ca.crt && cmp peer.key /etc/etcd/peer.key && grep -c ^ETCD_NAME= etcd.conf && ls -d ../etcd.partial 2>/dev/null | wc -l');
  t.equal(whole.rc, 0, `master-0's backup is whole: the certificates match (${whole.stderr.trim()})`);
  t.same(whole.stdout.trim().split('\n'), ['1', '0'], 'its etcd.conf names the member, and no partial copy is left');
  t.same(await memberNames('master-1', etcdEndpoints(3)), NAMES, 'three members');
  await assertDataReadBack(t, 'after the re-run');
  const third = await runWatched(RESTORE, inventory, []);
  t.equal(third.rc, 2, 'once more: the preflight refuses, quorum holds');
  t.same(third.changed, [], 'and nothing changes');
});

t.test('6. /var/lib/etcd full on the host add-etcd-member adds: the member is removed again, quorum kept; with room, the same command finishes', async (t) => {
  const inventory = await prepare(memberToAdd);
  await labOk('fill', 'master-2', '/var/lib/etcd');
  const first = await runWatched(ADD_MEMBER, inventory, memberToAdd.args!);
  t.notOk(first.hung, 'the run ends by itself');
  t.equal(first.rc, 2, 'the run fails (exit 2)');
  const told = failures(first).find((f) => f.task === 'A.4 The join of this host failed: which step, the cluster, and what to do');
  t.ok(told, 'the run says what happened');
  if (!told) t.comment(digest(first));
  t.equal(told?.host, 'master-2', 'on master-2');
  t.match(told?.msg, /^master-2 did not join the cluster: step "A\.4 (Start etcd|member promote|Wait until)[^"]*" failed/, 'which host and step');
  t.match(told?.msg, /The member added for it was removed again/, 'the member that cannot start is not left behind');
  t.match(told?.msg, /The cluster now: 2 of 2 voting members healthy, quorum holds\./, 'the quorum, in numbers');
  t.match(told?.msg, /then run the same command again: tsplay run playbooks\/add-etcd-member\.yml -i \S+ -e host=master-2\./, 'and the command to run');
  t.same(await memberNames('master-0', 'https://127.0.10.1:2379'), NAMES.slice(0, 2), 'the member list is master-0 and master-1: nothing that cannot start');
  await assertDataReadBack(t, 'with master-2 out');

  await labOk('unfill', 'master-2', '/var/lib/etcd');
  const second = await runWatched(ADD_MEMBER, inventory, memberToAdd.args!);
  t.notOk(second.hung, 'the re-run ends by itself');
  t.equal(second.rc, 0, 'with room in /var/lib/etcd the same command exits 0');
  if (second.rc !== 0) t.comment(digest(second), second.stderr);
  t.same(await memberNames('master-0', etcdEndpoints(3)), NAMES, 'three members');
  await assertDataReadBack(t, 'after the re-run');
  const third = await runWatched(ADD_MEMBER, inventory, memberToAdd.args!);
  t.equal(third.rc, 0, 'once more: exit 0');
  t.same(third.changed, [], 'and nothing changes');
});
