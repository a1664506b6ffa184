/**
 * Python dicts keep their keys in insertion order, every key alike.
 * JavaScript objects put integer-like keys ('1', '2', '10') first, in numeric
 * order, whatever the order they were set in: a dict `{'10': a, '2': b}` read
 * from YAML or built by a template would print and loop as `{'2': b, '10': a}`.
 *
 * tsplay keeps its dicts as plain objects (every part of the engine reads
 * them) and records the insertion order where JavaScript would lose it: on
 * the first integer-like key, a hidden (non-enumerable, symbol-keyed) list of
 * the keys in the order they were set. Every place that sets a key of user
 * data (`setOwn`, the template value model's `setKey`) keeps it, and every
 * place that iterates a dict in Python's order reads `dictKeys`. An object
 * with no integer-like key needs no list: its own key order is already
 * Python's.
 */

const ORDER = Symbol('tsplay.dictOrder');

type Ordered = Record<string, unknown> & { [ORDER]?: string[] };

/** A key JavaScript moves to the front: a canonical array index ('0', '7', '42'; not '007', '-1' or '1.0'). */
export function isIndexKey(k: string): boolean {
  const c = k.charCodeAt(0);
  if (c < 48 || c > 57) return false;
  if (k.length > 1 && c === 48) return false;
  if (!/^\d+$/.test(k)) return false;
  return k.length < 10 || Number(k) < 4294967295;
}

/** Whether a key of `obj` needs its order noted when it is set: an index key, or an object that keeps an order already. */
export function tracksOrder(obj: object, k: string): boolean {
  return isIndexKey(k) || (obj as Ordered)[ORDER] !== undefined;
}

/** Notes that `k` was just added to `obj` (it was not an own key before). */
export function noteNewKey(obj: object, k: string): void {
  const o = obj as Ordered;
  const order = o[ORDER];
  if (order) {
    order.push(k);
    return;
  }
  if (!isIndexKey(k) || !Object.isExtensible(obj)) return;
  // The keys set before were all ordinary ones (else there would be a list): JavaScript kept their order.
  const before = Object.keys(obj).filter((x) => x !== k);
  Object.defineProperty(obj, ORDER, { value: [...before, k], enumerable: false, writable: false, configurable: true });
}

/** Notes that `k` was deleted from `obj`, so that setting it again puts it last, as in Python. */
export function forgetKey(obj: object, k: string): void {
  const order = (obj as Ordered)[ORDER];
  if (!order) return;
  const i = order.indexOf(k);
  if (i >= 0) order.splice(i, 1);
}

/**
 * The keys of a dict in Python's order: insertion order where it was
 * recorded; keys set without a note (by plain assignment) follow, in
 * JavaScript's order.
 */
export function dictKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  const order = (obj as Ordered)[ORDER];
  if (!order) return keys;
  const own = new Set(keys);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const k of order) {
    if (own.has(k) && !seen.has(k)) {
      seen.add(k);
      out.push(k);
    }
  }
  if (out.length < keys.length) for (const k of keys) if (!seen.has(k)) out.push(k);
  return out;
}

/** Gives `to` the key order of `from` (a copy made by spreading, which copies no symbol). */
export function copyOrder<T extends object>(from: object, to: T): T {
  const order = (from as Ordered)[ORDER];
  if (order && Object.isExtensible(to)) Object.defineProperty(to, ORDER, { value: [...order], enumerable: false, writable: false, configurable: true });
  return to;
}

/** Records `keys` (the order they were written in) as the order of `obj`, when it holds an integer-like key. */
export function setOrder(obj: object, keys: readonly string[]): void {
  if (!keys.some(isIndexKey) || !Object.isExtensible(obj)) return;
  Object.defineProperty(obj, ORDER, { value: [...new Set(keys)], enumerable: false, writable: false, configurable: true });
}
