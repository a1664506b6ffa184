/**
 * Renders template strings. Handlebars (an isolated instance, strict, no
 * HTML escaping) assembles the string and runs the blocks; every `{{ expr }}`
 * is handed to the expression evaluator, so templates and conditions share
 * one language. A template that is exactly one `{{ expr }}` skips Handlebars
 * and returns the value itself (a list stays a list).
 */
import Handlebars from 'handlebars';
import { TsplayError } from '../errors.js';
import type { Ctx } from './context.js';
import { deep, evaluateSource, isTemplatedString } from './evaluator.js';
import { translate } from './translate.js';
import { hasJinjaStatements, renderJinja } from './jinja/render.js';
import { need, templateError, toStr, truthy, type Vars } from './values.js';

const hbs = Handlebars.create();
// Jinja truthiness for blocks: an empty dict is false, the string 'false' is true.
hbs.registerHelper('if', function (this: unknown, cond: unknown, options: Handlebars.HelperOptions) {
  return truthy(cond) ? options.fn(this) : options.inverse(this);
});
hbs.registerHelper('unless', function (this: unknown, cond: unknown, options: Handlebars.HelperOptions) {
  return truthy(cond) ? options.inverse(this) : options.fn(this);
});

interface Compiled {
  t: ReturnType<typeof translate>;
  run?: Handlebars.TemplateDelegate;
}

const cache = new Map<string, Compiled>();
const CACHE_MAX = 20000;

function compile(src: string): Compiled {
  const hit = cache.get(src);
  if (hit) return hit;
  const c: Compiled = { t: translate(src) };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(src, c);
  return c;
}

function handlebars(c: Compiled, src: string): Handlebars.TemplateDelegate {
  if (c.run) return c.run;
  try {
    c.run = hbs.compile(c.t.source, { strict: true, noEscape: true, knownHelpers: { __e: true, __v: true, if: true, unless: true, each: true, with: true } });
    return c.run;
  } catch (e) {
    throw templateError(`template syntax error in "${src}": ${(e as Error).message.split('\n')[0]}`, 'check that every {{#block}} has its {{/block}}');
  }
}

const DATA_VARS = ['index', 'key', 'first', 'last'];

/**
 * Renders a template. `native`: a single-expression template returns its
 * value (list, dict, number) instead of its text.
 */
export function renderTemplate(src: string, ctx: Ctx, native: boolean): unknown {
  if (hasJinjaStatements(src)) return renderJinja(src, ctx);
  if (!isTemplatedString(src)) return src;
  const c = compile(src);
  if (c.t.single !== undefined) {
    const v = need(evaluateSource(c.t.single, ctx));
    // Whitespace around a single expression is kept when the value is text ("{{ motd }}\n").
    if (native && (typeof v !== 'string' || src.trim() === src)) return v;
    if (src.trim() === src) return toStr(v);
  }
  const evalAt = (self: unknown, idx: number, options: Handlebars.HelperOptions): unknown => {
    const locals = new Map<string, unknown>(ctx.locals ?? []);
    locals.set('this', self);
    const data = options.data as Record<string, unknown> | undefined;
    for (const k of DATA_VARS) if (data && data[k] !== undefined) locals.set(`@${k}`, data[k]);
    for (const [k, v] of Object.entries(options.hash ?? {})) locals.set(k, v);
    return need(evaluateSource(c.t.exprs[idx], { ...ctx, locals }));
  };
  const helpers = {
    __e(this: unknown, idx: number, options: Handlebars.HelperOptions) {
      return toStr(evalAt(this, idx, options));
    },
    __v(this: unknown, idx: number, options: Handlebars.HelperOptions) {
      return evalAt(this, idx, options);
    },
  };
  try {
    return handlebars(c, src)(ctx.vars, { helpers, allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  } catch (e) {
    if (e instanceof TsplayError) throw e;
    throw templateError(`cannot render "${src}": ${(e as Error).message.split('\n')[0]}`);
  }
}

export function makeCtx(vars: Vars): Ctx {
  return { vars, stack: [], renderLazy: (s, c) => deep(renderTemplate(s, c, true), c) };
}
