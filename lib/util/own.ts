/**
 * Keys that come from users (YAML, JSON, -e, inventories, module results) are
 * data. Plain `obj[key] = v` and Object.assign treat `__proto__` as the
 * object's prototype, so a key named `__proto__` would silently vanish and
 * hand its contents to the object by inheritance. These helpers always make
 * an ordinary own property, whatever the key.
 */

import { dictKeys, noteNewKey, tracksOrder } from './dict-order.js';

/** Sets `key` on `obj` as an own, enumerable data property; a new key comes last in Python's order (dict-order.ts). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  const isNew = tracksOrder(obj, key) && !hasOwn(obj, key);
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
  if (isNew) noteNewKey(obj, key);
}

/** Object.assign for user data: copies own enumerable keys, `__proto__` included, as plain keys, in the sources' order. */
export function assignOwn<T extends Record<string, unknown>>(target: T, ...sources: Array<Record<string, unknown> | null | undefined>): T {
  for (const src of sources) {
    if (!src) continue;
    for (const k of dictKeys(src)) setOwn(target, k, src[k]);
  }
  return target;
}

/** `key in obj` without the keys every object inherits (constructor, toString, __proto__, ...). */
export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}
