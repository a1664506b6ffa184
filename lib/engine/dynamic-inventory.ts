/**
 * add_host and group_by change the run's inventory, as Ansible's strategy
 * does with their results (add_dynamic_host, add_dynamic_group): the modules
 * only say what they want; here the host, groups and variables are added,
 * `changed` is decided from what was new, and the variables' caches are
 * dropped so later tasks and plays see the new hosts and groups.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { TsplayError, type SourcePos } from '../errors.js';
import type { GroupNode, HostNode, InventoryData } from '../inventory/data.js';
import { openVarsDir, varsIn } from '../inventory/vars-files.js';
import { registerSecret, SECRET_VARIABLES } from '../output/censor.js';
import { setOwn } from '../util/own.js';
import type { Engine } from './task-context.js';

/** Ansible's INVALID_VARIABLE_NAMES: a name that does not start with a letter or _, or holds anything but letters, digits and _. */
const INVALID_GROUP_NAME = /^[^\p{L}_]|[^\p{L}\p{N}\p{M}_]/u;

/** Ansible 2.14's default (TRANSFORM_INVALID_GROUP_CHARS=never): the name is kept, with one warning per run. */
export const INVALID_GROUP_WARNING = 'Invalid characters were found in group names but not replaced, use -vvvv to see details';

/** The modules whose results change the inventory (Ansible's BYPASS_HOST_LOOP holds only for add_host). */
export const INVENTORY_MODULES = new Set(['add_host', 'group_by']);

/** Ansible shows each warning text once per run. */
const warned = new WeakMap<Engine, Set<string>>();

function warnOnce(engine: Engine, message: string): void {
  let seen = warned.get(engine);
  if (!seen) warned.set(engine, (seen = new Set()));
  if (seen.has(message)) return;
  seen.add(message);
  engine.events.emit({ type: 'warning', message });
}

function data(engine: Engine): InventoryData {
  return engine.inventory as InventoryData;
}

/** Hosts and groups made in this change, whose group_vars/host_vars files are read before the change is done. */
interface Created {
  groups: GroupNode[];
  hosts: HostNode[];
}

/** The directories whose group_vars/ and host_vars/ belong to each inventory source (none for an inline host list). */
function sourceDirs(inv: InventoryData): (string | undefined)[] {
  return inv.sources.map((src) => {
    if (!existsSync(src)) return undefined;
    return statSync(src).isDirectory() ? src : dirname(src);
  });
}

/**
 * A group or host made at run time gets its group_vars/host_vars files beside
 * the inventory, as Ansible's vars plugin finds them for every group a host is
 * in (group_by's classic use: group_vars/os_RedHat.yml).
 */
async function readVarsFiles(inv: InventoryData, created: Created): Promise<void> {
  const dirs = sourceDirs(inv);
  for (let i = 0; i < dirs.length; i++) {
    const dir = dirs[i];
    if (!dir) continue;
    const groupVars = await openVarsDir(dir, 'group_vars');
    const hostVars = await openVarsDir(dir, 'host_vars');
    for (const g of created.groups) g.fileVars[i] = await varsIn(groupVars, g.name);
    for (const h of created.hosts) h.fileVars[i] = await varsIn(hostVars, h.name);
  }
}

function ensureGroup(engine: Engine, host: string, name: string, pos: SourcePos | undefined, made: Created): { group: GroupNode; created: boolean } {
  const inv = data(engine);
  const known = inv.groups.get(name);
  if (known) return { group: known, created: false };
  if (!name) throw new TsplayError('validation', 'Invalid empty/false group name provided', { hint: 'give every group a name (check for an empty item or a doubled comma in groups)', pos });
  if (INVALID_GROUP_NAME.test(name)) {
    warnOnce(engine, INVALID_GROUP_WARNING);
    if ((engine.options.verbosity ?? 0) >= 4) {
      const bad = [...new Set(name.match(new RegExp(INVALID_GROUP_NAME.source, 'gu')))].join('');
      engine.events.emit({ type: 'log', host, message: `Not replacing invalid character(s) "${bad}" in group name (${name})`, verbosity: 4 });
    }
  }
  inv.addGroup(name);
  const group = inv.groups.get(name)!;
  made.groups.push(group);
  return { group, created: true };
}

/**
 * Ansible's reconcile_inventory, for what this change touched only (every
 * other group and host was reconciled already): a new group without a parent
 * goes under 'all'; the host is in 'ungrouped' exactly when it is in no other
 * group. A whole reconcile after each add_host would make a loop over many
 * hosts quadratic in the inventory's size.
 */
