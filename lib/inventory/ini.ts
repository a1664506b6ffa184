/**
 * Ansible's INI inventory format. Hand-written rather than a generic INI
 * library because the format is not key=value INI: host lines are
 * shell-split (`web1:2222 user="a b" #comment`), values are Python literals,
 * ranges expand to many hosts, and `[g:children]` may name groups defined
 * further down. The logic follows ansible/plugins/inventory/ini.py (2.14).
 */
import { TsplayError } from '../errors.js';
import { expandHostPattern, RangeError_ } from './address.js';
import type { InventoryData } from './data.js';
import { literalEval, NOT_LITERAL, type LiteralOptions } from '../template/literal.js';
import { ShlexError, shlexSplit } from '../util/shlex-py.js';
import { setOwn } from '../util/own.js';
import { Breather } from '../util/breather.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/u;
const GROUPNAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;
/** Python's str.splitlines() boundaries. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** How Python's json module turns a dict key into a JSON key. */
function jsonKey(k: unknown): string | undefined {
  if (typeof k === 'string') return k;
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (k === null) return 'null';
  if (typeof k === 'number') return String(k);
  return undefined; // tuples as keys: json.dumps fails; treat as not representable
}

/**
 * literal_eval as the INI plugin applies it, with values as `ansible-inventory
 * --list` prints them: tuples and sets become arrays, bytes text, floats
 * numbers, dict keys strings as json writes them (True -> "true", None ->
 * "null"). literal_eval strips leading spaces and tabs first. More than 200
 * nested brackets is not a literal (Python's limit), so such a value stays a
 * string, as in Ansible.
 */
const INI_LITERAL: LiteralOptions = {
  names: { True: true, False: false, None: null },
  float: (n) => n,
  tuple: (items) => items,
  key: jsonKey,
  leadingBlanks: 'strip',
  nesting: 'brackets',
  signs: 'number',
  hashableSetHead: false,
  maxNumberLength: Infinity,
};

/**
 * What Ansible's INI plugin makes of a raw value: it passes every value through
 * literal_eval and keeps the raw string when that fails. So `x=1` is an int,
 * `x=True` a bool, `x="[1, 2]"` a list, and `x=yes` or `x=007` stay strings.
 */
export function parseIniValue(raw: string): unknown {
  const v = literalEval(raw, INI_LITERAL);
  return v === NOT_LITERAL ? raw : v;
}

interface Pending {
  line: number;
  col: number;
  state: 'vars' | 'children';
  name: string;
  parents: string[];
}

