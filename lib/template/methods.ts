/**
 * Python methods users call on values (`x.startswith('a')`, `d.get('k')`),
 * one table per receiver type. Nothing else is callable.
 */
import { dictKeys, forgetKey } from '../util/dict-order.js';
import type { Kwargs } from './context.js';
import { charge, chargeItems } from './limits.js';
import { getProp, isMapping, isPlainObject, isTuple, pyEquals, pyStr, templateError, tuple, typeName } from './values.js';
import { setOwn } from '../util/own.js';

type Method<T> = (self: T, args: unknown[], kw: Kwargs) => unknown;

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw templateError(`${what} expects a string, not ${typeName(v)}`);
  return v;
}

/** How many times `sub` occurs in `s` (non-overlapping), counting no further than `limit`. */
function occurrences(s: string, sub: string, limit = Infinity): number {
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0 && n < limit; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

/** Words separated by runs of whitespace. */
function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const ws = /\s/.test(s[i]);
    if (!ws && !inWord) n++;
    inWord = !ws;
  }
  return n;
}

/** Python's str.replace, within the memory budget (the result is charged before it is built). */
export function pyReplace(s: string, from: string, to: string, count = -1): string {
  const n = from === '' ? s.length + 1 : occurrences(s, from, count < 0 ? Infinity : count);
  charge(s.length + n * Math.max(0, to.length - from.length), 'replace');
  if (count < 0) return s.split(from).join(to);
  const parts = s.split(from);
  return parts.length > count + 1 ? parts.slice(0, count + 1).join(to) + from + parts.slice(count + 1).join(from) : parts.join(to);
}

/** Python's str.split: no separator splits on runs of whitespace. */
export function pySplit(s: string, sep: unknown, maxsplit: unknown = -1): string[] {
  const max = typeof maxsplit === 'number' ? maxsplit : -1;
  // The parts are charged before they exist: a huge string splits into huge lists.
  if (s.length > 4096) chargeItems((typeof sep === 'string' && sep !== '' ? occurrences(s, sep) : wordCount(s)) + 1, 'split');
  if (sep === null || sep === undefined) {
    const parts = s.trim() === '' ? [] : s.trim().split(/\s+/);
    if (max >= 0 && parts.length > max + 1) {
      const head = parts.slice(0, max);
      let rest = s.trim();
      for (const h of head) rest = rest.slice(rest.indexOf(h) + h.length).replace(/^\s+/, '');
      return [...head, rest];
    }
    return parts;
  }
  const d = str(sep, 'split separator');
  if (d === '') throw templateError('empty separator');
  const parts = s.split(d);
  if (max >= 0 && parts.length > max + 1) return [...parts.slice(0, max), parts.slice(max).join(d)];
  return parts;
}

function strip(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === undefined || chars === null) {
    if (left) s = s.replace(/^\s+/, '');
    if (right) s = s.replace(/\s+$/, '');
    return s;
  }
  const set = str(chars, 'strip characters');
  let a = 0;
  let b = s.length;
  while (left && a < b && set.includes(s[a])) a++;
  while (right && b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function prefixes(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => str(x, 'startswith/endswith')) : [str(v, 'startswith/endswith')];
}

