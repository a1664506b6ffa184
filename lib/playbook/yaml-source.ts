/**
 * Reads YAML into plain values while remembering where every node came from,
 * so any later error can point at file:line:col. YAML 1.1 on purpose: Ansible
 * users write `yes`/`no` for booleans and `0644` for octal modes.
 */
import { readFileSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { loadYaml } from '../inventory/yaml-load.js';
import { TsplayError, type SourcePos } from '../errors.js';

interface NodePositions {
  self: SourcePos;
  /** Mapping keys → position of the key. */
  keys: Map<string, SourcePos>;
  /** Mapping keys / sequence indexes → position of the value. */
  values: Map<string | number, SourcePos>;
}

const positions = new WeakMap<object, NodePositions>();

/** Where an object or array came from, if it was read from YAML. */
export function posOf(value: unknown): SourcePos | undefined {
  return value && typeof value === 'object' ? positions.get(value)?.self : undefined;
}

/** Where a mapping key was written. */
export function keyPos(obj: unknown, key: string): SourcePos | undefined {
  return obj && typeof obj === 'object' ? positions.get(obj)?.keys.get(key) : undefined;
}

/** Where the value of a key (or list item) was written. */
export function valuePos(container: unknown, key: string | number): SourcePos | undefined {
  return container && typeof container === 'object' ? positions.get(container)?.values.get(key) : undefined;
}

export function readSourceFile(file: string, what: string, hint: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TsplayError('missing-file', `the ${what} ${file} was not found`, { hint });
    if (code === 'EISDIR') throw new TsplayError('missing-file', `the ${what} ${file} is a directory, not a file`, { hint });
    throw new TsplayError('missing-file', `the ${what} ${file} could not be read: ${(e as Error).message}`, { hint });
  }
}

/**
 * Parses YAML text the way Ansible's PyYAML reads it (YAML 1.1 booleans
 * yes/no/on/off but not y/n, octal 0644, later duplicate keys win); every
 * YAML error becomes a TsplayError of kind `parse` with its position.
 */
export function parseYaml(text: string, file: string): unknown {
  const { doc, at: nodePos } = loadYaml(text, file);
  const at = (offset: number | undefined): SourcePos => nodePos({ range: [offset ?? 0] });
  const convert = (node: unknown): unknown => {
    if (node == null) return null;
    if (isAlias(node)) return convert(node.resolve(doc));
    if (isScalar(node)) return node.value;
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const info: NodePositions = { self: at(node.range?.[0]), keys: new Map(), values: new Map() };
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as Node | null;
        if (isScalar(k) && k.value === '<<') {
          // A merge key: earlier explicit keys win, as YAML 1.1 specifies.
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
          for (const src of sources) {
            const merged = convert(src);
            if (merged && typeof merged === 'object') {
              for (const [mk, mv] of Object.entries(merged)) if (!(mk in out)) out[mk] = mv;
            }
          }
          continue;
        }
        const key = String(isScalar(k) ? k.value : convert(k));
        info.keys.set(key, at(k?.range?.[0]));
        info.values.set(key, at((pair.value as Node | null)?.range?.[0] ?? k?.range?.[0]));
        out[key] = convert(pair.value);
      }
      positions.set(out, info);
      return out;
    }
    if (isSeq(node)) {
      const info: NodePositions = { self: at(node.range?.[0]), keys: new Map(), values: new Map() };
      const out = node.items.map((item, i) => {
        info.values.set(i, at((item as Node | null)?.range?.[0]));
        return convert(item);
      });
      positions.set(out, info);
      return out;
    }
    return (node as { toJSON?: () => unknown }).toJSON?.() ?? node;
  };
  return convert(doc.contents);
}

export function loadYamlFile(file: string, what: string, hint: string): unknown {
  return parseYaml(readSourceFile(file, what, hint), file);
}
