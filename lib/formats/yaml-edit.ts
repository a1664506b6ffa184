// Edits one value of a YAML file by key path (`etcdClientInfo.urls`) and
// leaves every other byte alone: the yaml package's Document API finds the
// node and its source range, and the edit is spliced into the original text
// instead of re-serialising the whole document (which would re-indent
// sequences, re-fold long strings and move comments). Each result is parsed
// again and checked to hold exactly the intended value.

import { isMap, isScalar, isSeq, parseDocument, stringify, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import { visible } from './lines.js';

export type YamlPath = readonly (string | number)[];

export function parsePath(path: string | YamlPath): YamlPath {
  if (typeof path !== 'string') return path;
  if (path === '') return [];
  return path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function load(src: string) {
  const doc = parseDocument(src, { keepSourceTokens: false });
  if (doc.errors.length) throw new Error(`not valid YAML: ${doc.errors[0]!.message}`);
  return doc;
}

/** The value at the path as plain data, or undefined when the path does not exist. */
export function getYaml(src: string, path: string | YamlPath): unknown {
  const doc = load(src);
  const p = parsePath(path);
  if (p.length === 0) return doc.toJS();
  const n = doc.getIn(p, true) as Node | undefined;
  return n === undefined ? undefined : (n as { toJSON(): unknown }).toJSON?.() ?? n;
}

const lineStart = (src: string, pos: number) => src.lastIndexOf('\n', pos - 1) + 1;
function lineEnd(src: string, pos: number): number {
  const nl = src.indexOf('\n', pos);
  return nl < 0 ? src.length : nl;
}
const eolOf = (src: string) => (/\r\n/.test(src) ? '\r\n' : '\n');

/** A scalar as one line of YAML, in the quoting style given when that style can hold it. */
function scalarText(value: unknown, style?: string): string {
  const multiline = typeof value === 'string' && value.includes('\n');
  // A plain scalar is written only for plain text: YAML 1.1 readers (PyYAML, go-yaml) refuse or
  // read otherwise some plain scalars the yaml package writes (a tab before '[', for one).
  const plain = typeof value !== 'string' || /^[A-Za-z0-9_@%+=:,./-]+(?: [A-Za-z0-9_@%+=:,./-]+)*$/.test(value);
  const type = multiline ? 'QUOTE_DOUBLE' : style === 'QUOTE_DOUBLE' || style === 'QUOTE_SINGLE' ? style : plain ? 'PLAIN' : 'QUOTE_DOUBLE';
  return stringify(value, { defaultStringType: type as 'PLAIN', lineWidth: 0 }).replace(/\n$/, '');
}

const isCollection = (v: unknown) => v !== null && typeof v === 'object';

/** A block collection indented by `indent` spaces, one string per line. */
function blockLines(value: unknown, indent: number): string[] {
  const text = stringify(value, { lineWidth: 0, indentSeq: false }).replace(/\n$/, '');
  return text.split('\n').map((l) => ' '.repeat(indent) + l);
}

/** Whether block sequences under a key sit at the key's column (`urls:\n- a`), as openshift writes them. */
function zeroIndentedSeqs(src: string): boolean {
  return /^([ \t]*)[^\s#-][^\n]*:[ \t]*\r?\n\1- /m.test(src) || !/^([ \t]*)[^\s#-][^\n]*:[ \t]*\r?\n\1[ \t]+- /m.test(src);
}

function verify(before: string, out: string, path: YamlPath, check: (v: unknown) => boolean, what: string): string {
  const doc = parseDocument(out);
  const v = doc.getIn(path);
  const js = isCollection(v) ? (v as { toJSON(): unknown }).toJSON() : v;
  if (doc.errors.length || !check(js)) throw new Error(`could not ${what} at '${path.join('.')}' without rewriting the file: edit it by hand`);
  // Everything but the value edited reads as it did: no key appeared, vanished or changed.
  if (!isDeepStrictEqual(rest(parseDocument(before).toJS(), path), rest(doc.toJS(), path))) {
    throw new Error(`could not ${what} at '${path.join('.')}' without changing other values of the file: edit it by hand`);
  }
  return out;
}

/** The document as data without the value at `path`, and without the containers that leaves empty. */
function rest(js: unknown, path: YamlPath): unknown {
  const root = { top: structuredClone(js) as unknown };
  const chain: [Record<string | number, unknown>, string | number][] = [[root as Record<string, unknown>, 'top']];
  let cur: unknown = root.top;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || !(k in (cur as object))) return root.top;
    chain.push([cur as Record<string | number, unknown>, k]);
    cur = (cur as Record<string | number, unknown>)[k];
  }
  for (let i = chain.length - 1; i > 0; i--) {
    const [parent, key] = chain[i]!;
    if (i < chain.length - 1) {
      const v = parent[key];
      if (!(v !== null && typeof v === 'object' && Object.keys(v).length === 0)) break;
    }
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  }
  return root.top;
}

/**
 * Characters a YAML 1.1 reader (PyYAML, the kubelet's go-yaml) takes as line
 * breaks (\x85, U+2028, U+2029) or that no style writes back as they are: the
 * yaml package writes the first raw even inside quotes, so a value holding one
 * is refused rather than risk a reader seeing another structure.
 */
function checkValue(value: unknown, at: string): void {
  if (typeof value === 'string') {
    const m = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\r]/.exec(value);
    if (m) throw new Error(`the value at '${at}' ${visible(value)} holds U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, a line break or control character for YAML readers: refused, as it could change the file's structure`);
  } else if (Array.isArray(value)) value.forEach((v, i) => checkValue(v, `${at}.${i}`));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      checkValue(k, at);
      checkValue(v, `${at}.${k}`);
    }
  }
}

