// `up --like PATH`: a lab with an operator's host names, groups and etcd
// placement, and their inventory back with only connection variables added;
// inventories the lab cannot copy are refused in one paragraph. Reads
// openshift-ansible's example inventories in place (/work/shared/compat). The
// default lab is restored at the end.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';
import {
  LAB_DATA_KEYS,
  REPO,
  lab,
  labExec,
  labTopologyStatus,
  labUpWith,
  lockLab,
  printedInventory,
  reportedUpSeconds,
  restoreDefaultLab,
  run,
  verifyData,
  waitUntil,
} from '../helpers/lab.js';

const COMPAT = '/work/shared/compat/inventories';
const dir = mkdtempSync(join(tmpdir(), 'tsplay-like-'));

// As an operator writes it: FQDNs, openshift_ip, their own login user with sudo, no tsplay variables.
const OPERATOR = `# production cluster, eu-west
[OSEv3:children]
masters
nodes
etcd
lb

[OSEv3:vars]
ansible_user=cloud-user
ansible_become=true
openshift_deployment_type=openshift-enterprise
openshift_release=v3.11
openshift_master_cluster_method=native
openshift_master_cluster_hostname=api-int.ocp.corp.example
openshift_master_cluster_public_hostname=console.ocp.corp.example

[masters]
ocp-master1.ocp.corp.example openshift_ip=10.1.0.11
ocp-master2.ocp.corp.example openshift_ip=10.1.0.12
ocp-master3.ocp.corp.example openshift_ip=10.1.0.13

[etcd]
ocp-etcd1.ocp.corp.example openshift_ip=10.1.0.21
ocp-etcd2.ocp.corp.example openshift_ip=10.1.0.22
ocp-etcd3.ocp.corp.example openshift_ip=10.1.0.23

[lb]
ocp-lb.ocp.corp.example openshift_ip=10.1.0.5

[nodes]
ocp-master[1:3].ocp.corp.example openshift_node_group_name='node-config-master'
ocp-infra1.ocp.corp.example openshift_ip=10.1.0.31 openshift_node_group_name='node-config-infra'
`;
const MASTERS = [1, 2, 3].map((i) => `ocp-master${i}.ocp.corp.example`);
const ETCD = [1, 2, 3].map((i) => `ocp-etcd${i}.ocp.corp.example`);
const CONNECTION = /^(ansible_host|ansible_ssh_private_key_file|ansible_ssh_common_args|ansible_user|ansible_port|ansible_connection|ansible_python_interpreter)$/;

function ping(inventory: string) {
  const { env } = hermeticAnsibleEnv();
  return run('ansible', ['-i', inventory, 'all', '-m', 'ping', '-o'], { env, timeoutMs: 180_000 });
}

t.before(lockLab);
t.teardown(restoreDefaultLab);

