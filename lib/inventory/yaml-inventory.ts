/**
 * Ansible's YAML inventory format: top-level keys are groups (usually just
 * `all`), each with optional `hosts`, `children` and `vars`. Follows
 * ansible/plugins/inventory/yaml.py (2.14), including what it tolerates:
 * `hosts: name` as a plain string, null sections, unknown keys skipped.
 */
import { isMap, isPair, isScalar, type Document, type Pair } from 'yaml';
import { TsplayError } from '../errors.js';
import { expandHostPattern, RangeError_ } from './address.js';
import type { InventoryData } from './data.js';
import { loadYaml, toValue } from './yaml-load.js';

/** The YAML parsed but not inventory-shaped at the top: the INI parser may still take the file, as in Ansible. */
export class NotYamlInventory extends TsplayError {}

export function parseYamlInventory(inv: InventoryData, file: string, text: string, warnings: string[]): void {
  const { doc, at } = loadYaml(text, file);
  const root = doc.contents;
  const top = toValue(root, doc);
  // Python's `if not data`: None, '', 0, False, {} and [] all count as empty.
  if (!top || (typeof top === 'object' && Object.keys(top).length === 0)) {
    throw new NotYamlInventory('parse', 'Parsed empty YAML file', { pos: at(root) });
  }
  if (!isMap(root)) {
    throw new NotYamlInventory('parse', `YAML inventory has invalid structure, it should be a mapping of groups, got: ${describe(top)}`, {
      pos: at(root),
    });
  }
  if ((top as Record<string, unknown>).plugin) {
    throw new TsplayError('parse', 'Inventory plugin configuration files are not supported (this file sets "plugin:")', {
      pos: at(root),
      hint: 'Use a static YAML or INI inventory.',
    });
  }
  for (const pair of root.items) parseGroup(inv, pair as Pair, doc, at, warnings);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return `a ${typeof v}`;
}

type At = (node: unknown) => import('../errors.js').SourcePos;

function parseGroup(inv: InventoryData, pair: Pair, doc: Document.Parsed, at: At, warnings: string[]): string | undefined {
  const keyNode = pair.key;
  const name = isScalar(keyNode) ? keyNode.value : toValue(keyNode, doc);
  const dataNode = pair.value;
  const data = toValue(dataNode, doc);
  if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    warnings.push(`Skipping '${String(name)}' as this is not a valid group definition`);
    return typeof name === 'string' ? name : undefined;
  }
  if (typeof name !== 'string' || name === '') {
    throw new TsplayError('parse', `Unable to add group ${String(name)}: a group name must be a non-empty string`, {
      pos: at(keyNode),
      hint: 'Quote the group name.',
    });
  }
  inv.addGroup(name);
  if (data === null || !isMap(dataNode)) return name;

  const sections = new Map<string, Pair>();
  for (const p of dataNode.items) {
    if (!isPair(p)) continue;
    const k = isScalar(p.key) ? p.key.value : toValue(p.key, doc);
    sections.set(String(k), p as Pair);
  }
  for (const section of ['vars', 'children', 'hosts']) {
    const p = sections.get(section);
    if (!p) continue;
    const v = toValue(p.value, doc);
    if (v !== null && typeof v !== 'string' && (typeof v !== 'object' || Array.isArray(v))) {
      throw new TsplayError('parse', `Invalid "${section}" entry for "${name}" group, requires a dictionary, found ${describe(v)} instead.`, {
        pos: at(p.value ?? p.key),
        hint: section === 'hosts' ? 'Write hosts as a mapping: "hosts:\\n  web1:\\n  web2:".' : `Write ${section} as a mapping.`,
      });
    }
  }
  for (const [key, p] of sections) {
    const raw = toValue(p.value, doc);
    const isSection = key === 'vars' || key === 'children' || key === 'hosts';
    // A plain string is allowed for a section and means one entry with no data.
    if (isSection && typeof raw === 'string') {
      if (key === 'vars') {
        // `vars: x` becomes {x: None} in Ansible: one var set to null.
        inv.setVariable(name, raw, null);
      } else if (key === 'children') {
        inv.addGroup(raw);
        inv.addChild(name, raw);
      } else {
        addHosts(inv, name, raw, null, p.value, at);
      }
      continue;
    }
    if (raw === null) continue;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      warnings.push(`Skipping key (${key}) in group (${name}) as it is not a mapping`);
      continue;
    }
    if (key === 'vars') {
      for (const [vk, vv] of Object.entries(raw as Record<string, unknown>)) inv.setVariable(name, vk, vv);
    } else if (key === 'children') {
      if (!isMap(p.value)) continue;
      for (const cp of p.value.items) {
        const child = parseGroup(inv, cp as Pair, doc, at, warnings);
        if (child === undefined) continue;
        try {
          inv.addChild(name, child);
        } catch (e) {
          if (e instanceof TsplayError) throw new TsplayError('parse', e.message, { pos: e.pos ?? at((cp as Pair).key), hint: e.hint });
          throw e;
        }
      }
    } else if (key === 'hosts') {
      if (!isMap(p.value)) continue;
      for (const hp of p.value.items) {
        const hpair = hp as Pair;
        const hk = isScalar(hpair.key) ? hpair.key.value : toValue(hpair.key, doc);
        addHosts(inv, name, hk, toValue(hpair.value, doc), hpair.key, at, hpair.value);
      }
    } else {
      warnings.push(`Skipping unexpected key (${key}) in group (${name}), only "vars", "children" and "hosts" are valid`);
    }
  }
  return name;
}

function addHosts(inv: InventoryData, group: string, pattern: unknown, vars: unknown, keyNode: unknown, at: At, valueNode?: unknown): void {
  if (typeof pattern !== 'string') {
    throw new TsplayError('parse', `Host pattern ${String(pattern)} must be a string. Enclose integers/floats in quotation marks.`, {
      pos: at(keyNode),
      hint: 'Quote the host name.',
    });
  }
  let expanded;
  try {
    expanded = expandHostPattern(pattern);
  } catch (e) {
    if (e instanceof RangeError_) {
      throw new TsplayError('parse', `Bad host range in '${pattern}': ${e.message}`, {
        pos: at(keyNode),
        hint: 'Write ranges as [begin:end] or [begin:end:step], e.g. web[01:10].example.com.',
      });
    }
    throw e;
  }
  const hv = vars ?? {};
  if (typeof hv !== 'object' || Array.isArray(hv)) {
    throw new TsplayError('parse', `Invalid data for host ${pattern}: expected a mapping of variables, got ${describe(hv)}`, {
      pos: at(valueNode ?? keyNode),
      hint: 'Host variables are a mapping: "web1:\\n  ansible_host: 10.0.0.1".',
    });
  }
  for (const h of expanded.hosts) {
    inv.addHost(h, group, expanded.port);
    for (const [k, v] of Object.entries(hv as Record<string, unknown>)) inv.setVariable(h, k, v);
  }
}
