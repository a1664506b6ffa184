/**
 * openshift_etcd_facts and etcd_restore_plan on the lab, with the inventory an
 * operator has from installing OpenShift 3.11: hosts named by FQDN, addresses
 * in ansible_host, none of tsplay's variables (no etcd_ip, no etcd_name).
 * The facts must equal what the lab's own files say; the plan, made from real
 * etcd_status results of a lab whose quorum is broken, must keep the member
 * that is left and describe the hosts that are down from its files.
 */
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { LAB_KEY, LAB_KNOWN_HOSTS, ensureLabUp, lab, labAddress, labExec, resetLab } from '../helpers/lab.js';

await ensureLabUp();
t.teardown(resetLab);

const MASTERS = ['master-0', 'master-1', 'master-2'];
const FQDN = (h: string) => `${h}.example.com`;
const dir = mkdtempSync(join(tmpdir(), 'tsplay-discovery-'));

// As openshift-ansible 3.11 was installed from: FQDNs, ansible_host, the OSEv3 groups; nothing tsplay defines.
const inventory = join(dir, 'hosts');
writeFileSync(
  inventory,
  `[OSEv3:children]
masters
etcd
nodes
lb

[OSEv3:vars]
ansible_ssh_user=root
ansible_ssh_private_key_file=${LAB_KEY}
ansible_ssh_common_args='-o UserKnownHostsFile=${LAB_KNOWN_HOSTS} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes'
openshift_deployment_type=openshift-enterprise

[masters]
${MASTERS.map((h) => `${FQDN(h)} ansible_host=${labAddress(h)}`).join('\n')}

[etcd]
${MASTERS.map((h) => `${FQDN(h)} ansible_host=${labAddress(h)}`).join('\n')}

[nodes]
${MASTERS.map((h) => `${FQDN(h)} ansible_host=${labAddress(h)} openshift_node_group_name='node-config-master'`).join('\n')}

[lb]
lb.example.com ansible_host=${labAddress('lb')}
`,
);

let n = 0;
type Results = Record<string, Record<string, Record<string, any>>>;
async function play(yaml: string, opts: { check?: boolean; extraVars?: Record<string, unknown> } = {}) {
  const file = join(dir, `play-${++n}.yml`);
  writeFileSync(file, yaml);
  const results: Results = {};
  let task = '';
  const r = await runPlaybook({
    playbooks: [file],
    inventory: [inventory],
    check: opts.check,
    extraVars: opts.extraVars,
    reporters: [
      (e) => {
        if (e.type === 'task_start') task = e.name;
        if (e.type === 'host_result') (results[task] ??= {})[e.host] = e.result;
      },
    ],
  });
  return { exitCode: r.exitCode, results };
}

/** KEY=VALUE lines of a file on a lab host, read as root without tsplay. */
async function envOf(host: string, path: string): Promise<Record<string, string>> {
  const r = await labExec(host, `cat ${path}`);
  const out: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  }
  return out;
}

const factsPlay = `
- hosts: etcd
  gather_facts: false
  tasks:
    - name: discover
      openshift_etcd_facts:
`;

t.test("each master's facts are what its own files say", async (t) => {
  for (const check of [false, true]) {
    const r = await play(factsPlay, { check });
    t.equal(r.exitCode, 0, `the play succeeds${check ? ' in check mode' : ''}`);
    for (const h of MASTERS) {
      const f = r.results.discover?.[FQDN(h)];
      if (!t.ok(f, `${h} reported`)) continue;
      const conf = await envOf(h, '/etc/etcd/etcd.conf');
      t.equal(f.changed, false);
      t.equal(f.member, true);
      t.equal(f.deployment, 'systemd', 'the lab runs etcd.service (its static pod manifest is a stand-in)');
      t.equal(f.name, conf.ETCD_NAME);
      t.equal(f.name, FQDN(h));
      t.equal(f.data_dir, conf.ETCD_DATA_DIR);
      t.equal(f.client_url, conf.ETCD_ADVERTISE_CLIENT_URLS);
      t.equal(f.peer_url, conf.ETCD_INITIAL_ADVERTISE_PEER_URLS);
      t.equal(f.ip, labAddress(h));
      t.same(f.listen_client_urls, conf.ETCD_LISTEN_CLIENT_URLS!.split(','));
      t.same(f.listen_peer_urls, conf.ETCD_LISTEN_PEER_URLS!.split(','));
      t.same(
        Object.entries(f.initial_cluster).map(([name, url]) => `${name}=${url}`).join(','),
        conf.ETCD_INITIAL_CLUSTER,
      );
      t.same(f.tls, {
        cert_file: conf.ETCD_CERT_FILE,
        key_file: conf.ETCD_KEY_FILE,
        trusted_ca_file: conf.ETCD_TRUSTED_CA_FILE,
        client_cert_auth: conf.ETCD_CLIENT_CERT_AUTH === 'true',
        peer_cert_file: conf.ETCD_PEER_CERT_FILE,
        peer_key_file: conf.ETCD_PEER_KEY_FILE,
        peer_trusted_ca_file: conf.ETCD_PEER_TRUSTED_CA_FILE,
        peer_client_cert_auth: conf.ETCD_PEER_CLIENT_CERT_AUTH === 'true',
      });
      t.same(f.unit, { name: 'etcd.service', load_state: 'loaded', active_state: 'active', unit_file_state: 'enabled' });
      t.equal(f.static_pod_manifest, '/etc/origin/node/pods/etcd.yaml');
      const mc = await labExec(h, "sed -n '/^etcdClientInfo:/,/^[a-zA-Z]/p' /etc/origin/master/master-config.yaml");
      const urls = [...mc.stdout.matchAll(/^\s*- (https:\/\/\S+)$/gm)].map((m) => m[1]);
      t.ok(urls.length >= 3, 'the lab lists the etcd URLs');
      t.same(f.etcd_client_info.urls, urls);
      for (const [k, key] of [['ca', 'ca'], ['cert_file', 'certFile'], ['key_file', 'keyFile']] as const) {
        const v = new RegExp(`^\\s*${key}: (\\S+)$`, 'm').exec(mc.stdout)?.[1];
        t.equal(f.etcd_client_info[k], v!.startsWith('/') ? v : `/etc/origin/master/${v}`, `etcdClientInfo.${key}`);
      }
      const flannel = await envOf(h, '/etc/sysconfig/flanneld');
      t.same(f.flannel_etcd_endpoints, flannel.FLANNEL_ETCD_ENDPOINTS!.split(','));
    }
  }
});

