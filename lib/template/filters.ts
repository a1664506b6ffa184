/**
 * Jinja and Ansible filters (`x | default('y')`), one entry each. Arguments
 * arrive evaluated: positional in `args`, keyword (`attribute='x'`) in `kw`.
 * `random` is left out on purpose: a run must be repeatable and `--check`
 * must predict it.
 */
import { dictKeys } from '../util/dict-order.js';
import { parseJsonOrdered } from '../util/json-ordered.js';
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import type { Env, Kwargs } from './context.js';
import { charge, chargeItems, chargeParse, jsonParseCost, tickN, yamlParseCost } from './limits.js';
import { expandUser } from './expanduser.js';
import { extract } from './extract.js';
import { moreFilters } from './filters-more.js';
import { pyPercentFormat } from './format.js';
import { pyReplace, pySplit } from './methods.js';
import { isFloat, isNumeric, mkFloat, mkNum, numValue, PyFloat, pyNumRepr } from './numbers.js';
import { pyYamlDump } from './pyyaml.js';
import { pyReplacement } from './regex.js';
import { pyPattern, type PyMatch } from './safe-regex.js';
import {
  Undef,
  getProp,
  isMapping,
  need,
  pyCompare,
  pyEquals,
  pyStr,
  setKey,
  templateError,
  toList,
  pythonTruthy,
  tuple,
  typeName,
} from './values.js';

import type { FilterDef } from './plugin-types.js';

export type { FilterDef } from './plugin-types.js';

const f = (fn: FilterDef['fn']): FilterDef => ({ fn });

/** A positional-or-keyword argument, as Python binds them. */
function arg(args: unknown[], kw: Kwargs, i: number, name: string, dflt?: unknown): unknown {
  if (Object.hasOwn(kw, name)) return kw[name];
  return i < args.length ? args[i] : dflt;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw templateError(`${what} expects a string, not ${typeName(v)}`, 'convert it with | string');
  return v;
}

function list(v: unknown, what: string): unknown[] {
  return toList(v, what);
}

function dict(v: unknown, what: string): Record<string, unknown> {
  if (!isMapping(v)) throw templateError(`${what} expects a dict, not ${typeName(v)}`);
  return v;
}

/**
 * Python's set semantics for dedup: hashable values (text, numbers, None)
 * by key, so 1, 1.0 and True are one; lists and dicts by equality.
 */
class PySet {
  private keys = new Set<string>();
  private others: unknown[] = [];
  private key(x: unknown): string | undefined {
    if (typeof x === 'string') return 's' + x;
    if (isNumeric(x)) return 'n' + numValue(x);
    if (x === null || x === undefined) return 'None';
    return undefined;
  }
  has(x: unknown): boolean {
    const k = this.key(x);
    if (k !== undefined) return this.keys.has(k);
    // Lists and dicts are compared one by one: quadratic over many of them, so it counts against the time budget.
    tickN(this.others.length, 'a set of lists or dicts');
    return this.others.some((y) => pyEquals(x, y));
  }
  add(x: unknown): void {
    const k = this.key(x);
    if (k !== undefined) this.keys.add(k);
    else this.others.push(x);
  }
}

function uniq(items: unknown[], key: (x: unknown) => unknown = (x) => x): unknown[] {
  const seen = new PySet();
  const out: unknown[] = [];
  for (const x of items) {
    const k = key(x);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x);
  }
  return out;
}

function setOf(items: unknown[]): PySet {
  const s = new PySet();
  for (const x of items) s.add(x);
  return s;
}

/** Ansible's `bool`: yes/on/1/true (any case) and 1 are true; everything else false. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return false;
  if (v instanceof PyFloat) return v.value === 1;
  const s = typeof v === 'string' ? v.toLowerCase().trim() : v;
  return s === 'yes' || s === 'on' || s === '1' || s === 'true' || s === 1;
}

function toInt(v: unknown, dflt: unknown = 0, base: unknown = 10): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) v = v.value;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : dflt;
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    const b = Number(base);
    if (b === 10 && /^[+-]?\d+$/.test(s)) return parseInt(s, 10);
    if (b !== 10) {
      const digits = s.replace(/^0[xob]/i, '');
      const n = parseInt(digits, b);
      if (!Number.isNaN(n)) return n;
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Math.trunc(parseFloat(s));
  }
  return dflt;
}

/** Jinja's float filter: Python's float(), else the default (0.0). */
function toFloat(v: unknown, dflt: unknown = mkFloat(0)): unknown {
  if (isNumeric(v)) return mkFloat(numValue(v));
  if (typeof v === 'string') {
    const s = v.trim().replace(/(\d)_(?=\d)/g, '$1');
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return mkFloat(parseFloat(s));
    if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/i.test(s)) return NaN;
  }
  return dflt;
}

