/**
 * The `extract` filter: `container[key]`, then each of `morekeys` in turn.
 * A missing key gives an undefined value that names where the lookup stopped:
 * over `hostvars`, the host and the variable the host lacks, so
 * `groups.etcd | map('extract', hostvars, 'etcd_ip')` says which host has no
 * `etcd_ip` rather than only that something is missing.
 */
import { Undef, getProp, isComputedMapping, pyRepr } from './values.js';

export function extract(key: unknown, container: unknown, morekeys: unknown): unknown {
  const keys = [key, ...(morekeys === undefined ? [] : Array.isArray(morekeys) ? morekeys : [morekeys])];
  const overHostvars = isComputedMapping(container);
  let path = overHostvars ? 'hostvars' : '';
  let value = container;
  for (const [depth, k] of keys.entries()) {
    const next = getProp(value, k);
    const seg = typeof k === 'string' && depth > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `[${pyRepr(k)}]`;
    if (next === undefined) return new Undef(path + seg, missing(overHostvars, depth, path, k));
    value = next;
    path += seg;
  }
  return value;
}

/** Ansible's wording for an undefined hostvars entry, said in terms of the inventory. */
function missing(overHostvars: boolean, depth: number, path: string, k: unknown): string {
  if (overHostvars && depth === 0) return `hostvars has no host ${pyRepr(k)} (not in the inventory)`;
  if (overHostvars && depth === 1) return `${path} has no variable ${pyRepr(k)}`;
  return path ? `${path} has no key ${pyRepr(k)}` : `extract: no such key ${pyRepr(k)}`;
}