const stringMethods: Record<string, Method<string>> = {
  startswith: (s, [p]) => prefixes(p).some((x) => s.startsWith(x)),
  endswith: (s, [p]) => prefixes(p).some((x) => s.endsWith(x)),
  split: (s, [sep, max], kw) => pySplit(s, sep ?? kw.sep, max ?? kw.maxsplit),
  rsplit: (s, [sep, max]) => {
    const m = typeof max === 'number' ? max : -1;
    if (m < 0 || sep === undefined || sep === null) return pySplit(s, sep);
    const parts = s.split(str(sep, 'rsplit separator'));
    return parts.length > m + 1 ? [parts.slice(0, parts.length - m).join(sep as string), ...parts.slice(parts.length - m)] : parts;
  },
  splitlines: (s) => {
    if (s.length > 4096) chargeItems(occurrences(s, '\n') + occurrences(s, '\r') + 1, 'splitlines');
    return s.split(/\r\n|\r|\n/).filter((x, i, a) => i < a.length - 1 || x !== '');
  },
  strip: (s, [c]) => strip(s, c, true, true),
  lstrip: (s, [c]) => strip(s, c, true, false),
  rstrip: (s, [c]) => strip(s, c, false, true),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  title: (s) => s.replace(/[A-Za-z]+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase()),
  capitalize: (s) => (s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s),
  replace: (s, [a, b, count]) => pyReplace(s, str(a, 'replace'), str(b, 'replace'), typeof count === 'number' ? count : -1),
  find: (s, [sub]) => s.indexOf(str(sub, 'find')),
  rfind: (s, [sub]) => s.lastIndexOf(str(sub, 'rfind')),
  count: (s, [sub]) => (str(sub, 'count') === '' ? s.length + 1 : s.split(sub as string).length - 1),
  join: (s, [items]) => {
    if (!Array.isArray(items)) throw templateError(`join() expects a list, not ${typeName(items)}`);
    const parts = items.map((x) => str(x, 'join item'));
    charge(parts.reduce((n, p) => n + p.length, 0) + s.length * Math.max(0, parts.length - 1), 'join');
    return parts.join(s);
  },
  format: (s, args) => {
    let i = 0;
    return s.replace(/\{(\d*)\}/g, (_m, n: string) => {
      const idx = n === '' ? i++ : Number(n);
      if (idx >= args.length) throw templateError(`format(): no argument for {${n}}`);
      return pyStr(args[idx]);
    });
  },
  zfill: (s, [w]) => {
    charge(Number(w), 'zfill');
    return s.padStart(Number(w), '0');
  },
  isdigit: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^[A-Za-z]+$/.test(s),
  isalnum: (s) => /^[A-Za-z0-9]+$/.test(s),
  isspace: (s) => /^\s+$/.test(s),
  islower: (s) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s) => /[A-Z]/.test(s) && s === s.toUpperCase(),
};

/**
 * Lists and dicts a template built itself (a list or dict literal, a copy()),
 * in the evaluation that built them: the only values the mutating methods
 * (append, update, ...) may change, as Jinja templates do in
 * `{% if d.update({...}) %}` tricks. Variables of a host, play or inventory
 * are never changed in place: the engine shares them between tasks and
 * templates, so a mutation would leak out of the template. A value built by
 * one evaluation and kept (a fact set to `{{ {'a': 1} }}`, a lazy variable's
 * result) is a variable for every later one: each top-level evaluation, each
 * Jinja render and each lazy variable has its own generation.
 */
const owned = new WeakMap<object, number>();
let generation = 0;
let lastGeneration = 0;

/** Marks a list or dict as built by the current evaluation, hence changeable in place by it. */
export function ownValue<T>(v: T): T {
  if (v !== null && typeof v === 'object' && generation !== 0) owned.set(v, generation);
  return v;
}

/** Whether an evaluation is under way (nested evaluations share its generation). */
export function inOwnedScope(): boolean {
  return generation !== 0;
}

/** Runs fn as a new generation: what it builds is its own; nothing built before is. */
export function ownedScope<T>(fn: () => T): T {
  const saved = generation;
  generation = ++lastGeneration;
  try {
    return fn();
  } finally {
    generation = saved;
  }
}

function mutable<T extends object>(self: T, name: string): T {
  if (isTuple(self)) throw templateError(`'tuple' object has no attribute '${name}'`, 'a tuple cannot change; build a list instead');
  if (generation === 0 || owned.get(self) !== generation || (!Array.isArray(self) && !isPlainObject(self))) {
    throw templateError(
      `${typeName(self)}.${name}() would change a variable in place; only a list or dict built in this template ({% set x = {...} %} or [...]) can change`,
      `copy it first: {% set x = var.copy() %} (or var | combine({...}) / var + [...])`,
    );
  }
  return self;
}

/** The key/value pairs of dict.update()'s or dict()'s argument: a dict or a list of pairs. */
export function pairs(v: unknown): [string, unknown][] {
  if (isMapping(v)) return dictKeys(v).map((k) => [k, getProp(v, k)]);
  if (Array.isArray(v)) {
    return v.map((p, i) => {
      if (!Array.isArray(p) || p.length !== 2) throw templateError(`dictionary update sequence element #${i} has length ${Array.isArray(p) ? p.length : 1}; 2 is required`);
      return [dictKey(p[0]), p[1]];
    });
  }
  throw templateError(`'${typeName(v)}' object is not iterable`);
}

function dictKey(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'boolean' || k === null) return pyStr(k);
  throw templateError(`unhashable type: '${typeName(k)}'`);
}

