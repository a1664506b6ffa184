/**
 * 4. Five masters, four lost: master-1 keeps running, master-0 and master-2
 * come back repaired without their etcd data, master-3 and master-4 stay
 * down. The restore brings quorum back with the 3 reachable hosts and reports
 * the 2 down ones, with the lists they keep stale and how to fix them; then master-3 is repaired and added with
 * playbooks/add-etcd-member.yml: 4 healthy members, data intact; adding it
 * again changes nothing.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { ensureLabUp, etcdEndpoints, lab, labStatus, verifyData } from '../helpers/lab.js';
import { ADD_MEMBER, RESTORE, envValue, iniGroup, inventoryCopy, memberNames, tsplay } from './helpers.js';

t.setTimeout(1_800_000);

async function labOk(...args: string[]) {
  const r = await lab(...args);
  if (r.rc !== 0) throw new Error(`lab ${args.join(' ')} failed (rc ${r.rc}): ${r.stderr}`);
}

t.before(async () => {
  await ensureLabUp();
  await labOk('reset', '--masters', '5');
});

t.teardown(async () => {
  await lab('reset', '--masters', '3');
});

t.test('4. 5 masters, 4 lost, 2 repaired: quorum back with 3, the down hosts reported; then add-etcd-member', async (t) => {
  await labOk('break-quorum', '--keep', 'master-1');
  for (const h of ['master-0', 'master-2']) {
    await labOk('wipe-etcd', h);
    await labOk('start', h);
  }
  const inventory = inventoryCopy(5);
  // -e survivor: a host whose etcd is not running is refused; the one that runs is taken, and said so.
  const wrong = await tsplay(RESTORE, inventory, '--check', '-e', 'survivor=master-0');
  t.equal(wrong.rc, 2, '-e survivor=master-0 (etcd wiped, not running) is refused');
  t.match(wrong.stdout, /-e survivor=master-0: not a reachable etcd host with a running member \(reachable members: master-1\.example\.com\)/);
  const named = await tsplay(RESTORE, inventory, '--check', '-e', 'survivor=master-1');
  t.equal(named.rc, 0, '-e survivor=master-1 is accepted (check mode)');
  t.match(named.stdout, /survivor: master-1 \(master-1\.example\.com\): chosen with -e survivor: raft index \d+; master-1\.example\.com has the highest raft index/);
  const t0 = Date.now();
  const r = await tsplay(RESTORE, inventory);
  const took = Date.now() - t0;
  t.comment(`restore on 5 masters (4 lost, 2 back), broken to healthy: ${(took / 1000).toFixed(1)} s`);
  t.equal(r.rc, 0, 'exit code 0: the hosts still down are reported, never contacted');
  if (r.rc !== 0) t.comment(r.stdout.slice(-6000), r.stderr);
  t.same(Object.keys(r.recap).sort(), ['localhost', 'master-0', 'master-1', 'master-2'], 'master-3 and master-4 were never contacted');
  t.match(r.stdout, /not re-added \(down\): master-3, master-4\. When repaired, add each back with: tsplay run playbooks\/add-etcd-member\.yml -i \S+ -e host=HOST/);
  for (const h of ['master-3', 'master-4']) {
    t.match(r.stdout, new RegExp(`${h} was down and keeps the lists of before the restore \\(still naming every old member\\): ETCD_INITIAL_CLUSTER in /etc/etcd/etcd.conf, etcdClientInfo.urls in /etc/origin/master/master-config.yaml, FLANNEL_ETCD_ENDPOINTS in /etc/sysconfig/flanneld \\(if it runs flanneld\\)\\. Fix: when repaired, tsplay run playbooks/add-etcd-member.yml -i \\S+ -e host=${h} `), `the summary says what stays stale on ${h} and how to fix it`);
  }
  t.match(r.stdout, /then set etcdClientInfo\.urls there to https:\/\/master-0\.example\.com:2379,https:\/\/master-1\.example\.com:2379,https:\/\/master-2\.example\.com:2379 plus its own URL/, 'with the list the reachable hosts now have');
  const three = ['master-0.example.com', 'master-1.example.com', 'master-2.example.com'];
  t.same(await memberNames('master-1', etcdEndpoints(3)), three, 'three members: master-0, master-1, master-2');
  const status = await labStatus();
  for (const h of ['master-0', 'master-1', 'master-2']) t.ok(status.hosts.find((x) => x.name === h)!.etcd!.healthy, `${h}: healthy`);
  const data = await verifyData();
  t.equal(data.matching, 1000, 'every seeded key with its value');
  t.ok(data.checksumOk);
  t.same(iniGroup(readFileSync(inventory, 'utf8'), 'etcd').sort(), ['master-0', 'master-1', 'master-2'], 'the inventory [etcd] group: the three members');
  t.equal(
    await envValue('master-2', '/etc/etcd/etcd.conf', 'ETCD_INITIAL_CLUSTER'),
    'master-0.example.com=https://127.0.10.1:2380,master-1.example.com=https://127.0.10.2:2380,master-2.example.com=https://127.0.10.3:2380',
  );

  // master-3 comes back from repair, without its data.
  await labOk('wipe-etcd', 'master-3');
  await labOk('start', 'master-3');
  const check = await tsplay(ADD_MEMBER, inventory, '-e', 'host=master-3', '--check', '--diff');
  t.equal(check.rc, 0, 'add-etcd-member --check exits 0');
  t.same(await memberNames('master-1', etcdEndpoints(3)), three, '--check added no member');
  const add = await tsplay(ADD_MEMBER, inventory, '-e', 'host=master-3');
  t.equal(add.rc, 0, 'add-etcd-member exits 0');
  if (add.rc !== 0) t.comment(add.stdout.slice(-6000), add.stderr);
  t.same(await memberNames('master-1', etcdEndpoints(4)), [...three, 'master-3.example.com'], 'four members');
  const after = await labStatus();
  for (const h of ['master-0', 'master-1', 'master-2', 'master-3']) t.ok(after.hosts.find((x) => x.name === h)!.etcd!.healthy, `${h}: healthy`);
  t.equal((await verifyData()).matching, 1000, 'every seeded key with its value');
  t.same(iniGroup(readFileSync(inventory, 'utf8'), 'etcd').sort(), ['master-0', 'master-1', 'master-2', 'master-3'], 'the inventory [etcd] group has master-3 again');
  const flannel = (await envValue('master-0', '/etc/sysconfig/flanneld', 'FLANNEL_ETCD_ENDPOINTS'))!.split(',').sort();
  t.same(flannel, ['master-0', 'master-1', 'master-2', 'master-3'].map((h) => `https://${h}.example.com:2379`), 'flanneld on master-0 lists the four members');

  const again = await tsplay(ADD_MEMBER, inventory, '-e', 'host=master-3');
  t.equal(again.rc, 0, 'adding it again exits 0');
  t.same(again.changed, [], 'and changes nothing');
});