const planPlay = `
- hosts: localhost
  gather_facts: false
  tasks:
    - name: discover
      openshift_etcd_facts:
        host: "{{ item }}"
      delegate_to: "{{ item }}"
      loop: "{{ up_hosts }}"
      register: discovered

    - name: status
      etcd_status:
        endpoints: "{{ discovered.results | map(attribute='client_url') | list }}"
      delegate_to: "{{ item }}"
      loop: "{{ up_hosts }}"
      register: views

    - name: plan
      etcd_restore_plan:
        status: "{{ views }}"
        facts: "{{ discovered }}"
        up_hosts: "{{ up_hosts }}"
        survivor: "{{ survivor | default(omit) }}"
      register: plan
`;

t.test('the plan on real etcd_status results of a lab whose quorum is lost', async (t) => {
  t.equal((await lab('break-quorum', '--keep', 'master-1')).rc, 0, 'lab break-quorum --keep master-1');
  const up = [FQDN('master-1')];
  const conf = await envOf('master-1', '/etc/etcd/etcd.conf');
  const listed = await labExec('master-1', `etcdctl3 --endpoints=https://${labAddress('master-1')}:2379 member list`);
  const ids: Record<string, string> = {};
  for (const line of listed.stdout.trim().split('\n')) {
    const [id, , name] = line.split(', ');
    ids[name!] = id!;
  }
  t.same(Object.keys(ids).sort(), MASTERS.map(FQDN), 'the lab still lists three members');

  const r = await play(planPlay, { extraVars: { up_hosts: up } });
  t.equal(r.exitCode, 0, 'the plan is made');
  const p = r.results.plan?.localhost;
  if (!t.ok(p, 'the plan is registered')) return;
  t.equal(p.quorum, false);
  t.equal(p.survivor.host, FQDN('master-1'));
  t.equal(p.survivor.name, conf.ETCD_NAME);
  t.equal(p.survivor.id, ids[FQDN('master-1')]);
  t.equal(p.survivor.client_url, conf.ETCD_ADVERTISE_CLIENT_URLS);
  t.match(p.survivor.reason, /^master-1\.example\.com has the highest raft index \(\d+, term \d+\) of 1 reachable member$/);
  t.same(
    p.remove,
    ['master-0', 'master-2'].map((h) => ({ host: FQDN(h), id: ids[FQDN(h)], name: FQDN(h) })),
    'the two members that are down are removed, by ID',
  );
  t.same(p.add_back, [], 'no other host is up to come back');
  const initial = Object.fromEntries(conf.ETCD_INITIAL_CLUSTER!.split(',').map((kv) => kv.split('=')));
  t.same(
    p.down.map((d: Record<string, unknown>) => [d.host, d.name, d.id, d.peer_url]),
    ['master-0', 'master-2'].map((h) => [FQDN(h), FQDN(h), ids[FQDN(h)], initial[FQDN(h)]]),
    "the hosts down as the survivor's member list and ETCD_INITIAL_CLUSTER say",
  );
  t.equal(p.summary[0], '0 of 3 members healthy (2 needed): quorum LOST');

  const refused = await play(planPlay, { extraVars: { up_hosts: up, survivor: FQDN('master-0') } });
  t.equal(refused.exitCode, 2, 'a survivor that is down is refused');
  t.equal(
    refused.results.plan?.localhost?.msg,
    '-e survivor=master-0.example.com: not a reachable etcd host with a running member (reachable members: master-1.example.com)',
  );
});
