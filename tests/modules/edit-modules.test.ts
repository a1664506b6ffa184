// The file-editing modules over the local connection: check mode, first run,
// second run, diffs, validate, backup, and argument errors.
import t from 'tap';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { idempotent, runTask, snapshot, tempDir } from './helpers.js';

const fixtures = path.resolve(new URL('../formats/fixtures', import.meta.url).pathname);
const read = (p: string) => readFileSync(p, 'utf8');
const url = (i: number) => `https://master-${i}.example.com:2379`;

t.test('env_file: drop members from ETCD_INITIAL_CLUSTER and set a key', async (t) => {
  const dir = tempDir(t);
  const conf = path.join(dir, 'etcd.conf');
  copyFileSync(path.join(fixtures, 'etcd.conf'), conf);
  const orig = read(conf);
  const task = { 'ansible.builtin.env_file': { path: conf, remove_items: { ETCD_INITIAL_CLUSTER: ['master-1.example.com', 'master-2.example.com'] }, set: { ETCD_INITIAL_CLUSTER_STATE: 'existing' } } };
  const want = orig
    .replace(',master-1.example.com=https://192.168.55.12:2380,master-2.example.com=https://192.168.55.13:2380', '')
    .replace('ETCD_INITIAL_CLUSTER_STATE=new', 'ETCD_INITIAL_CLUSTER_STATE=existing');
  const r = await idempotent(t, dir, { env_file: task['ansible.builtin.env_file'] }, { 'etcd.conf': want });
  t.same(r.result.values, { ETCD_INITIAL_CLUSTER_STATE: 'existing', ETCD_INITIAL_CLUSTER: 'master-0.example.com=https://192.168.55.8:2380' });
  t.match(r.diff[0]?.path, conf);
});

