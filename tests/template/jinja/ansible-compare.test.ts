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
];

// The inventory in ./hosts, as tsplay's engine hands it to templates (h0 is the host rendering).
const hostvars: Record<string, Record<string, unknown>> = {
  h0: { ansible_host: '10.9.0.1', ansible_fqdn: 'h0.example.com', access_ip: '10.1.0.1', aws_id: 'i-0', aws_ip: '1.2.3.4', openshift_node_group_name: 'node-config-master' },
  h1: { ansible_host: '10.9.0.2', ansible_fqdn: 'h1.example.com', ip: '10.2.0.2', aws_id: 'i-1', aws_ip: '1.2.3.5', openshift_node_group_name: 'node-config-infra' },
  h2: { ansible_host: '10.9.0.3', ansible_fqdn: 'h2.example.com', aws_id: 'i-2', aws_ip: '1.2.3.6' },
};
const groups = {
  all: ['h0', 'h1', 'h2'], ungrouped: [], masters: ['h0', 'h1', 'h2'], infras: ['h1', 'h2'],
  kube_control_plane: ['h0', 'h1'], kube_node: ['h0'], nodes: ['h0', 'h1'],
};
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
});

t.test('unsupported statements name the line and column', async (t) => {
  const err = (name: string) => {
    try {
      renderString(readFileSync(path.join(j2Dir, name), 'utf8'), tsplayVars);
      return 'rendered';
    } catch (e) {
      return (e as Error).message;
    }
  };
  t.match(err('etcd.conf.j2'), /'\{% macro initial_cluster\(\) %\}' at line 1, column 1 is not supported/);
  t.match(err('openssl.conf.j2'), /'\{% macro increment\(dct, key, inc=1\) %\}' at line 1, column 40 is not supported/);
  // Templates cannot change their variables in place (dict.update, list.append).
  t.match(err('topology.json.j2'), /'dict' has no method 'update' \(line 9, column 5\)/);
});
