/**
 * `to_yaml` and `to_nice_yaml` as Ansible prints them: PyYAML's
 * `yaml.dump(..., Dumper=AnsibleDumper, allow_unicode=True)`, which emits
 * through libyaml (AnsibleDumper is CSafeDumper where libyaml is installed,
 * as on Debian). A port of the parts of the emitter that plain data reaches: block and flow
 * collections (a list under a mapping key is not indented; with indent=4 an
 * item's content starts at the indent: `-   key: v`), the choice between
 * plain, single- and double-quoted scalars (a string that would read back as
 * another type, such as 'yes' or '1.0', is quoted), and folding of long
 * scalars at 80 columns. Keys are sorted, as yaml.dump does by default.
 */
import { dictKeys } from '../util/dict-order.js';
import { charge, chargeItems } from './limits.js';
import { isFloat, numValue, PyFloat, pyFloatRepr, pyIntRepr } from './numbers.js';
import { Undef, isMapping, templateError, typeName } from './values.js';

export interface DumpOptions {
  /** PyYAML's default_flow_style: true (all flow), false (all block), null (flow for collections of scalars). */
  flowStyle: boolean | null;
  indent?: number;
  width?: number;
  sortKeys?: boolean;
  explicitStart?: boolean;
  explicitEnd?: boolean;
}

const BREAKS = '\n\x85\u2028\u2029';
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029';

/** The implicit resolvers of PyYAML's (YAML 1.1) Resolver: plain text matching one reads back as another type. */
const IMPLICIT: RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

/** Python's `$` also matches before a final newline. */
function resolvesToOtherType(value: string): boolean {
  const v = value.endsWith('\n') ? value.slice(0, -1) : value;
  return IMPLICIT.some((re) => re.test(v) || (v !== value && re.test(value)));
}

interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

function analyze(chars: string[]): Analysis {
  if (chars.length === 0) return { empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true };
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  const text = chars.join('');
  if (text.startsWith('---') || text.startsWith('...')) blockIndicators = flowIndicators = true;
  let precededByWs = true;
  let followedByWs = chars.length === 1 || SPACE_OR_BREAK.includes(chars[1]);
  let previousSpace = false;
  let previousBreak = false;
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index];
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowIndicators = blockIndicators = true;
      if ('?:'.includes(ch)) {
        flowIndicators = true;
        if (followedByWs) blockIndicators = true;
      }
      if (ch === '-' && followedByWs) flowIndicators = blockIndicators = true;
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') {
        flowIndicators = true;
        if (followedByWs) blockIndicators = true;
      }
      if (ch === '#' && precededByWs) flowIndicators = blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    if (!printable(ch)) special = true;
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWs = SPACE_OR_BREAK.includes(ch);
    followedByWs = index + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[index + 2]);
  }
  let allowFlowPlain = true;
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false;
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || special) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false;
  if (flowIndicators) allowFlowPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted };
}

/** libyaml's IS_PRINTABLE: no control characters but \n, no astral characters, no BOM. */
function printable(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\x08': 'b', '\x09': 't', '\x0a': 'n', '\x0b': 'v', '\x0c': 'f', '\x0d': 'r', '\x1b': 'e',
  '"': '"', '\\': '\\', '\x85': 'N', '\xa0': '_', '\u2028': 'L', '\u2029': 'P',
};

interface NodeCtx {
  root?: boolean;
  sequence?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

class Emitter {
  private out: string[] = [];
  private buf = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent: number | null = null;
  private indents: (number | null)[] = [];
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;
  private readonly bestIndent: number;
  private readonly bestWidth: number;

  constructor(private readonly opts: DumpOptions) {
    const i = opts.indent ?? 2;
    this.bestIndent = i > 1 && i < 10 ? i : 2;
    const w = opts.width ?? 80;
    this.bestWidth = w > this.bestIndent * 2 ? w : 80;
  }

  private write(data: string): void {
    this.buf += data;
    if (this.buf.length > 1 << 16) {
      charge(this.buf.length, 'to_yaml');
      this.out.push(this.buf);
      this.buf = '';
    }
  }

