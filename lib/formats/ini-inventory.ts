// Ansible INI inventories (/etc/ansible/hosts): add or remove a host in a
// group, keeping comments, blank lines, the order of everything else and the
// host's own variables. Only [group] sections hold hosts; [group:vars] and
// [group:children] are left alone.

import { insertLines, joinLines, LINE_BREAKS, refuseLineBreaks, splitLines, visible, type Line } from './lines.js';

// What Ansible reads: Python's splitlines() (which also breaks at \v, \f,
// \x1c-\x1e, \x85, U+2028 and U+2029, not only \n and \r), then each line
// as a header, a comment or shlex-split words. Names and values this editor
// writes are checked against those rules, and every edit is checked after
// the fact: the file, split as Python splits it, must have the same section
// headers as before (plus the one added) and exactly the lines added or
// removed, whatever was already in it.
const READER = "Ansible's INI inventory reader (Python splitlines)";

function checkHost(host: string): void {
  refuseLineBreaks('the host name', host, 'python', READER, true);
  if (/[\s"'#=\\]|^[;\[]/.test(host)) throw new Error(`the host name ${visible(host)} is not one word of an INI inventory line (it holds a space, a quote, '#', '=' or a backslash, or starts with ';' or '['): written, it would not read back as that host`);
}

function checkGroup(group: string): void {
  refuseLineBreaks('the group name', group, 'python', READER, true);
  if (!/^[^\s\[\]:#;=]+$/.test(group)) throw new Error(`the group name ${visible(group)} cannot be an INI section header ([${'name'}] without spaces, brackets, ':', '#', ';' or '=')`);
}

function checkVar(key: string, value: string | number | boolean): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`the variable name ${visible(key)} is not a valid name (letters, digits and _, not starting with a digit)`);
  refuseLineBreaks(`the value of ${key}`, String(value), 'python', READER, true);
}

/** The lines as Ansible splits them, and those that are section headers. */
function asAnsibleReads(text: string): { count: number; headers: string[] } {
  const lines = text.split(LINE_BREAKS.python);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return { count: lines.length, headers: lines.filter((l) => HEADER.test(l)).map((l) => l.trim()) };
}

/** Throws unless `after` is `before` with exactly `delta` lines more and the headers expected, as Ansible reads both. */
function checkStructure(before: string, after: string, delta: number, newHeader?: string): string {
  const b = asAnsibleReads(before);
  const a = asAnsibleReads(after);
  const want = newHeader ? [...b.headers, newHeader] : b.headers;
  if (a.count !== b.count + delta || a.headers.join('\n') !== want.join('\n')) {
    throw new Error(`the edit would change the inventory's structure as Ansible reads it (sections ${JSON.stringify(b.headers)} → ${JSON.stringify(a.headers)}, ${b.count} → ${a.count} lines; expected ${b.count + delta}): the file holds line breaks other than \\n (\\v, \\f, \\x1c-\\x1e, \\x85, U+2028, U+2029) in the lines concerned. Edit it by hand.`);
  }
  return after;
}

interface Section {
  name: string; // 'ungrouped' for lines before the first header
  kind: 'hosts' | 'vars' | 'children';
  header: number; // -1 for the implicit ungrouped section
  end: number;
}

const HEADER = /^\s*\[([^\]]+)\]\s*(?:[#;].*)?$/;
const isComment = (t: string) => /^\s*([#;]|$)/.test(t);

function sections(lines: readonly Line[]): Section[] {
  const out: Section[] = [{ name: 'ungrouped', kind: 'hosts', header: -1, end: lines.length }];
  lines.forEach((l, i) => {
    const m = HEADER.exec(l.text);
    if (!m) return;
    out[out.length - 1]!.end = i;
    const [name, suffix] = m[1]!.trim().split(':') as [string, string | undefined];
    const kind = suffix === 'vars' ? 'vars' : suffix === 'children' ? 'children' : 'hosts';
    out.push({ name, kind, header: i, end: lines.length });
  });
  return out;
}

/** Splits a host line into words, keeping quoted values (`a="x y"`) whole. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"'#]|"[^"]*"|'[^']*')+|#.*/g;
  for (const m of text.matchAll(re)) {
    if (m[0].startsWith('#')) break;
    out.push(m[0]);
  }
  return out;
}

function hostOf(text: string): string | undefined {
  if (isComment(text)) return undefined;
  return tokens(text)[0];
}

/** More hosts than this in one range line are not written out one per line. */
const MAX_RANGE_HOSTS = 10_000;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The hosts a pattern with ranges (`master[1:3].example.com`, `n[01:10:2]`,
 * `[a:c]`) stands for, as Ansible's expand_hostname_range reads it; undefined
 * for a plain name or a range Ansible would refuse.
 */
function rangeHosts(pattern: string, budget = { left: MAX_RANGE_HOSTS }): string[] | undefined {
  const open = pattern.indexOf('[');
  const close = pattern.indexOf(']', open);
  if (open < 0 || close < 0) return undefined;
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = pattern.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) return undefined;
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (!end || !Number.isInteger(step) || step < 1) return undefined;
  let seq: string[];
  if (LETTERS.includes(beg) && LETTERS.includes(end) && beg.length === 1 && end.length === 1) {
    const a = LETTERS.indexOf(beg);
    const b = LETTERS.indexOf(end);
    if (a > b) return undefined;
    seq = [];
    for (let i = a; i <= b; i += step) seq.push(LETTERS[i]!);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) return undefined;
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    if (width && end.length !== width) return undefined;
    seq = [];
    for (let i = Number(beg); i <= Number(end); i += step) {
      if (--budget.left < 0) return undefined;
      seq.push(String(i).padStart(width, '0'));
    }
  }
  const out: string[] = [];
  for (const x of seq) {
    const name = head + x + tail;
    const more = name.includes('[') ? rangeHosts(name, budget) : [name];
    if (!more) return undefined;
    out.push(...more);
  }
  return out;
}

/** The host has the range's prefix and suffix around a number or letter: it may be one of its hosts. */
function rangeShapeFits(pattern: string, host: string): boolean {
  const open = pattern.indexOf('[');
  const close = pattern.lastIndexOf(']');
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  return host.length > head.length + tail.length && host.startsWith(head) && host.endsWith(tail);
}

/** A host pattern with a range (`master[0:2].example.com`) stands for several hosts. */
function rangeCovers(pattern: string, host: string): boolean {
  return pattern.includes('[') && (rangeHosts(pattern)?.includes(host) ?? false);
}

export function listHosts(src: string, group: string): string[] {
  const lines = splitLines(src);
  const out: string[] = [];
  for (const s of sections(lines)) {
    if (s.name !== group || s.kind !== 'hosts') continue;
    for (let i = s.header + 1; i < s.end; i++) {
      const h = hostOf(lines[i]!.text);
      if (h) out.push(h);
    }
  }
  return out;
}

export type HostVars = Record<string, string | number | boolean>;

/** k=v, quoted (as shlex reads double quotes: \\ and \" escaped) when v would not be one word as it is. */
function varText(k: string, v: string | number | boolean): string {
  const s = String(v);
  return `${k}=${/[\s"'#\\]/.test(s) ? JSON.stringify(s) : s}`;
}

/**
 * Puts the host in the group. A host already there keeps its line; given vars
 * are set on it (others it has stay). A new host goes after the group's last
 * host; a new group is appended at the end of the file.
 */
export function addHost(src: string, group: string, host: string, vars: HostVars = {}): string {
  checkHost(host);
  checkGroup(group);
  for (const [k, v] of Object.entries(vars)) checkVar(k, v);
  const lines = splitLines(src);
  const secs = sections(lines).filter((s) => s.name === group && s.kind === 'hosts');
  const listed = secs.some((s) => lines.slice(s.header + 1, s.end).some((l) => hostOf(l.text) === host));
  if (!listed && secs.some((s) => lines.slice(s.header + 1, s.end).some((l) => { const h = hostOf(l.text); return h !== undefined && rangeCovers(h, host); }))) {
    // In the group through a range: nothing to add, unless it needs variables of its own.
    if (Object.keys(vars).length === 0) return src;
    return addHost(writeRangeOut(src, group, host), group, host, vars);
  }
  for (const s of secs) {
    for (let i = s.header + 1; i < s.end; i++) {
      const text = lines[i]!.text;
      const h = hostOf(text);
      if (h !== host) continue;
      let next = text;
      for (const [k, v] of Object.entries(vars)) {
        const want = varText(k, v);
        const have = tokens(next).slice(1).find((t) => t.startsWith(k + '='));
        if (have === want) continue;
        if (have) next = next.replace(new RegExp(`(\\s)${escapeRe(have)}(?=\\s|$|#)`), `$1${want}`);
        else next = appendWord(next, want);
      }
      if (next === text) return src;
      lines[i]!.text = next;
      return checkStructure(src, joinLines(lines), 0);
    }
  }
  const line = [host, ...Object.entries(vars).map(([k, v]) => varText(k, v))].join(' ');
  const s = secs[secs.length - 1];
  if (s) {
    let at = s.header;
    for (let i = s.header + 1; i < s.end; i++) if (!isComment(lines[i]!.text)) at = i;
    insertLines(lines, at + 1, [line]);
    return checkStructure(src, joinLines(lines), 1);
  }
  const texts = [`[${group}]`, line];
  if (lines.length > 0 && lines[lines.length - 1]!.text.trim() !== '') texts.unshift('');
  insertLines(lines, lines.length, texts);
  return checkStructure(src, joinLines(lines), texts.length, `[${group}]`);
}

/** The line with one more word, before its comment and trailing blanks. */
function appendWord(text: string, word: string): string {
  const hash = /\s+#.*$/.exec(text);
  return hash ? text.slice(0, hash.index) + ' ' + word + text.slice(hash.index) : text.replace(/\s*$/, (sp) => ' ' + word + (sp.length > 0 ? sp : ''));
}

/** The group's own line for the host (a range that lists it written out first), or undefined when the group does not list it. */
function ownLine(src: string, group: string, host: string): { src: string; text: string } | undefined {
  for (const text of [src, writeRangeOut(src, group, host)]) {
    const lines = splitLines(text);
    for (const s of sections(lines)) {
      if (s.name !== group || s.kind !== 'hosts') continue;
      const line = lines.slice(s.header + 1, s.end).find((l) => hostOf(l.text) === host);
      if (line) return { src: text, text: line.text };
    }
  }
  return undefined;
}

/**
 * Moves the host from group `from` to group `to` with its line: its
 * variables and comment go with it (openshift-ansible's [new_etcd] and
 * [etcd] hand a host over this way). Where `to` already lists the host, the
 * variables its line lacks are added to it. A host `from` does not list
 * changes nothing. With `keep`, the line is copied: `from` keeps it.
 */
export function moveHost(src: string, from: string, to: string, host: string, keep = false): string {
  checkHost(host);
  checkGroup(from);
  checkGroup(to);
  if (from === to) throw new Error(`moving host '${host}' from [${from}] to itself: give another group`);
  const source = ownLine(src, from, host);
  if (!source) return src;
  const words = tokens(source.text).slice(1);
  let out = source.src;
  const target = ownLine(out, to, host);
  if (target) {
    // Listed in both: the target's line keeps its values, and gains the ones it lacks.
    out = target.src;
    const lines = splitLines(out);
    for (const s of sections(lines).filter((x) => x.name === to && x.kind === 'hosts')) {
      const i = lines.findIndex((l, j) => j > s.header && j < s.end && hostOf(l.text) === host);
      if (i < 0) continue;
      const has = new Set(tokens(lines[i]!.text).slice(1).map((w) => w.split('=')[0]));
      let next = lines[i]!.text;
      for (const w of words) if (!has.has(w.split('=')[0])) next = appendWord(next, w);
      lines[i]!.text = next;
      out = checkStructure(out, joinLines(lines), 0);
      break;
    }
  } else {
    out = addHost(out, to, host);
    // The line just added is the bare host name: it takes the source line's words and comment.
    const lines = splitLines(out);
    for (const s of sections(lines).filter((x) => x.name === to && x.kind === 'hosts')) {
      const i = lines.findIndex((l, j) => j > s.header && j < s.end && l.text === host);
      if (i < 0) continue;
      lines[i]!.text = source.text.trimStart();
      out = checkStructure(out, joinLines(lines), 0);
      break;
    }
  }
  return keep ? out : removeHost(out, from, host);
}

/**
 * Lists `child` under [parent:children] (a section appended at the end when
 * the file has none). A child listed already changes nothing.
 */
export function addChildGroup(src: string, parent: string, child: string): string {
  checkGroup(parent);
  checkGroup(child);
  const lines = splitLines(src);
  const secs = sections(lines).filter((s) => s.name === parent && s.kind === 'children');
  if (secs.some((s) => lines.slice(s.header + 1, s.end).some((l) => hostOf(l.text) === child))) return src;
  const s = secs[secs.length - 1];
  if (s) {
    let at = s.header;
    for (let i = s.header + 1; i < s.end; i++) if (!isComment(lines[i]!.text)) at = i;
    insertLines(lines, at + 1, [child]);
    return checkStructure(src, joinLines(lines), 1);
  }
  const texts = [`[${parent}:children]`, child];
  if (lines.length > 0 && lines[lines.length - 1]!.text.trim() !== '') texts.unshift('');
  insertLines(lines, lines.length, texts);
  return checkStructure(src, joinLines(lines), texts.length, `[${parent}:children]`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Takes the host out of the group. A host that is not there changes nothing.
 * A host listed through a range (`master[1:3].example.com`) is taken out by
 * writing the range's other hosts one per line, each with the line's
 * variables and comment, where the range was.
 */
export function removeHost(src: string, group: string, host: string): string {
  checkHost(host);
  checkGroup(group);
  return rewriteHostLines(src, group, host, (others) => others.filter((x) => x !== host));
}

/** The range line that lists the host, written out one host per line (the host included). */
function writeRangeOut(src: string, group: string, host: string): string {
  return rewriteHostLines(src, group, host, (all) => all);
}

/**
 * Rewrites the group's lines that list the host: its own line goes (when
 * `pick` drops it), a range that covers it becomes one line per host `pick`
 * keeps, each with the line's variables and comment.
 */
function rewriteHostLines(src: string, group: string, host: string, pick: (hosts: string[]) => string[]): string {
  const lines = splitLines(src);
  const replace = new Map<number, string[]>();
  for (const s of sections(lines)) {
    if (s.name !== group || s.kind !== 'hosts') continue;
    for (let i = s.header + 1; i < s.end; i++) {
      const text = lines[i]!.text;
      const h = hostOf(text);
      if (h === host) replace.set(i, pick([host]).length ? [text] : []);
      else if (h && rangeCovers(h, host)) {
        const at = text.indexOf(h);
        replace.set(i, pick(rangeHosts(h)!).map((x) => text.slice(0, at) + x + text.slice(at + h.length)));
      } else if (h?.includes('[') && !rangeHosts(h) && rangeShapeFits(h, host)) {
        throw new Error(`host '${host}' may be in [${group}] through the range '${h}', which stands for more than ${MAX_RANGE_HOSTS} hosts: edit that line by hand`);
      }
    }
  }
  if (replace.size === 0) return src;
  const out: Line[] = [];
  let delta = 0;
  lines.forEach((l, i) => {
    const texts = replace.get(i);
    if (!texts) return void out.push(l);
    delta += texts.length - 1;
    for (const text of texts) out.push({ ...l, text });
  });
  return checkStructure(src, joinLines(out), delta);
}
