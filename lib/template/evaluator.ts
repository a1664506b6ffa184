/**
 * Evaluates a parsed expression against variables. A tree walk over jsep's
 * AST with Jinja semantics; nothing here can reach a JavaScript function or
 * prototype: values are read through getProp, calls go only to the filter,
 * test, method and function tables.
 */
import { copyOrder, dictKeys } from '../util/dict-order.js';
import { TsplayError } from '../errors.js';
import type { Ctx, Env, Kwargs } from './context.js';
import { filters } from './filters.js';
import { pyPercentFormat } from './format.js';
import { functions } from './functions.js';
import { callMethod, inOwnedScope, ownValue, ownedScope } from './methods.js';
import { JinjaMacro } from './jinja/macro.js';
import { parse, type Node } from './parser.js';
import { tests } from './tests.js';
import { taskVarFallback } from './task-vars.js';
import { charge, chargeItems, chargeValue, tick } from './limits.js';
import { isFloat, isNumeric, mkFloat, mkNum, numValue } from './numbers.js';
import {
  Undef,
  UndefinedVariableError,
  getProp,
  isMapping,
  isPlainObject,
  need,
  pyCompare,
  pyContains,
  pyEquals,
  pyRepr,
  pyStr,
  setKey,
  templateError,
  isComputedMapping,
  isData,
  isUnsafeText,
  isAuthored,
  isAuthoredObject,
  asData,
  pythonTruthy,
  tuple,
  typeName,
} from './values.js';

export type { Kwargs, Env } from './context.js';
export { setKey } from './values.js';

/**
 * Evaluates source text; Undef results are returned, not thrown. `inTemplate`:
 * the expression is inside `{{ }}` of a template, where Ansible takes
 * backslashes in string literals literally.
 */
export function evaluateSource(src: string, ctx: Ctx, inTemplate = false): unknown {
  // A top-level evaluation owns the lists and dicts it builds (see ownValue); nested ones share them.
  if (!inOwnedScope()) return ownedScope(() => value(parse(src, inTemplate), ctx));
  return value(parse(src, inTemplate), ctx);
}

/** Evaluates a node to a fully resolved value (lazy templates inside containers rendered). */
export function value(node: Node, ctx: Ctx): unknown {
  return deep(evalNode(node, ctx), ctx);
}

/** A value that must be defined. */
function strict(node: Node, ctx: Ctx): unknown {
  return need(value(node, ctx));
}

export function isTemplatedString(v: unknown): v is string {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%'));
}

/**
 * Ansible renders a variable whose value is a template when it is used
 * (`a: "{{ b }}-x"`). A template met again while it is being rendered can
 * only recurse forever.
 */
export function lazy(v: unknown, name: string, ctx: Ctx, authored = false): unknown {
  // Unsafe text (from a host, `!unsafe`, or computed by an expression) is data, never a template;
  // the operator's own variable is rendered unless it was tagged `!unsafe` (lib/template/unsafe.ts).
  if (!isTemplatedString(v) || isUnsafeText(v, authored)) return v;
  const hit = ctx.memo?.get(v);
  if (hit) return hit.undef !== undefined ? new Undef(name, hit.undef) : hit.value;
  if (ctx.stack.some((f) => f.source === v)) {
    const chain = [...ctx.stack.map((f) => f.name), name].join(' -> ');
    throw templateError(`recursive loop detected in template: ${chain}`, `the value of '${name}' refers back to itself; break the cycle`);
  }
  ctx.stack.push({ source: v, name });
  try {
    // A variable's template sees the variables, not the names bound where it is used (as Ansible's templar).
    // Its own generation: the result is a variable, which the template using it cannot change in place.
    const value = ownedScope(() => ctx.renderLazy(v, ctx.locals ? { ...ctx, locals: undefined } : ctx));
    ctx.memo?.set(v, { value });
    return value;
  } catch (e) {
    // An undefined name inside a lazy variable makes the variable itself undefined, so `a is defined` and `a | default(x)` still work.
    if (e instanceof UndefinedVariableError) {
      ctx.memo?.set(v, { undef: e.message });
      return new Undef(name, e.message);
    }
    throw e;
  } finally {
    ctx.stack.pop();
  }
}

