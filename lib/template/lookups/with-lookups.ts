/**
 * The lookups behind Ansible's `with_<name>` loops, with ansible-core 2.14's
 * semantics: what each accepts, how it flattens, and its error messages
 * (they become the task's failure, as in Ansible). `with_flattened` and other
 * lookups that live in collections are not part of ansible-core, so Ansible
 * fails such a task at run time, and so does tsplay.
 */
import { dictKeys } from '../../util/dict-order.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { TsplayError } from '../../errors.js';
import { pyStr } from '../values.js';
import { parseKeyValues } from '../../util/free-form.js';

export interface LookupContext {
  /** Directories searched for relative file names, first wins: the task file's directory, then the playbook's. */
  searchPath: string[];
  /** Renders a file name; first_found drops a name whose variables are undefined instead of failing. */
  render: (term: string) => unknown;
  /** The task's variables: a `with_<name>` of a lookup that is not a loop lookup (lines, env, file, ...) runs it as `query()` would with them. */
  vars?: Record<string, unknown>;
}

/** Runs one of the other lookups (lookups/index.ts) as `query(name, *terms)`; given by index.ts, which imports this file. */
type OtherLookups = { has(name: string): boolean; names(): string[]; run(name: string, terms: unknown[], vars: Record<string, unknown>): unknown[] };
let others: OtherLookups | undefined;

export function provideOtherLookups(o: OtherLookups): void {
  others = o;
}

type Lookup = (terms: unknown[], ctx: LookupContext) => unknown[];

function lookupError(message: string): TsplayError {
  return new TsplayError('template', message, { asWritten: true });
}

/** Ansible's _flatten: one level. */
function flatten(terms: unknown[]): unknown[] {
  return terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
}

