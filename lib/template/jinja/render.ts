// Renders Jinja: every user-written template, a task argument's string as
// well as a `template` module file, goes through this one interpreter. Text,
// `{{ }}` expressions, statements (`{% if %}`, `{% for %}`, `{% set %}`,
// macros) and comments; every expression goes through the same evaluator,
// filters and tests as conditions do.

import type { Ctx } from '../context.js';
import { evaluateSource } from '../evaluator.js';
import { Undef, need, templateError, toList, toStr, pythonTruthy, tuple } from '../values.js';
import type { Kwargs } from '../context.js';
import { ownValue, ownedScope } from '../methods.js';
import { JinjaMacro } from './macro.js';
import { TsplayError } from '../../errors.js';
import { LockedVaultError } from '../../vault/locked.js';
import { charge, tick } from '../limits.js';
import { DEFAULT_LEX, where, type LexOptions, type Pos } from './lexer.js';
import { parseJinja, type JNode, type MacroParam, type MacroUses } from './parse.js';

/** The name a {% call %} block's caller is bound to while its macro is called (not a name templates can write: it is never in their scope). */
const CALLER = '__tsplay_caller__';

const cache = new Map<string, JNode[]>();

/**
 * Whether `{{ }}` expressions read string literals as Ansible reads them in a
 * string template (a task argument, a variable): a backslash is literal there,
 * because Ansible doubles backslashes inside `{{ }}` before Jinja reads the
 * string (_escape_backslashes), never inside `{% %}` and never in a template
 * file. Set for the length of one render (renders nest: a lazy variable).
 */
let literalBackslashes = false;

class Scope {
  readonly names = new Map<string, unknown>();
  constructor(readonly parent?: Scope) {}
  locals(base: ReadonlyMap<string, unknown> | undefined): Map<string, unknown> {
    const chain: Scope[] = [];
    for (let s: Scope | undefined = this; s; s = s.parent) chain.unshift(s);
    const out = new Map(base ?? []);
    for (const s of chain) for (const [k, v] of s.names) out.set(k, v);
    return out;
  }
}

function at(pos: Pos, e: unknown): never {
  // A vault value that cannot be decrypted is the value's failure, not the template's: Ansible's words alone.
  if (e instanceof LockedVaultError) throw e;
  if (e instanceof TsplayError) {
    if (!/\bline \d+, column \d+/.test(e.message)) e.message = `${e.message} (${where(pos)})`;
    throw e;
  }
  throw templateError(`${(e as Error).message} (${where(pos)})`);
}

function evalAt(src: string, pos: Pos, ctx: Ctx, scope: Scope, inExpression = false): unknown {
  try {
    return need(evaluateSource(src, { ...ctx, locals: scope.locals(ctx.locals) }, inExpression && literalBackslashes));
  } catch (e) {
    return at(pos, e);
  }
}

/** How deep macros may call each other (or themselves): as deep as includes may nest. */
export const MAX_MACRO_DEPTH = 64;
let macroDepth = 0;

/**
 * A macro as Jinja 3 builds it: positional then keyword arguments, defaults
 * evaluated at each call in the macro's scope (earlier parameters visible),
 * missing ones undefined; extra arguments only when the body uses `varargs`
 * / `kwargs`; `caller` when it is called from a `{% call %}` block. The body
 * sees the scope the macro was defined in (the template's variables and
 * top-level sets, at call time), never the caller's loop variables.
 */
function makeMacro(name: string, params: MacroParam[], body: JNode[], uses: MacroUses, ctx: Ctx, defScope: Scope): JinjaMacro {
  return new JinjaMacro(name, (args: unknown[], kw: Kwargs) => {
    const kwargs: Kwargs = {};
    for (const k of Object.keys(kw)) Object.defineProperty(kwargs, k, { value: kw[k], enumerable: true, writable: true, configurable: true });
    const inner = new Scope(defScope);
    const missing: MacroParam[] = [];
    params.forEach((p, i) => {
      if (i < args.length) inner.names.set(p.name, args[i]);
      else if (Object.hasOwn(kwargs, p.name)) {
        inner.names.set(p.name, kwargs[p.name]);
        delete kwargs[p.name];
      } else missing.push(p);
    });
    if (uses.caller && !params.some((p) => p.name === 'caller')) {
      const c = Object.hasOwn(kwargs, 'caller') ? kwargs.caller : undefined;
      delete kwargs.caller;
      inner.names.set('caller', c ?? new Undef('caller', 'No caller defined'));
    } else if (Object.hasOwn(kwargs, 'caller') && !uses.kwargs) {
      delete kwargs.caller; // a {% call %} of a macro that never calls caller()
    }
    const extraKw = Object.keys(kwargs);
    if (uses.kwargs) inner.names.set('kwargs', ownValue(kwargs));
    else if (extraKw.length) throw templateError(`macro '${name}' takes no keyword argument '${extraKw[0]}'`);
    if (uses.varargs) inner.names.set('varargs', tuple(args.slice(params.length)));
    else if (args.length > params.length) throw templateError(`macro '${name}' takes not more than ${params.length} argument(s)`);
    if (macroDepth >= MAX_MACRO_DEPTH) {
      throw templateError(`macro '${name}' nests deeper than ${MAX_MACRO_DEPTH} calls`, 'a macro that calls itself needs a condition that ends the recursion');
    }
    macroDepth++;
    try {
      for (const p of missing) {
        inner.names.set(p.name, p.dflt === undefined ? new Undef(p.name, `parameter '${p.name}' was not provided`) : evaluateSource(p.dflt, { ...ctx, locals: inner.locals(ctx.locals) }));
      }
      const out: string[] = [];
      run(body, ctx, inner, out);
      return out.join('');
    } finally {
      macroDepth--;
    }
  });
}