/** Python's json.dumps: `, ` and `: ` separators, ASCII-escaped by default, optional indent and key sorting. */
export function pyJson(v: unknown, opts: { indent?: number; sortKeys?: boolean; ensureAscii?: boolean } = {}): string {
  const { indent, sortKeys = false, ensureAscii = true } = opts;
  const item = indent === undefined ? ', ' : ',';
  const enc = (s: string) => {
    const j = JSON.stringify(s);
    return ensureAscii ? j.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : j;
  };
  // Counted as it is built: a list repeated by reference serialises enormous.
  let size = 0;
  const count = (s: string) => {
    size += s.length;
    if (size > 1 << 16) {
      charge(size, 'to_json');
      size = 0;
    }
    return s;
  };
  const go = (x: unknown, depth: number): string => {
    x = need(x);
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (typeof x === 'number' || x instanceof PyFloat) {
      const n = numValue(x);
      return Number.isFinite(n) ? pyNumRepr(x) : Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
    }
    if (typeof x === 'string') return count(enc(x));
    const pad = indent === undefined ? '' : '\n' + ' '.repeat(indent * (depth + 1));
    const end = indent === undefined ? '' : '\n' + ' '.repeat(indent * depth);
    if (Array.isArray(x)) chargeItems(x.length, 'to_json');
    else if (isMapping(x)) chargeItems(dictKeys(x).length, 'to_json');
    if (Array.isArray(x)) return x.length ? count(`[${pad}${x.map((e) => go(e, depth + 1)).join(item + pad)}${end}]`) : '[]';
    if (isMapping(x)) {
      let keys = dictKeys(x);
      if (sortKeys) keys = keys.sort();
      return keys.length ? count(`{${pad}${keys.map((k) => `${enc(k)}: ${go(getProp(x, k), depth + 1)}`).join(item + pad)}${end}}`) : '{}';
    }
    throw templateError(`cannot convert ${typeName(x)} to JSON`);
  };
  const out = go(v, 0);
  charge(size, 'to_json');
  return out;
}

/** yaml.dump as Ansible's to_yaml (flow style for collections of scalars) and to_nice_yaml (block style, indent 4) call it. */
function toYaml(v: unknown, nice: boolean, args: unknown[], kw: Kwargs): string {
  const flag = (name: string, dflt: boolean) => (Object.hasOwn(kw, name) ? pythonTruthy(kw[name]) : dflt);
  const flow = Object.hasOwn(kw, 'default_flow_style') && !nice ? (kw.default_flow_style === null ? null : pythonTruthy(kw.default_flow_style)) : nice ? false : null;
  const indent = nice ? arg(args, kw, 0, 'indent', 4) : kw.indent;
  return pyYamlDump(v, {
    flowStyle: flow,
    indent: indent === undefined ? undefined : Number(indent),
    width: kw.width === undefined ? undefined : Number(kw.width),
    sortKeys: flag('sort_keys', true),
    explicitStart: flag('explicit_start', false),
    explicitEnd: flag('explicit_end', false),
  });
}

/** Where a parser failed, without the text it failed on: the input may be a secret. */
function parsePosition(e: unknown): string {
  const msg = e instanceof Error ? e.message : '';
  const pos = /at position (\d+)/.exec(msg) ?? /at line (\d+), column (\d+)/.exec(msg);
  if (!pos) return '';
  return pos.length > 2 ? ` (line ${pos[1]}, column ${pos[2]})` : ` (at character ${pos[1]})`;
}

function fromYaml(s: unknown): unknown {
  const text = str(s, 'from_yaml');
  chargeParse(yamlParseCost(text), `from_yaml of ${text.length} characters`, 'reduce the output on the host first (grep, yq, head), or, if it is JSON, use from_json, which needs far less');
  let doc: YAML.Document.Parsed;
  try {
    doc = YAML.parseDocument(text, { version: '1.1', prettyErrors: false });
  } catch (e) {
    throw templateError(`from_yaml: the input is not valid YAML${parsePosition(e)}`);
  }
  const err = doc.errors[0];
  if (err) {
    const at = err.linePos?.[0];
    throw templateError(`from_yaml: the input is not valid YAML${at ? ` (line ${at.line}, column ${at.col})` : ''}: ${err.code.toLowerCase().replace(/_/g, ' ')}`);
  }
  return doc.toJS({ maxAliasCount: 10000 });
}

function num(v: unknown, what: string): number | boolean | PyFloat {
  if (!isNumeric(v)) throw templateError(`${what} expects a number, not ${typeName(v)}`, 'convert it first, e.g. | float');
  return v;
}