/** Renders lazy templates nested in lists and dicts; copies only what changes. */
export function deep(v: unknown, ctx: Ctx): unknown {
  if (v === null || typeof v !== 'object' || isComputedMapping(v) || isData(v)) return v;
  const memo = ctx.deepMemo;
  if (memo?.has(v)) return memo.get(v);
  const r = deepWalk(v, ctx);
  memo?.set(v, r);
  if (r !== v && r !== null && typeof r === 'object') memo?.set(r, r);
  return r;
}

function deepWalk(v: object, ctx: Ctx): unknown {
  const authored = isAuthoredObject(v);
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const r = deep(lazy(v[i], `[${i}]`, ctx, authored), ctx);
      if (r !== v[i]) (out ??= v.slice())[i] = need(r);
    }
    return out ?? v;
  }
  if (isPlainObject(v)) {
    let out: Record<string, unknown> | undefined;
    for (const k of dictKeys(v)) {
      const r = deep(lazy(v[k], k, ctx, authored), ctx);
      if (r !== v[k]) setKey((out ??= copyOrder(v, { ...v })), k, need(r));
    }
    return out ?? v;
  }
  return v;
}


function evalNode(node: Node, ctx: Ctx): unknown {
  tick();
  const v = evalNodeRaw(node, ctx);
  // What an operator, filter, call or literal produced was rendered from its inputs already: it is data now.
  return node.type === 'Identifier' || node.type === 'MemberExpression' || node.type === 'Group' ? v : asData(v);
}

function evalNodeRaw(node: Node, ctx: Ctx): unknown {
  switch (node.type) {
    case 'Literal':
      // `5.0` and `1e3` are floats in Python; jsep reads them as plain numbers.
      if (typeof node.value === 'number' && /[.eE]/.test(String(node.raw ?? ''))) return mkFloat(node.value);
      return node.value;
    case 'Identifier':
      return lookup(node.name as string, ctx);
    case 'MemberExpression':
      return member(node, ctx);
    case 'Group':
      return evalNode(node.expression as Node, ctx);
    case 'ArrayExpression':
      // Literals are the template's own values: list.append / dict.update may change them.
      return ownValue(
        (node.elements as (Node | null)[]).map((e) => {
          if (!e) throw templateError('empty element in a list literal');
          return strict(e, ctx);
        }),
      );
    case 'SequenceExpression': // a Python tuple: (1, 2)
      return tuple((node.expressions as Node[]).map((e) => strict(e, ctx)));
    case 'Dict': {
      const out: Record<string, unknown> = {};
      for (const e of node.entries as unknown as { key: Node; value: Node }[]) setKey(out, keyString(strict(e.key, ctx)), strict(e.value, ctx));
      return ownValue(out);
    }
    case 'UnaryExpression':
      return unary(node, ctx);
    case 'BinaryExpression':
      return binary(node, ctx);
    case 'CallExpression':
      return call(node, ctx);
    case 'Slice':
      throw templateError('a slice (a:b) is only valid inside [ ]');
    case 'StarArgument':
      throw templateError(`${node.double ? '**' : '*'} unpacks only into a call's arguments: f(*list, **mapping)`);
    default:
      throw templateError(`unsupported expression syntax (${node.type})`, 'see docs/expressions.md for the supported language');
  }
}

function keyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'boolean' || k === null) return pyStr(k);
  throw templateError(`a dict key must be a string or a number, not ${typeName(k)}`);
}

function lookup(name: string, ctx: Ctx): unknown {
  if (ctx.locals?.has(name)) return ctx.locals.get(name);
  const v = getProp(ctx.vars, name);
  if (v === undefined) return taskVarFallback(name, ctx.vars) ?? new Undef(name, undefined, { name });
  return lazy(v, name, ctx, isAuthored(ctx.vars, name));
}

