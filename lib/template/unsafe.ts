/**
 * Data that must never be rendered as a template: everything that came from
 * a host (registered results, facts, module output), values tagged `!unsafe`,
 * and every value an expression computes. Ansible calls this "unsafe".
 *
 * Strings are primitives and cannot carry a tag, so the tag is the text
 * itself: a templated string (one containing `{{` or `{%`) marked unsafe is
 * unsafe wherever a copy of it goes (set_fact, loop items, hostvars, filters
 * that pass it through). Only templated strings are kept, so the set stays
 * as small as the suspicious data. A container an expression computed is
 * tagged in a WeakSet: its contents were rendered once already and are never
 * rendered again.
 *
 * A text tag alone would also silence a playbook's own variable whose text a
 * host happens to return (a host printing `{{ name }}` would stop `greeting:
 * "{{ name }}"` from rendering). So where a value comes from is kept as well:
 * the variables the operator wrote (inventory, play, vars_files, block and
 * task vars, -e) are marked authored, by name in the variable set a task sees
 * and by identity for the lists and dicts they hold. An authored template is
 * rendered unless it was itself tagged `!unsafe`; anything else is rendered
 * only when its text was never seen coming from a host.
 */
import { types } from 'node:util';

const unsafeText = new Set<string>();
/** The `!unsafe` texts of the operator's own files: data even where authored. */
const taggedText = new Set<string>();
const dataObjects = new WeakSet<object>();
/** For a variable set: the names whose value the operator wrote. */
const authoredNames = new WeakMap<object, ReadonlySet<string>>();
/** Lists and dicts from the operator's own variables (and everything inside them). */
const authoredObjects = new WeakSet<object>();

function templated(s: string): boolean {
  return s.includes('{{') || s.includes('{%');
}

/**
 * Marks every templated string inside `v` (lists, dicts, nested) as data.
 * Returns `v` itself. Objects that are not plain data (a lazy hostvars
 * mapping) are left alone.
 */
export function markUnsafe<T>(v: T): T {
  walk(v, new Set());
  return v;
}

function walk(v: unknown, seen: Set<object>): void {
  if (typeof v === 'string') {
    if (templated(v)) unsafeText.add(v);
    return;
  }
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  if (Array.isArray(v)) {
    for (const x of v) walk(x, seen);
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return;
  for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], seen);
}

/** A value tagged `!unsafe` in a playbook, inventory or variables file. */
export function markTaggedUnsafe(v: string): string {
  if (templated(v)) {
    taggedText.add(v);
    unsafeText.add(v);
  }
  return v;
}

/** True for a string that is data, however it looks; `authored`: it is the operator's own variable. */
export function isUnsafeText(v: string, authored = false): boolean {
  return authored ? taggedText.has(v) : unsafeText.has(v);
}

/** Marks the lists and dicts of an authored layer (once per object). */
export function markAuthored(layer: object): void {
  markAuthoredWalk(layer, 0);
}

function markAuthoredWalk(v: unknown, depth: number): void {
  if (v === null || typeof v !== 'object' || authoredObjects.has(v) || depth > 200) return;
  // A proxy stands for a value that refuses to be read (an oversized YAML alias): looking inside is its first use.
  if (types.isProxy(v)) {
    authoredObjects.add(v);
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return;
  authoredObjects.add(v);
  for (const x of Array.isArray(v) ? v : Object.values(v)) markAuthoredWalk(x, depth + 1);
}

/** Records which names of a variable set hold the operator's own values. */
export function setAuthoredNames(vars: object, names: ReadonlySet<string>): void {
  authoredNames.set(vars, names);
}

/**
 * A copy of a variable set with more variables: `extra` (not authored: loop
 * items, registered results, facts), then `authoredExtra` over them (-e).
 */
export function extendVars<T extends object>(vars: T, extra: Record<string, unknown>, authoredExtra?: Record<string, unknown>): T & Record<string, unknown> {
  const out = Object.assign({ ...vars }, extra, authoredExtra);
  const names = authoredNames.get(vars);
  if (names) {
    const keep = new Set(names);
    for (const k of Object.keys(extra)) keep.delete(k);
    for (const k of Object.keys(authoredExtra ?? {})) keep.add(k);
    authoredNames.set(out, keep);
  }
  return out;
}

/** True when `key` of `container` holds a value the operator wrote. */
export function isAuthored(container: unknown, key: string): boolean {
  if (container === null || typeof container !== 'object') return false;
  return authoredObjects.has(container) || !!authoredNames.get(container)?.has(key);
}

/** True for a list or dict from the operator's own variables. */
export function isAuthoredObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && authoredObjects.has(v);
}

/** Tags a value an expression computed: its containers are not looked into for templates again. */
export function asData<T>(v: T): T {
  if (v !== null && typeof v === 'object') dataObjects.add(v);
  return v;
}

export function isData(v: unknown): boolean {
  return v !== null && typeof v === 'object' && dataObjects.has(v);
}
