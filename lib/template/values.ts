/**
 * The value model shared by the evaluator, filters and tests: Jinja's
 * Undefined, Python truthiness and Python's way of printing values, and the
 * one safe way to read a property from template data.
 */
import { TsplayError } from '../errors.js';
import { charge, SLOT, tickN } from './limits.js';
import { isNumeric, numValue, PyFloat, pyNumRepr } from './numbers.js';

export { markUnsafe, isUnsafeText, isAuthored, isAuthoredObject, asData, isData } from './unsafe.js';
import { LockedVault } from '../vault/locked.js';
import { dictKeys, noteNewKey, tracksOrder } from '../util/dict-order.js';

export { dictKeys } from '../util/dict-order.js';

export type Vars = Readonly<Record<string, unknown>>;

/**
 * Jinja's Undefined: carried through member access so `a.b.c is defined`
 * and `a.b | default(1)` work, and raised as an error when anything uses it.
 * `detail` says why it is undefined when that is not the path itself (for
 * example the lazy variable whose template referred to a missing name).
 */
export class Undef {
  constructor(
    readonly path: string,
    readonly detail?: string,
    /** Where Jinja's lookup failed (a missing name, or a key missing from an object); what `%r` prints. */
    readonly origin?: UndefOrigin,
  ) {}

  /** A member of an undefined value is that same undefined, as in Ansible (`x.y.z` reports `x`). */
  child(seg: string): Undef {
    return new Undef(this.path + seg, this.detail, this.origin);
  }

  error(): TsplayError {
    return undefinedError(this.path, this.detail);
  }
}

/** A lookup that found nothing: `obj` (read only when printed) is absent for a missing variable name. */
export interface UndefOrigin {
  readonly name: string | number;
  readonly obj?: () => unknown;
}

/**
 * Python's repr() of Ansible's undefined value, which `'%r' % x` prints
 * rather than failing: `AnsibleUndefined(hint=None, obj=missing, name='x')`.
 * An undefined value whose origin is unknown (a lazy variable that failed,
 * `[] | first`) is still an error.
 */
export function undefRepr(u: Undef): string {
  if (!u.origin) throw u.error();
  const obj = u.origin.obj ? pyRepr(u.origin.obj()) : 'missing';
  return `AnsibleUndefined(hint=None, obj=${obj}, name=${pyRepr(u.origin.name)})`;
}

export class UndefinedVariableError extends TsplayError {}

export function undefinedError(path: string, detail?: string): UndefinedVariableError {
  const msg = detail ? `'${path}' is undefined: ${detail}` : `'${path}' is undefined`;
  return new UndefinedVariableError('template', msg, {
    hint: `define '${path}' (inventory, vars, set_fact, -e) or give a fallback: {{ ${path} | default(...) }}`,
  });
}

export function templateError(message: string, hint?: string): TsplayError {
  return new TsplayError('template', message, hint ? { hint } : {});
}

/** Throws when the value is undefined; used wherever a value is consumed. */
export function need<T>(v: T | Undef): T {
  if (v instanceof Undef) throw v.error();
  return v;
}

/**
 * Marks a mapping whose values are computed when read (the engine's
 * `hostvars`): it is looked into key by key, never walked whole, because
 * walking it would build every host's variables and render all their
 * templates.
 */
export const COMPUTED_MAPPING = Symbol.for('tsplay.computedMapping');

export function isComputedMapping(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (v as Record<symbol, unknown>)[COMPUTED_MAPPING] === true;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A dict in the Jinja sense: any non-array object that is not one of our own values. */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Undef) && !(v instanceof RegExp) && !(v instanceof PyFloat);
}

/** Names that would reach into JavaScript internals rather than data. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/**
 * Reads `obj[key]` the way Jinja's getattr/getitem would on plain data.
 * Ordinary property access (not hasOwnProperty) so that Proxies such as a
 * lazy `hostvars` work; functions and JavaScript internals are never
 * returned, so template data cannot reach host code.
 */
export function getProp(obj: unknown, key: unknown): unknown {
  if (obj === null || obj === undefined) return undefined;
  if (typeof key === 'number' || (typeof key === 'string' && /^-?\d+$/.test(key) && (Array.isArray(obj) || typeof obj === 'string'))) {
    const n = Number(key);
    if (!Number.isInteger(n)) return undefined;
    if (Array.isArray(obj) || typeof obj === 'string') {
      const i = n < 0 ? obj.length + n : n;
      return i >= 0 && i < obj.length ? obj[i] : undefined;
    }
  }
  if (typeof key === 'boolean' || key === null) key = String(key);
  if (typeof key !== 'string' && typeof key !== 'number') return undefined;
  const k = String(key);
  if (typeof obj !== 'object') return undefined;
  if (Array.isArray(obj)) return undefined;
  // A key such as `__proto__` is data when the value holds it as its own; never a way into the prototype.
  if (FORBIDDEN.has(k) && !Object.hasOwn(obj, k)) return undefined;
  const v = (obj as Record<string, unknown>)[k];
  if (typeof v === 'function' || typeof v === 'symbol') return undefined;
  // A vault value no password opened fails where it is read, as in Ansible.
  if (v instanceof LockedVault) throw v.error();
  return v;
}

/**
 * Python tuples are JS arrays marked here (tuples from `(a, b)`, zip,
 * product, items() ...): they print as `(a, b)` and are the arguments of
 * `'%s-%s' % (a, b)`. Copies are lists, as `| list` makes them.
 */