interface Found {
  parent: YAMLMap | YAMLSeq | undefined;
  pair?: Pair;
  node: Node | undefined;
  /** Path parts that do not exist yet, after the deepest existing map. */
  missing: YamlPath;
  map?: YAMLMap;
}

function find(doc: ReturnType<typeof load>, path: YamlPath): Found {
  let cur: unknown = doc.contents;
  // An empty document: everything is missing.
  if (cur === null || cur === undefined) return { parent: undefined, node: undefined, missing: path };
  for (let i = 0; i < path.length; i++) {
    const k = path[i]!;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === k) as Pair | undefined;
      if (!pair) return { parent: cur, node: undefined, missing: path.slice(i), map: cur };
      if (i === path.length - 1) return { parent: cur, pair, node: pair.value as Node, missing: [] };
      cur = pair.value;
    } else if (isSeq(cur) && typeof k === 'number') {
      const item = cur.items[k] as Node | undefined;
      if (item === undefined) throw new Error(`'${path.slice(0, i + 1).join('.')}' is past the end of the list`);
      if (i === path.length - 1) return { parent: cur, node: item, missing: [] };
      cur = item;
    } else {
      throw new Error(`'${path.slice(0, i).join('.') || '(top)'}' is not a mapping`);
    }
  }
  return { parent: undefined, node: cur as Node, missing: [] };
}

/** Sets the value at the path, creating missing keys at the end of the deepest existing mapping. */
export function setYaml(src: string, path: string | YamlPath, value: unknown): string {
  const p = parsePath(path);
  if (p.length === 0) throw new Error('an empty key path');
  const doc = load(src);
  const f = find(doc, p);
  const eol = eolOf(src);
  checkValue(value, p.join('.'));
  for (const k of p) checkValue(String(k), p.join('.'));
  const done = (out: string) => verify(src, out, p, (v) => isDeepStrictEqual(v, value), 'set the value');

  if (f.node === undefined && f.missing.length > 0) {
    const map = f.map;
    const nested = f.missing.slice(1).reduceRight<unknown>((acc, k) => ({ [k]: acc }), value);
    const key = String(f.missing[0]);
    if (!map || map.items.length === 0) {
      if (map?.flow || (map && map.range && src.slice(map.range[0], map.range[1]).trim() === '{}')) throw new Error(`'${p.slice(0, p.length - f.missing.length).join('.')}' is an empty flow mapping: edit it by hand`);
      if (map !== doc.contents && map !== undefined) throw new Error(`'${p.join('.')}': the parent mapping is empty`);
      const text = blockLines({ [key]: nested }, 0).join(eol) + eol;
      const sep = src === '' || src.endsWith('\n') ? '' : eol;
      return done(src + sep + text);
    }
    if (map.flow) throw new Error(`'${p.slice(0, p.length - f.missing.length).join('.') || '(top)'}' is a flow mapping: edit it by hand`);
    const first = map.items[0]!.key as Node;
    const last = map.items[map.items.length - 1]!;
    const indent = first.range![0] - lineStart(src, first.range![0]);
    const lastNode = (last.value ?? last.key) as Node;
    const end = lineEnd(src, Math.max(lastNode.range![1] - 1, (last.key as Node).range![0]));
    const lines = isCollection(nested) ? blockLines({ [key]: nested }, indent) : [' '.repeat(indent) + scalarText(key) + ': ' + scalarText(nested)];
    const text = lines.join(eol) + eol;
    if (end < src.length) return done(src.slice(0, end + 1) + text + src.slice(end + 1));
    return done(src + eol + text);
  }

  const node = f.node ?? null;
  const current = node === null ? null : isScalar(node) ? node.value : (node as unknown as { toJSON(): unknown }).toJSON();
  if (isDeepStrictEqual(current, value)) return src;

  if (node !== null && isScalar(node) && !isCollection(value)) {
    const [s, e] = node.range!;
    return done(src.slice(0, s) + scalarText(value, node.type) + src.slice(e));
  }
  if (node !== null && (isSeq(node) || isMap(node)) && node.flow && isCollection(value)) {
    const [s, e] = node.range!;
    const text = stringify(value, { flowCollectionPadding: false, lineWidth: 0, collectionStyle: 'flow' }).replace(/\n$/, '');
    return done(src.slice(0, s) + text + src.slice(e));
  }
  // A block value, or a change between scalar and collection: replace what follows the key's colon.
  if (!f.pair) throw new Error(`'${p.join('.')}': only values under a key can change shape`);
  const key = f.pair.key as Node;
  const keyCol = key.range![0] - lineStart(src, key.range![0]);
  const colon = src.indexOf(':', key.range![1]);
  let end = colon + 1;
  if (node !== null && node.range) {
    end = node.range[1];
    if (isCollection(current)) {
      // A block collection's range runs past its last line: stop at that line's end.
      end = lineEnd(src, end - 1);
      if (src[end - 1] === '\r') end -= 1;
    }
  }
  let text: string;
  if (!isCollection(value)) text = ' ' + scalarText(value);
  else {
    const indent = Array.isArray(value) && zeroIndentedSeqs(src) ? keyCol : keyCol + 2;
    text = eol + blockLines(value, indent).join(eol);
  }
  return done(src.slice(0, colon + 1) + text + src.slice(end));
}