/** itertools.combinations / permutations: tuples in lexicographic order of positions. */
function combinations(items: unknown[], r: number, ordered: boolean): unknown[][] {
  if (!Number.isInteger(r) || r < 0) throw templateError(`${ordered ? 'permutations' : 'combinations'}: r must be a non-negative integer`);
  const out: unknown[][] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === r) {
      if ((out.length & 0xfff) === 0) chargeItems(0x1000 * (r + 1), ordered ? 'permutations' : 'combinations');
      out.push(tuple(chosen.map((i) => items[i])));
      return;
    }
    for (let i = ordered ? 0 : start; i < items.length; i++) {
      if (ordered && chosen.includes(i)) continue;
      pick(i + 1, [...chosen, i]);
    }
  };
  if (r <= items.length) pick(0, []);
  return out;
}

/** Expands a JavaScript replacement pattern ($$, $&, $1, $<name>) for one match of String.replace's callback. */
/** A match as String.prototype.replace gives it to a callback: the groups, the offset, the input, the named groups. */
function replaceArgs(m: PyMatch, s: string): unknown[] {
  return [...m.groups, m.index, s, m.named];
}

function expandReplacement(repl: string, m: unknown[]): string {
  const last = m[m.length - 1];
  const named = last !== null && typeof last === 'object' ? (last as Record<string, string | undefined>) : undefined;
  const groups = m.slice(0, named ? -3 : -2) as (string | undefined)[];
  return repl.replace(/\$(\$|&|\d{1,2}|<([^>]*)>)/g, (all, what: string, name?: string) => {
    if (what === '$') return '$';
    if (what === '&') return groups[0] ?? '';
    if (name !== undefined) return named ? (named[name] ?? '') : all;
    let i = Number(what);
    if (what.length === 2 && i >= groups.length) {
      i = Number(what[0]);
      return i > 0 && i < groups.length ? (groups[i] ?? '') + what[1] : all;
    }
    return i > 0 && i < groups.length ? (groups[i] ?? '') : all;
  });
}

function flatten(items: unknown[], levels: number | null, skipNulls: boolean, out: unknown[] = []): unknown[] {
  for (const x of items) {
    if (Array.isArray(x) && (levels === null || levels > 0)) {
      // A list repeated by reference flattens to a huge one: charge before copying.
      chargeItems(x.length, 'flatten');
      flatten(x, levels === null ? null : levels - 1, skipNulls, out);
    } else if (!(skipNulls && (x === null || x === 'None'))) out.push(x);
  }
  return out;
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of dictKeys(a)) setKey(out, k, getProp(a, k));
  for (const k of dictKeys(b)) {
    const x = getProp(out, k);
    const y = getProp(b, k);
    if (recursive && isMapping(x) && isMapping(y)) setKey(out, k, merge(x, y, true, listMerge));
    else if (Array.isArray(x) && Array.isArray(y) && listMerge !== 'replace') {
      const merged =
        listMerge === 'append' ? [...x, ...y] :
        listMerge === 'prepend' ? [...y, ...x] :
        listMerge === 'append_rp' ? [...x.filter((e) => (tickN(y.length), !y.some((z) => pyEquals(e, z)))), ...y] :
        listMerge === 'prepend_rp' ? [...y, ...x.filter((e) => (tickN(y.length), !y.some((z) => pyEquals(e, z))))] :
        listMerge === 'keep' ? x : y;
      setKey(out, k, merged);
    } else if (listMerge === 'keep' && Array.isArray(x) && Array.isArray(y)) setKey(out, k, x);
    else setKey(out, k, y);
  }
  return out;
}

function sortKey(env: Env, attribute: unknown, caseSensitive: boolean) {
  return (x: unknown) => {
    let v = attribute === undefined || attribute === null ? x : need(env.attr(x, String(attribute)));
    if (!caseSensitive && typeof v === 'string') v = v.toLowerCase();
    return v;
  };
}

function pick(items: unknown[], env: Env, attribute: unknown, dir: 1 | -1, caseSensitive = false): unknown {
  if (items.length === 0) return new Undef('(empty list)', `${dir > 0 ? 'max' : 'min'} of an empty sequence`);
  const key = sortKey(env, attribute, caseSensitive);
  return items.reduce((best, x) => (pyCompare(key(x), key(best)) * dir > 0 ? x : best));
}

/**
 * Python's round(): decided on the exact decimal value of the double (so
 * round(2.675, 2) == 2.67) with exact halves going to the even neighbour
 * (round(2.5) == 2).
 */