const dictMethods: Record<string, Method<Record<string, unknown>>> = {
  keys: (d) => dictKeys(d),
  values: (d) => dictKeys(d).map((k) => getProp(d, k)),
  items: (d) => dictKeys(d).map((k) => tuple([k, getProp(d, k)])),
  get: (d, [k, dflt]) => {
    const v = getProp(d, k);
    return v === undefined ? (dflt ?? null) : v;
  },
  copy: (d) => {
    const out: Record<string, unknown> = {};
    for (const k of dictKeys(d)) setOwn(out, k, d[k]);
    return ownValue(out);
  },
  // Mutating methods return None, as in Python (`{% if d.update(x) %}` is false).
  update: (d, [other], kw) => {
    const self = mutable(d, 'update');
    const add = [...(other === undefined ? [] : pairs(other)), ...Object.keys(kw).map((k): [string, unknown] => [k, kw[k]])];
    chargeItems(add.length, 'dict.update');
    for (const [k, v] of add) setOwn(self, k, v);
    return null;
  },
  setdefault: (d, [k, dflt]) => {
    const key = dictKey(k);
    if (Object.hasOwn(d, key)) return getProp(d, key);
    chargeItems(1, 'dict.setdefault');
    setOwn(mutable(d, 'setdefault'), key, dflt ?? null);
    return dflt ?? null;
  },
  pop: (d, args) => {
    const key = dictKey(args[0]);
    if (!Object.hasOwn(mutable(d, 'pop'), key)) {
      if (args.length > 1) return args[1];
      throw templateError(`KeyError: ${pyStr(key)}`);
    }
    const v = getProp(d, key);
    delete d[key];
    forgetKey(d, key);
    return v;
  },
};

const listMethods: Record<string, Method<unknown[]>> = {
  index: (l, [x]) => {
    const i = l.findIndex((y) => pyEquals(y, x));
    if (i < 0) throw templateError(`${pyStr(x)} is not in list`);
    return i;
  },
  count: (l, [x]) => l.filter((y) => pyEquals(y, x)).length,
  copy: (l) => ownValue(l.slice()),
  append: (l, [x]) => {
    chargeItems(1, 'list.append');
    mutable(l, 'append').push(x);
    return null;
  },
  extend: (l, [xs]) => {
    if (!Array.isArray(xs) && typeof xs !== 'string' && !isMapping(xs)) throw templateError(`'${typeName(xs)}' object is not iterable`);
    const items = typeof xs === 'string' ? [...xs] : Array.isArray(xs) ? xs : dictKeys(xs);
    chargeItems(items.length, 'list.extend');
    const self = mutable(l, 'extend');
    const n = items.length; // l.extend(l) adds l's items once
    for (let i = 0; i < n; i++) self.push(items[i]);
    return null;
  },
  insert: (l, [i, x]) => {
    if (typeof i !== 'number' || !Number.isInteger(i)) throw templateError(`list.insert() index must be an integer, not ${typeName(i)}`);
    chargeItems(1, 'list.insert');
    const at = i < 0 ? Math.max(0, l.length + i) : Math.min(i, l.length);
    mutable(l, 'insert').splice(at, 0, x);
    return null;
  },
  pop: (l, [i]) => {
    mutable(l, 'pop');
    if (l.length === 0) throw templateError('pop from empty list');
    const n = i === undefined ? -1 : i;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw templateError(`list.pop() index must be an integer, not ${typeName(n)}`);
    const at = n < 0 ? l.length + n : n;
    if (at < 0 || at >= l.length) throw templateError('pop index out of range');
    return l.splice(at, 1)[0];
  },
  remove: (l, [x]) => {
    const i = mutable(l, 'remove').findIndex((y) => pyEquals(y, x));
    if (i < 0) throw templateError('list.remove(x): x not in list');
    l.splice(i, 1);
    return null;
  },
};

export function callMethod(self: unknown, name: string, args: unknown[], kw: Kwargs): unknown {
  const table: Record<string, Method<never>> | undefined =
    typeof self === 'string' ? stringMethods : Array.isArray(self) ? listMethods : isMapping(self) ? dictMethods : undefined;
  const m = table && Object.hasOwn(table, name) ? table[name] : undefined;
  if (!m) {
    throw templateError(`'${typeName(self)}' has no method '${name}'`, `supported: ${table ? Object.keys(table).join(', ') : 'none for this type'}`);
  }
  return (m as Method<unknown>)(self, args, kw);
}
