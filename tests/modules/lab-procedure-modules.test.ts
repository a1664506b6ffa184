/**
 * The procedures' modules on the lab's real hosts over SSH: haproxy on lb
 * (validated with the real `haproxy -c -f`, restarted), the etcd drop-in on a
 * master (read from the unit systemd uses, daemon-reload), etcd.conf,
 * flanneld (restarted) and master-config.yaml. Each: check mode predicts and
 * writes nothing, the first run changes exactly the expected bytes, the
 * second changes nothing. Every file is put back as it was.
 */
import t from 'tap';
import { runPlaybook } from '../../lib/engine/run.js';
import type { RunEvent } from '../../lib/output/events.js';
import { LAB_INVENTORY, ensureLabUp, labExec } from '../helpers/lab.js';

async function readHost(host: string, path: string): Promise<string> {
  const r = await labExec(host, `base64 -w0 ${path}`);
  if (r.rc !== 0) throw new Error(`cannot read ${path} on ${host}: ${r.stderr}`);
  return Buffer.from(r.stdout.trim(), 'base64').toString('utf8');
}

async function writeHost(host: string, path: string, text: string): Promise<void> {
  const r = await labExec(host, `printf '%s' '${Buffer.from(text).toString('base64')}' | base64 -d > ${path}`);
  if (r.rc !== 0) throw new Error(`cannot restore ${path} on ${host}: ${r.stderr}`);
}

async function task(host: string, body: Record<string, unknown>, check = false) {
  const events: RunEvent[] = [];
  const r = await runPlaybook({
    playbook: { plays: [{ hosts: host, gather_facts: false, tasks: [body] }] } as never,
    inventory: [LAB_INVENTORY],
    check,
    diff: true,
    reporters: [(e: RunEvent) => events.push(e)],
  });
  const res = events.find((e) => e.type === 'host_result') as Extract<RunEvent, { type: 'host_result' }>;
  return { exitCode: r.exitCode, status: res?.status, result: res?.result ?? {}, msg: String(res?.result?.msg ?? ''), warnings: r.warnings };
}

type T = typeof t;

/** check mode, first run, second run: the expected bytes and nothing else. */
async function cycle(t: T, host: string, path: string, body: Record<string, unknown>, want: string) {
  const before = await readHost(host, path);
  const dry = await task(host, body, true);
  t.equal(dry.status, 'changed', `check mode predicts a change ${dry.msg}`);
  t.equal(await readHost(host, path), before, 'check mode writes nothing');
  const real = await task(host, body);
  t.equal(real.status, 'changed', `the first run changes ${real.msg}`);
  t.same(real.warnings, [], 'apply() did what plan() predicted');
  t.equal(await readHost(host, path), want, 'exactly the expected bytes');
  const again = await task(host, body);
  t.equal(again.status, 'ok', 'the second run changes nothing');
  return real;
}

const files: [string, string][] = [
  ['lb', '/etc/haproxy/haproxy.cfg'],
  ['master-1', '/etc/etcd/etcd.conf'],
  ['master-1', '/etc/sysconfig/flanneld'],
  ['master-1', '/etc/origin/master/master-config.yaml'],
];
const originals = new Map<string, string>();

t.before(async () => {
  await ensureLabUp();
  for (const [h, p] of files) originals.set(`${h}:${p}`, await readHost(h, p));
});

t.teardown(async () => {
  // The drop-in must never outlive the test: the next etcd restart would force a new cluster.
  await labExec('master-1', 'rm -f /etc/systemd/system/etcd.service.d/temp.conf; rmdir --ignore-fail-on-non-empty /etc/systemd/system/etcd.service.d 2>/dev/null; systemctl daemon-reload');
  for (const [h, p] of files) {
    const o = originals.get(`${h}:${p}`);
    if (o !== undefined && (await readHost(h, p)) !== o) await writeHost(h, p, o);
  }
  await labExec('lb', 'systemctl restart haproxy');
  await labExec('master-1', 'systemctl restart flanneld');
});

