/**
 * Reads YAML into plain values while remembering where every node came from,
 * so any later error can point at file:line:col. YAML 1.1 on purpose: Ansible
 * users write `yes`/`no` for booleans and `0644` for octal modes.
 */
import { dictKeys } from '../util/dict-order.js';
import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { loadYaml } from '../inventory/yaml-load.js';
import { TsplayError, type SourcePos } from '../errors.js';
import { hasOwn, setOwn } from '../util/own.js';
import { decodeSource } from '../yaml/decode.js';
import { duplicateKeyWarning, isMergeKey, YamlGuard } from '../yaml/guard.js';
import { warnLoad } from '../yaml/warnings.js';

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

/**
 * Renames a mapping key in place, keeping where it was written (a fully
 * qualified keyword becomes the short one; the key order stays).
 */
export function renameKey(obj: Record<string, unknown>, from: string, to: string): void {
  const entries = Object.entries(obj);
  for (const k of Object.keys(obj)) delete obj[k];
  for (const [k, v] of entries) setOwn(obj, k === from ? to : k, v);
  const info = positions.get(obj);
  if (!info) return;
  const kp = info.keys.get(from);
  const vp = info.values.get(from);
  if (kp) info.keys.set(to, kp);
  if (vp) info.values.set(to, vp);
}

export function readSourceFile(file: string, what: string, hint: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TsplayError('missing-file', `the ${what} ${file} was not found`, { hint });
    if (code === 'EISDIR') throw new TsplayError('missing-file', `the ${what} ${file} is a directory, not a file`, { hint });
    throw new TsplayError('missing-file', `the ${what} ${file} could not be read: ${(e as Error).message}`, { hint });
  }
  return decodeSource(bytes, file, what);
}

/**
 * Parses YAML text the way Ansible's PyYAML reads it (YAML 1.1 booleans
 * yes/no/on/off but not y/n, octal 0644, `<<` merge keys, a later duplicate
 * key wins with Ansible's warning); every YAML error becomes a TsplayError of
 * kind `parse` with its position. Aliases share their anchor's value (see
 * ../yaml/guard.ts for the limits that keep hostile YAML cheap).
 */
export function parseYaml(text: string, file: string): unknown {
  const { doc, at: nodePos } = loadYaml(text, file);
  const at = (offset: number | undefined): SourcePos => nodePos({ range: [offset ?? 0] });
  const guard = new YamlGuard(doc, nodePos);
  const convert = (node: unknown): unknown => (node == null ? null : guard.convert(node as Node, build));
  const build = (node: Node): unknown => {
    if (isScalar(node)) return node.value;
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const self = at(node.range?.[0]);
      const info: NodePositions = { self, keys: new Map(), values: new Map() };
      const put = (key: string, value: unknown, kp: SourcePos | undefined, vp: SourcePos | undefined) => {
        if (hasOwn(out, key)) warnLoad(duplicateKeyWarning(self, key));
        setOwn(out, key, value);
        if (kp) info.keys.set(key, kp);
        if (vp) info.values.set(key, vp);
      };
      // PyYAML's order: merged keys first, then the mapping's own keys, so those win.
      for (const pair of node.items) {
        if (!isPair(pair) || !isMergeKey(pair.key)) continue;
        for (const src of guard.mergeSources(pair.value, convert)) {
          for (const mk of dictKeys(src)) put(mk, src[mk], keyPos(src, mk), valuePos(src, mk));
        }
      }
      for (const pair of node.items) {
        if (!isPair(pair) || isMergeKey(pair.key)) continue;
        const k = pair.key as Node | null;
        const key = String(isScalar(k) ? k.value : convert(k));
        put(key, convert(pair.value), at(k?.range?.[0]), at((pair.value as Node | null)?.range?.[0] ?? k?.range?.[0]));
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
