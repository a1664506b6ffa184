/**
 * Python methods users call on values (`x.startswith('a')`, `d.get('k')`),
 * one table per receiver type. Nothing else is callable.
 */
import type { Kwargs } from './context.js';
import { charge, chargeItems } from './limits.js';
import { getProp, isMapping, pyEquals, pyStr, templateError, tuple, typeName } from './values.js';

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

const dictMethods: Record<string, Method<Record<string, unknown>>> = {
  keys: (d) => Object.keys(d),
  values: (d) => Object.keys(d).map((k) => getProp(d, k)),
  items: (d) => Object.keys(d).map((k) => tuple([k, getProp(d, k)])),
  get: (d, [k, dflt]) => {
    const v = getProp(d, k);
    return v === undefined ? (dflt ?? null) : v;
  },
  copy: (d) => ({ ...d }),
};

const listMethods: Record<string, Method<unknown[]>> = {
  index: (l, [x]) => {
    const i = l.findIndex((y) => pyEquals(y, x));
    if (i < 0) throw templateError(`${pyStr(x)} is not in list`);
    return i;
  },
  count: (l, [x]) => l.filter((y) => pyEquals(y, x)).length,
  copy: (l) => l.slice(),
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
