/**
 * Builds the variables a task sees on one host. The precedence, lowest first
 * (docs/variables.md): inventory `all` < parent group < child group < host
 * (the inventory merges those) < play vars < vars_files < block vars < task
 * vars < registered results and set_fact < extra vars (-e). Roles fit in
 * as in Ansible (docs/roles.md): role defaults below the inventory, role
 * vars above vars_files, role and include parameters above set_fact. Magic variables
 * (inventory_hostname, groups, hostvars, ...) cannot be overridden.
 */
import type { Inventory } from '../inventory/index.js';
import { COMPUTED_MAPPING, markAuthored, setAuthoredNames } from '../template/index.js';
import { assignOwn } from '../util/own.js';
import type { LoadedRole } from '../playbook/types.js';
import { playRoleVars, roleNameVars, type RoleVars } from './role-vars.js';

export type Vars = Record<string, unknown>;

/** Placeholder that removes an argument when a template renders to it, as Ansible's `omit`. */
export const OMIT = '__omit_place_holder__tsplay';

export interface PlayScope {
  vars: Vars;
  /** vars_files content for each host (paths may be templated per host). */
  varsFiles: Map<string, Vars>;
  hostsAll: string[];
  /** Hosts add_host made during the play: Ansible adds them to ansible_play_hosts_all and ansible_play_hosts (not to the batch). */
  added?: string[];
  /** Hosts still running in the play (failed and unreachable ones leave). */
  active: () => string[];
  batch: string[];
  name: string;
  /** remote_user and connection of the play: below the inventory's own settings. */
  defaults: Vars;
  /** Roles whose defaults and vars every task of the play sees (a public include_role adds its role when it runs). */
  roles?: LoadedRole[];
}

export class VarsManager {
  /** set_fact and registered results: they outlive the play, as in Ansible. */
  readonly facts = new Map<string, Vars>();
  private readonly inventoryVars = new Map<string, Vars>();
  /** Host variables add_host gave at run time: rendered values, data from then on (never rendered again). */
  private readonly runtimeHostVars = new Map<string, Vars>();
  play?: PlayScope;

  constructor(
    private readonly inventory: Inventory,
    private readonly extraVars: Vars,
    private readonly magic: Vars,
  ) {}

  inventoryHostVars(host: string): Vars {
    let v = this.inventoryVars.get(host);
    if (!v) {
      v = this.inventory.hostVars(host);
      this.inventoryVars.set(host, v);
    }
    return v;
  }

  /** add_host or group_by changed the inventory: host variables, group_names and groups are read again. */
  inventoryChanged(): void {
    this.inventoryVars.clear();
    this.groupsCache = undefined;
  }

  /** Variables add_host set on a host; they sit at the inventory's precedence but are data, as Ansible's are. */
  addRuntimeHostVars(host: string, values: Vars): void {
    const known = this.runtimeHostVars.get(host) ?? {};
    assignOwn(known, values);
    this.runtimeHostVars.set(host, known);
  }

  hostFacts(host: string): Vars {
    let f = this.facts.get(host);
    if (!f) {
      f = {};
      this.facts.set(host, f);
    }
    return f;
  }

  setFacts(host: string, values: Vars): void {
    assignOwn(this.hostFacts(host), values);
  }

  /**
   * The variables of `host` for a task with these block/task variable layers
   * (outer first). `dataLayer`, one of them, holds values that are not the
   * operator's own (an include's loop item, a rescued task's result).
   */
  forHost(host: string, layers: Vars[] = [], dataLayer?: Vars, role?: RoleVars): Vars {
    const play = this.play;
    const played = this.playRoles();
    // ansible_facts is a mapping from the start, as in Ansible, empty until facts are gathered or set.
    const v: Vars = { ansible_facts: {}, ...play?.defaults };
    assignOwn(v, played?.defaults, role?.defaults, this.inventoryHostVars(host));
    if (play) {
      assignOwn(v, play.vars);
      assignOwn(v, play.varsFiles.get(host) ?? {});
    }
    assignOwn(v, played?.vars, role?.vars);
    for (const layer of layers) assignOwn(v, layer);
    assignOwn(v, this.facts.get(host) ?? {});
    assignOwn(v, role?.params);
    assignOwn(v, this.extraVars);
    assignOwn(v, this.magicFor(host), role?.magic);
    const authored = [play?.defaults, played?.defaults, role?.defaults, this.inventoryHostVars(host), play?.vars, play?.varsFiles.get(host), played?.vars, role?.vars, ...layers.filter((l) => l !== dataLayer), role?.params];
    setAuthoredNames(v, this.authoredNames(authored, [dataLayer, this.facts.get(host), this.runtimeHostVars.get(host)], host));
    return v;
  }

