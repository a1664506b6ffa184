/**
 * What a task sees of roles, at Ansible's precedence levels (lib/engine/vars.ts
 * places them): every play role's defaults at the bottom and vars above
 * vars_files; the task's own role's defaults and vars (with those of its
 * dependencies and of the roles it runs within); its role parameters and the
 * include parameters above set_fact; role_name, role_path beside the magic
 * variables.
 */
import type { LoadedRole, RoleFrame } from '../playbook/types.js';
import { assignOwn } from '../util/own.js';
/** A variables mapping (vars.ts's Vars, written out: vars.ts imports this file). */
type Vars = Record<string, unknown>;

export interface RoleVars {
  defaults: Vars;
  vars: Vars;
  params: Vars;
  magic: Vars;
}

/** Ansible's get_all_dependencies: each dependency after its own, depth first. */
function allDependencies(role: LoadedRole, seen = new Set<LoadedRole>()): LoadedRole[] {
  const out: LoadedRole[] = [];
  if (seen.has(role)) return out;
  seen.add(role);
  for (const d of role.dependencies) {
    out.push(...allDependencies(d, seen), d);
  }
  return out;
}

/** A role's defaults with its dependencies' beneath (Role.get_default_vars). */
export function roleDefaults(role: LoadedRole): Vars {
  const out: Vars = {};
  for (const d of allDependencies(role)) assignOwn(out, d.defaults);
  return assignOwn(out, role.defaults);
}

/** A role's vars without parameters, dependencies' beneath (Role.get_vars(include_params=False)). */
export function roleVarsOf(role: LoadedRole): Vars {
  const out: Vars = {};
  for (const d of allDependencies(role)) assignOwn(out, d.invocationVars, d.roleVars);
  return assignOwn(out, role.invocationVars, role.roleVars);
}

const cache = new WeakMap<RoleFrame, RoleVars>();

/** The role layers of a task of this role (cached: a frame's files do not change during the run). */
export function frameVars(frame: RoleFrame): RoleVars {
  let v = cache.get(frame);
  if (v) return v;
  const { role, chain } = frame;
  const defaults: Vars = {};
  for (const d of allDependencies(role)) assignOwn(defaults, d.defaults);
  for (const c of chain) assignOwn(defaults, c.defaults);
  assignOwn(defaults, role.defaults);
  const vars: Vars = {};
  for (const c of chain) assignOwn(vars, c.invocationVars, c.roleVars);
  for (const d of allDependencies(role)) assignOwn(vars, d.invocationVars, d.roleVars);
  assignOwn(vars, role.invocationVars, role.roleVars);
  const params: Vars = {};
  for (const c of chain) assignOwn(params, c.params);
  assignOwn(params, role.params, frame.includeParams);
  if (frame.parentNames.length) {
    params.ansible_parent_role_names = frame.parentNames;
    params.ansible_parent_role_paths = frame.parentPaths;
  }
  v = { defaults, vars, params, magic: { role_name: role.name, ansible_role_name: role.name, role_path: role.path } };
  cache.set(frame, v);
  return v;
}

/** The defaults and vars every task of the play sees: those of `roles:`, import_role, and public include_role. */
export function playRoleVars(roles: LoadedRole[]): { defaults: Vars; vars: Vars } {
  const defaults: Vars = {};
  const vars: Vars = {};
  for (const r of roles) {
    assignOwn(defaults, roleDefaults(r));
    assignOwn(vars, roleVarsOf(r));
  }
  return { defaults, vars };
}

/**
 * The magic variables naming the play's roles: ansible_play_role_names (the
 * roles the play names, in order), ansible_dependent_role_names (their
 * dependencies), ansible_role_names (both, once each) and the older role_names.
 */
export function roleNameVars(roles: LoadedRole[]): Vars {
  const play = roles.map((r) => r.name);
  const dependent = [...new Set(roles.flatMap((r) => allDependencies(r).map((d) => d.name)))];
  return { ansible_play_role_names: play, role_names: play, ansible_dependent_role_names: dependent, ansible_role_names: [...new Set([...dependent, ...play])] };
}