function pyRound(x: number, precision: number): number {
  if (!Number.isFinite(x) || precision < 0 || precision > 40) return Math.round(x * 10 ** precision) / 10 ** precision;
  const exact = x.toFixed(Math.min(100, precision + 60));
  const [int, frac = ''] = exact.split('.');
  if (/^50*$/.test(frac.slice(precision))) {
    const truncated = int + (precision ? '.' + frac.slice(0, precision) : '');
    if (Number(truncated.slice(-1)) % 2 === 0) return Number(truncated);
  }
  return Number(x.toFixed(precision));
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  const head = p.slice(0, i);
  return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head;
}

/** Python's shlex.quote. */
export function shQuote(s: string): string {
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** select/reject: a test by name, or truthiness when no test is named. */
function selectBy(items: unknown[], args: unknown[], env: Env, keep: boolean): unknown[] {
  const [name, ...rest] = args;
  return items.filter((x) => (name === undefined ? pythonTruthy(x) : env.test(String(name), x, rest)) === keep);
}

function selectAttrBy(items: unknown[], args: unknown[], env: Env, keep: boolean): unknown[] {
  const [attr, name, ...rest] = args;
  return items.filter((x) => {
    const v = env.attr(x, String(attr));
    // A missing attribute is an error unless the test is about definedness, as in Jinja with Ansible's strict undefined.
    const ok = name === undefined ? pythonTruthy(v) : env.test(String(name), name === 'defined' || name === 'undefined' ? v : need(v), rest);
    return ok === keep;
  });
}

function regexSearch(s: string, args: unknown[], kw: Kwargs): unknown {
  const [re, ...groups] = args;
  const m = pyPattern(re, { ignorecase: kw.ignorecase, multiline: kw.multiline }).search(s);
  if (!m) return null;
  if (groups.length === 0) return m.groups[0];
  return groups.map((g) => {
    const gs = String(g);
    const num = /^\\(\d+)$/.exec(gs);
    const named = /^\\g<(\w+)>$/.exec(gs);
    if (num) return m.groups[Number(num[1])] ?? null;
    if (named) return (/^\d+$/.test(named[1]) ? m.groups[Number(named[1])] : m.named[named[1]]) ?? null;
    throw templateError(`regex_search: unknown group argument '${gs}'`, "use '\\\\1' or '\\\\g<name>'");
  });
}

const length = f((v) => (typeof v === 'string' || Array.isArray(v) ? v.length : isMapping(v) ? Object.keys(v).length : (() => { throw templateError(`object of type '${typeName(v)}' has no length`); })()));
const dflt: FilterDef = {
  undefinedOk: true,
  lazyArgs: true,
  fn: (v, args, kw) => {
    const fallback = arg(args, kw, 0, 'default_value', '');
    const boolean = need(arg(args, kw, 1, 'boolean', false));
    if (v instanceof Undef || (pythonTruthy(boolean) && !pythonTruthy(v))) return fallback;
    return v;
  },
};

export const filters: Record<string, FilterDef> = {
  default: dflt,
  d: dflt,
  mandatory: {
    undefinedOk: true,
    fn: (v, args, kw) => {
      if (v instanceof Undef) throw templateError(String(arg(args, kw, 0, 'msg', `Mandatory variable '${v.path}' not defined.`)), `define '${v.path}'`);
      return v;
    },
  },
  length,
  count: length,
  join: f((v, args, kw, env) => {
    const attr = kw.attribute;
    const sep = pyStr(arg(args, kw, 0, 'd', ''));
    const parts = list(v, 'join').map((x) => pyStr(attr === undefined ? x : need(env.attr(x, String(attr)))));
    // The parts may all be one huge string: charge the joined length before building it.
    charge(parts.reduce((n, p) => n + p.length, 0) + sep.length * Math.max(0, parts.length - 1), 'join');
    return parts.join(sep);
  }),
  bool: f((v) => toBool(v)),
  int: f((v, args, kw) => toInt(v, arg(args, kw, 0, 'default', 0), arg(args, kw, 1, 'base', 10))),
  float: f((v, args, kw) => toFloat(v, arg(args, kw, 0, 'default', mkFloat(0)))),
  string: f((v) => pyStr(v)),
  lower: f((v) => pyStr(v).toLowerCase()),
  upper: f((v) => pyStr(v).toUpperCase()),
  capitalize: f((v) => { const s = pyStr(v); return s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s; }),
  title: f((v) => pyStr(v).replace(/[A-Za-z]+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase())),
  trim: f((v, args) => {
    const s = pyStr(v);
    if (args[0] === undefined) return s.trim();
    const chars = str(args[0], 'trim');
    let a = 0, b = s.length;
    while (a < b && chars.includes(s[a])) a++;
    while (b > a && chars.includes(s[b - 1])) b--;
    return s.slice(a, b);
  }),
  first: f((v) => { const l = list(v, 'first'); return l.length ? l[0] : new Undef('(empty list) | first', 'the list is empty'); }),
  last: f((v) => { const l = list(v, 'last'); return l.length ? l[l.length - 1] : new Undef('(empty list) | last', 'the list is empty'); }),
  list: f((v) => list(v, 'list').slice()),
  // Jinja's unique, as Ansible 2.14 calls it: case-insensitive unless case_sensitive=true; first occurrence kept.
  unique: f((v, args, kw, env) => {
    const caseSensitive = pythonTruthy(arg(args, kw, 0, 'case_sensitive', false));
    const attribute = arg(args, kw, 1, 'attribute');
    const key = (x: unknown) => {
      const k = attribute === undefined || attribute === null ? x : need(env.attr(x, String(attribute)));
      return !caseSensitive && typeof k === 'string' ? k.toLowerCase() : k;
    };
    return uniq(list(v, 'unique'), key);
  }),
  sort: f((v, args, kw, env) => {
    const reverse = pythonTruthy(arg(args, kw, 0, 'reverse', false));
    const key = sortKey(env, arg(args, kw, 2, 'attribute'), pythonTruthy(arg(args, kw, 1, 'case_sensitive', false)));
    const out = list(v, 'sort').slice().sort((a, b) => pyCompare(key(a), key(b)));
    return reverse ? out.reverse() : out;
  }),
  reverse: f((v) => (typeof v === 'string' ? list(v, 'reverse').reverse().join('') : list(v, 'reverse').slice().reverse())),
  min: f((v, _a, kw, env) => pick(list(v, 'min'), env, kw.attribute, -1, pythonTruthy(kw.case_sensitive ?? false))),
  max: f((v, _a, kw, env) => pick(list(v, 'max'), env, kw.attribute, 1, pythonTruthy(kw.case_sensitive ?? false))),
  sum: f((v, args, kw, env) => {
    const attr = arg(args, kw, 0, 'attribute');
    let acc: unknown = arg(args, kw, 1, 'start', 0);
    for (const x of list(v, 'sum')) {
      const y = attr === undefined || attr === null ? x : need(env.attr(x, String(attr)));
      if (Array.isArray(acc) && Array.isArray(y)) {
        chargeItems(acc.length + y.length, 'sum');
        acc = [...acc, ...y];
      } else if (isNumeric(acc) && isNumeric(y)) acc = mkNum(numValue(acc) + numValue(y), isFloat(acc) || isFloat(y));
      else throw templateError(`sum: cannot add ${typeName(y)} to ${typeName(acc)}`, 'map to numbers first, e.g. | map("int")');
    }
    return acc;
  }),
  map: f((v, args, kw, env) => {
    const items = list(v, 'map');
    if (kw.attribute !== undefined) {
      const hasDefault = Object.hasOwn(kw, 'default');
      return items.map((x) => {
        const r = env.attr(x, String(kw.attribute));
        return r instanceof Undef ? (hasDefault ? kw.default : need(r)) : r;
      });
    }
    const [name, ...rest] = args;
    if (name === undefined) throw templateError("map needs a filter name or attribute='...'", "e.g. map('upper') or map(attribute='name')");
    return items.map((x) => need(env.filter(String(name), x, rest, kw)));
  }),
  select: f((v, args, _kw, env) => selectBy(list(v, 'select'), args, env, true)),
  reject: f((v, args, _kw, env) => selectBy(list(v, 'reject'), args, env, false)),
  selectattr: f((v, args, _kw, env) => selectAttrBy(list(v, 'selectattr'), args, env, true)),
  rejectattr: f((v, args, _kw, env) => selectAttrBy(list(v, 'rejectattr'), args, env, false)),
  // For lists Ansible keeps the order and drops duplicates (case-sensitively).
  difference: f((v, [other]) => {
    const b = setOf(list(other, 'difference'));
    return uniq(list(v, 'difference').filter((x) => !b.has(x)));
  }),
  intersect: f((v, [other]) => {
    const b = setOf(list(other, 'intersect'));
    return uniq(list(v, 'intersect').filter((x) => b.has(x)));
  }),
  union: f((v, [other]) => uniq([...list(v, 'union'), ...list(other, 'union')])),
  symmetric_difference: f((v, [other]) => {
    const a = uniq(list(v, 'symmetric_difference'));
    const b = uniq(list(other, 'symmetric_difference'));
    const sa = setOf(a);
    const sb = setOf(b);
    return [...a.filter((x) => !sb.has(x)), ...b.filter((x) => !sa.has(x))];
  }),
  combine: f((v, args, kw) => {
    const recursive = pythonTruthy(kw.recursive ?? false);
    const listMerge = String(kw.list_merge ?? 'replace');
    const dicts = [v, ...args].flatMap((d) => (Array.isArray(d) ? d : [d]));
    return dicts.reduce<Record<string, unknown>>((acc, d) => merge(acc, dict(d, 'combine'), recursive, listMerge), {});
  }),
  dict2items: f((v, args, kw) => {
    const kn = String(arg(args, kw, 0, 'key_name', 'key'));
    const vn = String(arg(args, kw, 1, 'value_name', 'value'));
    const d = dict(v, 'dict2items');
    return dictKeys(d).map((k) => {
      const o: Record<string, unknown> = {};
      setKey(o, kn, k);
      setKey(o, vn, getProp(d, k));
      return o;
    });
  }),
  items2dict: f((v, args, kw) => {
    const kn = String(arg(args, kw, 0, 'key_name', 'key'));
    const vn = String(arg(args, kw, 1, 'value_name', 'value'));
    const out: Record<string, unknown> = {};
    for (const it of list(v, 'items2dict')) {
      const k = getProp(it, kn);
      if (k === undefined) throw templateError(`items2dict: an item has no '${kn}'`, `each item needs '${kn}' and '${vn}' keys`);
      setKey(out, pyStr(k), getProp(it, vn) ?? null);
    }
    return out;
  }),
  items: f((v) => { const d = dict(v, 'items'); return dictKeys(d).map((k) => tuple([k, getProp(d, k)])); }),
  to_json: f((v, _a, kw) => pyJson(v, { indent: kw.indent === undefined ? undefined : Number(kw.indent), sortKeys: pythonTruthy(kw.sort_keys ?? false), ensureAscii: pythonTruthy(kw.ensure_ascii ?? true) })),
  to_nice_json: f((v, args, kw) => pyJson(v, { indent: Number(arg(args, kw, 0, 'indent', 4)), sortKeys: pythonTruthy(kw.sort_keys ?? true), ensureAscii: pythonTruthy(kw.ensure_ascii ?? true) })),
  from_json: f((v) => {
    const text = str(v, 'from_json');
    chargeParse(jsonParseCost(text), `from_json of ${text.length} characters`, 'reduce the output on the host first (jq, grep, head)');
    try {
      return parseJsonOrdered(text);
    } catch (e) {
      // Never the text itself: it may be a secret (a registered stdout, a password file).
      throw templateError(`from_json: the input is not valid JSON${parsePosition(e)}`, 'check what produced it, e.g. print its length or first line');
    }
  }),
  to_yaml: f((v, args, kw) => toYaml(v, false, args, kw)),
  to_nice_yaml: f((v, args, kw) => toYaml(v, true, args, kw)),
  from_yaml: f(fromYaml),
  regex_replace: f((v, args, kw) => {
    const re = pyPattern(arg(args, kw, 0, 'pattern', ''), { ignorecase: arg(args, kw, 2, 'ignorecase'), multiline: arg(args, kw, 3, 'multiline') });
    const count = Number(kw.count ?? 0);
    const repl = pyReplacement(str(arg(args, kw, 1, 'replacement', ''), 'regex_replace replacement'));
    const s = pyStr(v);
    const parts: string[] = [];
    let last = 0;
    let n = 0;
    let size = s.length;
    for (const m of re.all(s)) {
      if (count && n >= count) break;
      n++;
      const r = expandReplacement(repl, replaceArgs(m, s));
      parts.push(s.slice(last, m.index), r);
      last = m.end;
      // Each replacement is charged as it is made: many matches times a long replacement is a huge string.
      size += r.length + 16;
      if (size > 1 << 16) {
        charge(size, 'regex_replace');
        size = 0;
      }
    }
    parts.push(s.slice(last));
    return parts.join('');
  }),
  regex_search: f((v, args, kw) => regexSearch(pyStr(v), args, kw)),
  regex_findall: f((v, args, kw) => {
    const re = pyPattern(arg(args, kw, 0, 'regex'), { ignorecase: kw.ignorecase, multiline: kw.multiline });
    return re.all(pyStr(v)).map(({ groups: g }) => (g.length === 1 ? g[0] : g.length === 2 ? (g[1] ?? '') : g.slice(1).map((x) => x ?? '')));
  }),
  regex_escape: f((v) => pyStr(v).replace(/[^A-Za-z0-9_]/g, (c) => '\\' + c)),
  replace: f((v, args) => pyReplace(pyStr(v), pyStr(args[0]), pyStr(args[1]), args[2] === undefined ? -1 : Number(args[2]))),
  split: f((v, args, kw) => pySplit(pyStr(v), arg(args, kw, 0, 'sep', null), arg(args, kw, 1, 'maxsplit', -1))),
  quote: f((v) => shQuote(pyStr(v))),
  basename: f((v) => basename(str(v, 'basename'))),
  dirname: f((v) => dirname(str(v, 'dirname'))),
  expanduser: f((v) => expandUser(str(v, 'expanduser'))),
  splitext: f((v) => {
    const s = str(v, 'splitext');
    const b = basename(s);
    const i = b.lastIndexOf('.');
    return tuple(i > 0 && !/^\.+$/.test(b.slice(0, i)) ? [s.slice(0, s.length - b.length + i), b.slice(i)] : [s, '']);
  }),
  b64encode: f((v) => Buffer.from(pyStr(v), 'utf8').toString('base64')),
  b64decode: f((v) => Buffer.from(pyStr(v), 'base64').toString('utf8')),
  hash: f((v, [alg = 'sha1']) => createHash(String(alg)).update(pyStr(v)).digest('hex')),
  checksum: f((v) => createHash('sha1').update(pyStr(v)).digest('hex')),
  md5: f((v) => createHash('md5').update(pyStr(v)).digest('hex')),
  sha1: f((v) => createHash('sha1').update(pyStr(v)).digest('hex')),
  ternary: {
    lazyArgs: true,
    fn: (v, args, kw) => {
      const yes = arg(args, kw, 0, 'true_val');
      const no = arg(args, kw, 1, 'false_val');
      const none = arg(args, kw, 2, 'none_val');
      if ((v === null || v === undefined) && none !== undefined) return none;
      return pythonTruthy(v) ? yes : no;
    },
  },
  zip: f((v, args) => {
    const lists = [list(v, 'zip'), ...args.map((a) => list(a, 'zip'))];
    const n = Math.min(...lists.map((l) => l.length));
    chargeItems(n * (lists.length + 1), 'zip');
    return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => l[i])));
  }),
  zip_longest: f((v, args, kw) => {
    const lists = [list(v, 'zip_longest'), ...args.map((a) => list(a, 'zip_longest'))];
    const n = Math.max(...lists.map((l) => l.length));
    chargeItems(n * (lists.length + 1), 'zip_longest');
    const fill = kw.fillvalue ?? null;
    return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))));
  }),
  flatten: f((v, args, kw) => {
    const levels = arg(args, kw, 0, 'levels', null);
    return flatten(list(v, 'flatten'), levels === null ? null : Number(levels), pythonTruthy(arg(args, kw, 1, 'skip_nulls', true)));
  }),
  abs: f((v) => (isNumeric(v) ? mkNum(Math.abs(numValue(v)), isFloat(v)) : Math.abs(Number(toFloat(v, NaN))))),
  // Jinja's round: Python's round(x, precision) (an int stays an int), or ceil/floor, which give a float.
  round: f((v, args, kw) => {
    const precision = Number(arg(args, kw, 0, 'precision', 0));
    const method = String(arg(args, kw, 1, 'method', 'common'));
    const x = isNumeric(v) ? numValue(v) : Number(toFloat(v, NaN));
    const m = 10 ** precision;
    if (method === 'ceil') return mkFloat(Math.ceil(x * m) / m);
    if (method === 'floor') return mkFloat(Math.floor(x * m) / m);
    if (isNumeric(v) && !isFloat(v)) return precision >= 0 ? x : pyRound(x, precision);
    return mkFloat(pyRound(x, precision));
  }),
  extract: f((key, args) => extract(key, args[0], args[1])),
  type_debug: f((v) => typeName(v)),
  // Jinja's format: printf-style, `'%s-%s' | format(a, b)`.
  // Its arguments may be undefined: `%r` prints them as Ansible does, anything else fails on them.
  format: {
    lazyArgs: true,
    fn: (v, args, kw) => {
      if (args.length && Object.keys(kw).length) throw templateError("format: give positional or keyword arguments, not both");
      return pyPercentFormat(pyStr(v), Object.keys(kw).length ? kw : tuple(args));
    },
  },
  product: f((v, args, kw) => {
    const pools = [list(v, 'product'), ...args.map((a) => list(a, 'product'))];
    const repeat = Number(kw.repeat ?? 1);
    const all = Array.from({ length: repeat }, () => pools).flat();
    chargeItems(all.reduce((n, p) => n * p.length, 1) * (all.length + 1), 'product');
    let out: unknown[][] = [[]];
    for (const pool of all) out = out.flatMap((prefix) => pool.map((x) => [...prefix, x]));
    return out.map((x) => tuple(x));
  }),
  combinations: f((v, args, kw) => combinations(list(v, 'combinations'), Number(arg(args, kw, 0, 'r')), false)),
  permutations: f((v, args, kw) => {
    const items = list(v, 'permutations');
    const r = arg(args, kw, 0, 'r');
    return combinations(items, r === undefined || r === null ? items.length : Number(r), true);
  }),
  path_join: f((v) => {
    const parts = typeof v === 'string' ? [v] : list(v, 'path_join').map((p) => str(p, 'path_join'));
    return parts.reduce((acc, p) => (p.startsWith('/') || acc === '' ? p : acc.endsWith('/') ? acc + p : `${acc}/${p}`), '');
  }),
  log: f((v, args, kw) => {
    const base = arg(args, kw, 0, 'base');
    const x = numValue(num(v, 'log'));
    return mkFloat(base === undefined ? Math.log(x) : Math.log(x) / Math.log(numValue(num(base, 'log'))));
  }),
  pow: f((v, args, kw) => mkFloat(numValue(num(v, 'pow')) ** numValue(num(arg(args, kw, 0, 'y'), 'pow')))),
  root: f((v, args, kw) => {
    const base = numValue(num(arg(args, kw, 0, 'base', 2), 'root'));
    const x = numValue(num(v, 'root'));
    return mkFloat(base === 2 ? Math.sqrt(x) : x ** (1 / base));
  }),
  // Jinja's groupby: [grouper, items] pairs, sorted by the grouper.
  groupby: f((v, args, kw, env) => {
    const attribute = String(arg(args, kw, 0, 'attribute'));
    const dflt = arg(args, kw, 1, 'default');
    const caseSensitive = pythonTruthy(arg(args, kw, 2, 'case_sensitive', false));
    const keyOf = (x: unknown) => {
      const k = env.attr(x, attribute);
      return k instanceof Undef ? (dflt === undefined ? need(k) : dflt) : k;
    };
    const norm = (k: unknown) => (!caseSensitive && typeof k === 'string' ? k.toLowerCase() : k);
    const items = list(v, 'groupby').slice().sort((a, b) => pyCompare(norm(keyOf(a)), norm(keyOf(b))));
    const out: [unknown, unknown[]][] = [];
    for (const x of items) {
      const k = keyOf(x);
      const lastGroup = out[out.length - 1];
      if (lastGroup && pyEquals(norm(lastGroup[0]), norm(k))) lastGroup[1].push(x);
      else out.push(tuple([k, [x]]) as [unknown, unknown[]]);
    }
    return out;
  }),
  batch: f((v, args, kw) => {
    const size = Number(arg(args, kw, 0, 'linecount'));
    if (!(size > 0)) throw templateError('batch: the batch size must be a positive number');
    const fill = arg(args, kw, 1, 'fill_with');
    const items = list(v, 'batch');
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    const lastBatch = out[out.length - 1];
    if (fill !== undefined && fill !== null && lastBatch) while (lastBatch.length < size) lastBatch.push(fill);
    return out;
  }),
  wordcount: f((v) => (pyStr(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length),
  center: f((v, args, kw) => {
    const s = pyStr(v);
    const width = Number(arg(args, kw, 0, 'width', 80));
    charge(width, 'center');
    if (width <= s.length) return s;
    const total = width - s.length;
    // Python's str.center puts the extra space on the right as CPython computes it.
    const leftPad = Math.floor(total / 2) + (total & width & 1);
    return ' '.repeat(leftPad) + s + ' '.repeat(total - leftPad);
  }),
  dictsort: f((v) => { const d = dict(v, 'dictsort'); return Object.keys(d).sort().map((k) => tuple([k, getProp(d, k)])); }),
  indent: f((v, args, kw) => {
    const w = arg(args, kw, 0, 'width', 4);
    const text = pyStr(v);
    const lineCount = text.split('\n', 1 << 20).length;
    if (typeof w === 'number') charge(Math.max(0, w) * (lineCount + 1), 'indent');
    const pad = typeof w === 'number' ? ' '.repeat(Math.max(0, w)) : pyStr(w);
    charge(pad.length * lineCount, 'indent');
    const lines = text.split('\n');
    const first = pythonTruthy(arg(args, kw, 1, 'first', false));
    return lines.map((l, i) => ((i > 0 || first) && l !== '' ? pad + l : l)).join('\n');
  }),
};

// password_hash, strftime, human_to_bytes, urlsplit, to_uuid, comment, … (one file of their own).
Object.assign(filters, moreFilters);