t.test('haproxy_backend on lb: remove a master, a failed validate, add it back', async (t) => {
  const path = '/etc/haproxy/haproxy.cfg';
  const orig = originals.get(`lb:${path}`)!;
  const line = '    server master-2.example.com 127.0.10.3:8443 check\n';
  t.ok(orig.includes(line));
  const r = await cycle(t, 'lb', path, { haproxy_backend: { backend: 'mgmt8443', server: 'master-2.example.com', state: 'absent' } }, orig.replace(line, ''));
  t.equal(r.result.restarted, 'haproxy');
  t.same(r.result.servers, ['master-0.example.com', 'master-1.example.com']);
  t.equal((await labExec('lb', 'systemctl is-active haproxy')).stdout.trim(), 'active');
  t.match((await labExec('lb', 'haproxy-backends')).stdout, /etcd2379.*master-2\.example\.com/s, 'the same server in the other backend stays');

  const bad = await task('lb', { haproxy_backend: { backend: 'mgmt8443', server: 'bogus', address: 'no-such-host.invalid:8443', options: 'check' } });
  t.equal(bad.status, 'failed');
  t.match(bad.msg, /validation of the new \/etc\/haproxy\/haproxy.cfg failed \(haproxy -c -f %s\); the old file is untouched/);
  t.equal(await readHost('lb', path), orig.replace(line, ''), 'the old file is untouched');

  await cycle(t, 'lb', path, { 'ansible.builtin.haproxy_backend': { backend: 'mgmt8443', server: 'master-2.example.com', address: '127.0.10.3:8443', options: 'check' } }, orig);
});

t.test('systemd_dropin on master-1: the documents\' --force-new-cluster drop-in, then removed', async (t) => {
  const path = '/etc/systemd/system/etcd.service.d/temp.conf';
  // What the documents' commands write, run on the host itself.
  const sed = await labExec('master-1', `sed -n '/ExecStart/s/"$/ --force-new-cluster"/p' /usr/lib/systemd/system/etcd.service`);
  const want = `[Service]\nExecStart=\n${sed.stdout}`;
  const body = { systemd_dropin: { unit: 'etcd', name: 'temp.conf', exec_start_append: '--force-new-cluster' } };
  const dry = await task('master-1', body, true);
  t.equal(dry.status, 'changed');
  t.equal((await labExec('master-1', `test -e ${path}`)).rc, 1, 'check mode writes nothing');
  const real = await task('master-1', body);
  t.equal(real.status, 'changed', real.msg);
  t.equal(real.result.daemon_reloaded, true);
  t.equal(await readHost('master-1', path), want, 'the same bytes as the documents\' echo and sed');
  t.match((await labExec('master-1', 'systemctl show etcd -p DropInPaths')).stdout, /temp\.conf/, 'systemd sees it after daemon-reload');
  t.match((await labExec('master-1', 'systemctl show etcd -p ExecStart')).stdout, /--force-new-cluster/);
  t.equal((await task('master-1', body)).status, 'ok', 'the second run changes nothing (its own drop-in is not read back)');
  const gone = await task('master-1', { systemd_dropin: { unit: 'etcd', name: 'temp.conf', state: 'absent' } });
  t.equal(gone.status, 'changed');
  t.equal((await labExec('master-1', `test -e ${path}`)).rc, 1);
  t.notMatch((await labExec('master-1', 'systemctl show etcd -p ExecStart')).stdout, /--force-new-cluster/, 'daemon-reload ran');
  t.equal((await task('master-1', { systemd_dropin: { unit: 'etcd', name: 'temp.conf', state: 'absent' } })).status, 'ok');
});

