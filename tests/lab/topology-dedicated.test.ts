// Dedicated etcd hosts ([etcd] apart from [masters], etcd.service on each):
// the masters carry no etcd but reach the etcd hosts, and every lab verb takes
// an etcd host by short name or FQDN. Also the 5-member sizes of both
// co-located kinds, and `inventory --fqdn`. The default lab is restored at the end.
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';
import {
  LAB_DATA_KEYS,
  etcdEndpointsOf,
  lab,
  labExec,
  labHostAddress,
  labTopologyStatus,
  labUpWith,
  printedInventory,
  reportedUpSeconds,
  restoreDefaultLab,
  run,
  verifyData,
  waitUntil,
} from '../helpers/lab.js';

const MASTERS = ['master-0', 'master-1', 'master-2'];
const ETCD = ['etcd-0', 'etcd-1', 'etcd-2'];

async function memberHealthy(host: string): Promise<boolean> {
  const st = await labTopologyStatus();
  return st.hosts.find((h) => h.name === host)?.etcd?.healthy === true;
}

t.teardown(restoreDefaultLab);

t.test('up --etcd-hosts 3: etcd-0..2 on 127.0.10.11-13, the masters reach them', async (t) => {
  const r = await labUpWith('--etcd-hosts', '3');
  t.comment(`up --etcd-hosts 3 (3 masters, 3 members): ${reportedUpSeconds(r)} s`);
  const inventory = printedInventory(r)!;
  t.match(inventory, /inventories\/lab\/\.lab\/hosts-3-etcd-3$/);
  const text = readFileSync(inventory, 'utf8');
  t.match(text, /\[etcd\]\netcd-0 ansible_host=127\.0\.10\.11 openshift_hostname=etcd-0\.example\.com openshift_ip=127\.0\.10\.11\netcd-1 /);
  t.notMatch(text, /etcd_ip=|etcd_name=|lab_/, 'only connection and openshift-ansible variables: the playbooks discover the members');

  const st = await labTopologyStatus();
  t.equal(st.etcdHosts, 3);
  t.same(st.hosts.map((h) => [h.name, h.address, h.state]),
    [...MASTERS, ...ETCD, 'lb'].map((h) => [h, labHostAddress(h), 'running']));
  t.same(st.hosts.filter((h) => h.etcd).map((h) => [h.name, h.etcd!.deployment, h.etcd!.unit, h.etcd!.enabled, h.etcd!.healthy]),
    ETCD.map((h) => [h, 'service', 'active', 'enabled', true]));

  const list = await labExec('etcd-1', `etcdctl3 --endpoints=${etcdEndpointsOf(ETCD)} member list`);
  t.same(list.stdout.trim().split('\n').map((l) => l.split(', ').slice(2, 4)).sort(),
    ETCD.map((h) => [`${h}.example.com`, `https://${labHostAddress(h)}:2380`]));
  const ca = await labExec('etcd-0', 'ls /etc/etcd/ca/ && hostname');
  t.equal(ca.stdout, 'ca.crt\nca.key\netcd-0.example.com\n', 'the etcd CA on the first etcd host');

  const master = await labExec('master-1', 'systemctl is-enabled etcd.service; ls /etc/origin/node/pods; test -e /etc/etcd || echo no-etcd-dir; sed -n "/^  urls:/,/^[a-z]/p" /etc/origin/master/master-config.yaml; grep ^FLANNEL_ETCD_ENDPOINTS /etc/sysconfig/flanneld');
  t.equal(master.stdout, [
    'disabled', 'api.yaml', 'controller.yaml', 'no-etcd-dir',
    '  urls:', ...ETCD.map((h) => `  - https://${h}.example.com:2379`), 'etcdStorageConfig:',
    `FLANNEL_ETCD_ENDPOINTS=${ETCD.map((h) => `https://${h}.example.com:2379`).join(',')}`, '',
  ].join('\n'));
  const oc = await labExec('master-0', 'oc get nodes -o name');
  t.equal(oc.stdout, MASTERS.map((m) => `node/${m}.example.com`).join('\n') + '\n', 'oc on a master reads etcd on the etcd hosts; etcd hosts are no nodes');
  const cfg = (await labExec('lb', 'cat /etc/haproxy/haproxy.cfg')).stdout;
  t.same(cfg.split('\nbackend etcd2379')[1].match(/server .*/g), ETCD.map((h) => `server ${h}.example.com ${labHostAddress(h)}:2379 check`));
  t.equal((await verifyData()).matching, LAB_DATA_KEYS);
});