function member(node: Node, ctx: Ctx): unknown {
  const obj = evalNode(node.object as Node, ctx);
  const prop = node.property as Node;
  if (prop.type === 'Slice') return slice(need(deep(obj, ctx)), prop, ctx);
  const key = node.computed ? strict(prop, ctx) : (prop.name as string);
  const seg = segment(key, !!node.computed);
  if (obj instanceof Undef) return obj.child(seg);
  const v = getProp(obj, key);
  if (v === undefined) return new Undef(describe(node.object as Node, ctx) + seg, undefined, { name: key as string | number, obj: () => deep(obj, ctx) });
  // A member of a value an expression computed was rendered with it: it is data, however it looks.
  if (isData(obj)) return v;
  return lazy(v, describe(node.object as Node, ctx) + seg, ctx, isAuthored(obj, String(key)));
}

function segment(key: unknown, computed: boolean): string {
  if (!computed && typeof key === 'string') return `.${key}`;
  return `[${pyRepr(key)}]`;
}

/** The path of a node for messages: `hostvars['master-9'].etcd_ip`, with computed keys shown by value. */
function describe(node: Node, ctx: Ctx): string {
  if (node.type === 'Identifier') return node.name as string;
  if (node.type === 'MemberExpression') {
    const prop = node.property as Node;
    if (!node.computed) return describe(node.object as Node, ctx) + `.${prop.name}`;
    try {
      return describe(node.object as Node, ctx) + `[${pyRepr(strict(prop, ctx))}]`;
    } catch {
      return describe(node.object as Node, ctx) + '[...]';
    }
  }
  return '(expression)';
}

function slice(obj: unknown, s: Node, ctx: Ctx): unknown {
  if (typeof obj !== 'string' && !Array.isArray(obj)) throw templateError(`cannot slice a ${typeName(obj)}`);
  const num = (n: unknown): number | undefined => {
    if (n === null || n === undefined) return undefined;
    const v = need(n);
    if (typeof v !== 'number' || !Number.isInteger(v)) throw templateError('slice indices must be integers');
    return v;
  };
  const lower = s.lower ? num(strict(s.lower as Node, ctx)) : undefined;
  const upper = s.upper ? num(strict(s.upper as Node, ctx)) : undefined;
  const step = s.step ? num(strict(s.step as Node, ctx)) : undefined;
  // Strings slice by code point, as Python's do; a string without surrogate pairs slices as it is.
  if (typeof obj === 'string' && (step === undefined || step === 1) && !/[\uD800-\uDFFF]/.test(obj)) {
    const n = obj.length;
    const at = (i: number | undefined, dflt: number) => (i === undefined ? dflt : i < 0 ? Math.max(0, n + i) : Math.min(i, n));
    const from = at(lower, 0);
    const to = at(upper, n);
    return to > from ? obj.slice(from, to) : '';
  }
  if (typeof obj === 'string') chargeItems(obj.length, 'slicing a string');
  const items: unknown[] = typeof obj === 'string' ? [...obj] : obj;
  let out: unknown[];
  if (step === undefined || step === 1) out = items.slice(lower, upper);
  else {
    if (step === 0) throw templateError('slice step cannot be zero');
    const n = items.length;
    const norm = (i: number | undefined, dflt: number) => (i === undefined ? dflt : i < 0 ? Math.max(i + n, step < 0 ? -1 : 0) : Math.min(i, step < 0 ? n - 1 : n));
    const from = norm(lower, step > 0 ? 0 : n - 1);
    const to = norm(upper, step > 0 ? n : -1);
    out = [];
    for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(items[i]);
  }
  return typeof obj === 'string' ? out.join('') : out;
}

function unary(node: Node, ctx: Ctx): unknown {
  const op = node.operator as string;
  if (op === 'not') return !pythonTruthy(value(node.argument as Node, ctx));
  const v = strict(node.argument as Node, ctx);
  if (!isNumeric(v)) throw templateError(`unsupported operand type for ${op}: '${typeName(v)}'`, 'convert it first, e.g. `x | int`');
  const n = numValue(v);
  return mkNum(op === '-' ? -n : n, isFloat(v));
}