const TUPLES = new WeakSet<object>();

export function tuple<T>(items: T[]): T[] {
  TUPLES.add(items);
  return items;
}

export function isTuple(v: unknown): v is unknown[] {
  return Array.isArray(v) && TUPLES.has(v);
}

/** Python truthiness. */
export function pythonTruthy(v: unknown): boolean {
  v = need(v);
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (v instanceof PyFloat) return v.value !== 0 && !Number.isNaN(v.value);
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'number') return !Number.isNaN(v);
  if (isMapping(v)) return Object.keys(v).length > 0;
  return true;
}

/** Python's repr, which is what Jinja prints for lists and dicts inside a string. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number' || v instanceof PyFloat) return pyNumRepr(v);
  if (typeof v === 'string') {
    if (v.length > 4096) charge(v.length, 'printing a string');
    return pyStrRepr(v);
  }
  if (v instanceof Undef) throw v.error();
  // Containers charge the memory budget as they go: a list repeated by reference prints enormous.
  if (Array.isArray(v)) {
    charge(v.length * SLOT, 'printing a list');
    const s = TUPLES.has(v) ? `(${v.map(pyRepr).join(', ')}${v.length === 1 ? ',' : ''})` : `[${v.map(pyRepr).join(', ')}]`;
    charge(s.length, 'printing a list');
    return s;
  }
  if (isMapping(v)) {
    const keys = dictKeys(v);
    charge(keys.length * SLOT, 'printing a dict');
    const s = `{${keys.map((k) => `${pyRepr(k)}: ${pyRepr(getProp(v, k))}`).join(', ')}}`;
    charge(s.length, 'printing a dict');
    return s;
  }
  return String(v);
}

/** Characters Python's repr() escapes: control, format, private-use, unassigned, surrogates, separators other than space. */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr() of a str: single quotes unless the text has ' and no ", escapes as Python writes them. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  let plain = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x5c && c !== quote.charCodeAt(0)) continue;
    let cp = c;
    let width = 1;
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    let esc: string | undefined;
    if (c === 0x5c) esc = '\\\\';
    else if (c === quote.charCodeAt(0)) esc = '\\' + quote;
    else if (c === 0x09) esc = '\\t';
    else if (c === 0x0a) esc = '\\n';
    else if (c === 0x0d) esc = '\\r';
    else if (c < 0x20 || c === 0x7f) esc = '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0x80 && NON_PRINTABLE.test(String.fromCodePoint(cp))) {
      esc = cp < 0x100 ? '\\x' + cp.toString(16).padStart(2, '0') : cp < 0x10000 ? '\\u' + cp.toString(16).padStart(4, '0') : '\\U' + cp.toString(16).padStart(8, '0');
    }
    if (esc === undefined) {
      i += width - 1;
      continue;
    }
    out += s.slice(plain, i) + esc;
    i += width - 1;
    plain = i + 1;
  }
  return out + s.slice(plain) + quote;
}

/**
 * Python's str, as a value appears when rendered into a string. None renders
 * as an empty string, as Ansible 2.14 does ("x {{ none }}" -> "x ").
 */
export function toStr(v: unknown): string {
  if (v instanceof Undef) throw v.error();
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** str() as the `string` filter and `join` see it: None is 'None' there. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  return pyRepr(need(v));
}

/** Python type names, for `type_debug` and error messages. */
export function typeName(v: unknown): string {
  if (v instanceof Undef) return 'AnsibleUndefined';
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** Python equality: deep for lists and dicts, 1 == 1.0, True == 1. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a)) a = numValue(a);
  if (isNumeric(b)) b = numValue(b);
  if (a === b) return true;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => kb.includes(k) && pyEquals(getProp(a, k), getProp(b, k)));
  }
  return false;
}

/** Python ordering for <, sort, min, max: numbers with numbers, strings with strings, lists element-wise. */
export function pyCompare(a: unknown, b: unknown): number {
  if (isNumeric(a)) a = numValue(a);
  if (isNumeric(b)) b = numValue(b);
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCompare(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw templateError(`cannot compare ${typeName(a)} with ${typeName(b)} ('<' not supported)`, 'compare values of the same type, e.g. convert with | int or | string');
}

/** Python's `in`: substring, list membership, dict key. */
export function pyContains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw templateError(`'in <string>' requires a string on the left, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) {
    // A scan of the whole list: `x in big` inside a loop over another big list is quadratic.
    tickN(container.length, "'in'");
    return container.some((x) => pyEquals(x, item));
  }
  if (isMapping(container)) return (typeof item === 'string' || typeof item === 'number') && getProp(container, String(item)) !== undefined;
  throw templateError(`argument of type '${typeName(container)}' is not iterable (used with 'in')`);
}

/** Iterates like Python's iter(): lists, strings (characters), dicts (keys). */
export function toList(v: unknown, what = 'value'): unknown[] {
  v = need(v);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') {
    charge(v.length * SLOT, `a list of the characters of a string`);
    return [...v];
  }
  if (isMapping(v)) return dictKeys(v);
  throw templateError(`${what} of type '${typeName(v)}' is not iterable`, 'pass a list, a string or a dict');
}

/** Defines an own property even for keys such as `__proto__`; a new key comes last in the dict's order, as in Python. */
export function setKey(obj: Record<string, unknown>, k: string, v: unknown): void {
  const isNew = tracksOrder(obj, k) && !Object.hasOwn(obj, k);
  Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  if (isNew) noteNewKey(obj, k);
}