t.test('kill/start/wipe-etcd/break-quorum take etcd hosts by short name and FQDN', async (t) => {
  t.equal((await lab('kill', 'etcd-1')).rc, 0);
  t.equal((await labTopologyStatus()).hosts.find((h) => h.name === 'etcd-1')!.state, 'stopped');
  const start = await lab('start', 'etcd-1.example.com');
  t.equal(start.rc, 0, start.stderr);
  await waitUntil('etcd-1 healthy after its boot', () => memberHealthy('etcd-1'));

  const wipe = await lab('wipe-etcd', 'etcd-2.example.com');
  t.equal(wipe.rc, 0, wipe.stderr);
  const r = await labExec('etcd-2', 'ls -A /var/lib/etcd | wc -l; systemctl is-active etcd.service; systemctl is-enabled etcd.service');
  t.equal(r.stdout, '0\ninactive\ndisabled\n');
  const noEtcd = await lab('wipe-etcd', 'master-0');
  t.equal(noEtcd.rc, 1);
  t.match(noEtcd.stderr, /master-0 runs no etcd \(etcd members: etcd-0 etcd-1 etcd-2 \)/);

  t.equal((await lab('reset')).rc, 0);
  t.equal((await labTopologyStatus()).etcdHosts, 3, 'reset keeps the topology');
  const quorum = await lab('break-quorum', '--keep', 'etcd-1');
  t.equal(quorum.rc, 0, quorum.stderr);
  t.match(quorum.stderr, /killed etcd-0 etcd-2; etcd-1 keeps running/);
  const st = await labTopologyStatus();
  t.same(st.hosts.filter((h) => h.state === 'running').map((h) => h.name), [...MASTERS, 'etcd-1', 'lb'], 'the masters keep running');
  t.equal((await verifyData({ serializable: true })).matching, LAB_DATA_KEYS);
  const bad = await lab('break-quorum', '--keep', 'master-1');
  t.equal(bad.rc, 1);
  t.match(bad.stderr, /--keep must be an etcd member/);
});

t.test('bad topology flags are refused with what to do', async (t) => {
  const pod = await lab('up', '--etcd-hosts', '3', '--etcd', 'static-pod');
  t.equal(pod.rc, 1);
  t.match(pod.stderr, /dedicated etcd hosts run etcd\.service/);
  const ten = await lab('up', '--etcd-hosts', '10');
  t.equal(ten.rc, 1);
  t.match(ten.stderr, /--etcd-hosts must be a number from 0 \(etcd on the masters\) to 9 \(got '10'\)/);
  const mode = await lab('up', '--etcd', 'docker');
  t.equal(mode.rc, 1);
  t.match(mode.stderr, /--etcd must be 'service'/);
  t.notMatch(pod.stderr + ten.stderr + mode.stderr, /\n\s+at /, 'no stack trace');
});

t.test('5 members: dedicated, and static pods on 5 masters', async (t) => {
  const dedicated = await labUpWith('--etcd-hosts', '5');
  t.comment(`up --etcd-hosts 5 (3 masters, 5 members): ${reportedUpSeconds(dedicated)} s`);
  let st = await labTopologyStatus();
  t.equal(st.hosts.filter((h) => h.etcd?.healthy).length, 5);
  const pods = await labUpWith('--masters', '5', '--etcd', 'static-pod');
  t.comment(`up --masters 5 --etcd static-pod (5 members): ${reportedUpSeconds(pods)} s`);
  st = await labTopologyStatus();
  t.same(st.hosts.filter((h) => h.etcd?.healthy && h.etcd.deployment === 'static-pod').map((h) => h.name),
    ['master-0', 'master-1', 'master-2', 'master-3', 'master-4']);
  t.equal(st.hosts.some((h) => h.name.startsWith('etcd-')), false, 'the dedicated hosts are gone');
  const service = await labUpWith('--masters', '5');
  t.comment(`up --masters 5 (etcd.service, 5 members): ${reportedUpSeconds(service)} s`);
  t.match(printedInventory(service), /hosts-5$/);
});

t.test('inventory --fqdn: what an operator writes, and Ansible reaches every host through it', async (t) => {
  t.equal((await lab('up')).rc, 0);
  const r = await lab('inventory', '--fqdn');
  t.equal(r.rc, 0, r.stderr);
  t.match(r.stdout, /\[masters\]\nmaster-0\.example\.com ansible_host=127\.0\.10\.1 openshift_ip=127\.0\.10\.1\n/);
  t.match(r.stdout, /\[etcd\]\nmaster-0\.example\.com\nmaster-1\.example\.com\nmaster-2\.example\.com\n/);
  t.notMatch(r.stdout, /lab_|etcd_ip|etcd_name|openshift_hostname/, 'only connection and openshift-ansible variables');
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-topology-'));
  writeFileSync(join(dir, 'hosts'), r.stdout);
  const { env } = hermeticAnsibleEnv();
  const ping = await run('ansible', ['-i', join(dir, 'hosts'), 'all', '-m', 'ping', '-o'], { env, timeoutMs: 120_000 });
  t.equal(ping.rc, 0, ping.stdout + ping.stderr);
  t.equal(ping.stdout.match(/SUCCESS/g)?.length, 4, 'three masters and lb answer, host keys checked');
});
