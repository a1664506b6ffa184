/**
 * YAML as Ansible reads it (PyYAML, YAML 1.1): `yes`/`no`/`on`/`off` are
 * booleans, `0777` is octal, `1:30` is 90, but `1e3` and `y` stay strings and
 * dates stay text. The yaml package's own 1.1 schema differs on those points,
 * so the scalar resolvers here are PyYAML's regular expressions.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { ScalarTag } from 'yaml';
import { TsplayError, type SourcePos } from '../errors.js';
import { ansibleTags, openVaultFile, rejectUnknownTags } from '../yaml/tags.js';
import { hasOwn, setOwn } from '../util/own.js';
import { isMergeKey, MAX_YAML_DEPTH, YamlGuard } from '../yaml/guard.js';
import { warnLoad } from '../yaml/warnings.js';
import { BUDGET, yamlParseCost } from '../template/limits.js';

const lineCounters = new WeakMap<Document.Parsed, LineCounter>();
const files = new WeakMap<Document.Parsed, string>();

const boolTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  resolve: (s: string) => /^(?:yes|true|on)$/i.test(s),
};

function sexagesimal(s: string): number {
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  let v = 0;
  for (const part of s.split(':')) v = v * 60 + Number(part);
  return sign * v;
}

const intTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  resolve: (raw: string) => {
    const s = raw.replace(/_/g, '');
    const neg = s[0] === '-';
    const body = s.replace(/^[-+]/, '');
    let v: number;
    if (body.includes(':')) return sexagesimal(s);
    if (body.startsWith('0b')) v = parseInt(body.slice(2), 2);
    else if (body.startsWith('0x')) v = parseInt(body.slice(2), 16);
    else if (body.length > 1 && body[0] === '0') v = parseInt(body, 8);
    else v = parseInt(body, 10);
    return neg ? -v || 0 : v;
  },
};

const floatTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  resolve: (raw: string) => {
    const s = raw.replace(/_/g, '').toLowerCase();
    if (s.endsWith('.inf')) return s[0] === '-' ? -Infinity : Infinity;
    if (s === '.nan') return NaN;
    if (s.includes(':')) return sexagesimal(s);
    return Number(s);
  },
};

const replaced = new Set(['tag:yaml.org,2002:bool', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:timestamp']);

/**
 * The parser's error as the user's: a syntax error points at the text; a
 * limit the parser hit (its own recursion on very deep nesting) says so,
 * rather than sending the user to look for a typo that is not there.
 */
function yamlError(err: { message: string; pos: [number, number] }, lineCounter: LineCounter, file: string): TsplayError {
  const { line, col } = lineCounter.linePos(err.pos[0]);
  const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (/Maximum call stack|Invalid string length|Invalid array length|out of memory/i.test(message)) {
    return new TsplayError('parse', 'YAML error: the data is nested too deeply to read', {
      pos: { file, line, col },
      hint: `flatten the structure: tsplay reads at most ${MAX_YAML_DEPTH} levels of nested lists and mappings`,
    });
  }
  return new TsplayError('parse', `YAML syntax error: ${message}`, {
    pos: { file, line, col },
    hint: 'Fix the YAML at that position (indentation, a missing colon, an unclosed quote or bracket).',
  });
}

export interface LoadedYaml {
  doc: Document.Parsed;
  at(node: unknown): SourcePos;
}

/** Parse YAML; a syntax error becomes a TsplayError of kind `parse` with file:line:col. */
export function loadYaml(text: string, file: string): LoadedYaml {
  const lineCounter = new LineCounter();
  text = openVaultFile(text, file);
  // Parsing takes about a kilobyte per node: a file of millions of nodes would exhaust the heap, which nothing can catch.
  const cost = yamlParseCost(text);
  if (cost > BUDGET) {
    throw new TsplayError('parse', `${file} is too large to load: parsing it would take about ${Math.round(cost / 2 ** 20)} MB of memory, more than the ${Math.round(BUDGET / 2 ** 20)} MB one evaluation may use`, {
      pos: { file, line: 1, col: 1 },
      hint: 'split the data into several files, keep bulk data out of variables (read it with a task on the host), or write it as fewer, longer values',
    });
  }
  const doc = parseDocument(text, {
    version: '1.1',
    lineCounter,
    prettyErrors: false,
    merge: true,
    uniqueKeys: false, // PyYAML lets a later duplicate key win
    customTags: (tags) => [boolTag, intTag, floatTag, ...ansibleTags, ...tags.filter((t) => typeof t === 'string' || !replaced.has(t.tag))],
  });
  const err = doc.errors[0];
  if (err) throw yamlError(err, lineCounter, file);
  rejectUnknownTags(doc, lineCounter, file);
  lineCounters.set(doc, lineCounter);
  files.set(doc, file);
  const at = (node: unknown): SourcePos => {
    const off = node && typeof node === 'object' && 'range' in node ? (node as Node).range?.[0] : undefined;
    const { line, col } = lineCounter.linePos(off ?? 0);
    return { file, line, col };
  };
  return { doc, at };
}

/** How Python's json module writes a non-string dict key. */
export function jsonKey(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (k === null || k === undefined) return 'null';
  if (typeof k === 'number') return String(k);
  return String(k);
}

const guards = new WeakMap<Document.Parsed, YamlGuard>();

/**
 * A node's plain value: maps become objects (keys as json writes them, a
 * `__proto__` key an ordinary key), merge keys applied, aliases sharing their
 * anchor's value. One guard per document, so repeated calls on its nodes
 * share values and the anchor index is built once.
 */
export function toValue(node: unknown, doc: Document.Parsed): unknown {
  let guard = guards.get(doc);
  if (!guard) {
    const lc = lineCounters.get(doc);
    const file = files.get(doc) ?? '<yaml>';
    guard = new YamlGuard(doc, (n) => {
      const off = n && typeof n === 'object' && 'range' in n ? (n as Node).range?.[0] : undefined;
      const { line, col } = lc ? lc.linePos(off ?? 0) : { line: 1, col: 1 };
      return { file, line, col };
    });
    guards.set(doc, guard);
  }
  const g = guard;
  const convert = (n: unknown): unknown => (n == null ? null : g.convert(n as Node, build));
  const build = (n: Node): unknown => {
    if (isScalar(n)) {
      const v = n.value;
      if (typeof v === 'bigint') return Number(v);
      if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
      return v;
    }
    if (isSeq(n)) return n.items.map(convert);
    if (isMap(n)) {
      const out: Record<string, unknown> = {};
      const put = (key: string, value: unknown) => {
        if (hasOwn(out, key)) g.warnDuplicate(n, key, warnLoad);
        setOwn(out, key, value);
      };
      // PyYAML's order: merged keys first, then the mapping's own keys, which win.
      for (const pair of n.items) {
        if (!isPair(pair) || !isMergeKey(pair.key)) continue;
        for (const m of g.mergeSources(pair.value, convert)) for (const mk of Object.keys(m)) put(mk, m[mk]);
      }
      for (const pair of n.items) {
        if (!isPair(pair) || isMergeKey(pair.key)) continue;
        put(jsonKey(convert(pair.key)), convert(pair.value));
      }
      return out;
    }
    return null;
  };
  return convert(node);
}