/** Adds items to the list at the path (appended after its last item), creating the list when missing. */
export function addYamlItems(src: string, path: string | YamlPath, items: readonly unknown[]): string {
  const p = parsePath(path);
  const doc = load(src);
  const f = find(doc, p);
  if (f.node === undefined) return items.length ? setYaml(src, p, [...items]) : src;
  if (!isSeq(f.node)) throw new Error(`'${p.join('.')}' is not a list`);
  const seq = f.node;
  const have = seq.toJSON() as unknown[];
  const add = items.filter((it, i) => !have.some((h) => isDeepStrictEqual(h, it)) && items.findIndex((x) => isDeepStrictEqual(x, it)) === i);
  if (add.length === 0) return src;
  const want = [...have, ...add];
  checkValue(add, p.join('.'));
  const done = (out: string) => verify(src, out, p, (v) => isDeepStrictEqual(v, want), 'add the items');
  if (seq.flow || seq.items.length === 0) return setYaml(src, p, want);
  const eol = eolOf(src);
  const last = seq.items[seq.items.length - 1] as Node;
  const first = seq.items[0] as Node;
  const ls = lineStart(src, first.range![0]);
  const dash = src.indexOf('-', ls);
  const indent = dash - ls;
  let end = lineEnd(src, last.range![1] - 1);
  if (src[end - 1] === '\r') end -= 1;
  const lines = add.flatMap((it) => {
    if (!isCollection(it)) return [' '.repeat(indent) + '- ' + scalarText(it)];
    return blockLines([it], indent);
  });
  return done(src.slice(0, end) + eol + lines.join(eol) + src.slice(end));
}

/** Removes the list items equal to any of `items`; a missing list or item changes nothing. */
export function removeYamlItems(src: string, path: string | YamlPath, items: readonly unknown[]): string {
  const p = parsePath(path);
  const doc = load(src);
  const f = find(doc, p);
  if (f.node === undefined) return src;
  if (!isSeq(f.node)) throw new Error(`'${p.join('.')}' is not a list`);
  const seq = f.node;
  const have = seq.toJSON() as unknown[];
  const want = have.filter((h) => !items.some((it) => isDeepStrictEqual(h, it)));
  if (want.length === have.length) return src;
  const done = (out: string) => verify(src, out, p, (v) => isDeepStrictEqual(v, want), 'remove the items');
  if (seq.flow || want.length === 0) return setYaml(src, p, want);
  let out = src;
  // From the last item backwards, so earlier ranges stay valid.
  for (let i = seq.items.length - 1; i >= 0; i--) {
    if (want.length && !items.some((it) => isDeepStrictEqual(have[i], it))) continue;
    const n = seq.items[i] as Node;
    const s = lineStart(out, n.range![0]);
    const e = lineEnd(out, n.range![1] - 1);
    out = out.slice(0, s) + out.slice(e < out.length ? e + 1 : e);
  }
  return done(out);
}
