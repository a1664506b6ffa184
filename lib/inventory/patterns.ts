/**
 * Host patterns as Ansible's InventoryManager evaluates them (2.14):
 * `a,b` or `a:b` (union), `&b` (intersection), `!b` (exclusion) applied in
 * that order whatever their position; globs and `~regex` on group and host
 * names; `[i]`, `[-1]`, `[i:j]`, `[i:]` subscripts; the implicit localhost.
 */
import { readFileSync } from 'node:fs';
import { TsplayError } from '../errors.js';
import { parseAddress } from './address.js';
import { LOCALHOST_NAMES, type HostNode, type InventoryData } from './data.js';

const WITH_SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;

/** Ansible's split_host_pattern. */
export function splitHostPattern(pattern: string | string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap((p) => splitHostPattern(p));
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern, true)) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Python's fnmatch.translate, anchored, as a JS RegExp. */
export function globToRegExp(pat: string): RegExp {
  let out = '';
  let i = 0;
  while (i < pat.length) {
    const c = pat[i++];
    if (c === '*') {
      if (!out.endsWith('.*')) out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (j < pat.length && pat[j] === '!') j++;
      if (j < pat.length && pat[j] === ']') j++;
      while (j < pat.length && pat[j] !== ']') j++;
      if (j >= pat.length) {
        out += '\\[';
      } else {
        let stuff = pat.slice(i, j);
        i = j + 1;
        stuff = stuff.replace(/\\/g, '\\\\');
        if (stuff[0] === '!') stuff = '^' + stuff.slice(1);
        else if (stuff[0] === '^') stuff = '\\' + stuff;
        stuff = stuff.replace(/\[/g, '\\[');
        out += `[${stuff}]`;
      }
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`^(?:${out})$`, 's');
}

function matcher(pattern: string): RegExp {
  try {
    // `~regex` uses Python's re.match: anchored at the start only.
    return pattern[0] === '~' ? new RegExp(`^(?:${pattern.slice(1)})`) : globToRegExp(pattern);
  } catch {
    throw new TsplayError('validation', `Invalid host list pattern: ${pattern}`, {
      hint: 'A pattern starting with ~ is a regular expression; check its syntax.',
    });
  }
}

function orderPatterns(patterns: string[]): string[] {
  const regular: string[] = [];
  const inter: string[] = [];
  const excl: string[] = [];
  for (const p of patterns) {
    if (!p) continue;
    if (p[0] === '!') excl.push(p);
    else if (p[0] === '&') inter.push(p);
    else regular.push(p);
  }
  return [...(regular.length ? regular : ['all']), ...inter, ...excl];
}

class Matcher {
  private cache = new Map<string, HostNode[]>();
  readonly warnings: string[] = [];
  constructor(private inv: InventoryData) {}

  evaluate(patterns: string[]): HostNode[] {
    let hosts: HostNode[] = [];
    for (const p of orderPatterns(patterns)) {
      const direct = this.inv.hosts.get(p);
      if (direct) {
        hosts.push(direct);
        continue;
      }
      const that = this.matchOne(p);
      if (p[0] === '!') {
        const s = new Set(that);
        hosts = hosts.filter((h) => !s.has(h));
      } else if (p[0] === '&') {
        const s = new Set(that);
        hosts = hosts.filter((h) => s.has(h));
      } else {
        const names = new Set(hosts.map((h) => h.name));
        hosts.push(...that.filter((h) => !names.has(h.name)));
      }
    }
    return hosts;
  }

  private matchOne(raw: string): HostNode[] {
    const pattern = raw[0] === '&' || raw[0] === '!' ? raw.slice(1) : raw;
    const hit = this.cache.get(pattern);
    if (hit) return hit;
    let expr = pattern;
    let sub: [number, number | undefined] | undefined;
    if (pattern[0] !== '~') {
      const m = WITH_SUBSCRIPT.exec(pattern);
      if (m) {
        expr = m[1];
        if (m[2] !== undefined) sub = [parseInt(m[2], 10), undefined];
        else {
          sub = [parseInt(m[3], 10), m[5] ? parseInt(m[5], 10) : -1];
          if (m[4] === '-') this.warnings.push('Use [x:y] inclusive subscripts instead of [x-y] which has been removed');
        }
      }
    }
    let hosts = this.enumerate(expr);
    if (hosts.length && sub) {
      const [start, end] = sub;
      if (end) {
        const e = end === -1 ? hosts.length - 1 : end;
        hosts = hosts.slice(start, e + 1);
      } else {
        const idx = start < 0 ? hosts.length + start : start;
        if (idx < 0 || idx >= hosts.length) {
          throw new TsplayError('validation', `No hosts matched the subscripted pattern '${pattern}'`, {
            hint: `'${expr}' has ${hosts.length} host(s); subscripts count from 0 ([-1] is the last).`,
          });
        }
        hosts = [hosts[idx]];
      }
    }
    this.cache.set(pattern, hosts);
    return hosts;
  }

  private enumerate(pattern: string): HostNode[] {
    const re = matcher(pattern);
    const results: HostNode[] = [];
    const groups = [...this.inv.groups.keys()].filter((g) => re.test(g));
    for (const g of groups) results.push(...this.inv.groups.get(g)!.allHosts());
    if (!groups.length || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
      for (const [name, h] of this.inv.hosts) if (re.test(name)) results.push(h);
    }
    if (!results.length && LOCALHOST_NAMES.includes(pattern)) {
      const local = this.inv.lookupHost(pattern);
      if (local) results.push(local);
    }
    if (!results.length && !groups.length && pattern !== 'all') {
      this.warnings.push(`Could not match supplied host pattern, ignoring: ${pattern}`);
    }
    return results;
  }
}

function dedupe(hosts: HostNode[]): HostNode[] {
  return [...new Set(hosts)];
}

/** Reads `--limit` the way Ansible's subset() does, including `@file` (one pattern per line). */
function limitPatterns(limit: string): string[] {
  const out: string[] = [];
  for (const x of splitHostPattern(limit)) {
    if (x[0] === '@') {
      let text: string;
      try {
        text = readFileSync(x.slice(1), 'utf8');
      } catch {
        throw new TsplayError('missing-file', `Unable to find limit file ${x.slice(1)}`, {
          hint: 'A --limit starting with @ names a file with one host pattern per line.',
        });
      }
      out.push(...text.split('\n').map((l) => l.trim()));
    } else out.push(x);
  }
  return out;
}

export function selectHosts(
  inv: InventoryData,
  pattern: string | string[],
  opts: { limit?: string } = {},
): { hosts: string[]; warnings: string[] } {
  const m = new Matcher(inv);
  let hosts = m.evaluate(splitHostPattern(pattern));
  if (opts.limit !== undefined && opts.limit !== null) {
    const allowed = new Set(m.evaluate(limitPatterns(opts.limit)));
    hosts = hosts.filter((h) => allowed.has(h));
  }
  const names = dedupe(hosts).map((h) => h.name);
  // Ansible's list_hosts: a bare localhost name always resolves, to the implicit localhost if need be.
  if (!names.length && typeof pattern === 'string' && LOCALHOST_NAMES.includes(pattern)) {
    names.push(pattern);
  }
  return { hosts: names, warnings: [...new Set(m.warnings)] };
}