  private magicNames?: string[];
  private playedCache?: { roles: LoadedRole[]; count: number; merged: { defaults: Vars; vars: Vars } };

  /** The play's roles' defaults and vars, merged once per change of the list. */
  private playRoles(): { defaults: Vars; vars: Vars } | undefined {
    const roles = this.play?.roles;
    if (!roles?.length) return undefined;
    const c = this.playedCache;
    if (c && c.roles === roles && c.count === roles.length) return c.merged;
    const merged = playRoleVars(roles);
    this.playedCache = { roles, count: roles.length, merged };
    return merged;
  }

  /** The names whose final value is one the operator wrote (see lib/template/unsafe.ts). */
  private authoredNames(authored: (Vars | undefined)[], data: (Vars | undefined)[], host: string): Set<string> {
    const names = new Set<string>();
    for (const layer of authored) {
      if (!layer) continue;
      markAuthored(layer);
      for (const k of Object.keys(layer)) names.add(k);
    }
    for (const layer of data) for (const k of Object.keys(layer ?? {})) names.delete(k);
    markAuthored(this.extraVars);
    for (const k of Object.keys(this.extraVars)) names.add(k);
    this.magicNames ??= Object.keys(this.magicFor(host));
    for (const k of this.magicNames) names.delete(k);
    return names;
  }

  /**
   * What `hostvars[host]` holds, as in Ansible: inventory variables, facts
   * (set_fact, registered results, gathered), extra vars and magic variables,
   * but not the current play's `vars`, `vars_files`, or block and task vars.
   */
  hostvarsFor(host: string): Vars {
    const v = { ansible_facts: {}, ...this.inventoryHostVars(host), ...this.facts.get(host), ...this.extraVars, ...this.magicFor(host) };
    setAuthoredNames(v, this.authoredNames([this.inventoryHostVars(host)], [this.facts.get(host), this.runtimeHostVars.get(host)], host));
    return v;
  }

  private magicFor(host: string): Vars {
    const play = this.play;
    const active = play ? play.active() : [];
    const added = play?.added?.length ? play.added : undefined;
    return {
      ...this.magic,
      inventory_hostname: host,
      inventory_hostname_short: host.split('.')[0],
      group_names: this.inventory.groupNames(host),
      groups: this.groups(),
      hostvars: this.hostvarsProxy(),
      ansible_play_hosts: added ? [...active, ...added.filter((h) => !active.includes(h))] : active,
      ansible_play_batch: play ? play.batch.filter((h) => active.includes(h)) : [],
      ansible_play_hosts_all: play ? (added ? [...play.hostsAll, ...added.filter((h) => !play.hostsAll.includes(h))] : play.hostsAll) : [],
      play_hosts: active,
      ansible_play_name: play?.name ?? '',
      ...(play ? roleNameVars(play.roles ?? []) : {}),
      omit: OMIT,
    };
  }

  private groupsCache?: Record<string, string[]>;
  private groups(): Record<string, string[]> {
    this.groupsCache ??= this.inventory.groupsVar();
    return this.groupsCache;
  }

  /**
   * hostvars['x'] is computed when read, so a playbook over 100 hosts does not
   * build 100 variable sets for every task of every host.
   */
  private proxy?: Record<string, Vars>;
  private hostvarsProxy(): Record<string, Vars> {
    if (this.proxy) return this.proxy;
    // Looked up per key, not by building the set of names: hostvars is read in hot loops.
    const isKnown = (key: string | symbol): key is string => typeof key === 'string' && (this.inventory.hosts.has(key) || this.facts.has(key));
    const names = () => [...new Set([...this.inventory.hosts.keys(), ...this.facts.keys()])];
    this.proxy = new Proxy({} as Record<string, Vars>, {
      get: (_t, key) => {
        if (key === COMPUTED_MAPPING) return true;
        if (!isKnown(key)) return undefined;
        return this.hostvarsFor(key);
      },
      has: (_t, key) => isKnown(key),
      ownKeys: () => names(),
      getOwnPropertyDescriptor: (_t, key) =>
        isKnown(key) ? { enumerable: true, configurable: true, value: this.hostvarsFor(key) } : undefined,
    });
    return this.proxy;
  }
}