  dump(v: unknown): string {
    if (this.opts.explicitStart) {
      this.writeIndicator('---', true);
    }
    this.node(v, { root: true });
    // expect_document_end
    this.writeIndent();
    if (this.opts.explicitEnd) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
    // libyaml ends an open-ended document with '...' only after a block scalar, which is never emitted here.
    charge(this.buf.length, 'to_yaml');
    this.out.push(this.buf);
    return this.out.join('');
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ' ' + indicator;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.column += data.length;
    this.write(data);
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
      this.column = indent;
    }
  }

  private writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.write(data);
  }

  /** Writes the characters chars[start, end) on the current line. */
  private writeChars(chars: string[], start: number, end: number): void {
    this.column += end - start;
    this.write(chars.slice(start, end).join(''));
  }

  /** Writes the line breaks chars[start, end) of a plain or single-quoted scalar (a leading \n counts twice, as PyYAML folds it), then indents. */
  private writeBreaks(chars: string[], start: number, end: number): void {
    if (chars[start] === '\n') this.writeLineBreak();
    for (const br of chars.slice(start, end)) this.writeLineBreak(br === '\n' ? '\n' : br);
    this.writeIndent();
  }

  private node(v: unknown, ctx: NodeCtx): void {
    this.mappingContext = !!ctx.mapping;
    this.simpleKeyContext = !!ctx.simpleKey;
    if (v instanceof Undef) throw v.error();
    if (Array.isArray(v)) {
      const flow = this.flowLevel > 0 || this.flowStyle(v) || v.length === 0;
      if (flow) this.flowSequence(v);
      else this.blockSequence(v);
      return;
    }
    if (isMapping(v)) {
      const keys = this.keys(v);
      const flow = this.flowLevel > 0 || this.flowStyle(keys.map((k) => v[k])) || keys.length === 0;
      if (flow) this.flowMapping(v, keys);
      else this.blockMapping(v, keys);
      return;
    }
    this.increaseIndent(true);
    this.scalar(v);
    this.indent = this.indents.pop()!;
  }

  private keys(v: Record<string, unknown>): string[] {
    const keys = dictKeys(v);
    return this.opts.sortKeys === false ? keys : keys.sort();
  }

  /** default_flow_style=None: a collection is flow when all its children are scalars. */
  private flowStyle(children: unknown[]): boolean {
    if (this.opts.flowStyle !== null) return this.opts.flowStyle;
    return children.every((c) => !Array.isArray(c) && !isMapping(c));
  }

  private scalar(v: unknown): void {
    let text: string;
    let isStr = false;
    if (v === null || v === undefined) text = 'null';
    else if (v === true) text = 'true';
    else if (v === false) text = 'false';
    else if (typeof v === 'number' || v instanceof PyFloat) {
      if (isFloat(v)) {
        const n = numValue(v);
        text = Number.isNaN(n) ? '.nan' : n === Infinity ? '.inf' : n === -Infinity ? '-.inf' : pyFloatRepr(n).toLowerCase();
        if (!text.includes('.') && text.includes('e')) text = text.replace('e', '.0e');
      } else text = pyIntRepr(v as number);
    } else if (typeof v === 'string') {
      text = v;
      isStr = true;
    } else throw templateError(`to_yaml cannot represent a value of type ${typeName(v)}`);
    const chars = Array.from(text);
    const a = analyze(chars);
    const implicit = !isStr || !resolvesToOtherType(text);
    let style: '' | "'" | '"';
    if (implicit && !(this.simpleKeyContext && (a.empty || a.multiline)) && (this.flowLevel ? a.allowFlowPlain : a.allowBlockPlain)) style = '';
    else if (a.allowSingleQuoted && !(this.simpleKeyContext && a.multiline)) style = "'";
    else style = '"';
    const split = !this.simpleKeyContext;
    if (style === '"') this.writeDoubleQuoted(chars, split);
    else if (style === "'") this.writeSingleQuoted(chars, split);
    else this.writePlain(chars, split);
  }

  private flowSequence(v: unknown[]): void {
    this.writeIndicator('[', true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    v.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item, { sequence: true });
    });
    this.indent = this.indents.pop()!;
    this.flowLevel--;
    this.writeIndicator(']', false);
  }

  private flowMapping(v: Record<string, unknown>, keys: string[]): void {
    this.writeIndicator('{', true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    keys.forEach((k, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (this.simpleKey(k)) {
        this.node(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true);
        this.node(k, { mapping: true });
        if (this.column > this.bestWidth) this.writeIndent();
        this.writeIndicator(':', true);
      }
      this.node(v[k], { mapping: true });
    });
    this.indent = this.indents.pop()!;
    this.flowLevel--;
    this.writeIndicator('}', false);
  }

  private blockSequence(v: unknown[]): void {
    const indentless = this.mappingContext && !this.indention;
    this.increaseIndent(false, indentless);
    for (const item of v) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { sequence: true });
    }
    this.indent = this.indents.pop()!;
  }

  private blockMapping(v: Record<string, unknown>, keys: string[]): void {
    this.increaseIndent(false);
    for (const k of keys) {
      this.writeIndent();
      if (this.simpleKey(k)) {
        this.node(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(k, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(v[k], { mapping: true });
    }
    this.indent = this.indents.pop()!;
  }

  private simpleKey(k: string): boolean {
    const chars = Array.from(k);
    return chars.length < 128 && !chars.some((c) => BREAKS.includes(c) || c === '\r');
  }

  private writePlain(chars: string[], split: boolean): void {
    if (chars.length === 0) return;
    if (!this.whitespace) {
      this.column += 1;
      this.write(' ');
    }
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.writeChars(chars, start, end);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          this.writeBreaks(chars, start, end);
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch)) {
        this.writeChars(chars, start, end);
        start = end;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
  }

  private writeSingleQuoted(chars: string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch === undefined || ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split && start !== 0 && end !== chars.length) {
            this.writeIndent();
          } else {
            this.writeChars(chars, start, end);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          this.writeBreaks(chars, start, end);
          start = end;
        }
      } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch) || ch === "'") {
        if (start < end) {
          this.writeChars(chars, start, end);
          start = end;
        }
      }
      if (ch === "'") {
        this.column += 2;
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  /** libyaml's yaml_emitter_write_double_quoted_scalar. */
  private writeDoubleQuoted(chars: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      if (!printable(ch) || BREAKS.includes(ch) || '\r'.includes(ch) || ch === '"' || ch === '\\') {
        const cp = ch.codePointAt(0)!;
        const data =
          ch in ESCAPES ? '\\' + ESCAPES[ch] : cp <= 0xff ? '\\x' + cp.toString(16).toUpperCase().padStart(2, '0') : cp <= 0xffff ? '\\u' + cp.toString(16).toUpperCase().padStart(4, '0') : '\\U' + cp.toString(16).toUpperCase().padStart(8, '0');
        this.column += data.length;
        this.write(data);
        spaces = false;
      } else if (ch === ' ') {
        if (split && !spaces && this.column > this.bestWidth && i !== 0 && i !== chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === ' ') {
            this.column += 1;
            this.write('\\');
          }
        } else {
          this.column += 1;
          this.write(' ');
        }
        spaces = true;
      } else {
        this.column += 1;
        this.write(ch);
        spaces = false;
      }
    }
    this.writeIndicator('"', false);
  }
}

/** yaml.dump of a value, with the options Ansible's to_yaml / to_nice_yaml pass. */
export function pyYamlDump(v: unknown, opts: DumpOptions): string {
  measure(v, 0);
  return new Emitter(opts).dump(v);
}

/** Charges every collection the dump will walk (a list repeated by reference is walked each time). */
function measure(v: unknown, depth: number): void {
  if (depth > 10000) throw templateError('to_yaml: the value is nested too deeply');
  if (Array.isArray(v)) {
    chargeItems(v.length, 'to_yaml');
    for (const x of v) if (x !== null && typeof x === 'object') measure(x, depth + 1);
  } else if (isMapping(v)) {
    const keys = Object.keys(v);
    chargeItems(keys.length, 'to_yaml');
    for (const k of keys) if (v[k] !== null && typeof v[k] === 'object') measure(v[k], depth + 1);
  }
}
