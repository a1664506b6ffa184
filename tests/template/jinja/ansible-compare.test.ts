// Renders real-world .j2 files (openshift-ansible 3.11, kubespray) with the
// real ansible-playbook's template module and with tsplay, and compares the
// bytes. Templates using what tsplay does not support must fail with the
// statement's line and column.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAnsible } from '../../compat/helpers.js';
import { compatDir } from '../../formats/compat-dir.js';
import { renderString } from '../../../lib/template/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const j2Dir = path.join(compatDir(), 'templates', 'j2');
const vars = JSON.parse(readFileSync(path.join(here, 'vars.json'), 'utf8')) as Record<string, unknown>;

const supported = [
  'haproxy.cfg.j2', 'haproxy-mgmt.cfg.j2', 'haproxy-apiserver.cfg.j2', 'etcd.env.j2', 'inventory.ini.j2',
  'registries.conf.j2', 'resolved.conf.j2', 'route.yaml.j2', 'kubelet-config.yaml.j2',
  // A macro (etcd), a macro with a default argument mutating a {% set %} dict (openssl), dict.update / list.append (topology).
  'etcd.conf.j2', 'openssl.conf.j2', 'topology.json.j2',
];

// The inventory in ./hosts, as tsplay's engine hands it to templates (h0 is the host rendering);
// extra variables (glusterfs_devices) are in every host's hostvars, as in Ansible.
const hostvars: Record<string, Record<string, unknown>> = {
  h0: {
    ansible_host: '10.9.0.1', ansible_fqdn: 'h0.example.com', access_ip: '10.1.0.1', aws_id: 'i-0', aws_ip: '1.2.3.4', openshift_node_group_name: 'node-config-master',
    etcd_hostname: 'etcd0', etcd_ip: '10.0.0.1', glusterfs_ip: '10.5.0.1', glusterfs_hostname: 'gluster0.example.com', glusterfs_devices: vars.glusterfs_devices,
  },
  h1: {
    ansible_host: '10.9.0.2', ansible_fqdn: 'h1.example.com', ip: '10.2.0.2', aws_id: 'i-1', aws_ip: '1.2.3.5', openshift_node_group_name: 'node-config-infra',
    etcd_hostname: 'etcd1', etcd_ip: '10.0.0.2', glusterfs_ip: '10.5.0.2', glusterfs_cluster: 'b', glusterfs_zone: 2, glusterfs_devices: vars.glusterfs_devices,
  },
  h2: {
    ansible_host: '10.9.0.3', ansible_fqdn: 'h2.example.com', aws_id: 'i-2', aws_ip: '1.2.3.6',
    etcd_hostname: 'etcd2', etcd_ip: '10.0.0.3', glusterfs_ip: '10.5.0.3', glusterfs_devices: vars.glusterfs_devices,
  },
};
const groups = {
  all: ['h0', 'h1', 'h2'], ungrouped: [], masters: ['h0', 'h1', 'h2'], infras: ['h1', 'h2'],
  kube_control_plane: ['h0', 'h1'], kube_node: ['h0'], nodes: ['h0', 'h1'], etcd: ['h0', 'h1', 'h2'],
};
// What the templates may change in place (a {% set %} dict) must not be the test's variables either.
const before = JSON.stringify(hostvars) + JSON.stringify(vars);
const tsplayVars = { glusterfs_nodes: ['h0'], ...vars, ...hostvars.h0, inventory_hostname: 'h0', groups, hostvars, ansible_managed: 'Ansible managed' };

t.test('the same bytes as ansible-playbook\'s template module', async (t) => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'tsplay-j2-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const run = await runAnsible(
    ['-i', path.join(here, 'hosts'), path.join(here, 'render-compat.yml'), '-e', `@${path.join(here, 'vars.json')}`,
      '-e', JSON.stringify({ j2_dir: j2Dir, out_dir: out, templates: supported })],
    here,
  );
  t.equal(run.code, 0, run.stdout.slice(-2000));
  for (const name of supported) {
    const want = readFileSync(path.join(out, name), 'utf8');
    const got = renderString(readFileSync(path.join(j2Dir, name), 'utf8'), tsplayVars);
    t.equal(got, want, name);
  }
  t.equal(JSON.stringify(hostvars) + JSON.stringify(vars), before, 'rendering changed no variable');
});

t.test('the same bytes twice: a template\'s {% set %} dict starts anew at each render', async (t) => {
  const src = readFileSync(path.join(j2Dir, 'openssl.conf.j2'), 'utf8');
  t.equal(renderString(src, tsplayVars), renderString(src, tsplayVars));
});