t.test('env_file, flanneld_config, yaml_edit on master-1: drop master-2', async (t) => {
  const conf = originals.get('master-1:/etc/etcd/etcd.conf')!;
  const m2 = /,master-2\.example\.com=https:\/\/127\.0\.10\.3:2380/.exec(conf);
  t.ok(m2, 'the lab lists master-2 in ETCD_INITIAL_CLUSTER');
  await cycle(t, 'master-1', '/etc/etcd/etcd.conf', { env_file: { path: '/etc/etcd/etcd.conf', remove_items: { ETCD_INITIAL_CLUSTER: ['master-2.example.com'] } } }, conf.replace(m2![0], ''));

  const fl = originals.get('master-1:/etc/sysconfig/flanneld')!;
  const r = await cycle(t, 'master-1', '/etc/sysconfig/flanneld', { flanneld_config: { remove_endpoints: ['https://master-2.example.com:2379'] } }, fl.replace(',https://master-2.example.com:2379', ''));
  t.equal(r.result.restarted, 'flanneld.service');
  t.equal((await labExec('master-1', 'systemctl is-active flanneld')).stdout.trim(), 'active');

  const mc = originals.get('master-1:/etc/origin/master/master-config.yaml')!;
  await cycle(t, 'master-1', '/etc/origin/master/master-config.yaml', { yaml_edit: { path: '/etc/origin/master/master-config.yaml', key: 'etcdClientInfo.urls', remove_items: ['https://master-2.example.com:2379'] } }, mc.replace('  - https://master-2.example.com:2379\n', ''));
});

t.test('static_pod and systemd/service on master-1', async (t) => {
  const pods = '/etc/origin/node/pods';
  const where = async () => (await labExec('master-1', `ls ${pods}/controller.yaml ${pods}/disabled/controller.yaml 2>/dev/null`)).stdout.trim();
  t.equal(await where(), `${pods}/controller.yaml`);
  const disable = { static_pod: { name: 'controller', state: 'disabled' } };
  t.equal((await task('master-1', disable, true)).status, 'changed');
  t.equal(await where(), `${pods}/controller.yaml`, 'check mode moves nothing');
  const unit = 'atomic-openshift-master-controllers';
  const active = async () => (await labExec('master-1', `systemctl is-active ${unit}`)).stdout.trim();
  // The node stand-in, like the kubelet, acts on a manifest's move at its next
  // poll: wait for it (60 s is a hang detector, not a speed target).
  const becomes = async (state: 'active' | 'inactive') =>
    (await labExec('master-1', `for i in $(seq 240); do [ "$(systemctl is-active ${unit})" = ${state} ] && exit 0; sleep 0.25; done; exit 1`)).rc === 0;
  const moved = await task('master-1', disable);
  t.equal(moved.status, 'changed', moved.msg);
  t.equal(await where(), `${pods}/disabled/controller.yaml`, 'moved where the documents put it');
  t.ok(await becomes('inactive'), 'the node stops the controllers whose manifest left');
  t.equal((await task('master-1', disable)).status, 'ok');
  t.equal((await task('master-1', { static_pod: { name: 'controller', state: 'enabled' } })).status, 'changed');
  t.equal(await where(), `${pods}/controller.yaml`);
  t.ok(await becomes('active'), 'the node starts the controllers whose manifest came back');
  await labExec('master-1', `rmdir ${pods}/disabled`);

  t.equal((await task('master-1', { systemd: { name: unit, state: 'started', enabled: true } })).status, 'ok', 'already started and enabled');
  const dry = await task('master-1', { service: { name: unit, state: 'stopped' } }, true);
  t.equal(dry.status, 'changed');
  t.equal(await active(), 'active', 'check mode stops nothing');
  t.equal((await task('master-1', { 'ansible.builtin.service': { name: unit, state: 'stopped' } })).status, 'changed');
  t.equal(await active(), 'inactive');
  t.equal((await task('master-1', { service: { name: unit, state: 'stopped' } })).status, 'ok');
  t.equal((await task('master-1', { systemd: { name: unit, state: 'started' } })).status, 'changed');
  t.equal(await active(), 'active');
  t.equal((await task('master-1', { systemd: { name: 'flanneld', state: 'restarted', daemon_reload: true } })).status, 'changed');
  t.match((await task('master-1', { systemd: { name: 'no-such-unit', state: 'started' } })).msg, /Could not find the requested service no-such-unit/);
  t.match((await task('master-1', { service: { name: unit, state: 'started', pattern: 'x' } })).msg, /unsupported argument 'pattern'/);
});