/** Parses INI inventory text into `inv`; yields to the event loop now and then, so a signal is heard while a large file loads. */
export async function parseIni(inv: InventoryData, file: string, text: string): Promise<void> {
  const lines = text.split(LINE_BREAK);
  const breather = new Breather();
  const pending = new Map<string, Pending>();
  let groupname = 'ungrouped';
  let state = 'hosts';

  for (let idx = 0; idx < lines.length; idx++) {
    if (breather.due()) await breather.pause();
    const raw = lines[idx];
    const lineno = idx + 1;
    const line = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    const fail = (message: string, offset = 0, hint?: string): never => {
      throw new TsplayError('parse', message, { pos: { file, line: lineno, col: indent + offset + 1 }, hint });
    };
    const wrap = <T>(fn: () => T, offset = 0): T => {
      try {
        return fn();
      } catch (e) {
        // Structural errors (a group loop, an empty name) are parse errors of this file.
        if (e instanceof TsplayError && !e.pos) {
          throw new TsplayError('parse', e.message, { pos: { file, line: lineno, col: indent + offset + 1 }, hint: e.hint });
        }
        throw e;
      }
    };
    if (!line || line[0] === '#' || line[0] === ';') continue;

    const m = SECTION.exec(line);
    if (m) {
      groupname = m[1];
      state = m[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) {
        fail(`Section [${m[1]}:${m[2]}] has unknown type: ${state}`, m[1].length + 2, 'A section is [group], [group:children] or [group:vars].');
      }
      if (!inv.groups.has(groupname)) {
        // [g] or [g:children] declares a group; [g:vars] only refers to one that must be declared somewhere.
        if (state === 'vars' && !pending.has(groupname)) {
          pending.set(groupname, { line: lineno, col: indent + 1, state: 'vars', name: groupname, parents: [] });
        }
        inv.addGroup(groupname);
      }
      const p = pending.get(groupname);
      if (p && state !== 'vars') {
        if (p.state === 'children') wrap(() => addPendingChildren(inv, groupname, pending));
        else pending.delete(groupname);
      }
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(
        `Invalid section entry: '${line}'.`,
        0,
        'A section header is [name], [name:children] or [name:vars], with no spaces and no other ":" or "]" in the name.',
      );
    }

    if (state === 'hosts') {
      let tokens;
      try {
        tokens = shlexSplit(line);
      } catch (e) {
        if (e instanceof ShlexError) fail(`Error parsing host definition '${line}': ${e.message}`, e.offset, 'Close the quote, or escape it with a backslash.');
        throw e;
      }
      if (!tokens.length) continue;
      const first = tokens[0];
      let expanded: { hosts: string[]; port?: number };
      try {
        expanded = expandHostPattern(first.value);
      } catch (e) {
        if (e instanceof RangeError_) {
          fail(`Bad host range in '${first.value}': ${e.message}`, first.offset, 'Write ranges as [begin:end] or [begin:end:step], e.g. web[01:10].example.com.');
        }
        throw e;
      }
      if (first.value.trim().endsWith(':') && expanded.port === undefined) {
        fail(
          `Invalid host pattern '${first.value}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`,
          first.offset,
          /^\s*[^\s:]+:\s*$/.test(line) ? 'This looks like YAML; give the file a .yml extension or write it in INI form.' : undefined,
        );
      }
      if (expanded.hosts.some((h) => h.trim() === '---')) {
        fail(`Invalid host pattern '${first.value}' supplied, '---' is normally a sign this is a YAML file.`, first.offset);
      }
      const vars: Record<string, unknown> = {};
      for (const t of tokens.slice(1)) {
        const eq = t.value.indexOf('=');
        if (eq < 0) {
          fail(`Expected key=value host variable assignment, got: ${t.value}`, t.offset, 'Host variables are written key=value; quote values that contain spaces: key="a b".');
        }
        setOwn(vars, t.value.slice(0, eq), parseIniValue(t.value.slice(eq + 1)));
      }
      const entries = Object.entries(vars);
      for (const h of expanded.hosts) {
        wrap(() => {
          inv.addHost(h, groupname, expanded.port);
          for (const [k, v] of entries) inv.setVariable(h, k, v);
        }, first.offset);
        if (breather.due()) await breather.pause();
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`Expected key=value, got: ${line}`, 0, `Lines in [${groupname}:vars] are key=value.`);
      inv.setVariable(groupname, line.slice(0, eq).trim(), parseIniValue(line.slice(eq + 1).trim()));
    } else {
      const cm = GROUPNAME.exec(line);
      if (!cm) fail(`Expected group name, got: ${line}`, 0, `Lines in [${groupname}:children] are group names, one per line.`);
      const child = cm![1];
      if (!inv.groups.has(child)) {
        const p = pending.get(child);
        if (!p) pending.set(child, { line: lineno, col: indent + 1, state: 'children', name: child, parents: [groupname] });
        else p.parents.push(groupname);
      } else {
        wrap(() => inv.addChild(groupname, child));
      }
    }
  }

  // Anything still pending was referred to but never declared; report the first, as Ansible does.
  for (const p of pending.values()) {
    const pos = { file, line: p.line, col: p.col };
    if (p.state === 'vars') {
      throw readWhole(new TsplayError('parse', `Section [${p.name}:vars] not valid for undefined group: ${p.name}`, {
        pos,
        hint: `Declare the group with a [${p.name}] or [${p.name}:children] section, or remove the vars section.`,
      }));
    }
    throw readWhole(new TsplayError('parse', `Section [${p.parents[p.parents.length - 1]}:children] includes undefined group: ${p.name}`, {
      pos,
      hint: `Declare [${p.name}] (an empty section is enough), or remove it from the children list.`,
    }));
  }
}

/** Errors found after the last line was read: the file was INI throughout, wherever the error points. */
const AFTER_LAST_LINE = new WeakSet<TsplayError>();

function readWhole(e: TsplayError): TsplayError {
  AFTER_LAST_LINE.add(e);
  return e;
}

/** True when the INI parser read every line of the file before it failed. */
export function iniReadWholeFile(e: TsplayError): boolean {
  return AFTER_LAST_LINE.has(e);
}

function addPendingChildren(inv: InventoryData, group: string, pending: Map<string, Pending>): void {
  const p = pending.get(group)!;
  for (const parent of p.parents) {
    inv.addChild(parent, group);
    const pp = pending.get(parent);
    if (pp && pp.state === 'children') addPendingChildren(inv, parent, pending);
  }
  pending.delete(group);
}
