/**
 * Parses Jinja expressions (`a.b | default('x')`, `x is defined`,
 * `'etcd' in group_names`, `a if c else b`) into a jsep AST. jsep is
 * configured once for the Jinja operator set; its few JavaScript-only forms
 * (`?:`, `!`, `&&`) are removed so they cannot be mistaken for Jinja.
 *
 * jsep's configuration is process-global; tsplay owns the only use of jsep.
 */
import jsep from 'jsep';
import { templateError } from './values.js';

export type Node = jsep.Expression;

/** Precedences, loosest first, following Jinja's parser (jinja2/parser.py). */
export const PREC = {
  kwarg: 0.5, // name=value, only valid in call arguments
  else: 1,
  if: 2,
  or: 3,
  and: 4,
  not: 5, // a prefix operator; see fixNot
  compare: 6,
  add: 7,
  concat: 8, // `~` binds tighter than + and - in Jinja
  mul: 9,
  pow: 10, // left-associative in Jinja: 2**3**2 == 64
  filter: 11, // `|` and `is` bind tighter than any arithmetic
} as const;

const BINARY: Record<string, number> = {
  '=': PREC.kwarg,
  else: PREC.else,
  if: PREC.if,
  or: PREC.or,
  and: PREC.and,
  '==': PREC.compare,
  '!=': PREC.compare,
  '<': PREC.compare,
  '<=': PREC.compare,
  '>': PREC.compare,
  '>=': PREC.compare,
  in: PREC.compare,
  'not in': PREC.compare,
  '+': PREC.add,
  '-': PREC.add,
  '~': PREC.concat,
  '*': PREC.mul,
  '/': PREC.mul,
  '//': PREC.mul,
  '%': PREC.mul,
  '**': PREC.pow,
  '|': PREC.filter,
  is: PREC.filter,
};

const CODE = { star: 42, lparen: 40, comma: 44, colon: 58, rbrack: 93, lbrace: 123, rbrace: 125, squote: 39, dquote: 34 };

type Scope = jsep.HookScope;

function configure(): void {
  jsep.removeAllBinaryOps();
  jsep.removeAllUnaryOps();
  for (const [op, prec] of Object.entries(BINARY)) jsep.addBinaryOp(op, prec, op === 'else');
  for (const op of ['-', '+', 'not']) jsep.addUnaryOp(op);
  jsep.removeAllLiterals();
  for (const [name, value] of Object.entries({ true: true, false: false, True: true, False: false, none: null, None: null, null: null })) {
    jsep.addLiteral(name, value);
  }
  // Jinja has no `this`: it is an ordinary name (`{% for this in items %}`), not jsep's ThisExpression.
  (jsep as unknown as { Jsep: { this_str: string } }).Jsep.this_str = '\u0000';
  // Drop jsep's built-in JavaScript ternary: Jinja writes `a if c else b`.
  const hooks = jsep.hooks as unknown as Record<string, unknown[]>;
  hooks['after-expression'] = [];
  jsep.hooks.add('gobble-token', gobbleSpecialToken);
  jsep.hooks.add('gobble-expression', gobbleLeadingSlice);
  jsep.hooks.add('after-expression', gobbleTrailingSlice);
}

/** Python string literals, parenthesised groups (kept, for `not` precedence) and dict literals. */
function gobbleSpecialToken(this: Scope, env: { node?: Node }): void {
  const c = this.code;
  if (c === CODE.squote || c === CODE.dquote) {
    env.node = this.gobbleTokenProperty(gobblePyString(this));
  } else if (c === CODE.lparen) {
    const inner = this.gobbleGroup();
    // `()` is Python's empty tuple.
    env.node = this.gobbleTokenProperty(inner ? { type: 'Group', expression: inner } : { type: 'SequenceExpression', expressions: [] });
  } else if (c === CODE.lbrace) {
    env.node = this.gobbleTokenProperty(gobbleDict(this));
  } else if (c === CODE.star) {
    env.node = gobbleStarArgument(this);
  }
}

/**
 * `*args` and `**kwargs` where a term starts: Jinja's unpacking of a list
 * into positional arguments and of a mapping into keyword arguments. Parsed
 * wherever a term may start; the evaluator accepts it only as a call's
 * argument (evaluator.ts callArgs).
 */