function binary(node: Node, ctx: Ctx): unknown {
  const op = node.operator as string;
  const L = node.left as Node;
  const R = node.right as Node;
  switch (op) {
    case 'and': {
      const l = value(L, ctx);
      return pythonTruthy(l) ? value(R, ctx) : l;
    }
    case 'or': {
      const l = value(L, ctx);
      return pythonTruthy(l) ? l : value(R, ctx);
    }
    case 'if':
      return pythonTruthy(value(R, ctx)) ? value(L, ctx) : new Undef('(a if b)', 'the condition of an `if` without `else` was false');
    case 'else': {
      if (L.type !== 'BinaryExpression' || L.operator !== 'if') throw templateError('`else` without `if`', 'write `a if condition else b`');
      return pythonTruthy(value(L.right as Node, ctx)) ? value(L.left as Node, ctx) : value(R, ctx);
    }
    case '=':
      throw templateError(`'=' is only valid for keyword arguments such as map(attribute='name')`, 'compare with ==');
    case '|':
      return applyFilterNode(L, R, ctx);
    case 'is':
      return applyTestNode(L, R, ctx);
    case '==':
      return pyEquals(strict(L, ctx), strict(R, ctx));
    case '!=':
      return !pyEquals(strict(L, ctx), strict(R, ctx));
    case '<':
      return pyCompare(strict(L, ctx), strict(R, ctx)) < 0;
    case '<=':
      return pyCompare(strict(L, ctx), strict(R, ctx)) <= 0;
    case '>':
      return pyCompare(strict(L, ctx), strict(R, ctx)) > 0;
    case '>=':
      return pyCompare(strict(L, ctx), strict(R, ctx)) >= 0;
    case 'in':
      return pyContains(strict(R, ctx), strict(L, ctx));
    case 'not in':
      return !pyContains(strict(R, ctx), strict(L, ctx));
    case '~': {
      const a = pyStr(strict(L, ctx));
      const b = pyStr(strict(R, ctx));
      charge(a.length + b.length, "'~'");
      return a + b;
    }
    case '%': {
      // `'%r' % x` prints an undefined x (Python's repr of it) instead of failing.
      const a = strict(L, ctx);
      return arithmetic(op, a, typeof a === 'string' ? value(R, ctx) : strict(R, ctx));
    }
    default:
      return arithmetic(op, strict(L, ctx), strict(R, ctx));
  }
}

export function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') {
      charge(a.length + b.length, "'+' of two strings");
      return a + b;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      chargeItems(a.length + b.length, "'+' of two lists");
      return [...a, ...b];
    }
  }
  if (op === '*') {
    const r = repeat(a, b) ?? repeat(b, a);
    if (r !== undefined) return r;
  }
  if (op === '%' && typeof a === 'string') return pyPercentFormat(a, b);
  if (!isNumeric(a) || !isNumeric(b)) {
    throw templateError(`unsupported operand types for ${op}: '${typeName(a)}' and '${typeName(b)}'`, 'convert with | int, | float or | string, or join strings with ~');
  }
  // Python's types: a float operand makes a float; `/` always does; int ** negative int too.
  const float = isFloat(a) || isFloat(b);
  const x = numValue(a);
  const y = numValue(b);
  if ((op === '/' || op === '//' || op === '%') && y === 0) throw templateError(`division by zero in ${op}`);
  switch (op) {
    case '+':
      return mkNum(x + y, float);
    case '-':
      return mkNum(x - y, float);
    case '*':
      return mkNum(x * y, float);
    case '/':
      return mkFloat(x / y);
    case '//':
      return mkNum(Math.floor(x / y), float);
    case '%':
      return mkNum(x - y * Math.floor(x / y), float); // Python's modulo takes the sign of the divisor
    case '**':
      return mkNum(x ** y, float || y < 0);
  }
  throw templateError(`unknown operator ${op}`);
}

