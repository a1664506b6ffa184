/**
 * The decisions of discovery that a tester table cannot reach on every host:
 * how etcd runs when systemd answers, and how a host that is down is matched
 * to its member from the inventory's variables and the survivor's files.
 * (The module is proved on real hosts by its table and on the lab.)
 */
import t from 'tap';
import { discover, parseInitialCluster, type DiscoveryInput } from '../../lib/etcd/discover.js';
import { memberOfHost } from '../../lib/etcd/host-match.js';
import { planRestore } from '../../lib/etcd/restore-plan.js';
import { HOSTS, facts, view } from '../module/tables/etcd-views.js';

const conf = 'ETCD_NAME=m0\nETCD_ADVERTISE_CLIENT_URLS=https://10.0.0.1:2379\nETCD_INITIAL_ADVERTISE_PEER_URLS=https://10.0.0.1:2380\n';
const none = (path: string) => ({ path, text: null });
const input = (over: Partial<DiscoveryInput>): DiscoveryInput => ({
  host: 'm0',
  expect_member: true,
  etcd_conf: { path: '/etc/etcd/etcd.conf', text: conf },
  static_pod: none('/etc/origin/node/pods/etcd.yaml'),
  master_config: none('/etc/origin/master/master-config.yaml'),
  flanneld: none('/etc/sysconfig/flanneld'),
  unit: null,
  unit_name: 'etcd.service',
  overrides: {},
  ...over,
});
const unit = (active_state: string, unit_file_state = 'enabled', load_state = 'loaded') => ({ load_state, active_state, unit_file_state });
const pod = { path: '/etc/origin/node/pods/etcd.yaml', text: 'spec: {}\n' };

t.test('the deployment: a running or enabled etcd.service, else the static pod, else a loaded unit with etcd.conf', async (t) => {
  const d = (over: Partial<DiscoveryInput>) => {
    const r = discover(input(over));
    return [r.facts.deployment, r.doubt === null ? 'sure' : 'doubt'];
  };
  t.same(d({ unit: unit('active') }), ['systemd', 'sure']);
  t.same(d({ unit: unit('active', 'disabled'), static_pod: pod }), ['systemd', 'sure'], 'the unit in use wins over a manifest left behind');
  t.same(d({ unit: unit('inactive', 'enabled'), static_pod: pod }), ['systemd', 'doubt'], 'a stopped etcd.service that starts at boot');
  t.same(d({ unit: unit('inactive', 'disabled'), static_pod: pod }), ['static_pod', 'doubt']);
  t.same(d({ unit: unit('inactive', '', 'not-found'), static_pod: pod }), ['static_pod', 'sure']);
  t.same(d({ unit: unit('inactive', 'disabled'), static_pod: { ...pod, path: '/etc/origin/node/pods-stopped/etcd.yaml' } }), ['static_pod', 'sure'], 'a manifest in pods-stopped/: etcd stopped as a static pod');
  t.equal(discover(input({ unit: unit('inactive', 'disabled'), static_pod: pod })).facts.deployment_doubt, discover(input({ unit: unit('inactive', 'disabled'), static_pod: pod })).doubt, 'the doubt is in the facts, for the playbooks');
  t.same(d({ unit: null, static_pod: pod }), ['static_pod', 'sure']);
  t.same(d({ unit: unit('failed', 'disabled') }), ['systemd', 'sure'], 'a stopped etcd on a dedicated etcd host');
  t.same(d({ unit: unit('inactive', 'masked', 'masked') }), [null, 'sure']);
  t.same(d({ unit: null }), [null, 'sure']);
  t.same(d({ unit: unit('active'), overrides: { etcd_deployment: 'static_pod' } }), ['static_pod', 'sure']);
  t.equal(
    discover(input({ unit: unit('inactive', 'disabled'), static_pod: pod })).doubt,
    'etcd.service (inactive, disabled) and /etc/origin/node/pods/etcd.yaml are both there and etcd is not running: taken as static_pod; set etcd_deployment if it runs otherwise',
  );
});

t.test('ETCD_INITIAL_CLUSTER: names to peer URLs, a name given twice keeps both', async (t) => {
  t.same(parseInitialCluster('a=https://x:2380, b=https://y:2380,a=https://z:2380'), { a: 'https://x:2380,https://z:2380', b: 'https://y:2380' });
  t.same(parseInitialCluster('__proto__=https://x:2380'), { ['__proto__']: 'https://x:2380' });
  t.equal(Object.getPrototypeOf(parseInitialCluster('__proto__=https://x:2380')), Object.prototype, 'a key never becomes a prototype');
  t.same(parseInitialCluster(undefined), {});
});

