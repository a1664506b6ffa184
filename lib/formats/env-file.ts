// KEY=VALUE files as systemd's EnvironmentFile= and the shell read them
// (/etc/etcd/etcd.conf, /etc/sysconfig/*). Edits keep every other byte:
// comments, blank lines, order, each value's quoting style, and comments at
// line ends. The last assignment of a key is the one that counts (systemd and
// the shell both let a later line win), so that is the one read and changed.

import { insertLines, joinLines, refuseLineBreaks, splitLines, visible, type Line } from './lines.js';

const READER = 'systemd (EnvironmentFile=) and the shell';

/**
 * A key must be a name, and a value must stay on its line: systemd reads a
 * quoted value across line breaks and the shell a quoted one too, so a value
 * holding \n or \r would be one thing to this editor and another to them
 * (and NUL ends a C string).
 */
function checkAssignment(key: string, value: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`the key ${visible(key)} is not a variable name (letters, digits and _, not starting with a digit)`);
  refuseLineBreaks(`the value of ${key}`, value, 'posix', READER);
}

export type Quote = '"' | "'" | '';

export interface EnvEntry {
  key: string;
  value: string;
  quote: Quote;
  /** Zero-based line number. */
  line: number;
}

interface Parsed {
  lead: string; // indentation and an optional `export `
  key: string;
  eq: string; // '=' with any spaces around it
  value: string;
  quote: Quote;
  rest: string; // whatever follows the value: spaces and a comment
}

// s: a value may hold U+2028 and U+2029, which are ordinary characters to systemd and the shell.
const ASSIGN = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$/s;

function parseLine(text: string): Parsed | undefined {
  const m = ASSIGN.exec(text);
  if (!m) return undefined;
  const [, lead, key, eq, raw] = m as unknown as [string, string, string, string, string];
  const q = raw[0];
  if (q === '"' || q === "'") {
    let i = 1;
    let value = '';
    for (; i < raw.length; i++) {
      const c = raw[i]!;
      if (c === q) break;
      // Inside double quotes a backslash escapes ", \, ` and $ (systemd and the shell agree).
      if (q === '"' && c === '\\' && i + 1 < raw.length && '"\\`$'.includes(raw[i + 1]!)) {
        value += raw[++i];
        continue;
      }
      value += c;
    }
    if (i < raw.length) return { lead, key, eq, value, quote: q, rest: raw.slice(i + 1) };
    // No closing quote: keep the text as it is rather than guess.
    return { lead, key, eq, value: raw, quote: '', rest: '' };
  }
  // An unquoted value ends where whitespace starts a comment.
  const c = /\s+#.*$/s.exec(raw);
  const body = c ? raw.slice(0, c.index) : raw;
  const trail = /\s*$/.exec(body)!;
  return { lead, key, eq, value: body.slice(0, trail.index), quote: '', rest: body.slice(trail.index) + (c ? c[0] : '') };
}