/** `'-' * 3`, `[1] * 3`, `3 * 'x'`: repetition by an int, within the memory budget. */
function repeat(seq: unknown, n: unknown): unknown {
  if (typeof seq !== 'string' && !Array.isArray(seq)) return undefined;
  if (typeof n === 'boolean') n = n ? 1 : 0;
  if (typeof n !== 'number' || !Number.isInteger(n)) return undefined;
  const count = Math.max(0, n);
  if (typeof seq === 'string') {
    charge(seq.length * count, 'repeating a string');
    return seq.repeat(count);
  }
  chargeItems(seq.length * count, 'repeating a list');
  const out: unknown[] = new Array(seq.length * count);
  for (let i = 0; i < count; i++) for (let j = 0; j < seq.length; j++) out[i * seq.length + j] = seq[j];
  return out;
}

/** What `*x` spreads into positional arguments, as Python iterates it: a list's items, a string's characters, a mapping's keys. */
function unpacked(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return dictKeys(v);
  throw templateError(`* takes a list, not ${typeName(v)}`, 'unpack a list: f(*[a, b])');
}

/** Positional and keyword arguments of a filter, test, method or function call; `*list` and `**mapping` unpack into them. */
function callArgs(nodes: Node[], ctx: Ctx, keepUndefined = false): { args: unknown[]; kw: Kwargs } {
  const args: unknown[] = [];
  const kw: Kwargs = {};
  for (const n of nodes) {
    if (n.type === 'StarArgument') {
      const v = strict(n.argument as Node, ctx);
      if (n.double) {
        if (!isMapping(v)) throw templateError(`** takes a mapping, not ${typeName(v)}`, 'unpack a dict: f(**{"key": value})');
        for (const k of dictKeys(v)) {
          if (Object.hasOwn(kw, k)) throw templateError(`got multiple values for keyword argument '${k}'`);
          setKey(kw, k, v[k]);
        }
      } else args.push(...unpacked(v));
    } else if (n.type === 'BinaryExpression' && n.operator === '=') {
      const k = n.left as Node;
      if (k.type !== 'Identifier') throw templateError('a keyword argument needs a name: name=value');
      const v = value(n.right as Node, ctx);
      setKey(kw, k.name as string, keepUndefined ? v : need(v));
    } else {
      if (Object.keys(kw).length) throw templateError('positional argument after a keyword argument');
      const v = value(n, ctx);
      args.push(keepUndefined ? v : need(v));
    }
  }
  return { args, kw };
}

/** `ansible.builtin.default` and `default` are the same filter. */
function calleeName(n: Node, what: string): string {
  if (n.type === 'Identifier') return n.name as string;
  if (n.type === 'MemberExpression' && !n.computed) return (n.property as Node).name as string;
  throw templateError(`expected a ${what} name after ${what === 'filter' ? "'|'" : "'is'"}`);
}

function applyFilterNode(L: Node, R: Node, ctx: Ctx): unknown {
  const isCall = R.type === 'CallExpression';
  const name = calleeName(isCall ? (R.callee as Node) : R, 'filter');
  const f = filters[name];
  if (!Object.hasOwn(filters, name) || !f) {
    throw templateError(`no filter named '${name}'`, 'see docs/expressions.md for the supported filters; custom Jinja plugins are not supported');
  }
  const input = value(L, ctx);
  const { args, kw } = isCall ? callArgs(R.arguments as Node[], ctx, f.lazyArgs) : { args: [], kw: {} };
  let out: unknown;
  try {
    out = f.fn(f.undefinedOk ? input : need(input), args, kw, env(ctx));
    if (out !== input) chargeValue(out, `filter '${name}'`);
  } catch (e) {
    throw wrap(e, `filter '${name}'`);
  }
  // A filter given hostvars (extract) hands back variables as written: render their templates
  // now, before the result is tagged as data. Host data among them is unsafe text and stays text.
  return isComputedMapping(input) || args.some(isComputedMapping) ? deep(out, ctx) : out;
}