t.test('env_file: a missing file, unknown arguments, bad keys', async (t) => {
  const dir = tempDir(t);
  const missing = await runTask({ env_file: { path: path.join(dir, 'nope'), set: { A: 1 } } });
  t.equal(missing.status, 'failed');
  t.match(missing.msg, /does not exist \(set create: true/);
  const created = await runTask({ env_file: { path: path.join(dir, 'new'), set: { A: 1, B: 'x y' }, create: true } });
  t.equal(created.status, 'changed');
  t.equal(read(path.join(dir, 'new')), 'A=1\nB="x y"\n');
  t.match((await runTask({ env_file: { path: path.join(dir, 'new'), set: { A: 1 }, state: 'present' } })).msg, /module 'env_file': unsupported argument 'state'/);
  const badKey = await runTask({ env_file: { path: path.join(dir, 'new'), set: { 'A-B': 1 } } });
  t.equal(badKey.status, 'failed');
  t.match(badKey.msg, /module 'env_file'.*set/);
  t.equal(read(path.join(dir, 'new')), 'A=1\nB="x y"\n', 'nothing written on an argument error');
  t.match((await runTask({ env_file: { path: path.join(dir, 'new') } })).msg, /give at least one of set, remove, add_items, remove_items/);
});

t.test('flanneld_config: remove and add endpoints, the full list', async (t) => {
  const dir = tempDir(t);
  const f = path.join(dir, 'flanneld');
  copyFileSync(path.join(fixtures, 'flanneld'), f);
  const orig = read(f);
  await idempotent(t, dir, { flanneld_config: { path: f, remove_endpoints: [url(1), url(2)], restart: false } }, { flanneld: orig.replace(`,${url(1)},${url(2)}`, '') });
  const r = await idempotent(t, dir, { flanneld_config: { path: f, etcd_endpoints: `${url(0)},${url(2)}`, restart: false } }, { flanneld: orig.replace(`,${url(1)}`, '') });
  t.same(r.result.etcd_endpoints, [url(0), url(2)]);
  const both = await runTask({ flanneld_config: { path: f, etcd_endpoints: [url(0)], add_endpoints: [url(1)] } });
  t.equal(both.status, 'failed');
  t.match(both.msg, /give either etcd_endpoints \(the full list\) or add_endpoints\/remove_endpoints, not both/);
});

t.test('haproxy_backend: remove a server from one backend, validate, backup', async (t) => {
  const dir = tempDir(t);
  const cfg = path.join(dir, 'haproxy.cfg');
  copyFileSync(path.join(fixtures, 'haproxy.cfg'), cfg);
  const orig = read(cfg);
  const base = { path: cfg, backend: 'mgmt8443', reload: 'none', validate: 'grep -q "^backend mgmt8443" %s' };
  const r = await idempotent(t, dir, { haproxy_backend: { ...base, server: 'master-0.example.com', state: 'absent' } }, {
    'haproxy.cfg': orig.replace('    server master-0.example.com 192.168.55.8:8443 check   # the first master\n', ''),
  });
  t.same(r.result.servers, ['master-1.example.com', 'master-2.example.com']);

  const failing = await runTask({ haproxy_backend: { ...base, server: 'master-9.example.com', address: '10.0.0.9:8443', validate: 'false %s' } });
  t.equal(failing.status, 'failed');
  t.match(failing.msg, /validation of the new .*haproxy.cfg failed .*the old file is untouched/);
  t.equal(read(cfg), orig.replace('    server master-0.example.com 192.168.55.8:8443 check   # the first master\n', ''), 'a failed validate leaves the old file');

  const before = read(cfg);
  const added = await runTask({ haproxy_backend: { ...base, server: 'master-0.example.com', address: '192.168.55.8:8443', options: ['check'], backup: true } });
  t.equal(added.status, 'changed');
  t.equal(read(cfg), before.replace('master-2.example.com 192.168.55.13:8443 check\n', 'master-2.example.com 192.168.55.13:8443 check\n    server master-0.example.com 192.168.55.8:8443 check\n'), 'added after the last server');
  t.match(added.result.backup_file, /haproxy\.cfg\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
  t.equal(read(String(added.result.backup_file)), before, 'the backup holds the old bytes');

  const absent = await runTask({ haproxy_backend: { ...base, backend: 'nope', server: 'x', state: 'absent' } });
  t.match(absent.msg, /no backend or listen section named 'nope' \(it has: stats, atomic-openshift-api, mgmt8443, etcd\)/);
  const noAddress = await runTask({ haproxy_backend: { ...base, server: 'x' } });
  t.match(noAddress.msg, /needs 'address'/);
});

t.test('yaml_edit: etcdClientInfo.urls in master-config.yaml', async (t) => {
  const dir = tempDir(t);
  const mc = path.join(dir, 'master-config.yaml');
  copyFileSync(path.join(fixtures, 'master-config.yaml'), mc);
  const orig = read(mc);
  const r = await idempotent(t, dir, { yaml_edit: { path: mc, key: 'etcdClientInfo.urls', remove_items: [url(1), url(2)] } }, { 'master-config.yaml': orig.replace(`  - ${url(1)}\n  - ${url(2)}\n`, '') });
  t.same(r.result.value, [url(0)]);
  await idempotent(t, dir, { yaml_edit: { path: mc, key: 'etcdClientInfo.urls', add_items: [url(1), url(2)] } }, { 'master-config.yaml': orig });
  await idempotent(t, dir, { yaml_edit: { path: mc, key: 'servingInfo.maxRequestsInFlight', value: 1000 } }, { 'master-config.yaml': orig.replace('500', '1000') });
  const bad = await runTask({ yaml_edit: { path: mc, key: 'kind', add_items: ['x'] } });
  t.match(bad.msg, /'kind' is not a list/);
  const both = await runTask({ yaml_edit: { path: mc, key: 'kind', value: 1, add_items: ['x'] } });
  t.equal(both.status, 'failed');
  t.match(both.msg, /give exactly one of value, add_items, remove_items \(got value, add_items\)/);
});
