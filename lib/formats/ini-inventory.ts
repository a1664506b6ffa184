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

/** A host pattern with a range (`master[0:2].example.com`) stands for several hosts. */
function rangeCovers(pattern: string, host: string): boolean {
  const m = /^(.*)\[([0-9a-z]+):([0-9a-z]+)(?::(\d+))?\](.*)$/.exec(pattern);
  if (!m) return false;
  const [, pre, a, b, , post] = m as unknown as [string, string, string, string, string, string];
  if (!host.startsWith(pre) || !host.endsWith(post)) return false;
  const mid = host.slice(pre.length, host.length - post.length);
  if (/^\d+$/.test(a)) return /^\d+$/.test(mid) && +mid >= +a && +mid <= +b && (a.length === 1 || mid.length === a.length);
  return mid.length === 1 && mid >= a && mid <= b;
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
        else {
          const hash = /\s+#.*$/.exec(next);
          next = hash ? next.slice(0, hash.index) + ' ' + want + next.slice(hash.index) : next.replace(/\s*$/, (sp) => ' ' + want + (sp.length > 0 ? sp : ''));
        }
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

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Takes the host out of the group. A host that is not there changes nothing;
 * a host listed only through a range cannot be taken out line by line, which
 * is an error rather than a silent no-op.
 */
export function removeHost(src: string, group: string, host: string): string {
  checkHost(host);
  checkGroup(group);
  const lines = splitLines(src);
  const drop = new Set<number>();
  let range: string | undefined;
  for (const s of sections(lines)) {
    if (s.name !== group || s.kind !== 'hosts') continue;
    for (let i = s.header + 1; i < s.end; i++) {
      const h = hostOf(lines[i]!.text);
      if (h === host) drop.add(i);
      else if (h && rangeCovers(h, host)) range = h;
    }
  }
  if (drop.size === 0) {
    if (range) throw new Error(`host '${host}' is in [${group}] through the range '${range}': that line stands for several hosts, edit it by hand`);
    return src;
  }
  return checkStructure(src, joinLines(lines.filter((_, i) => !drop.has(i))), -drop.size);
}