t.test('an operator\'s inventory: their names, dedicated etcd, their login user', async (t) => {
  const src = join(dir, 'hosts');
  writeFileSync(src, OPERATOR);
  const r = await labUpWith('--like', src);
  t.comment(`up --like (3 masters, 3 dedicated etcd hosts, lb, 1 node): ${reportedUpSeconds(r)} s`);
  const written = printedInventory(r)!;
  t.equal(written, join(REPO, 'inventories/lab/.lab/like/hosts'));
  const text = readFileSync(written, 'utf8');
  t.ok(text.startsWith(OPERATOR), 'their file, unchanged, comes first');
  const added = text.slice(OPERATOR.length).split('\n').filter((l) => l && !l.startsWith('#'));
  t.equal(added[0], '[all]');
  t.equal(added.length, 1 + 8, 'one line per host');
  for (const line of added.slice(1)) {
    const keys = [...line.replace(/'[^']*'/g, "''").matchAll(/ (\w+)=/g)].map((m) => m[1]);
    t.ok(keys.every((k) => CONNECTION.test(k)), `only connection variables: ${keys.join(' ')}`);
  }
  t.notMatch(text.slice(OPERATOR.length), /ansible_user=/, 'they set a login user: the lab keeps it');

  const st = await labTopologyStatus();
  t.same(st.hosts.map((h) => [h.inventoryName, h.address, h.state]), [
    ...MASTERS.map((m, i) => [m, `127.0.10.${i + 1}`, 'running']),
    ...ETCD.map((e, i) => [e, `127.0.10.${i + 11}`, 'running']),
    ['ocp-lb.ocp.corp.example', '127.0.10.10', 'running'],
    ['ocp-infra1.ocp.corp.example', '127.0.10.20', 'running'],
  ]);
  t.same(st.hosts.filter((h) => h.etcd?.healthy).map((h) => [h.inventoryName, h.etcd!.deployment]), ETCD.map((e) => [e, 'service']));
  const inside = await labExec('ocp-master2.ocp.corp.example', 'hostname; getent hosts ocp-etcd1.ocp.corp.example; sed -n "/^  urls:/,/^[a-z]/p" /etc/origin/master/master-config.yaml | head -2');
  t.equal(inside.stdout, 'ocp-master2.ocp.corp.example\n127.0.10.11     ocp-etcd1.ocp.corp.example ocp-etcd1\n  urls:\n  - https://ocp-etcd1.ocp.corp.example:2379\n');
  const members = await labExec('ocp-etcd1', 'etcdctl3 --endpoints=https://127.0.10.11:2379 member list');
  t.same(members.stdout.trim().split('\n').map((l) => l.split(', ')[2]).sort(), ETCD);
  t.equal((await verifyData()).matching, LAB_DATA_KEYS);

  const p = await ping(written);
  t.equal(p.rc, 0, p.stdout + p.stderr);
  t.equal(p.stdout.match(/SUCCESS/g)?.length, 8, 'every host answers as cloud-user, with sudo, host keys checked');
  const who = await run('ansible', ['-i', written, 'ocp-etcd3.ocp.corp.example', '-m', 'command', '-a', 'id -un', '-o'], { env: hermeticAnsibleEnv().env, timeoutMs: 60_000 });
  t.match(who.stdout, /\(stdout\) root/, 'become works without a password');

  // The verbs take their names.
  t.equal((await lab('kill', 'ocp-etcd2.ocp.corp.example')).rc, 0);
  t.equal((await labTopologyStatus()).hosts.find((h) => h.inventoryName === ETCD[1])!.state, 'stopped');
  t.equal((await lab('start', 'ocp-etcd2')).rc, 0);
  await waitUntil('ocp-etcd2 healthy', async () => (await labTopologyStatus()).hosts.find((h) => h.inventoryName === ETCD[1])!.etcd!.healthy);
  const quorum = await lab('break-quorum', '--keep', 'ocp-etcd3.ocp.corp.example');
  t.equal(quorum.rc, 0, quorum.stderr);
  t.match(quorum.stderr, /quorum lost/);
  const unknown = await lab('kill', 'ocp-master9.ocp.corp.example');
  t.equal(unknown.rc, 1);
  t.match(unknown.stderr, /unknown host 'ocp-master9\.ocp\.corp\.example' \(hosts: ocp-master1\.ocp\.corp\.example /);
});

t.test('openshift-ansible\'s example inventory: co-located etcd as static pods', async (t) => {
  const src = join(COMPAT, 'openshift-ansible__inventory__hosts.example');
  const r = await labUpWith('--like', src);
  t.comment(`up --like hosts.example (3 masters with static-pod etcd, lb, 4 nodes): ${reportedUpSeconds(r)} s`);
  const st = await labTopologyStatus();
  t.equal(st.etcdDeployment, 'static-pod');
  t.same(st.hosts.filter((h) => h.etcd?.healthy).map((h) => [h.inventoryName, h.etcd!.deployment]),
    [1, 2, 3].map((i) => [`ose3-master${i}.test.example.com`, 'static-pod']));
  const restart = await labExec('ose3-master1.test.example.com', 'master-restart etcd');
  t.equal(restart.rc, 0, restart.stderr);
  const written = printedInventory(r)!;
  t.ok(readFileSync(written, 'utf8').startsWith(readFileSync(src, 'utf8')));
  const p = await ping(written);
  t.equal(p.rc, 0, p.stdout + p.stderr);
  t.equal(p.stdout.match(/SUCCESS/g)?.length, 8, 'masters, infra and compute nodes, lb');
});

t.test('inventories the lab cannot copy are refused in one paragraph, the lab untouched', async (t) => {
  const before = await labTopologyStatus();
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const hosts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}.corp.example`).join('\n');
  const cases: [string, string, RegExp][] = [
    ['ten masters', write('ten-masters', `[masters]\n${hosts('m', 10)}\n[etcd]\nm1.corp.example\n`), /10 masters; the lab runs at most 9/],
    ['ten etcd', write('ten-etcd', `[masters]\nm1.corp.example\n[etcd]\n${hosts('e', 10)}\n`), /10 etcd members; the lab runs at most 9\./],
    ['no masters', write('no-masters', `[nodes]\nn1.corp.example\n`), /has no \[masters\] hosts/],
    ['half co-located', write('mixed', `[masters]\nm1.corp.example\nm2.corp.example\nm3.corp.example\n[etcd]\nm1.corp.example\ne1.corp.example\ne2.corp.example\n`), /partly on the masters and partly on other hosts \(e1\.corp\.example, e2\.corp\.example\)/],
    ['addresses', write('by-address', `[masters]\n192.0.2.10\n[etcd]\n192.0.2.10\n`), /host 192\.0\.2\.10 is named by an address/],
    ['no etcd group', join(COMPAT, 'openshift-ansible__40_basic_inventory.ini'), /has no \[etcd\] hosts/],
    ['all-in-one on localhost', join(COMPAT, 'openshift-ansible__hosts.localhost'), /is this machine \(localhost\)/],
    ['a missing file', join(dir, 'nothing-here'), /no such file/],
    ['YAML', write('hosts.yml', 'all:\n  hosts: {}\n'), /copies INI inventories/],
    ['broken INI', write('broken', '[masters\nm1\n'), /tsplay cannot read it: ERROR! YAML syntax error/],
  ];
  for (const [what, path, why] of cases) {
    const r = await lab('up', '--like', path);
    t.equal(r.rc, 1, `${what}: refused`);
    t.match(r.stderr, why, what);
    t.match(r.stderr, /^lab: error: --like /m, `${what}: names the flag and the file`);
    t.notMatch(r.stderr, /\n\s+at |Traceback/, `${what}: no stack trace`);
  }
  const after = await labTopologyStatus();
  t.same(after.hosts.map((h) => [h.inventoryName, h.state]), before.hosts.map((h) => [h.inventoryName, h.state]), 'the lab is as it was');
  t.ok(existsSync(join(REPO, 'inventories/lab/.lab/like/openshift-ansible__inventory__hosts.example')));
});
