/**
 * openshift_etcd_facts: what an OpenShift 3.11 host's own files say about its
 * etcd member, read in one round trip, so playbooks need no variable that
 * only tsplay defines. Read-only; runs in check mode.
 */
import { defineModule, FileError, ModuleError, reads, shellQuote, type ExecResult } from '../lib/module/kit.js';
import { collectOverrides } from '../lib/etcd/discover-overrides.js';
import { describeMissing, discover, type FileText, type UnitState } from '../lib/etcd/discover.js';

interface Args {
  host?: string;
  expect_member?: boolean;
  etcd_conf: string;
  static_pod_manifest: string;
  master_config: string;
  flanneld_config: string;
  etcd_service: string;
  [override: string]: unknown;
}

const PATHS = ['etcd_conf', 'static_pod_manifest', 'master_config', 'flanneld_config'] as const;

function unitState(r: ExecResult): UnitState | null {
  if (r.rc !== 0) return null;
  const p: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) p[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  if (!p.LoadState) return null;
  return { load_state: p.LoadState, active_state: p.ActiveState ?? '', unit_file_state: p.UnitFileState ?? '' };
}

function unitRead(service: string) {
  const unit = service.endsWith('.service') ? service : `${service}.service`;
  return { unit, read: reads.command(`systemctl show --no-pager -p LoadState,ActiveState,UnitFileState -- ${shellQuote(unit)}`, unitState) };
}

const text = { type: ['string', 'number'] };

