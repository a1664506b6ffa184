/**
 * Python's `ast.literal_eval`, in the two forms Ansible applies it, told apart
 * by explicit options:
 *
 * - to a template's text, as Ansible 2.14's `ansible_eval_concat` does
 *   (ANSIBLE_CONCAT, the default): after `Json2Python`, so the names `true`,
 *   `false` and `null` are literals too; tuples are `tuple()`s, an integral
 *   float such as `5.0` a PyFloat, dict keys as Python's str() prints them;
 * - to an INI inventory's values (lib/inventory/ini.ts): values as
 *   `ansible-inventory --list` prints them.
 *
 * Lists, tuples and sets become arrays, dicts objects whose keys are always own
 * data keys (`__proto__` included). Anything else is not a literal: the caller
 * keeps the text.
 */
import { setOwn } from '../util/own.js';
import { mkFloat, pyNumRepr, PyFloat } from './numbers.js';
import { tuple } from './values.js';

export const NOT_LITERAL: unique symbol = Symbol('not a literal');

/** Where the two uses of literal_eval differ. */
export interface LiteralOptions {
  /** The names that are literals, and their values (Python's True, False and None at least). */
  names: Readonly<Record<string, unknown>>;
  /** The value of a float literal (`1.5`, `5.0`, `1e3`). */
  float(n: number): unknown;
  /** The value of a tuple, from its items. */
  tuple(items: unknown[]): unknown[];
  /** A dict key as the object's key; undefined when the key has none (the text is then not a literal). */
  key(k: unknown): string | undefined;
  /** Spaces and tabs before the value: stripped first, or the text is not a literal. */
  leadingBlanks: 'strip' | 'reject';
  /** What Python's limit of 200 nested levels counts: open brackets, or every nested value (signs included). */
  nesting: 'brackets' | 'values';
  /**
   * A sign `+`/`-`: only straight before a number (`-0` is 0), or before any
   * numeric value (`--1`, `-(1)`, `-True`).
   */
  signs: 'number' | 'value';
  /** A set whose first item is a list, tuple or dict is not a literal. */
  hashableSetHead: boolean;
  /** A number written with more characters than this is not a literal. */
  maxNumberLength: number;
}

/** Python's str() of a dict key. */
function pyKey(k: unknown): string | undefined {
  if (typeof k === 'string') return k;
  if (k === true) return 'True';
  if (k === false) return 'False';
  if (k === null) return 'None';
  if (typeof k === 'number' || k instanceof PyFloat) return pyNumRepr(k);
  return undefined; // a list as a key is unhashable; a tuple key has no JS form
}

/** literal_eval of a template's text as Ansible 2.14's ansible_eval_concat does it. */
export const ANSIBLE_CONCAT: LiteralOptions = {
  names: { True: true, False: false, None: null, true: true, false: false, null: null },
  float: mkFloat,
  tuple,
  key: pyKey,
  leadingBlanks: 'reject',
  nesting: 'values',
  signs: 'value',
  hashableSetHead: true,
  maxNumberLength: 400,
};

class Fail extends Error {}

/** Python's parser gives up on deeper nesting ("too many nested parentheses"). */
const MAX_DEPTH = 200;

type Tok =
  | { t: 'num'; v: unknown }
  | { t: 'str'; v: string; bytes: boolean }
  | { t: 'name'; v: string }
  | { t: 'op'; v: string }
  | { t: 'end' };

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Python 3 string literal escapes (non-raw). */
function unescape(body: string, bytes: boolean): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    if (n === undefined) throw new Fail();
    if (n === '\n') continue;
    if (n in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[n];
      continue;
    }
    if (n === 'x' || (!bytes && (n === 'u' || n === 'U'))) {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const h = body.slice(i + 1, i + 1 + len);
      if (h.length !== len || !/^[0-9a-fA-F]+$/.test(h)) throw new Fail();
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff) throw new Fail();
      out += String.fromCodePoint(cp);
      i += len;
      continue;
    }
    if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))!;
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length - 1;
      continue;
    }
    out += '\\' + n; // unknown escapes such as `\#` keep their backslash
  }
  return out;
}

