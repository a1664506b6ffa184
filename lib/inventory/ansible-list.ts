/**
 * The JSON `ansible-inventory --list` prints (2.14): one entry per group with
 * its direct `hosts` and `children` (empty keys and empty groups left out, 'all'
 * never lists hosts), and `_meta.hostvars` with each host's merged vars minus
 * the magic and internal ones.
 */
import type { GroupNode, InventoryData } from './data.js';
import { setOwn } from '../util/own.js';

/** Vars ansible-inventory removes before printing (cli/inventory.py INTERNAL_VARS). */
const INTERNAL_VARS = new Set([
  'ansible_diff_mode',
  'ansible_config_file',
  'ansible_facts',
  'ansible_forks',
  'ansible_inventory_sources',
  'ansible_limit',
  'ansible_playbook_python',
  'ansible_run_tags',
  'ansible_skip_tags',
  'ansible_verbosity',
  'ansible_version',
  'inventory_dir',
  'inventory_file',
  'inventory_hostname',
  'inventory_hostname_short',
  'groups',
  'group_names',
  'omit',
  'playbook_dir',
]);

interface ListGroup {
  hosts?: string[];
  children?: string[];
}

export function inventoryToAnsibleList(inv: InventoryData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const format = (g: GroupNode): void => {
    const entry: ListGroup = {};
    if (g.name !== 'all') entry.hosts = g.hosts;
    entry.children = [];
    for (const c of g.childGroups) {
      entry.children.push(c.name);
      if (!seen.has(c.name)) {
        format(c);
        seen.add(c.name);
      }
    }
    if (entry.hosts && !entry.hosts.length) delete entry.hosts;
    if (!entry.children.length) delete entry.children;
    if (Object.keys(entry).length) setOwn(out, g.name, entry);
    else delete out[g.name];
  };
  format(inv.groups.get('all')!);
  const hostvars: Record<string, unknown> = {};
  for (const h of inv.groups.get('all')!.allHosts()) {
    const vars = inv.hostVars(h.name);
    for (const k of INTERNAL_VARS) delete vars[k];
    if (Object.keys(vars).length) setOwn(hostvars, h.name, vars);
  }
  out._meta = { hostvars };
  return out;
}
