/**
 * `--limit` applies to `hosts: localhost` plays too. A bare localhost name
 * always resolves (to Ansible's implicit localhost when the inventory has
 * none), but `--limit web1` must still leave it out, as Ansible's subset does:
 * it stays only when the limit itself names it or matches it in the inventory.
 */
import { LOCALHOST_NAMES, selectHosts, splitHostPattern, type Inventory } from '../inventory/index.js';

export function limitImplicitLocalhost<T extends { hosts: string[] }>(inventory: Inventory, selected: T, limit: string | undefined): T {
  if (limit === undefined || selected.hosts.length !== 1 || !LOCALHOST_NAMES.includes(selected.hosts[0])) return selected;
  const host = selected.hosts[0];
  if (splitHostPattern(limit).includes(host)) return selected;
  if (selectHosts(inventory, 'all', { limit }).hosts.includes(host)) return selected;
  return { ...selected, hosts: [] };
}