function quoteValue(value: string, style: Quote): string {
  // Anything but plain characters is quoted: a shell sourcing the file reads | & ; < > ( ) $ ` * ? [ ~ and spaces as syntax.
  const needs = /[^A-Za-z0-9_@%+=:,./-]/.test(value);
  let q = style;
  if (q === '' && needs) q = '"';
  if (q === "'" && value.includes("'")) q = '"';
  if (q === '"') return '"' + value.replace(/["\\`$]/g, (c) => '\\' + c) + '"';
  if (q === "'") return "'" + value + "'";
  return value;
}

export function parseEnv(src: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  splitLines(src).forEach((l, line) => {
    const p = parseLine(l.text);
    if (p) out.push({ key: p.key, value: p.value, quote: p.quote, line });
  });
  return out;
}

/** The value the key ends up with, or undefined when no line sets it. */
export function getEnv(src: string, key: string): string | undefined {
  let v: string | undefined;
  for (const e of parseEnv(src)) if (e.key === key) v = e.value;
  return v;
}

function lastIndex(lines: Line[], key: string): number {
  for (let i = lines.length - 1; i >= 0; i--) if (parseLine(lines[i]!.text)?.key === key) return i;
  return -1;
}

/**
 * Sets KEY to value. An existing line keeps its quoting style (switching to
 * double quotes only when the value could not be read back otherwise); a new
 * key goes after its commented-out template line (`#ETCD_WAL_DIR=`) when the
 * file has one, else at the end.
 */
export function setEnv(src: string, key: string, value: string): string {
  checkAssignment(key, value);
  return readsBack(src, key, value, setEnvLine(src, key, value));
}

/**
 * The edit checked as the file's readers will see it: the key ends up with
 * exactly the value, and no other key appears, vanishes or changes.
 */
function readsBack(before: string, key: string, value: string, after: string): string {
  const keys = (text: string) => new Map(parseEnv(text).map((e) => [e.key, e.value]));
  const b = keys(before);
  const a = keys(after);
  b.set(key, value);
  const same = a.size === b.size && [...b].every(([k, v]) => a.get(k) === v);
  if (!same) throw new Error(`setting ${key} to ${visible(value)} would not read back as written (the keys would become ${visible([...a.keys()].join(' '))}); edit the file by hand`);
  return after;
}

function setEnvLine(src: string, key: string, value: string): string {
  const lines = splitLines(src);
  const i = lastIndex(lines, key);
  if (i >= 0) {
    const p = parseLine(lines[i]!.text)!;
    if (p.value === value) return src;
    lines[i]!.text = p.lead + p.key + p.eq + quoteValue(value, p.quote) + p.rest;
    return joinLines(lines);
  }
  const commented = new RegExp(`^\\s*#\\s*(?:export\\s+)?${key}\\s*=`);
  let at = lines.length;
  for (let j = lines.length - 1; j >= 0; j--) {
    if (commented.test(lines[j]!.text)) {
      at = j + 1;
      break;
    }
  }
  insertLines(lines, at, [key + '=' + quoteValue(value, '')]);
  return joinLines(lines);
}

/** Removes every line that sets KEY; comments mentioning it stay. */
export function removeEnv(src: string, key: string): string {
  const lines = splitLines(src);
  const kept = lines.filter((l) => parseLine(l.text)?.key !== key);
  if (kept.length === lines.length) return src;
  return joinLines(kept);
}

/** Applies several changes in order: sets first, then removals. */
export function editEnv(src: string, set: Record<string, string>, remove: readonly string[] = []): string {
  let out = src;
  for (const [k, v] of Object.entries(set)) out = setEnv(out, k, v);
  for (const k of remove) out = removeEnv(out, k);
  return out;
}

// ---- list-valued keys: ETCD_INITIAL_CLUSTER=a=https://…,b=…, FLANNEL_ETCD_ENDPOINTS=https://…,… ----

export function splitList(value: string, sep = ','): string[] {
  return value === '' ? [] : value.split(sep);
}

/** The name of a `name=url` item (ETCD_INITIAL_CLUSTER); an item without '=' is its own name. */
export function itemName(item: string): string {
  const eq = item.indexOf('=');
  return eq < 0 ? item : item.slice(0, eq);
}

export interface ListEdit {
  /** Items to have in the list: an item whose name is already there replaces it in place, else it is appended. */
  add?: readonly string[];
  /** Items to drop, matched by the whole item or by its name (`master-1.example.com` drops `master-1.example.com=https://…`). */
  remove?: readonly string[];
  sep?: string;
}

export function editList(value: string, edit: ListEdit): string {
  const sep = edit.sep ?? ',';
  let items = splitList(value, sep);
  for (const r of edit.remove ?? []) items = items.filter((it) => it !== r && itemName(it) !== r);
  for (const a of edit.add ?? []) {
    if (items.includes(a)) continue;
    const named = a.includes('=') ? items.findIndex((it) => it.includes('=') && itemName(it) === itemName(a)) : -1;
    if (named >= 0) items[named] = a;
    else items.push(a);
  }
  return items.join(sep);
}

/** Adds or removes items of a list-valued key; a missing key is created when there is something to add. */
export function editEnvList(src: string, key: string, edit: ListEdit): string {
  const current = getEnv(src, key);
  const next = editList(current ?? '', edit);
  if (current === undefined && next === '') return src;
  if (current === next) return src;
  return setEnv(src, key, next);
}


