/**
 * Registered results as a module argument, per host: a loop's results
 * (`register:` over `loop: "{{ groups.etcd }}"` with `delegate_to: "{{ item }}"`,
 * each result's `item` is its host), the same as `{results: [...]}`, or a
 * mapping host → result. Skipped and failed results count as no answer.
 */
type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function usable(r: unknown): r is Obj {
  return isObj(r) && r.skipped !== true && r.failed !== true;
}

/** Sets out[key] as an own property, so a host named `__proto__` stays a key, never a prototype. */
export function setOwn<T>(out: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

export function byHost(value: unknown): Record<string, Obj> {
  const out: Record<string, Obj> = {};
  const list = Array.isArray(value) ? value : isObj(value) && Array.isArray(value.results) ? value.results : null;
  if (list) {
    for (const r of list) if (usable(r) && typeof r.item === 'string') setOwn(out, r.item, r);
    return out;
  }
  if (isObj(value)) for (const [host, r] of Object.entries(value)) if (usable(r)) setOwn(out, host, r);
  return out;
}