/** Ansible's listify_lookup_plugin_terms for a nested (already rendered) term: a string or a scalar becomes a one-item list, a mapping its keys. */
function listify(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') return dictKeys(v);
  return [v];
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function sequence(terms: unknown[]): unknown[] {
  const out: string[] = [];
  for (const raw of terms) {
    const term = String(raw);
    let start = 1;
    let end: number | undefined;
    let count: number | undefined;
    let stride = 1;
    let format = '%d';
    const int = (name: string, s: string) => {
      const n = parsePythonInt(s);
      if (n === undefined) throw lookupError(`can't parse ${name}=${s} as integer`);
      return n;
    };
    const shortcut = /^((0?x?[0-9a-f]+)-)?(0?x?[0-9a-f]+)(\/(0?x?[0-9a-f]+))?(:(.+))?$/i.exec(term);
    if (shortcut) {
      if (shortcut[2] !== undefined) start = int('start', shortcut[2]);
      end = int('end', shortcut[3]);
      if (shortcut[5] !== undefined) stride = int('stride', shortcut[5]);
      if (shortcut[7] !== undefined) format = shortcut[7];
    } else {
      const { args, rest } = parseKeyValues(term);
      if (rest) throw lookupError(`unrecognized arguments to with_sequence: ${rest}`);
      for (const [k, v] of Object.entries(args)) {
        if (k === 'start') start = int(k, String(v));
        else if (k === 'end') end = int(k, String(v));
        else if (k === 'count') count = int(k, String(v));
        else if (k === 'stride') stride = int(k, String(v));
        else if (k === 'format') format = String(v);
        else throw lookupError(`unrecognized arguments to with_sequence: ['${k}']`);
      }
    }
    if (count === undefined && end === undefined) throw lookupError('must specify count or end in with_sequence');
    if (count !== undefined && end !== undefined) throw lookupError("can't specify both count and end in with_sequence");
    if (count !== undefined) {
      if (count !== 0) end = start + count * stride - 1;
      else start = end = stride = 0;
    }
    if (stride > 0 && end! < start) throw lookupError('to count backwards make stride negative');
    if (stride < 0 && end! > start) throw lookupError("to count forward don't make stride negative");
    if ((format.match(/%/g) ?? []).length !== 1) throw lookupError(`bad formatting string: ${format}`);
    if (stride === 0) continue;
    for (let i = start; stride > 0 ? i <= end! : i >= end!; i += stride) out.push(printf(format, i));
  }
  return out;
}

/** Python's int(s, 0) for the sequence lookup: decimal, 0x hex, 0o/0 octal. */
function parsePythonInt(s: string): number | undefined {
  const m = /^([+-]?)(.*)$/.exec(s.trim().toLowerCase())!;
  const sign = m[1] === '-' ? -1 : 1;
  const t = m[2];
  if (/^[1-9][0-9]*$|^0+$/.test(t)) return sign * Number(t);
  if (/^0x[0-9a-f]+$/.test(t)) return sign * parseInt(t.slice(2), 16);
  if (/^0o[0-7]+$/.test(t)) return sign * parseInt(t.slice(2), 8);
  return undefined;
}

/** One %-conversion of an integer, as Python's `format % i`: %d %i %u %x %X %o %s with flags and width. */
function printf(format: string, n: number): string {
  return format.replace(/%([-0 +#]*)(\d*)([diouxXs])/, (_m, flags: string, width: string, conv: string) => {
    const radix = conv === 'x' || conv === 'X' ? 16 : conv === 'o' ? 8 : 10;
    let body = Math.abs(n).toString(radix);
    if (conv === 'X') body = body.toUpperCase();
    const sign = n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const w = Number(width || 0);
    if (flags.includes('-')) return (sign + body).padEnd(w);
    if (flags.includes('0') && conv !== 's') return sign + body.padStart(w - sign.length, '0');
    return (sign + body).padStart(w);
  });
}

function subelements(terms: unknown[]): unknown[] {
  const bad = (msg = '') => lookupError(`subelements lookup expects a list of two or three items, ${msg}`);
  if (terms.length < 2 || terms.length > 3) throw bad();
  // Ansible listifies the first term: a string or another scalar becomes a one-item list (and then fails as "not a dictionary").
  const first = Array.isArray(terms[0]) || isMapping(terms[0]) ? terms[0] : [terms[0]];
  if (!(Array.isArray(first) || isMapping(first)) || typeof terms[1] !== 'string') {
    throw bad('first a dict or a list, second a string pointing to the subkey');
  }
  const path = (terms[1] as string).split('.');
  let elements: unknown[];
  if (isMapping(first)) {
    if (first.skipped !== undefined && first.skipped !== false) return [];
    elements = Object.values(first);
  } else elements = first;
  const flags = terms.length === 3 ? terms[2] : {};
  if (!isMapping(flags) || Object.keys(flags).some((k) => k !== 'skip_missing')) {
    throw bad("the optional third item must be a dict with flags ('skip_missing',)");
  }
  const skipMissing = [true, 'true', 'yes', 'on', '1', 1].includes(typeof flags.skip_missing === 'string' ? flags.skip_missing.toLowerCase() : (flags.skip_missing as never));
  const out: unknown[] = [];
  for (const element of elements) {
    if (!isMapping(element)) throw lookupError(`subelements lookup expects a dictionary, got '${pyStr(element)}'`);
    if (element.skipped !== undefined && element.skipped !== false) continue;
    // Ansible pops the list out of (a copy of) the element, so item.0 no longer holds it.
    const copy: Record<string, unknown> = { ...element };
    let node = copy;
    let list: unknown[] = [];
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      if (!(key in node)) {
        if (skipMissing) continue;
        throw lookupError(`could not find '${key}' key in iterated item '${pyStr(node)}'`);
      }
      if (i < path.length - 1) {
        if (!isMapping(node[key])) {
          if (skipMissing) continue;
          throw lookupError(`the key ${key} should point to a dictionary, got '${pyStr(node[key])}'`);
        }
        node[key] = { ...(node[key] as Record<string, unknown>) };
        node = node[key] as Record<string, unknown>;
      } else {
        if (!Array.isArray(node[key])) throw lookupError(`the key ${key} should point to a list, got '${pyStr(node[key])}'`);
        list = node[key] as unknown[];
        delete node[key];
      }
    }
    for (const sub of list) out.push([copy, sub]);
  }
  return out;
}

/** Where Ansible's path_dwim_relative_stack finds a relative file: `<dir>/<subdir>/<name>`, then `<dir>/<name>`, for each search directory. */
function findFile(name: string, subdir: string, ctx: LookupContext): string | undefined {
  if (isAbsolute(name)) return existsSync(name) ? name : undefined;
  for (const dir of ctx.searchPath) {
    for (const candidate of [join(dir, subdir, name), join(dir, name)]) if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, close);
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = close;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  // Python's glob skips hidden files unless the pattern names them.
  return new RegExp(`^${pattern.startsWith('.') ? '' : '(?!\\.)'}${re}$`);
}

/** Files (not directories) in `dir` whose names match, sorted as Ansible's glob lists them on Linux. */
function globIn(dir: string, pattern: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const re = globToRegExp(pattern);
  return names
    .filter((n) => re.test(n))
    .map((n) => join(dir, n))
    .filter((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

function fileglob(terms: unknown[], ctx: LookupContext): unknown[] {
  const out: string[] = [];
  for (const raw of terms) {
    const term = String(raw);
    const file = basename(term);
    const dirs =
      file !== term
        ? [isAbsolute(term) ? dirname(term) : findDir(dirname(term), ctx)].filter((d): d is string => !!d)
        : ctx.searchPath.flatMap((d) => [join(d, 'files'), d]);
    for (const dir of dirs) {
      const found = globIn(dir, file);
      if (found.length) {
        out.push(...found);
        break;
      }
    }
  }
  return out;
}

function findDir(rel: string, ctx: LookupContext): string | undefined {
  return findFile(rel, 'files', ctx);
}

function firstFound(terms: unknown[], ctx: LookupContext): unknown[] {
  const names: string[] = [];
  let skip = false;
  const splitOn = (v: unknown, seps: RegExp) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(seps)).filter(Boolean);
  const collect = (list: unknown[]) => {
    for (const term of list) {
      if (isMapping(term)) {
        const files = splitOn(term.files, /[,;]/);
        const paths = splitOn(term.paths, /[,:;]/);
        skip = [true, 'true', 'yes', 'True'].includes(term.skip as never);
        if (paths.length) for (const p of paths) for (const f of files) names.push(join(p, f));
        else names.push(...files);
      } else if (typeof term === 'string') names.push(term);
      else if (Array.isArray(term)) collect(term);
      else throw lookupError(`Invalid term supplied, can handle string, mapping or list of strings but got: ${typeof term} for ${String(term)}`);
    }
  };
  collect(terms);
  for (const name of names) {
    let rendered: unknown;
    try {
      rendered = ctx.render(name);
    } catch {
      continue; // an undefined variable drops the candidate, as in Ansible
    }
    const path = findFile(String(rendered), 'files', ctx);
    if (path) return [path];
  }
  if (skip) return [];
  throw lookupError('No file was found when using first_found.');
}

const lookups: Record<string, Lookup> = {
  items: (terms) => flatten(terms),
  list: (terms) => terms,
  dict: (terms) =>
    terms.flatMap((term) => {
      if (!isMapping(term)) throw lookupError('with_dict expects a dict');
      return dictKeys(term).map((key) => ({ key, value: term[key] }));
    }),
  together: (terms) => {
    const lists = terms.map((t) => listify(t));
    if (!lists.length) throw lookupError('with_together requires at least one element in each list');
    const n = Math.max(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_v, i) => flatten(lists.map((l) => (i < l.length ? l[i] : null))));
  },
  nested: (terms) => {
    const lists = terms.map((t) => listify(t));
    if (!lists.length) throw lookupError('with_nested requires at least one element in the nested list');
    let result: unknown[] = lists[0];
    for (const next of lists.slice(1)) result = result.flatMap((x) => next.map((y) => flatten([x, y])));
    return result.map((x) => flatten(Array.isArray(x) ? x : [x]));
  },
  indexed_items: (terms) => flatten(terms).map((x, i) => [i, x]),
  sequence: (terms) => sequence(terms),
  subelements,
  fileglob,
  first_found: firstFound,
  random_choice: (terms) => (terms.length ? [terms[Math.floor(Math.random() * terms.length)]] : terms),
};

/** A lookup of the loop kind (items, dict, sequence, ...), implemented here. */
export function isLoopLookup(name: string): boolean {
  return Object.hasOwn(lookups, name);
}

/** Whether `with_<name>` is a loop: any lookup tsplay has, as Ansible allows `with_X` for every lookup X. */
export function isKnownLookup(name: string): boolean {
  return isLoopLookup(name) || (others?.has(name) ?? false);
}

export function knownLookups(): string[] {
  return [...new Set([...Object.keys(lookups), ...(others?.names() ?? [])])].sort();
}

/**
 * The items of `with_<name>: terms`. `terms` is already rendered the way
 * Ansible's listify does it (a string or a scalar becomes a one-item list).
 */
export function runLookup(name: string, terms: unknown, ctx: LookupContext): unknown[] {
  if (!isKnownLookup(name)) throw lookupError(`Unexpected failure in finding the lookup named '${name}' in the available lookup plugins`);
  if (!isLoopLookup(name)) return others!.run(name, Array.isArray(terms) ? terms : [terms], ctx.vars ?? {});
  // dict takes a mapping as it is; the others a list (Ansible wraps anything else in one).
  const list = Array.isArray(terms) ? terms : [terms];
  // A scalar is wrapped as listify wraps it; a mapping is not a sequence, so Ansible's list lookup refuses it.
  if (name === 'list' && isMapping(terms)) throw lookupError('with_list expects a list');
  if (name === 'list' && !Array.isArray(terms)) return [terms];
  if (name === 'indexed_items' && !Array.isArray(terms)) throw lookupError('with_indexed_items expects a list');
  return lookups[name](list, ctx);
}
