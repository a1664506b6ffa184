/**
 * `gather_subset` and `filter` of setup, as ansible-core 2.14 reads them
 * (module_utils/facts/collector.py get_collector_names, ansible_collector.py
 * _filter): which collectors run, and which of their facts are kept.
 */
import { ModuleError } from '../define.js';

/** What `min` means: collected even under `!all`, unless `!min` is given. */
export const MINIMAL = ['apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb', 'pkg_mgr', 'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user'];

/**
 * Every collector Ansible has on Linux, with the fact ids that also name it
 * in gather_subset (`!all,interfaces` runs the network collector). tsplay
 * runs those in COLLECTED; the others are accepted and give nothing.
 */
const FACT_IDS: Record<string, string[]> = {
  apparmor: [],
  caps: ['system_capabilities', 'system_capabilities_enforced'],
  chroot: ['is_chroot'],
  cmdline: [],
  date_time: [],
  distribution: ['distribution_version', 'distribution_release', 'distribution_major_version', 'os_family'],
  dns: [],
  env: [],
  fips: [],
  loadavg: [],
  local: [],
  lsb: [],
  pkg_mgr: [],
  platform: ['system', 'kernel', 'kernel_version', 'machine', 'python_version', 'architecture', 'machine_id'],
  python: [],
  selinux: [],
  service_mgr: [],
  ssh_pub_keys: ['ssh_host_pub_keys', 'ssh_host_key_dsa_public', 'ssh_host_key_rsa_public', 'ssh_host_key_ecdsa_public', 'ssh_host_key_ed25519_public'],
  user: ['user_id', 'user_uid', 'user_gid', 'user_gecos', 'user_dir', 'user_shell', 'real_user_id', 'effective_user_id', 'effective_group_ids'],
  hardware: ['processor', 'processor_cores', 'processor_count', 'mounts', 'devices'],
  network: ['interfaces', 'default_ipv4', 'default_ipv6', 'all_ipv4_addresses', 'all_ipv6_addresses'],
  virtual: ['virtualization_type', 'virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host'],
  facter: ['facter'],
  ohai: [],
  fibre_channel_wwn: [],
  iscsi: [],
  nvme: [],
};

export type Collector = keyof typeof FACT_IDS;

/** The collectors tsplay implements; the rest (caps, selinux, facter, ohai, fibre_channel_wwn, iscsi, nvme) give no facts. */
export const COLLECTED = new Set<string>([
  'apparmor', 'chroot', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'loadavg', 'local', 'lsb', 'pkg_mgr',
  'platform', 'python', 'service_mgr', 'ssh_pub_keys', 'user', 'hardware', 'network', 'virtual',
]);

/** Collectors that read another's facts (service_mgr needs the platform and distribution), as Ansible's required_facts. */
const REQUIRES: Record<string, string[]> = {
  pkg_mgr: ['distribution'],
  service_mgr: ['platform', 'distribution'],
  network: ['platform', 'distribution'],
  hardware: ['platform'],
};

const COLLECTORS = Object.keys(FACT_IDS);
const ALIAS_OF = new Map<string, string>();
for (const [name, ids] of Object.entries(FACT_IDS)) for (const id of ids) ALIAS_OF.set(id, name);
const VALID = new Set<string>([...COLLECTORS, ...ALIAS_OF.keys()]);

/** The subset names Ansible's error lists as allowed. */
export function validSubsets(): string[] {
  return [...VALID].sort();
}

/**
 * The collectors a gather_subset list selects: `min` first, then each entry
 * in order (`all`, a name, `!name`, `!all`, `!min`); an excluded name stays
 * out unless it was also asked for by name. An unknown subset fails the task
 * with Ansible's message; an unknown `!name` is ignored, as in Ansible.
 */
export function selectCollectors(gatherSubset: readonly string[]): Set<string> {
  const subsets = gatherSubset.length ? gatherSubset : ['all'];
  const add = new Set<string>();
  const exclude = new Set<string>();
  const explicit = new Set<string>();
  for (const raw of ['min', ...subsets]) {
    const entry = raw.trim();
    if (entry === 'min') {
      MINIMAL.forEach((c) => add.add(c));
      continue;
    }
    if (entry === 'all') {
      COLLECTORS.forEach((c) => add.add(c));
      continue;
    }
    if (entry.startsWith('!')) {
      const name = entry.slice(1);
      if (name === 'min') MINIMAL.forEach((c) => exclude.add(c));
      else if (name === 'all') COLLECTORS.filter((c) => !MINIMAL.includes(c)).forEach((c) => exclude.add(c));
      else exclude.add(name);
      continue;
    }
    if (!VALID.has(entry)) {
      throw new ModuleError(`Bad subset '${entry}' given to Ansible. gather_subset options allowed: all, ${validSubsets().join(', ')}`);
    }
    const collector = ALIAS_OF.get(entry) ?? entry;
    explicit.add(collector);
    add.add(collector);
  }
  if (add.size === 0) COLLECTORS.forEach((c) => add.add(c));
  for (const c of exclude) if (!explicit.has(c)) add.delete(c);
  // A collector that needs another's facts brings it along (Ansible's required_facts).
  for (const c of [...add]) for (const dep of REQUIRES[c] ?? []) add.add(dep);
  return add;
}

/** Python's fnmatch: `*`, `?`, `[seq]`, `[!seq]`, whole-name match (case-sensitive on Linux). */
export function fnmatch(name: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's').test(name);
}

/** Ansible's filter: a fact is kept when a pattern matches its name, or (for a pattern without the prefix) its name with `ansible_` added. */
export function filterFacts(facts: Record<string, unknown>, patterns: readonly string[]): Record<string, unknown> {
  if (patterns.length === 0 || (patterns.length === 1 && patterns[0] === '*')) return facts;
  const out: Record<string, unknown> = {};
  for (const f of patterns) {
    for (const [name, value] of Object.entries(facts)) {
      if (!f || fnmatch(name, f)) out[name] = value;
      else if (!/^(ansible_|facter|ohai)/.test(f) && fnmatch(name, `ansible_${f}`)) out[name] = value;
    }
  }
  return out;
}