function applyTestNode(L: Node, R: Node, ctx: Ctx): boolean {
  let negate = false;
  while (R.type === 'UnaryExpression' && R.operator === 'not') {
    negate = !negate;
    R = R.argument as Node;
  }
  let name: string;
  let argNodes: Node[] = [];
  if (R.type === 'Literal' && (R.value === null || typeof R.value === 'boolean')) name = R.value === null ? 'none' : String(R.value);
  else if (R.type === 'CallExpression') {
    name = calleeName(R.callee as Node, 'test');
    argNodes = R.arguments as Node[];
  } else name = calleeName(R, 'test');
  const t = tests[name];
  if (!Object.hasOwn(tests, name) || !t) throw templateError(`no test named '${name}'`, 'see docs/expressions.md for the supported tests (is defined, is match(...), is failed, ...)');
  const input = value(L, ctx);
  const { args, kw } = callArgs(argNodes, ctx);
  let r: boolean;
  try {
    r = t.fn(t.undefinedOk ? input : need(input), args, kw, env(ctx));
  } catch (e) {
    throw wrap(e, `test '${name}'`);
  }
  return negate ? !r : r;
}

function call(node: Node, ctx: Ctx): unknown {
  const callee = node.callee as Node;
  if (callee.type === 'MemberExpression' && !callee.computed) {
    const self = strict(callee.object as Node, ctx);
    const name = (callee.property as Node).name as string;
    const { args, kw } = callArgs(node.arguments as Node[], ctx);
    const out = callMethod(self, name, args, kw);
    if (out !== self) chargeValue(out, `method '${name}'`);
    return out;
  }
  if (callee.type === 'Identifier') {
    const name = callee.name as string;
    const macro = ctx.locals?.get(name);
    if (macro instanceof JinjaMacro) {
      // A {% macro %}: arguments go in as they are, undefined ones included (Jinja passes them).
      const { args, kw } = callArgs(node.arguments as Node[], ctx, true);
      const out = macro.call(args, kw);
      chargeValue(out, `macro '${macro.name}'`);
      return out;
    }
    const fn = functions[name];
    if (!Object.hasOwn(functions, name) || !fn) throw templateError(`no function named '${name}'`, 'the functions are range(), dict(), lookup(), query() and q(); see docs/expressions.md');
    const { args, kw } = callArgs(node.arguments as Node[], ctx);
    const out = fn(args, kw, ctx);
    chargeValue(out, `${name}()`);
    return out;
  }
  throw templateError('only methods of values (x.split(",")) and a few functions (range) can be called');
}

function wrap(e: unknown, where: string): unknown {
  if (e instanceof TsplayError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return templateError(`${where}: ${msg}`);
}


function env(ctx: Ctx): Env {
  return {
    ctx,
    filter(name, input, args = [], kw = {}) {
      const f = Object.hasOwn(filters, name) ? filters[name] : undefined;
      if (!f) throw unknownPlugin('filter', name);
      // Filters that call filters, tests or attributes per item (map, select, sort by attribute) count per call.
      tick();
      const out = f.fn(input, args, kw, this);
      if (out !== input) chargeValue(out, `filter '${name}'`);
      return out;
    },
    test(name, input, args = [], kw = {}) {
      const t = Object.hasOwn(tests, name) ? tests[name] : undefined;
      if (!t) throw unknownPlugin('test', name);
      tick();
      return t.fn(input, args, kw, this);
    },
    attr(obj, path) {
      tick();
      let cur: unknown = obj;
      for (const part of path.split('.')) {
        if (cur instanceof Undef) return cur;
        const v = getProp(cur, /^\d+$/.test(part) && Array.isArray(cur) ? Number(part) : part);
        cur = v === undefined ? new Undef(path, `an item has no attribute '${path}'`) : deep(lazy(v, part, ctx), ctx);
      }
      return cur;
    },
  };
}

export { isMapping };

/**
 * A filter or test named by a string (`map('x')`, `selectattr('a', 'x')`)
 * that is not there. A name that cannot be a plugin's (`'asdf '`) gets
 * Ansible's own words, which playbooks compare; any other, Jinja's.
 */
function unknownPlugin(kind: 'filter' | 'test', name: string): Error {
  const full = name.includes('.') ? name : `ansible.builtin.${name}`;
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*){2,}$/.test(full)) return templateError(`TemplateSyntaxError: Could not load "${name}": 'invalid plugin name: ${full}'`);
  return templateError(`no ${kind} named '${name}'`);
}