t.test('an IPv6 etcd_ip is bracketed in the URLs', async (t) => {
  const f = discover(input({ overrides: { etcd_ip: 'fd00::1' } })).facts;
  t.equal(f.client_url, 'https://[fd00::1]:2379');
  t.equal(f.peer_url, 'https://[fd00::1]:2380');
});

t.test("a host that is down is matched by openshift-ansible's variables, then by the inventory", async (t) => {
  const members = view([1, 2, undefined]).members;
  const match = (host: string, vars: Record<string, unknown>) => memberOfHost({ host, vars }, members);
  t.equal(match('node-a', { etcd_hostname: HOSTS[2] })?.by, `name ${HOSTS[2]} (etcd_hostname)`);
  t.equal(match('node-a', { openshift_hostname: HOSTS[2] })?.by, `name ${HOSTS[2]} (openshift_hostname)`);
  t.equal(match('node-a', { etcd_ip: '10.0.0.3' })?.by, 'peer URL address 10.0.0.3 (etcd_ip)');
  t.equal(match('node-a', { openshift_ip: '10.0.0.3' })?.by, 'peer URL address 10.0.0.3 (openshift_ip)');
  t.equal(match('node-a', { ansible_host: '10.0.0.3' })?.by, 'peer URL address 10.0.0.3 (ansible_host)');
  t.equal(match('master-2', {})?.by, "its inventory name master-2, the short form of the member's");
  t.equal(match('master-2', { etcd_ip: '10.0.0.1' })?.member.name, HOSTS[0], 'a variable wins over the inventory name');
  t.equal(match('node-a', {}), null);
  t.equal(memberOfHost({ host: HOSTS[2]!, vars: {}, facts: { name: 'other' } }, members), null, 'a host that answered is known by its own etcd.conf only');
});

t.test('a host down that the member list no longer has is described from the survivor\'s ETCD_INITIAL_CLUSTER', async (t) => {
  // master-2 was removed from the member list earlier; the survivor's etcd.conf still names it.
  const v = view([19, 21, undefined]);
  const shrunk = { ...v, members: v.members.slice(0, 2), member_count: 2 };
  const out = planRestore({
    etcd_hosts: [HOSTS[0]!, HOSTS[1]!, 'etcd-c'],
    up_hosts: [HOSTS[0]!, HOSTS[1]!],
    views: { [HOSTS[0]!]: shrunk },
    facts: { [HOSTS[0]!]: facts(0), [HOSTS[1]!]: facts(1) },
    hostvars: { 'etcd-c': { ansible_host: '10.0.0.3' } },
    force: false,
  });
  t.ok(out.ok);
  if (!out.ok) return;
  t.same(out.plan.down, [
    { host: 'etcd-c', name: HOSTS[2], id: null, peer_url: 'https://10.0.0.3:2380', client_url: null, known_by: "the survivor's ETCD_INITIAL_CLUSTER: peer URL address 10.0.0.3 (ansible_host)" },
  ]);
});

t.test('a host down that nothing identifies says which variable to set', async (t) => {
  const out = planRestore({
    etcd_hosts: [HOSTS[0]!, HOSTS[1]!, 'etcd-c'],
    up_hosts: [HOSTS[0]!, HOSTS[1]!],
    views: { [HOSTS[0]!]: { ...view([19, 21]), member_count: 2 } },
    facts: { [HOSTS[1]!]: { ...facts(1), initial_cluster: {} } },
    hostvars: {},
    force: false,
  });
  t.ok(out.ok);
  if (out.ok) t.same(out.plan.down.map((d) => [d.host, d.name, d.known_by]), [['etcd-c', null, 'no member matches it: set etcd_hostname (its ETCD_NAME) or etcd_ip for etcd-c']]);
});

t.test('a host named __proto__ in registered results stays a key', async (t) => {
  const { byHost } = await import('../../lib/etcd/registered.js');
  const out = byHost({ results: [{ item: '__proto__', reachable: true }, { item: 'a', skipped: true }, { item: 'b', failed: true }] });
  t.same(Object.keys(out), ['__proto__']);
  t.equal(Object.getPrototypeOf(out), Object.prototype);
  const fromJson = byHost(JSON.parse('{"__proto__": {"reachable": true}}'));
  t.same(Object.keys(fromJson), ['__proto__'], 'a mapping from JSON keeps its __proto__ key as a host');
  t.equal(Object.getPrototypeOf(fromJson), Object.prototype);
});