function gobbleStarArgument(s: Scope): Node {
  const double = s.expr[s.index + 1] === '*';
  s.index += double ? 2 : 1;
  s.gobbleSpaces();
  const argument = s.gobbleBinaryExpression();
  if (!argument) s.throwError(`expected an expression after ${double ? '**' : '*'}`);
  return { type: 'StarArgument', double, argument } as unknown as Node;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/**
 * Inside `{{ }}` of a template, Ansible doubles every backslash in string
 * literals before Jinja reads them (_escape_backslashes), so there a
 * backslash is literal: `join('\n')` written in single-quoted YAML joins
 * with a backslash and an n, as in Ansible. Bare expressions (`when:`) keep
 * Python's escapes.
 */
let rawStrings = false;

/** Python semantics: an unknown escape such as `\d` keeps its backslash, so regexes survive. */
function gobblePyString(s: Scope): Node {
  const quote = s.expr[s.index];
  const start = s.index;
  let i = s.index + 1;
  let out = '';
  for (;;) {
    if (i >= s.expr.length) {
      s.index = i;
      s.throwError(`unclosed string ${s.expr.slice(start, start + 20)}`);
    }
    const ch = s.expr[i];
    if (ch === quote) break;
    if (ch === '\\' && i + 1 < s.expr.length && rawStrings) {
      out += ch + s.expr[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\\' && i + 1 < s.expr.length) {
      const e = s.expr[i + 1];
      if (e === 'x' || e === 'u') {
        const len = e === 'x' ? 2 : 4;
        const hex = s.expr.slice(i + 2, i + 2 + len);
        if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === len) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 2 + len;
          continue;
        }
      }
      out += e in ESCAPES ? ESCAPES[e] : '\\' + e;
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
  s.index = i + 1;
  // Adjacent string literals are one string, as in Jinja and Python: 'it''s' is 'its'.
  let j = s.index;
  while (s.expr[j] === ' ') j++;
  if (s.expr[j] === "'" || s.expr[j] === '"') {
    s.index = j;
    const next = gobblePyString(s);
    return { type: 'Literal', value: out + (next.value as string), raw: s.expr.slice(start, s.index) };
  }
  return { type: 'Literal', value: out, raw: s.expr.slice(start, i + 1) };
}

function gobbleDict(s: Scope): Node {
  s.index++;
  const entries: { key: Node; value: Node }[] = [];
  for (;;) {
    s.gobbleSpaces();
    if (s.code === CODE.rbrace) {
      s.index++;
      break;
    }
    const e = s.gobbleExpression();
    if (!e || e.type !== 'Slice' || !e.lower || !e.upper || e.step) s.throwError('expected key: value in a dict literal');
    entries.push({ key: e.lower as Node, value: e.upper as Node });
    s.gobbleSpaces();
    if (s.code === CODE.comma) s.index++;
    else if (s.code !== CODE.rbrace) s.throwError('expected , or } in a dict literal');
  }
  return { type: 'Dict', entries } as unknown as Node;
}

/** `x[:2]` */
function gobbleLeadingSlice(this: Scope, env: { node?: Node }): void {
  if (this.code === CODE.colon) env.node = sliceRest(this, null);
}

/** `x[1:]`, `x[1:3]`, and the `key: value` of a dict literal. */
function gobbleTrailingSlice(this: Scope, env: { node?: Node }): void {
  if (env.node && this.code === CODE.colon) env.node = sliceRest(this, env.node);
}

function sliceRest(s: Scope, lower: Node | null): Node {
  s.index++; // the colon
  s.gobbleSpaces();
  const ends = (c: number) => c === CODE.rbrack || c === CODE.colon || c === CODE.rbrace || c === CODE.comma || Number.isNaN(c);
  const upper = ends(s.code) ? null : (s.gobbleBinaryExpression() ?? null);
  s.gobbleSpaces();
  let step: Node | null = null;
  if (s.code === CODE.colon) {
    s.index++;
    s.gobbleSpaces();
    step = ends(s.code) ? null : (s.gobbleBinaryExpression() ?? null);
  }
  return { type: 'Slice', lower, upper, step } as unknown as Node;
}

/**
 * Whitespace outside string literals is collapsed (so `not   in` and
 * multi-line `when: >` folded strings parse), and Jinja's `list.0`
 * becomes `list[0]`.
 */
export function normalize(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; ) {
    const ch = src[i];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== ch) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else if (/\s/.test(ch)) {
      while (i < src.length && /\s/.test(src[i])) i++;
      out += ' ';
    } else if (ch === '.' && /^\d/.test(src.slice(i + 1)) && endsWithName(out)) {
      const m = /^\d+/.exec(src.slice(i + 1))!;
      out += `[${m[0]}]`;
      i += 1 + m[0].length;
    } else {
      out += ch;
      i++;
    }
  }
  return out.trim();
}

function endsWithName(s: string): boolean {
  if (/[\])]$/.test(s)) return true;
  const m = /[A-Za-z0-9_$@]+$/.exec(s);
  return !!m && /^[A-Za-z_$@]/.test(m[0]);
}

