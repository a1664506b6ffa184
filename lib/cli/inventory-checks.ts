/**
 * What ansible-playbook says about the inventory before the first play, so a
 * run that can do nothing says why: no `-i` at all, an inventory without
 * hosts (only the implicit localhost is left, and it does not match `all`),
 * or a `--limit` that leaves no host (an error, exit 1).
 */
import { TsplayError } from '../errors.js';
import { loadInventory, selectHosts } from '../inventory/index.js';
import type { Io } from './io.js';

export const NO_INVENTORY = 'No inventory was parsed, only implicit localhost is available';
export const EMPTY_HOSTS = "provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'";

export async function checkInventory(sources: string[], limit: string | undefined, io: Io): Promise<void> {
  if (!sources.length) io.err(`[WARNING]: ${NO_INVENTORY}\n`);
  const inventory = await loadInventory(sources);
  if (selectHosts(inventory, 'all').hosts.length === 0) {
    io.err(`[WARNING]: ${EMPTY_HOSTS}\n`);
    return; // Ansible does not check --limit against an empty inventory.
  }
  const limited = limit === undefined ? undefined : selectHosts(inventory, 'all', { limit });
  if (limited && limited.hosts.length === 0) {
    for (const w of limited.warnings) io.err(`[WARNING]: ${w}\n`);
    throw new TsplayError('runtime', 'Specified inventory, host pattern and/or --limit leaves us with no hosts to target.', {
      hint: `check the --limit pattern '${limit}' against the inventory: tsplay inventory -i <inventory> --graph lists its hosts and groups`,
    });
  }
}
