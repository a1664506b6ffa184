/** The public shape of an inventory; see index.ts for the functions that build and query it. */

export type Vars = Record<string, unknown>;

export interface InventoryHost {
  name: string;
  /** The host's own vars: inline (INI/YAML, ansible_port from `host:port`, inventory_file/dir) and host_vars files. */
  vars: Vars;
}

export interface InventoryGroup {
  name: string;
  /** The group's own vars: `[g:vars]` / YAML `vars:` and group_vars files. */
  vars: Vars;
  /** Direct child groups, in the order they were added. */
  children: string[];
  /** Direct member hosts, in the order they were added. */
  hosts: string[];
}

export interface Inventory {
  /** Insertion order = Ansible's order. Never holds the implicit localhost. */
  hosts: Map<string, InventoryHost>;
  /** Always has 'all' and 'ungrouped'. */
  groups: Map<string, InventoryGroup>;
  /** The sources as resolved (absolute paths, or inline host lists as given). */
  sources: string[];
  /**
   * A host's variables merged in Ansible's order (see docs/inventory.md), with
   * the host magic vars Ansible derives from the inventory: inventory_hostname,
   * inventory_hostname_short, group_names, inventory_file, inventory_dir.
   */
  hostVars(host: string): Vars;
  /** Ansible's group_names: sorted, without 'all' (an ungrouped host has ['ungrouped'], as in Ansible). */
  groupNames(host: string): string[];
  /** Ansible's `groups` magic variable: every group to its hosts, descendants' hosts included, in inventory order. */
  groupsVar(): Record<string, string[]>;
  /** The file a host was first defined in and its directory (null for inline host lists and the implicit localhost). */
  hostSource(host: string): { inventoryFile: string | null; inventoryDir: string | null };
}