function isTight(op: string): boolean {
  return (BINARY[op] ?? 0) > PREC.not;
}

/**
 * jsep binds prefix operators tighter than every binary operator, but in
 * Jinja `not` binds looser than comparisons: `not a == b` is `not (a == b)`
 * and `not x | bool` is `not (x | bool)`. Rotate such nodes; parenthesised
 * groups are separate nodes, so `(not a) == b` is left alone.
 */
function fixNot(node: Node): Node {
  if (!node || typeof node !== 'object') return node;
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) node[key] = v.map((x) => (x && typeof x === 'object' && 'type' in x ? fixNot(x as Node) : x));
    else if (v && typeof v === 'object' && 'type' in v) node[key] = fixNot(v as Node);
    else if (key === 'entries' && Array.isArray(v)) node[key] = v;
  }
  if (node.type === 'Dict') {
    for (const e of node.entries as unknown as { key: Node; value: Node }[]) {
      e.key = fixNot(e.key);
      e.value = fixNot(e.value);
    }
  }
  if (node.type === 'BinaryExpression' && isTight(node.operator as string)) {
    const left = node.left as Node;
    if (left.type === 'UnaryExpression' && left.operator === 'not') {
      const inner: Node = { type: 'BinaryExpression', operator: node.operator, left: left.argument as Node, right: node.right };
      return { type: 'UnaryExpression', operator: 'not', prefix: true, argument: fixNot(inner) };
    }
  }
  return chainComparison(node);
}

/** The comparison a chain ends with (`b < c` of `a < b < c`), if `node` is a comparison or a chain of them (not a parenthesised one). */
function lastComparison(node: Node): Node | undefined {
  if (node.type !== 'BinaryExpression') return undefined;
  if (node.chain) return node.right as Node;
  return BINARY[node.operator as string] === PREC.compare ? node : undefined;
}

/**
 * Comparisons chain in Jinja as in Python: `a == b == c` is `a == b and
 * b == c` (jsep reads `(a == b) == c`), for ==, !=, <, <=, >, >=, in and
 * not in. `(a == b) == c` is a group, and stays as written.
 */
function chainComparison(node: Node): Node {
  if (node.type !== 'BinaryExpression' || BINARY[node.operator as string] !== PREC.compare) return node;
  const previous = lastComparison(node.left as Node);
  if (!previous) return node;
  const next: Node = { type: 'BinaryExpression', operator: node.operator, left: previous.right, right: node.right };
  return { type: 'BinaryExpression', operator: 'and', left: node.left, right: next, chain: true };
}

/**
 * Jinja's rules for a call's arguments (jinja2/parser.py parse_call_args):
 * positional ones first, then keywords and at most one `*list`, then at most
 * one `**mapping`, last. Anything else is a syntax error of the expression.
 */
function checkCallArguments(node: Node): void {
  if (!node || typeof node !== 'object') return;
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) for (const x of v) checkCallArguments(x as Node);
    else if (v && typeof v === 'object') checkCallArguments(v as Node);
  }
  if (node.type !== 'CallExpression') return;
  let star = false;
  let doubleStar = false;
  let keyword = false;
  for (const arg of node.arguments as Node[]) {
    const ok = (cond: boolean) => {
      if (!cond) throw new Error('invalid syntax for function call expression: positional arguments, then name=value and *list, then **mapping');
    };
    if (arg.type === 'StarArgument' && arg.double) {
      ok(!doubleStar);
      doubleStar = true;
    } else if (arg.type === 'StarArgument') {
      ok(!star && !doubleStar);
      star = true;
    } else if (arg.type === 'BinaryExpression' && arg.operator === '=') {
      ok(!doubleStar);
      keyword = true;
    } else ok(!star && !doubleStar && !keyword);
  }
}

configure();

const cache = new Map<string, Node>();
const CACHE_MAX = 20000;

/** Parses an expression; results are cached by source (conditions run per host per task). */
export function parse(src: string, raw = false): Node {
  const key = raw ? '\u0001' + src : src;
  const hit = cache.get(key);
  if (hit) return hit;
  const norm = normalize(src);
  if (norm === '') throw templateError('empty expression', 'write an expression such as `x is defined`');
  let ast: Node;
  try {
    rawStrings = raw;
    ast = fixNot(jsep(norm));
    checkCallArguments(ast);
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/ at character \d+$/, '') : String(e);
    throw templateError(`syntax error in expression "${src.trim()}": ${msg}`, 'check quotes, brackets and operators');
  } finally {
    rawStrings = false;
  }
  if (ast.type === 'Compound') throw templateError(`syntax error in expression "${src.trim()}": unexpected text after the expression`, 'join conditions with `and` / `or`');
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, ast);
  return ast;
}
