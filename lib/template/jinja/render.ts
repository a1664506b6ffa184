// Renders a Jinja template with statements. Handlebars, which renders
// tsplay's other templates, has no assignment and makes every block a scope,
// so `{% set %}` inside `{% if %}` (kubelet-config.yaml.j2 picks its DNS list
// that way) cannot be expressed with it; statements are interpreted here
// instead, and every expression goes through the same evaluator, filters and
// tests as all other templates.

import type { Ctx } from '../context.js';
import { evaluateSource } from '../evaluator.js';
import { need, templateError, toList, toStr, truthy } from '../values.js';
import { TsplayError } from '../../errors.js';
import { where, type Pos } from './lexer.js';
import { parseJinja, type JNode } from './parse.js';

const cache = new Map<string, JNode[]>();

/** Whether the text needs this renderer: statements or comments (`{{#each}}` is a Handlebars block, not a comment). */
export function hasJinjaStatements(src: string): boolean {
  return src.includes('{%') || /(^|[^{])\{#/.test(src);
}

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
  if (e instanceof TsplayError) {
    if (!/\bline \d+, column \d+/.test(e.message)) e.message = `${e.message} (${where(pos)})`;
    throw e;
  }
  throw templateError(`${(e as Error).message} (${where(pos)})`);
}

function evalAt(src: string, pos: Pos, ctx: Ctx, scope: Scope): unknown {
  try {
    return need(evaluateSource(src, { ...ctx, locals: scope.locals(ctx.locals) }));
  } catch (e) {
    return at(pos, e);
  }
}

function run(nodes: readonly JNode[], ctx: Ctx, scope: Scope, out: string[]): void {
  for (const n of nodes) {
    switch (n.kind) {
      case 'text':
        out.push(n.text);
        break;
      case 'expr':
        out.push(toStr(evalAt(n.src, n.pos, ctx, scope)));
        break;
      case 'set':
        scope.names.set(n.name, evalAt(n.src, n.pos, ctx, scope));
        break;
      case 'if': {
        const hit = n.branches.find((b) => truthy(evalAt(b.cond, b.pos, ctx, scope)));
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
            return truthy(evalAt(n.filter!, n.pos, ctx, inner));
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

const trailingNewlines = (s: string) => /\n*$/.exec(s)![0].length;

/**
 * Renders the template to text. As Ansible's templating does, the source's
 * trailing newlines are kept (Jinja alone would drop the last one).
 */
export function renderJinja(src: string, ctx: Ctx): string {
  let tree = cache.get(src);
  if (!tree) {
    tree = parseJinja(src);
    if (cache.size > 2000) cache.clear();
    cache.set(src, tree);
  }
  const out: string[] = [];
  run(tree, ctx, new Scope(), out);
  let text = out.join('');
  const want = trailingNewlines(src.replace(/\r\n?/g, '\n'));
  const have = trailingNewlines(text);
  if (want > have) text += '\n'.repeat(want - have);
  return text;
}
