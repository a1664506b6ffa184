/**
 * The inventory layer: Ansible 2.14 compatible INI and YAML inventories,
 * inline host lists, inventory directories, group_vars/host_vars, variable
 * precedence and host patterns. See docs/inventory.md.
 */
import { inventoryToAnsibleList as toList } from './ansible-list.js';
import type { InventoryData } from './data.js';
import { loadInventory as load, type LoadOptions } from './load.js';
import { selectHosts as select } from './patterns.js';
import type { Inventory } from './types.js';

export type { Inventory, InventoryGroup, InventoryHost, Vars } from './types.js';
export type { LoadOptions } from './load.js';
export { LOCALHOST_NAMES } from './data.js';
export { splitHostPattern } from './patterns.js';

/** Load and merge inventory sources in order, as `-i A -i B` does. */
export function loadInventory(sources: string[], opts?: LoadOptions): Promise<Inventory> {
  return load(sources, opts);
}

function data(inv: Inventory): InventoryData {
  return inv as InventoryData;
}

/** Exactly the JSON `ansible-inventory -i X --list` prints (as a JS object). */
export function inventoryToAnsibleList(inv: Inventory): unknown {
  return toList(data(inv));
}

/**
 * Hosts matching Ansible host patterns, in inventory order, de-duplicated,
 * with Ansible's warnings for parts that match nothing.
 */
export function selectHosts(
  inv: Inventory,
  pattern: string | string[],
  opts?: { limit?: string },
): { hosts: string[]; warnings: string[] } {
  return select(data(inv), pattern, opts);
}

/** inventory_file and inventory_dir of a host: where it was first defined (null for inline lists and implicit localhost). */
export function inventoryFileOf(inv: Inventory, host: string): { inventoryFile: string | null; inventoryDir: string | null } {
  return inv.hostSource(host);
}