const NUM = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?)[jJ]?/;

function tokenize(src: string, o: LiteralOptions): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n'))) {
      i += src[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (c === '#') {
      // A comment runs to the end of the line: `x=1 # note` is the int 1.
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const strm = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(src.slice(i, i + 5));
    if (strm && /^(?:|[rR]|[bB]|[uU]|[rR][bB]|[bB][rR])$/.test(strm[1])) {
      const prefix = strm[1].toLowerCase();
      const q = strm[2];
      let j = i + strm[0].length;
      const start = j;
      for (;;) {
        if (j >= src.length) throw new Fail();
        if (src.startsWith(q, j)) break;
        if (q.length === 1 && src[j] === '\n') throw new Fail();
        j += src[j] === '\\' ? 2 : 1;
      }
      const body = src.slice(start, j);
      const bytes = prefix.includes('b');
      toks.push({ t: 'str', v: prefix.includes('r') ? body : unescape(body, bytes), bytes });
      i = j + q.length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = NUM.exec(src.slice(i));
      if (!m || m[0].length > o.maxNumberLength) throw new Fail();
      const text = m[0];
      // Python rejects a name glued to a number (`1a`).
      if (/[A-Za-z0-9_.]/.test(src[i + text.length] ?? '')) throw new Fail();
      if (/[jJ]$/.test(text)) throw new Fail(); // complex numbers have no JSON-like value
      const clean = text.replace(/_/g, '');
      let v: unknown;
      if (/^0[xX]/.test(clean)) v = parseInt(clean.slice(2), 16);
      else if (/^0[oO]/.test(clean)) v = parseInt(clean.slice(2), 8);
      else if (/^0[bB]/.test(clean)) v = parseInt(clean.slice(2), 2);
      else if (/[.eE]/.test(clean)) v = o.float(Number(clean));
      else {
        if (/^0+[1-9]/.test(clean)) throw new Fail(); // 007 is a syntax error in Python 3
        v = Number(clean);
      }
      toks.push({ t: 'num', v });
      i += text.length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 200));
    if (name) {
      toks.push({ t: 'name', v: name[0] });
      i += name[0].length;
      continue;
    }
    if ('[](){},:+-'.includes(c)) {
      toks.push({ t: 'op', v: c });
      i++;
      continue;
    }
    throw new Fail();
  }
  toks.push({ t: 'end' });
  return toks;
}