function reconcileTouched(engine: Engine, made: Created, host: HostNode): void {
  const inv = data(engine);
  const all = inv.groups.get('all')!;
  const ungrouped = inv.groups.get('ungrouped')!;
  for (const g of made.groups) if (g !== all && g.parentGroups.length === 0) inv.addChild('all', g.name);
  const mine = inv.groupsOf(host);
  if (mine.has(ungrouped)) {
    if ([...mine].some((g) => g !== all && g !== ungrouped)) ungrouped.removeMembers(new Set([host]));
  } else if (!host.implicit && (mine.size === 0 || (mine.size === 1 && mine.has(all)))) ungrouped.addMember(host);
  for (const name of [...made.groups.map((g) => g.name), ...made.hosts.map((h) => h.name)]) {
    if (inv.groups.has(name) && inv.hosts.has(name)) warnOnce(engine, `Found both group and host with same name: ${name}`);
  }
}

async function changedInventory(engine: Engine, made: Created, host: HostNode): Promise<void> {
  const inv = data(engine);
  reconcileTouched(engine, made, host);
  await readVarsFiles(inv, made);
  engine.vars.inventoryChanged();
}

/** Applies add_host's request; returns whether anything was new. */
async function addHost(engine: Engine, by: string, request: Record<string, unknown>, pos: SourcePos | undefined): Promise<boolean> {
  const inv = data(engine);
  const made: Created = { groups: [], hosts: [] };
  const name = String(request.host_name);
  let changed = false;
  let host: HostNode | undefined = inv.hosts.get(name);
  if (!host) {
    host = inv.addHost(name, 'all');
    made.hosts.push(host);
    changed = true;
  }
  const hostVars = (request.host_vars as Record<string, unknown>) ?? {};
  engine.vars.addRuntimeHostVars(name, hostVars);
  // A password given to add_host is known before its result is shown, so no output shows it.
  for (const secret of SECRET_VARIABLES) if (typeof hostVars[secret] === 'string') registerSecret(hostVars[secret]);
  for (const [k, v] of Object.entries(hostVars)) {
    if (Object.hasOwn(host.inlineVars, k) && isDeepStrictEqual(host.inlineVars[k], v)) continue;
    setOwn(host.inlineVars, k, v);
    changed = true;
  }
  try {
    for (const g of (request.groups as string[]) ?? []) {
      const { group, created } = ensureGroup(engine, by, g, pos, made);
      if (created) changed = true;
      if (!group.hasMember(host)) {
        group.addMember(host);
        changed = true;
      }
    }
  } catch (e) {
    // What was made before the bad group name stays, consistent, as in Ansible.
    await changedInventory(engine, made, host);
    throw e;
  }
  if (changed) {
    await changedInventory(engine, made, host);
    // As Ansible's strategy: a host new to the play is in this play's ansible_play_hosts(_all) from now on.
    const play = engine.vars.play;
    if (play && !play.hostsAll.includes(name) && !play.added?.includes(name)) (play.added ??= []).push(name);
  }
  return changed;
}

/** Applies group_by's request for `hostName`; returns whether anything was new. */
async function addGroup(engine: Engine, hostName: string, request: Record<string, unknown>, pos: SourcePos | undefined): Promise<boolean> {
  const inv = data(engine);
  const made: Created = { groups: [], hosts: [] };
  const host = inv.lookupHost(hostName);
  if (!host) throw new TsplayError('runtime', `${hostName} cannot be matched in inventory`);
  let changed = false;
  // As Ansible: a new group alone is not a change; its new parent link or member is.
  try {
    const { group } = ensureGroup(engine, hostName, String(request.add_group), pos, made);
    if (group.name === 'all' && ((request.parent_groups as string[]) ?? []).length) {
      // Ansible would reach a dependency loop when it next puts every group under 'all'.
      throw new TsplayError('validation', "group_by cannot give the group 'all' a parent: every group is under 'all'", { pos, hint: "choose another key, or leave out 'parents'" });
    }
    for (const p of (request.parent_groups as string[]) ?? []) {
      const { group: parent, created } = ensureGroup(engine, hostName, p, pos, made);
      if (created) changed = true;
      if (!parent.childGroups.includes(group)) {
        inv.addChild(parent.name, group.name);
        changed = true;
      }
    }
    if (!group.allHosts().includes(host) && !group.hasMember(host)) {
      group.addMember(host);
      changed = true;
    }
  } catch (e) {
    // A group made its own parent, or a loop: what was made before stays, consistent, as in Ansible.
    await changedInventory(engine, made, host);
    throw e;
  }
  if (changed) await changedInventory(engine, made, host);
  return changed;
}

/**
 * After add_host or group_by ran (for one host, or one loop item): changes
 * the inventory and sets the result's `changed` to whether anything was new.
 */
export async function applyInventoryResult(engine: Engine, module: string, host: string, result: Record<string, unknown>, pos: SourcePos | undefined): Promise<boolean> {
  const changed =
    module === 'add_host' && result.add_host && typeof result.add_host === 'object'
      ? await addHost(engine, host, result.add_host as Record<string, unknown>, pos)
      : module === 'group_by' && typeof result.add_group === 'string'
        ? await addGroup(engine, host, result, pos)
        : false;
  result.changed = changed;
  return changed;
}
