/**
 * The inventory as Ansible's InventoryData keeps it: groups with parents and
 * children, hosts with their own vars, the always-present 'all' and
 * 'ungrouped', the implicit localhost, and variable merging.
 */
import { TsplayError } from '../errors.js';
import { assignOwn, setOwn } from '../util/own.js';
import { ipv4Re, ipv6Re } from './address.js';
import type { Inventory, InventoryGroup, InventoryHost, Vars } from './types.js';

export const LOCALHOST_NAMES = ['127.0.0.1', 'localhost', '::1'];

/** A group with this many groups above it is a generated or hostile inventory, not a real one. */
export const MAX_GROUP_ANCESTORS = 1000;

/** Python's default string order (code points), which sorted() uses. */
export function pyCompare(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

export class GroupNode implements InventoryGroup {
  inlineVars: Vars = {};
  /** group_vars file content per inventory source, by source index. */
  fileVars: Vars[] = [];
  childGroups: GroupNode[] = [];
  parentGroups: GroupNode[] = [];
  members: HostNode[] = [];
  /** The same hosts as members, for membership checks in constant time (inventories of 100k hosts). */
  private memberSet = new Set<HostNode>();
  priority = 1;
  constructor(readonly name: string) {}

  hasMember(h: HostNode): boolean {
    return this.memberSet.has(h);
  }

  addMember(h: HostNode): void {
    if (this.memberSet.has(h)) return;
    this.memberSet.add(h);
    this.members.push(h);
    h.directGroups.add(this);
  }

  /** Removes several hosts in one pass over the list. */
  removeMembers(gone: Set<HostNode>): void {
    if (!gone.size) return;
    this.members = this.members.filter((m) => !gone.has(m));
    for (const h of gone) {
      this.memberSet.delete(h);
      h.directGroups.delete(this);
    }
  }

  get vars(): Vars {
    return assignOwn({}, this.inlineVars, ...this.fileVars);
  }
  get children(): string[] {
    return this.childGroups.map((g) => g.name);
  }
  get hosts(): string[] {
    return this.members.map((h) => h.name);
  }

  ancestors(): Set<GroupNode> {
    const seen = new Set<GroupNode>();
    const stack = [...this.parentGroups];
    while (stack.length) {
      const g = stack.pop()!;
      if (seen.has(g)) continue;
      seen.add(g);
      stack.push(...g.parentGroups);
    }
    return seen;
  }

  /**
   * Hosts of this group and its descendants, in Ansible's order: this group's
   * own hosts, then its children's, then deeper levels.
   */
  allHosts(): HostNode[] {
    const ordered: GroupNode[] = [this, ...this.childGroups];
    const seen = new Set<GroupNode>(ordered);
    let level = [...this.childGroups];
    while (level.length) {
      const next: GroupNode[] = [];
      for (const g of level) {
        for (const c of g.childGroups) {
          if (!seen.has(c)) {
            seen.add(c);
            ordered.push(c);
            next.push(c);
          }
        }
      }
      level = next;
    }
    const out: HostNode[] = [];
    const have = new Set<HostNode>();
    for (const g of ordered) {
      for (const h of g.members) {
        if (have.has(h)) continue;
        have.add(h);
        if (this.name === 'all' && h.implicit) continue;
        out.push(h);
      }
    }
    return out;
  }
}

export class HostNode implements InventoryHost {
  inlineVars: Vars = {};
  /** host_vars file content per inventory source, by source index. */
  fileVars: Vars[] = [];
  implicit = false;
  /** The groups that list this host themselves (not through a child group). */
  directGroups = new Set<GroupNode>();
  constructor(readonly name: string) {}
  get vars(): Vars {
    return assignOwn({}, this.inlineVars, ...this.fileVars);
  }
}

export class InventoryData implements Inventory {
  hosts = new Map<string, HostNode>();
  groups = new Map<string, GroupNode>();
  sources: string[] = [];
  /** The file being parsed, for inventory_file/inventory_dir of hosts it introduces. */
  currentSource: string | null = null;
  /** Its directory; null for inline host lists, which have none. */
  currentDir: string | null = null;
  private implicitLocal = new Map<string, HostNode>();
  /** host_vars files for the localhost names, per source, for the implicit localhost. */
  localFileVars = new Map<string, Vars[]>();

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string): string {
    if (!name) throw new TsplayError('validation', `Invalid empty group name`);
    if (!this.groups.has(name)) this.groups.set(name, new GroupNode(name));
    return name;
  }

  addHost(name: string, group?: string, port?: number): HostNode {
    if (!name) throw new TsplayError('validation', 'Invalid empty host name');
    let g: GroupNode | undefined;
    if (group) {
      g = this.groups.get(group);
      if (!g) throw new TsplayError('validation', `Could not find group ${group} in inventory`);
    }
    let h = this.hosts.get(name);
    if (!h) {
      h = new HostNode(name);
      // As Ansible: the port of a host's first definition wins; later ones are ignored.
      if (port) h.inlineVars.ansible_port = port;
      this.hosts.set(name, h);
      h.inlineVars.inventory_file = this.currentSource;
      h.inlineVars.inventory_dir = this.currentDir;
    }
    g?.addMember(h);
    return h;
  }

  setVariable(entity: string, key: string, value: unknown): void {
    const g = this.groups.get(entity);
    if (g) {
      if (key === 'ansible_group_priority') {
        const n = typeof value === 'number' ? Math.trunc(value) : parseInt(String(value), 10);
        if (!Number.isNaN(n)) g.priority = n;
        return;
      }
      setOwn(g.inlineVars, key, value);
      return;
    }
    const h = this.hosts.get(entity);
    if (!h) throw new TsplayError('validation', `Could not identify group or host named ${entity}`);
    setOwn(h.inlineVars, key, value);
  }

  addChild(group: string, child: string): void {
    const g = this.groups.get(group);
    if (!g) throw new TsplayError('validation', `${group} is not a known group`);
    const cg = this.groups.get(child);
    if (cg) {
      if (cg === g) throw new TsplayError('validation', `can't add group ${group} to itself`);
      if (g.childGroups.includes(cg)) return;
      const above = g.ancestors();
      if (above.size >= MAX_GROUP_ANCESTORS) {
        // Every walk over the group tree (vars merging, --list, depth) is bounded by this.
        throw new TsplayError('validation', `Adding group '${child}' to '${group}' nests groups more than ${MAX_GROUP_ANCESTORS} levels deep`, {
          hint: 'Flatten the :children chain; no real inventory nests groups this deep.',
        });
      }
      if (above.has(cg)) {
        throw new TsplayError('validation', `Adding group '${child}' as child to '${group}' creates a recursive dependency loop.`);
      }
      g.childGroups.push(cg);
      if (!cg.parentGroups.includes(g)) cg.parentGroups.push(g);
      return;
    }
    const h = this.hosts.get(child);
    if (!h) throw new TsplayError('validation', `${child} is not a known host nor group`);
    g.addMember(h);
  }

  /** Ansible's reconcile_inventory: every group under 'all', ungrouped hosts in 'ungrouped' and only there. */
  reconcile(): void {
    const all = this.groups.get('all')!;
    const ungrouped = this.groups.get('ungrouped')!;
    for (const g of this.groups.values()) {
      if (g !== all && g.ancestors().size === 0) this.addChild('all', g.name);
    }
    const ancestors = new Map<GroupNode, Set<GroupNode>>();
    const leaving = new Set<HostNode>();
    for (const h of this.hosts.values()) {
      const mine = this.groupsOf(h, ancestors);
      if (mine.has(ungrouped)) {
        const others = [...mine].filter((g) => g !== all && g !== ungrouped);
        if (others.length) leaving.add(h);
      } else if (!h.implicit) {
        if (mine.size === 0 || (mine.size === 1 && mine.has(all))) ungrouped.addMember(h);
      }
    }
    ungrouped.removeMembers(leaving);
  }

  /** Every group a host is in, directly or through a child group. */
  groupsOf(h: HostNode, ancestors?: Map<GroupNode, Set<GroupNode>>): Set<GroupNode> {
    const out = new Set<GroupNode>();
    // Callers sort the result or test membership, so the order of a host's own groups does not matter.
    for (const g of h.directGroups) {
      out.add(g);
      let above = ancestors?.get(g);
      if (!above) {
        above = g.ancestors();
        ancestors?.set(g, above);
      }
      for (const a of above) out.add(a);
    }
    return out;
  }

  /** Ansible's group depth: the longest path from 'all'. */
  private depthOf(g: GroupNode, memo = new Map<GroupNode, number>()): number {
    const known = memo.get(g);
    if (known !== undefined) return known;
    memo.set(g, 0);
    let d = 0;
    for (const p of g.parentGroups) d = Math.max(d, this.depthOf(p, memo) + 1);
    memo.set(g, d);
    return d;
  }

  /** The host's groups other than 'all', ordered as Ansible merges their vars: depth, then priority, then name. */
  sortedGroups(h: HostNode): GroupNode[] {
    const memo = new Map<GroupNode, number>();
    const gs = [...this.groupsOf(h)].filter((g) => g.name !== 'all');
    return gs.sort(
      (a, b) => this.depthOf(a, memo) - this.depthOf(b, memo) || a.priority - b.priority || pyCompare(a.name, b.name),
    );
  }

  /** A host by name, creating Ansible's implicit localhost when asked for it and the inventory has none. */
  lookupHost(name: string): HostNode | undefined {
    const h = this.hosts.get(name);
    if (h) return h;
    if (!LOCALHOST_NAMES.includes(name)) return undefined;
    // One implicit host per name asked for ('localhost', '127.0.0.1', '::1'), as a fresh Ansible run would create.
    let l = this.implicitLocal.get(name);
    if (!l) {
      l = new HostNode(name);
      l.implicit = true;
      l.inlineVars.ansible_connection = 'local';
      l.fileVars = this.localFileVars.get(name) ?? [];
      this.implicitLocal.set(name, l);
    }
    return l;
  }

  private need(name: string): HostNode {
    const h = this.lookupHost(name);
    if (!h) {
      throw new TsplayError('validation', `Unknown host '${name}': it is not in the inventory`, {
        hint: 'Check the host name against `tsplay inventory --list` or the inventory files.',
      });
    }
    return h;
  }

  hostVars(name: string): Vars {
    const h = this.need(name);
    const all = this.groups.get('all')!;
    const groups = h.implicit ? [] : this.sortedGroups(h);
    const n = this.sources.length;
    const v: Vars = { ...all.inlineVars };
    for (const g of groups) assignOwn(v, g.inlineVars);
    for (let i = 0; i < n; i++) assignOwn(v, all.fileVars[i]);
    for (let i = 0; i < n; i++) for (const g of groups) assignOwn(v, g.fileVars[i]);
    assignOwn(v, h.inlineVars, {
      inventory_hostname: h.name,
      inventory_hostname_short: ipv4Re.test(h.name) || ipv6Re.test(h.name) ? h.name : h.name.split('.')[0],
      group_names: this.groupNames(h.name),
    });
    for (let i = 0; i < n; i++) assignOwn(v, h.fileVars[i]);
    return v;
  }

  groupNames(name: string): string[] {
    const h = this.need(name);
    // The implicit localhost is in no group, unless group_by put it in one at run time.
    return [...this.groupsOf(h)]
      .map((g) => g.name)
      .filter((g) => g !== 'all')
      .sort(pyCompare);
  }

  groupsVar(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const g of this.groups.values()) setOwn(out, g.name, g.allHosts().map((h) => h.name));
    return out;
  }

  hostSource(name: string): { inventoryFile: string | null; inventoryDir: string | null } {
    const h = this.need(name);
    const f = h.inlineVars.inventory_file;
    const d = h.inlineVars.inventory_dir;
    return {
      inventoryFile: typeof f === 'string' ? f : null,
      inventoryDir: typeof d === 'string' ? d : null,
    };
  }
}
