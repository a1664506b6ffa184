// systemd_dropin and inventory_file over the local connection.
import t from 'tap';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { idempotent, runTask, tempDir } from './helpers.js';

const fixtures = path.resolve(new URL('../formats/fixtures', import.meta.url).pathname);
const read = (p: string) => readFileSync(p, 'utf8');

const execStart = 'ExecStart=/bin/bash -c "GOMAXPROCS=$(nproc) /usr/bin/etcd --name=\\"${ETCD_NAME}\\" --data-dir=\\"${ETCD_DATA_DIR}\\""';
const unit = `[Unit]\nDescription=Etcd Server\n\n[Service]\nType=notify\nExecStartPre=/bin/true "x"\n${execStart}\nRestart=on-failure\n`;

t.test('systemd_dropin: --force-new-cluster as the documents\' sed writes it, then removed', async (t) => {
  const dir = tempDir(t);
  const unitFile = path.join(dir, 'etcd.service');
  writeFileSync(unitFile, unit);
  const sys = path.join(dir, 'system');
  mkdirSync(sys);
  const args = { unit: 'etcd', name: 'temp.conf', exec_start_append: '--force-new-cluster', unit_file: unitFile, dir: sys, daemon_reload: false };
  const sedLine = execStart.replace(/"$/, ' --force-new-cluster"');
  const r = await idempotent(t, dir, { systemd_dropin: args }, { 'system/etcd.service.d/temp.conf': `[Service]\nExecStart=\n${sedLine}\n` });
  t.equal(r.result.exec_start, sedLine.slice('ExecStart='.length));
  t.equal(r.result.daemon_reloaded, false);
  t.equal(statSync(path.join(sys, 'etcd.service.d/temp.conf')).mode & 0o777, 0o644);

  const dry = await runTask({ systemd_dropin: { unit: 'etcd', name: 'temp.conf', state: 'absent', dir: sys, daemon_reload: false } }, { check: true });
  t.equal(dry.status, 'changed');
  t.ok(existsSync(path.join(sys, 'etcd.service.d/temp.conf')), 'check mode removes nothing');
  const gone = await runTask({ systemd_dropin: { unit: 'etcd', name: 'temp.conf', state: 'absent', dir: sys, daemon_reload: false } });
  t.equal(gone.status, 'changed');
  t.notOk(existsSync(path.join(sys, 'etcd.service.d/temp.conf')));
  t.equal((await runTask({ systemd_dropin: { unit: 'etcd', name: 'temp.conf', state: 'absent', dir: sys, daemon_reload: false } })).status, 'ok');
});

t.test('systemd_dropin: a line without a closing quote, sections, errors', async (t) => {
  const dir = tempDir(t);
  const unitFile = path.join(dir, 'x.service');
  writeFileSync(unitFile, '[Service]\nExecStart=/usr/bin/etcd --name x\n');
  const sys = path.join(dir, 'system');
  mkdirSync(sys);
  await idempotent(t, dir, { systemd_dropin: { unit: 'x.service', name: 'temp.conf', exec_start_append: '--force-new-cluster', unit_file: unitFile, dir: sys, daemon_reload: false } }, {
    'system/x.service.d/temp.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/etcd --name x --force-new-cluster\n',
  });
  await idempotent(t, dir, { systemd_dropin: { unit: 'x', name: '10-limits.conf', sections: { Service: { LimitNOFILE: 65536, Environment: ['A=1', 'B=2'] } }, dir: sys, daemon_reload: false } }, {
    'system/x.service.d/10-limits.conf': '[Service]\nLimitNOFILE=65536\nEnvironment=A=1\nEnvironment=B=2\n',
  });
  t.match((await runTask({ systemd_dropin: { unit: 'x', name: 'a.conf', dir: sys } })).msg, /needs exactly one of content, sections, exec_start_append/);
  t.match((await runTask({ systemd_dropin: { unit: 'x', name: 'a.txt', content: '' } })).msg, /module 'systemd_dropin'.*name/);
  t.match((await runTask({ systemd_dropin: { unit: 'x', name: 'a.conf', exec_start_append: '--f', unit_file: path.join(dir, 'nope'), dir: sys } })).msg, /cannot read the unit file .*nope/);
  writeFileSync(unitFile, '[Service]\nType=oneshot\n');
  t.match((await runTask({ systemd_dropin: { unit: 'x', name: 'b.conf', exec_start_append: '--f', unit_file: unitFile, dir: sys } })).msg, /has no ExecStart=/);
});

t.test('inventory_file: remove a host from groups, add it back, keep every other byte', async (t) => {
  const dir = tempDir(t);
  const inv = path.join(dir, 'hosts');
  copyFileSync(path.join(fixtures, 'hosts.ini'), inv);
  const orig = read(inv);
  const removed = orig.replace('master-2.example.com\n\n# host group for etcd', '\n# host group for etcd').replace('master-2.example.com etcd_ip=192.168.55.13\n', '');
  await idempotent(t, dir, { inventory_file: { path: inv, host: 'master-2.example.com', groups: ['masters', 'etcd'], state: 'absent' } }, { hosts: removed });
  const again = await runTask({ inventory_file: { path: inv, host: 'master-2.example.com', groups: ['etcd'], vars: { etcd_ip: '192.168.55.13' } } });
  t.equal(again.status, 'changed');
  t.equal(read(inv), orig.replace('master-2.example.com\n\n# host group for etcd', '\n# host group for etcd'));
  const before = read(inv);
  const backed = await runTask({ inventory_file: { path: inv, host: 'master-9.example.com', groups: ['new'], backup: true } });
  t.equal(read(inv), before + '\n[new]\nmaster-9.example.com\n');
  t.match(backed.result.backup_file, /hosts\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
  t.equal(read(String(backed.result.backup_file)), before, 'the backup holds the old bytes');
  const beforeRange = read(inv);
  const range = await runTask({ inventory_file: { path: inv, host: 'master-1.example.com', groups: ['nodes'], state: 'absent' } });
  t.equal(range.status, 'changed', 'a host listed through a range is taken out');
  t.equal(read(inv), beforeRange.replace("master-[0:2].example.com openshift_node_group_name='node-config-master'\n", "master-0.example.com openshift_node_group_name='node-config-master'\nmaster-2.example.com openshift_node_group_name='node-config-master'\n"));
});