class Parser {
  private p = 0;
  private depth = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly o: LiteralOptions,
  ) {}

  private peek(): Tok {
    return this.toks[this.p];
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new Fail();
    this.p++;
  }

  top(): unknown {
    const first = this.value();
    if (this.isOp(',')) {
      // `[1], [2]` is a tuple
      const items = [first];
      while (this.isOp(',')) {
        this.p++;
        if (this.peek().t === 'end') break;
        items.push(this.value());
      }
      if (this.peek().t !== 'end') throw new Fail();
      return this.o.tuple(items);
    }
    if (this.peek().t !== 'end') throw new Fail();
    return first;
  }

  private value(): unknown {
    const t = this.peek();
    if (this.o.nesting === 'brackets' && !(t.t === 'op' && '[({'.includes(t.v))) return this.atom();
    if (++this.depth > MAX_DEPTH) throw new Fail();
    try {
      return this.atom();
    } finally {
      this.depth--;
    }
  }

  /** The number after a sign. */
  private signed(sign: string): unknown {
    let n: unknown;
    if (this.o.signs === 'number') {
      const t = this.peek();
      if (t.t !== 'num') throw new Fail();
      this.p++;
      if (this.isOp('+') || this.isOp('-')) throw new Fail(); // only complex arithmetic is a literal
      if (typeof t.v === 'number') return sign === '-' ? 0 - t.v || 0 : t.v;
      n = t.v;
    } else {
      n = this.value();
    }
    // literal_eval allows a sign on a number only (True counts: it is an int).
    if (typeof n === 'boolean') return sign === '-' ? -Number(n) : Number(n);
    if (typeof n === 'number') return sign === '-' ? -n : n;
    if (n instanceof PyFloat) return sign === '-' ? new PyFloat(-n.value) : n;
    throw new Fail();
  }

  private atom(): unknown {
    const t = this.peek();
    if (t.t === 'op' && (t.v === '-' || t.v === '+')) {
      this.p++;
      return this.signed(t.v);
    }
    if (t.t === 'num') {
      this.p++;
      if (this.isOp('+') || this.isOp('-')) throw new Fail(); // only complex arithmetic is a literal
      return t.v;
    }
    if (t.t === 'str') {
      let s = '';
      const bytes = t.bytes;
      while (this.peek().t === 'str') {
        const st = this.peek() as { t: 'str'; v: string; bytes: boolean };
        if (st.bytes !== bytes) throw new Fail();
        s += st.v;
        this.p++;
      }
      return s;
    }
    if (t.t === 'name') {
      this.p++;
      if (Object.hasOwn(this.o.names, t.v)) return this.o.names[t.v];
      if (t.v === 'set' && this.isOp('(')) {
        this.p++;
        this.expectOp(')');
        return [];
      }
      throw new Fail();
    }
    if (t.t !== 'op') throw new Fail();
    if (t.v === '[') {
      this.p++;
      return this.seq(']');
    }
    if (t.v === '(') {
      this.p++;
      if (this.isOp(')')) {
        this.p++;
        return this.o.tuple([]);
      }
      const first = this.value();
      if (this.isOp(')')) {
        this.p++;
        return first; // a parenthesised value, not a tuple
      }
      this.expectOp(',');
      return this.o.tuple([first, ...this.seq(')')]);
    }
    if (t.v === '{') {
      this.p++;
      if (this.isOp('}')) {
        this.p++;
        return {};
      }
      const k = this.value();
      if (this.isOp(':')) {
        this.p++;
        const obj: Record<string, unknown> = {};
        this.setKey(obj, k, this.value());
        while (this.isOp(',')) {
          this.p++;
          if (this.isOp('}')) break;
          const kk = this.value();
          this.expectOp(':');
          this.setKey(obj, kk, this.value());
        }
        this.expectOp('}');
        return obj;
      }
      // A set: unordered in Python; its elements in the order written.
      if (this.o.hashableSetHead && (Array.isArray(k) || (k !== null && typeof k === 'object' && !(k instanceof PyFloat)))) throw new Fail();
      const items = [k];
      while (this.isOp(',')) {
        this.p++;
        if (this.isOp('}')) break;
        items.push(this.value());
      }
      this.expectOp('}');
      return items;
    }
    throw new Fail();
  }

  private setKey(obj: Record<string, unknown>, k: unknown, v: unknown): void {
    const key = this.o.key(k);
    if (key === undefined) throw new Fail();
    setOwn(obj, key, v);
  }

  private seq(close: string): unknown[] {
    const items: unknown[] = [];
    while (!this.isOp(close)) {
      items.push(this.value());
      if (this.isOp(',')) this.p++;
      else break;
    }
    this.expectOp(close);
    return items;
  }
}

/**
 * The value of a Python literal, or NOT_LITERAL. By default (ANSIBLE_CONCAT)
 * leading whitespace is a syntax error, as for `ast.parse`.
 */
export function literalEval(text: string, options: LiteralOptions = ANSIBLE_CONCAT): unknown {
  if (options.leadingBlanks === 'strip') text = text.replace(/^[ \t]+/, '');
  else if (/^[ \t\f]/.test(text)) return NOT_LITERAL;
  try {
    return new Parser(tokenize(text, options), options).top();
  } catch (e) {
    if (e instanceof Fail || e instanceof RangeError) return NOT_LITERAL;
    throw e;
  }
}
