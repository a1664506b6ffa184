/**
 * Python's `ast.literal_eval`, as far as Ansible's INI plugin needs it: the INI
 * plugin passes every variable value through literal_eval and keeps the raw
 * string when that fails. So `x=1` is an int, `x=True` a bool, `x="[1, 2]"`
 * a list, and `x=yes` or `x=007` stay strings.
 *
 * Values become JSON-like JS values the way `ansible-inventory --list` prints
 * them: tuples and sets become arrays, bytes become text, dict keys become
 * strings (True -> "true", None -> "null"), floats become numbers.
 */
import { setOwn } from '../util/own.js';


const NO = Symbol('not a literal');
type Result = unknown | typeof NO;

class Fail extends Error {}

type Tok =
  | { t: 'num'; v: number; complex: boolean }
  | { t: 'str'; v: string; bytes: boolean }
  | { t: 'name'; v: string }
  | { t: 'op'; v: string }
  | { t: 'end' };

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
    switch (n) {
      case '\n': break;
      case '\\': out += '\\'; break;
      case "'": out += "'"; break;
      case '"': out += '"'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        const h = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new Fail();
        out += String.fromCharCode(parseInt(h, 16));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        if (bytes) { out += '\\' + n; break; }
        const len = n === 'u' ? 4 : 8;
        const h = body.slice(i + 1, i + 1 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) throw new Fail();
        out += String.fromCodePoint(parseInt(h, 16));
        i += len;
        break;
      }
      default:
        if (/[0-7]/.test(n)) {
          const m = /^[0-7]{1,3}/.exec(body.slice(i))!;
          out += String.fromCharCode(parseInt(m[0], 8));
          i += m[0].length - 1;
        } else {
          // Python keeps unknown escapes such as `\#` verbatim.
          out += '\\' + n;
        }
    }
  }
  return out;
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const numRe =
    /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?)[jJ]?/;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r' || (c === '\\' && src[i + 1] === '\n')) {
      i += c === '\\' ? 2 : 1;
      continue;
    }
    if (c === '#') {
      // A comment runs to the end of the line: `x=1 # note` is the int 1.
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const strm = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(src.slice(i));
    if (strm && /^(?:|[rR]|[bB]|[uU]|[rR][bB]|[bB][rR])$/.test(strm[1])) {
      const prefix = strm[1].toLowerCase();
      const q = strm[2];
      let j = i + strm[0].length;
      let body = '';
      for (;;) {
        if (j >= src.length) throw new Fail();
        if (src.startsWith(q, j)) break;
        if (q.length === 1 && src[j] === '\n') throw new Fail();
        if (src[j] === '\\') {
          body += src.slice(j, j + 2);
          j += 2;
          continue;
        }
        body += src[j++];
      }
      const raw = prefix.includes('r');
      const bytes = prefix.includes('b');
      toks.push({ t: 'str', v: raw ? body : unescape(body, bytes), bytes });
      i = j + q.length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = numRe.exec(src.slice(i));
      if (!m) throw new Fail();
      let text = m[0];
      // Python rejects a name glued to a number (`1a`) and decimal ints with leading zeros (`007`).
      if (/[A-Za-z0-9_]/.test(src[i + text.length] ?? '')) throw new Fail();
      const complex = /[jJ]$/.test(text);
      if (complex) text = text.slice(0, -1);
      const clean = text.replace(/_/g, '');
      let v: number;
      if (/^0[xX]/.test(clean)) v = parseInt(clean.slice(2), 16);
      else if (/^0[oO]/.test(clean)) v = parseInt(clean.slice(2), 8);
      else if (/^0[bB]/.test(clean)) v = parseInt(clean.slice(2), 2);
      else {
        if (!complex && /^[0-9]+$/.test(clean) && /^0+[1-9]/.test(clean)) throw new Fail();
        v = Number(clean);
      }
      toks.push({ t: 'num', v, complex });
      i += m[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
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

/** How Python's json module turns a dict key into a JSON key. */
function keyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (k === null) return 'null';
  if (typeof k === 'number') return Number.isInteger(k) ? String(k) : String(k);
  throw new Fail(); // tuples as keys: json.dumps fails; treat as not representable
}

/** Python refuses more than 200 nested brackets ("too many nested parentheses"): such a value stays a string, as in Ansible. */
const MAX_NESTING = 200;

class Parser {
  private p = 0;
  private nesting = 0;
  constructor(private toks: Tok[]) {}
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
    const v = this.expr(true);
    if (this.peek().t !== 'end') throw new Fail();
    return v;
  }

  /** An expression; at the top level a bare `a, b` is a tuple, as in Python. */
  private expr(top = false): unknown {
    const first = this.atom();
    if (top && this.isOp(',')) {
      const items = [first];
      while (this.isOp(',')) {
        this.p++;
        if (this.peek().t === 'end') break;
        items.push(this.atom());
      }
      return items;
    }
    return first;
  }

  private signedNumber(): number {
    const t = this.peek();
    if (t.t === 'op' && (t.v === '-' || t.v === '+')) {
      this.p++;
      const n = this.peek();
      if (n.t !== 'num') throw new Fail();
      this.p++;
      if (n.complex) throw new Fail();
      // Python's int -0 is 0; JSON has no separate -0 worth keeping.
      return t.v === '-' ? 0 - n.v || 0 : n.v;
    }
    if (t.t !== 'num') throw new Fail();
    this.p++;
    if (t.complex) throw new Fail(); // complex numbers cannot be printed as JSON
    return t.v;
  }

  private atom(): unknown {
    const t = this.peek();
    if (t.t === 'op' && (t.v === '[' || t.v === '(' || t.v === '{')) {
      if (++this.nesting > MAX_NESTING) throw new Fail();
      try {
        return this.atomIn(t);
      } finally {
        this.nesting--;
      }
    }
    return this.atomIn(t);
  }

  private atomIn(t: Tok): unknown {
    if (t.t === 'num' || (t.t === 'op' && (t.v === '-' || t.v === '+'))) {
      const v = this.signedNumber();
      // `1+2j` is a complex literal; JSON cannot carry it.
      if (this.isOp('+') || this.isOp('-')) throw new Fail();
      return v;
    }
    if (t.t === 'str') {
      let s = '';
      let bytes: boolean | undefined;
      while (this.peek().t === 'str') {
        const st = this.peek() as { t: 'str'; v: string; bytes: boolean };
        if (bytes !== undefined && bytes !== st.bytes) throw new Fail();
        bytes = st.bytes;
        s += st.v;
        this.p++;
      }
      return s;
    }
    if (t.t === 'name') {
      this.p++;
      if (t.v === 'True') return true;
      if (t.v === 'False') return false;
      if (t.v === 'None') return null;
      if (t.v === 'set' && this.isOp('(')) {
        this.p++;
        this.expectOp(')');
        return [];
      }
      throw new Fail();
    }
    if (t.t === 'op' && t.v === '[') {
      this.p++;
      return this.seq(']');
    }
    if (t.t === 'op' && t.v === '(') {
      this.p++;
      if (this.isOp(')')) {
        this.p++;
        return [];
      }
      const first = this.atom();
      if (this.isOp(')')) {
        this.p++;
        return first; // parenthesised value, not a tuple
      }
      this.expectOp(',');
      const rest = this.isOp(')') ? (this.p++, []) : this.seq(')');
      return [first, ...rest];
    }
    if (t.t === 'op' && t.v === '{') {
      this.p++;
      if (this.isOp('}')) {
        this.p++;
        return {};
      }
      const k = this.atom();
      if (this.isOp(':')) {
        this.p++;
        const obj: Record<string, unknown> = {};
        setOwn(obj, keyString(k), this.atom());
        while (this.isOp(',')) {
          this.p++;
          if (this.isOp('}')) break;
          const kk = this.atom();
          this.expectOp(':');
          setOwn(obj, keyString(kk), this.atom());
        }
        this.expectOp('}');
        return obj;
      }
      // A set literal; json cannot print sets, but arrays are the closest value.
      const items = [k];
      while (this.isOp(',')) {
        this.p++;
        if (this.isOp('}')) break;
        items.push(this.atom());
      }
      this.expectOp('}');
      return items;
    }
    throw new Fail();
  }

  private seq(close: string): unknown[] {
    const items: unknown[] = [];
    while (!this.isOp(close)) {
      items.push(this.atom());
      if (this.isOp(',')) this.p++;
      else break;
    }
    this.expectOp(close);
    return items;
  }
}

function tryLiteral(src: string): Result {
  try {
    // literal_eval strips leading spaces and tabs before parsing.
    const text = src.replace(/^[ \t]+/, '');
    return new Parser(tokenize(text)).top();
  } catch (e) {
    if (e instanceof Fail) return NO;
    throw e;
  }
}

/** What Ansible's INI plugin makes of a raw value: a Python literal if it is one, else the string. */
export function parseIniValue(raw: string): unknown {
  const v = tryLiteral(raw);
  return v === NO ? raw : v;
}
