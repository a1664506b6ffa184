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
 */

const unsafeText = new Set<string>();
const dataObjects = new WeakSet<object>();

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

/** True for a string that is data, however it looks. */
export function isUnsafeText(v: string): boolean {
  return unsafeText.has(v);
}

/** Tags a value an expression computed: its containers are not looked into for templates again. */
export function asData<T>(v: T): T {
  if (v !== null && typeof v === 'object') dataObjects.add(v);
  return v;
}

export function isData(v: unknown): boolean {
  return v !== null && typeof v === 'object' && dataObjects.has(v);
}
