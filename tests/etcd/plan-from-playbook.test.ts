/**
 * The discovery and plan modules as a playbook uses them: each etcd host
 * registers openshift_etcd_facts, then one controller task makes the plan
 * from those registered facts (facts_var) and the status results. Local
 * connections, each host's etcd.conf in a folder of its own; the inventory is
 * an operator's (FQDNs, no etcd_ip, no etcd_name).
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { project, run } from '../engine/helpers.js';
import { HOSTS, loopResults, view } from '../module/tables/etcd-views.js';

const conf = (i: number) =>
  [
    `ETCD_NAME=${HOSTS[i]}`,
    `ETCD_ADVERTISE_CLIENT_URLS=https://10.0.0.${i + 1}:2379`,
    `ETCD_INITIAL_ADVERTISE_PEER_URLS=https://10.0.0.${i + 1}:2380`,
    `ETCD_INITIAL_CLUSTER=${HOSTS.map((h, j) => `${h}=https://10.0.0.${j + 1}:2380`).join(',')}`,
    '',
  ].join('\n');

function setup(status: unknown) {
  const dir = project({
    hosts: `[etcd]\n${HOSTS.map((h) => `${h} ansible_connection=local`).join('\n')}\n\n[masters:children]\netcd\n`,
    'status.json': JSON.stringify(status),
    'site.yml': `
- hosts: etcd
  gather_facts: false
  tasks:
    - name: discover
      openshift_etcd_facts:
        etcd_conf: "{{ playbook_dir }}/{{ inventory_hostname }}/etcd.conf"
        static_pod_manifest: "{{ playbook_dir }}/none/etcd.yaml"
        master_config: "{{ playbook_dir }}/none/master-config.yaml"
        flanneld_config: "{{ playbook_dir }}/none/flanneld"
        etcd_service: tsplay-test-no-such-etcd
      register: etcd_facts

- hosts: localhost
  gather_facts: false
  tasks:
    - include_vars:
        file: status.json
        name: status
    - name: plan
      etcd_restore_plan:
        status: "{{ status }}"
        facts_var: etcd_facts
        up_hosts: "{{ groups.etcd[:2] }}"
      register: plan
    - debug:
        msg: "{{ plan.survivor.host }} {{ plan.survivor.client_url }} {{ plan.down | map(attribute='peer_url') | join(',') }}"
`,
  });
  HOSTS.forEach((h, i) => {
    mkdirSync(path.join(dir, h));
    writeFileSync(path.join(dir, h, 'etcd.conf'), conf(i));
  });
  return dir;
}

function messages(events: Awaited<ReturnType<typeof run>>['events']) {
  return events.flatMap((e) => (e.type === 'host_result' && e.result._ansible_verbose_always ? [String(e.result.msg)] : []));
}

t.test('the plan from the facts each host registered', async (t) => {
  const lost = view([19, 21, undefined]);
  const dir = setup(loopResults({ [HOSTS[0]!]: lost, [HOSTS[1]!]: lost }));
  for (const check of [false, true]) {
    const r = await run({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'hosts')], check });
    t.equal(r.exitCode, 0, check ? 'check mode' : 'a run');
    t.same(messages(r.events), [`${HOSTS[1]} https://10.0.0.2:2379 https://10.0.0.3:2380`]);
  }
});

t.test('a refusal stops the run with its message and exit code 2', async (t) => {
  const dir = setup(loopResults({ [HOSTS[0]!]: view([30, 30, 30], 3) }));
  const r = await run({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'hosts')] });
  t.equal(r.exitCode, 2);
  const failed = r.events.flatMap((e) => (e.type === 'host_result' && e.status === 'failed' ? [String(e.result.msg)] : []));
  t.same(failed, ['etcd quorum holds (3 of 3 members healthy, 2 needed): there is nothing to restore and nothing was changed. Run with -e force=true to restore anyway.']);
});