export default defineModule<Args>({
  name: 'openshift_etcd_facts',
  description:
    "What an OpenShift 3.11 host's own files say about its etcd member, as an operator reads them: from /etc/etcd/etcd.conf the name " +
    '(ETCD_NAME), data directory, listen and advertise URLs, ETCD_INITIAL_CLUSTER (name → peer URL) and the TLS files; whether etcd runs ' +
    'as etcd.service or as the static pod /etc/origin/node/pods/etcd.yaml; on a master, etcdClientInfo from master-config.yaml; flanneld\'s ' +
    "FLANNEL_ETCD_ENDPOINTS. openshift-ansible's variables (etcd_hostname, etcd_ip, openshift_hostname, openshift_ip, etcd_client_port, " +
    'etcd_peer_port, etcd_url_scheme, etcd_peer_url_scheme, etcd_data_dir, openshift_master_etcd_urls), as arguments or host variables, win ' +
    'over the files. On a host of [etcd] (or with expect_member), a name or URL that cannot be learned fails the task with one message naming ' +
    'what is missing and the variable that supplies it. Reads in one round trip; changes nothing; runs in check mode.',
  examples: [
    '- name: What each etcd host says about its member\n  hosts: etcd\n  become: true\n  tasks:\n    - openshift_etcd_facts:\n      register: etcd_facts\n\n    - debug:\n        msg: "{{ etcd_facts.name }} at {{ etcd_facts.client_url }}, {{ etcd_facts.deployment }}, data in {{ etcd_facts.data_dir }}"',
    '- name: From the controller, one host after another (the overrides come from the host named in `host`)\n  openshift_etcd_facts:\n    host: "{{ item }}"\n  delegate_to: "{{ item }}"\n  loop: "{{ groups.etcd }}"\n  register: discovered',
  ],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      host: { type: 'string', minLength: 1, description: 'The inventory host whose variables override the files (default: the task\'s host); give it with delegate_to.' },
      expect_member: { type: 'boolean', description: 'Fail when the name or URLs cannot be learned (default: the host is in [etcd]).' },
      etcd_conf: { type: 'string', minLength: 1, default: '/etc/etcd/etcd.conf', description: 'etcd\'s environment file (etcd.service deployments).' },
      static_pod_manifest: { type: 'string', minLength: 1, default: '/etc/origin/node/pods/etcd.yaml', description: 'etcd\'s static pod manifest (static pod deployments).' },
      master_config: { type: 'string', minLength: 1, default: '/etc/origin/master/master-config.yaml', description: 'The master\'s config file (its etcdClientInfo URLs).' },
      flanneld_config: { type: 'string', minLength: 1, default: '/etc/sysconfig/flanneld', description: 'flanneld\'s environment file (FLANNEL_ETCD_ENDPOINTS).' },
      etcd_service: { type: 'string', minLength: 1, default: 'etcd', description: 'The systemd unit (openshift-ansible\'s etcd_service).' },
      etcd_hostname: { ...text, description: 'ETCD_NAME (openshift-ansible: default openshift_hostname).' },
      etcd_ip: { ...text, description: 'The address of the member\'s URLs (openshift-ansible: default openshift_ip).' },
      openshift_hostname: { ...text, description: 'openshift-ansible\'s host name of the master (the default of etcd_hostname).' },
      openshift_ip: { ...text, description: 'openshift-ansible\'s address of the master (the default of etcd_ip).' },
      etcd_client_port: { ...text, description: 'The client port of the member\'s URLs (openshift-ansible: 2379).' },
      etcd_peer_port: { ...text, description: 'The peer port of the member\'s URLs (openshift-ansible: 2380).' },
      etcd_url_scheme: { enum: ['http', 'https'], description: 'The scheme of client URLs (openshift-ansible: https).' },
      etcd_peer_url_scheme: { enum: ['http', 'https'], description: 'The scheme of peer URLs (openshift-ansible: https).' },
      etcd_data_dir: { type: 'string', description: 'etcd\'s data folder (openshift-ansible: /var/lib/etcd).' },
      openshift_master_etcd_urls: { type: ['array', 'string'], items: { type: 'string' }, description: 'The etcd URLs the masters use (openshift-ansible\'s variable), a list or comma-separated.' },
      etcd_deployment: { enum: ['systemd', 'static_pod'], description: 'How etcd runs, when the host\'s files cannot tell.' },
    },
  },
  // pods-stopped/ too (read only when the manifest is not in pods/), so a moved manifest costs no round trip of its own.
  reads: (args) => [...PATHS.map((k) => reads.file(args[k])), reads.file(stoppedManifestPath(args.static_pod_manifest)), unitRead(args.etcd_service).read],
  async plan(args, ctx) {
    const host = args.host ?? String(ctx.vars.inventory_hostname ?? '');
    const hostvars = (ctx.vars.hostvars ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const hostVars = (args.host ? hostvars[args.host] : undefined) ?? (args.host ? {} : ctx.vars);
    const groups = (ctx.vars.groups ?? {}) as Record<string, string[] | undefined>;
    const files: Record<string, FileText> = {};
    for (const k of PATHS) {
      try {
        const f = await ctx.host.read(args[k]);
        files[k] = { path: args[k], text: f.exists ? (f.text ?? '') : null };
      } catch (e) {
        if (e instanceof FileError) throw new ModuleError(`${host}: ${e.message} (etcd's files are root's: run with become: true)`);
        throw e;
      }
    }
    // A restore stopped inside A.3 leaves the manifest where it moved it (pods-stopped/, see static_pod):
    // etcd still runs as a static pod there, and a re-run must follow the static-pod steps.
    if (files.static_pod_manifest!.text === null) {
      const stopped = stoppedManifestPath(args.static_pod_manifest);
      const f = await ctx.host.read(stopped);
      if (f.exists) files.static_pod_manifest = { path: stopped, text: f.text ?? '' };
    }
    const { unit, read } = unitRead(args.etcd_service);
    const found = discover({
      host,
      expect_member: args.expect_member ?? (groups.etcd ?? []).includes(host),
      etcd_conf: files.etcd_conf!,
      static_pod: files.static_pod_manifest!,
      master_config: files.master_config!,
      flanneld: files.flanneld_config!,
      unit: await ctx.host.get(read),
      unit_name: unit,
      overrides: collectOverrides(args, hostVars),
    });
    if (found.doubt) ctx.warn(found.doubt);
    if (!found.ok) throw new ModuleError(describeMissing(host, found.missing), { result: { ...found.facts } });
    const f = found.facts;
    const msg = f.member
      ? `${f.name} (${f.deployment ?? 'deployment unknown'}): client ${f.client_url}, peer ${f.peer_url}, data ${f.data_dir}`
      : `not an etcd member (no ${f.etcd_conf})`;
    return { changed: false, msg, result: { ...f } };
  },
});

/** Where static_pod's `state: stopped` puts a manifest: /etc/origin/node/pods/etcd.yaml -> /etc/origin/node/pods-stopped/etcd.yaml. */
function stoppedManifestPath(manifest: string): string {
  const slash = manifest.lastIndexOf('/');
  return `${manifest.slice(0, slash)}-stopped${manifest.slice(slash)}`;
}