function run(nodes: readonly JNode[], ctx: Ctx, scope: Scope, out: string[]): void {
  for (const n of nodes) {
    // Every statement, in every loop iteration, counts against the evaluation's time budget (limits.ts).
    tick();
    switch (n.kind) {
      case 'text':
        charge(n.text.length, 'the rendered text');
        out.push(n.text);
        break;
      case 'expr': {
        const text = toStr(evalAt(n.src, n.pos, ctx, scope, true));
        charge(text.length, 'the rendered text');
        out.push(text);
        break;
      }
      case 'set':
        scope.names.set(n.name, evalAt(n.src, n.pos, ctx, scope));
        break;
      case 'macro':
        scope.names.set(n.name, makeMacro(n.name, n.params, n.body, n.uses, ctx, scope));
        break;
      case 'call': {
        // The block is a macro named caller, defined where the call is (it sees the loop variables there).
        const inner = new Scope(scope);
        inner.names.set(CALLER, makeMacro('caller', n.params, n.body, n.uses, ctx, scope));
        const open = n.src.indexOf('(');
        const argsSrc = n.src.slice(open + 1, -1).trim().replace(/,\s*$/, '');
        const src = `${n.src.slice(0, open)}(${argsSrc}${argsSrc ? ', ' : ''}caller=${CALLER})`;
        const v = evalAt(src, n.pos, ctx, inner);
        out.push(toStr(v));
        break;
      }
      case 'if': {
        const hit = n.branches.find((b) => pythonTruthy(evalAt(b.cond, b.pos, ctx, scope)));
        // An if is no scope in Jinja: a set inside it is seen after endif.
        if (hit) run(hit.body, ctx, scope, out);
        else if (n.otherwise) run(n.otherwise, ctx, scope, out);
        break;
      }
      case 'for': {
        let items: unknown[];
        try {
          items = toList(evalAt(n.iter, n.pos, ctx, scope), `'${n.iter}'`);
        } catch (e) {
          return at(n.pos, e);
        }
        const inner = new Scope(scope);
        const bind = (item: unknown) => {
          if (n.targets.length === 1) inner.names.set(n.targets[0]!, item);
          else {
            const parts = toList(item, 'loop item');
            if (parts.length !== n.targets.length) at(n.pos, templateError(`cannot unpack ${parts.length} values into ${n.targets.join(', ')}`));
            n.targets.forEach((t, k) => inner.names.set(t, parts[k]));
          }
        };
        if (n.filter) {
          items = items.filter((it) => {
            bind(it);
            return pythonTruthy(evalAt(n.filter!, n.pos, ctx, inner));
          });
        }
        if (items.length === 0) {
          if (n.otherwise) run(n.otherwise, ctx, scope, out);
          break;
        }
        const length = items.length;
        items.forEach((item, index0) => {
          bind(item);
          inner.names.set('loop', {
            index: index0 + 1,
            index0,
            revindex: length - index0,
            revindex0: length - index0 - 1,
            first: index0 === 0,
            last: index0 === length - 1,
            length,
            previtem: index0 > 0 ? items[index0 - 1] : undefined,
            nextitem: index0 < length - 1 ? items[index0 + 1] : undefined,
          });
          run(n.body, ctx, inner, out);
        });
        break;
      }
    }
  }
}

export const trailingNewlines = (s: string) => /\n*$/.exec(s)![0].length;

/** The template's tree, parsed once per source and settings. */
export function jinjaTree(src: string, options: Readonly<LexOptions> = DEFAULT_LEX): readonly JNode[] {
  const key = options === DEFAULT_LEX ? src : JSON.stringify(options) + '\0' + src;
  let tree = cache.get(key);
  if (!tree) {
    tree = parseJinja(src, options);
    if (cache.size > 2000) cache.clear();
    cache.set(key, tree);
  }
  return tree;
}

/**
 * Renders a parsed template to Jinja's text (the source's last newline
 * dropped, as Jinja does). `stringTemplate`: the template is a string of a
 * playbook or variable, where a backslash inside `{{ }}` is literal.
 */
export function renderTree(tree: readonly JNode[], ctx: Ctx, stringTemplate: boolean): string {
  const out: string[] = [];
  const saved = literalBackslashes;
  literalBackslashes = stringTemplate;
  try {
    // One generation for the whole render: a {% set %} list or dict may be changed by later statements.
    ownedScope(() => run(tree, ctx, new Scope(), out));
  } finally {
    literalBackslashes = saved;
  }
  return out.join('');
}

/** Evaluates the one `{{ expr }}` of a string template: its value as it is, before it is printed. */
export function evaluateExpressionNode(node: Extract<JNode, { kind: 'expr' }>, ctx: Ctx): unknown {
  return need(evaluateSource(node.src, ctx, true));
}

/**
 * Renders a template file to text. As Ansible's templating does, the
 * source's trailing newlines are kept (Jinja alone would drop the last one).
 */
export function renderJinja(src: string, ctx: Ctx, options: Readonly<LexOptions> = DEFAULT_LEX): string {
  let text = renderTree(jinjaTree(src, options), ctx, false);
  const want = trailingNewlines(src.replace(/\r\n?/g, '\n'));
  const have = trailingNewlines(text);
  if (want > have) text += options.newlineSequence.repeat(want - have);
  return text;
}
