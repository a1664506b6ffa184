/**
 * Renders template strings. Handlebars (an isolated instance, strict, no
 * HTML escaping) assembles the string and runs the blocks; every `{{ expr }}`
 * is handed to the expression evaluator, so templates and conditions share
 * one language. A template that is one `{{ expr }}` skips Handlebars.
 *
 * The result is typed as Ansible 2.14 types it (jinja2_native off): text,
 * turned back into data only when the text is a Python list or dict literal
 * or exactly True/False (`ansible_eval_concat`). See docs/expressions.md.
 */
import Handlebars from 'handlebars';
import { TsplayError } from '../errors.js';
import type { Ctx } from './context.js';
import { deep, evaluateSource, isTemplatedString, lazy } from './evaluator.js';
import { charge } from './limits.js';
import { literalEval, NOT_LITERAL } from './literal.js';
import { isNumeric } from './numbers.js';
import { parse, type Node } from './parser.js';
import { translate } from './translate.js';
import { hasJinjaStatements, renderJinja } from './jinja/render.js';
import { provideLookupTemplateEngine } from './lookups/index.js';
import { asData, getProp, need, templateError, toStr, truthy, type Vars } from './values.js';

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

/** Ansible's shortcut for a template that is one variable name: a number, bool or None comes back as it is. */
const SINGLE_VAR = /^\{\{\s*([\p{L}\p{N}_]*)\s*\}\}\n?$/u;

/** Ansible's STRING_TYPE_FILTERS: their text is never turned back into data. */
const STRING_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

/**
 * Renders a template as Ansible's Templar.template does. `native`
 * (Ansible's convert_data): the text becomes a value when it is a Python
 * literal list or dict, or True/False; and a template that is just one
 * variable holding a number, a bool or None returns it as it is. Otherwise
 * (and always without `native`) the result is text: each `{{ }}` prints as
 * Python's str() would, None as nothing.
 */
export function renderTemplate(src: string, ctx: Ctx, native: boolean): unknown {
  if (hasJinjaStatements(src)) return native ? textToData(renderJinja(src, ctx)) : renderJinja(src, ctx);
  if (!isTemplatedString(src)) return src;
  if (native) {
    const m = SINGLE_VAR.exec(src);
    if (m && m[1] && !ctx.locals?.has(m[1])) {
      const v = getProp(ctx.vars, m[1]);
      if (v === null || isNumeric(v)) return v;
    }
  }
  // Jinja drops one trailing newline of the source; Ansible puts back as many as the source had.
  const newlines = trailingNewlines(src);
  const body = src.endsWith('\r\n') ? src.slice(0, -2) : src.endsWith('\n') ? src.slice(0, -1) : src;
  let text: string;
  let keepText = false;
  const c = compile(body);
  if (c.t.single !== undefined) {
    const v = need(evaluateSource(c.t.single, ctx, true));
    const [before, after] = around(body);
    text = before + toStr(v) + after;
    // A string-type filter's text is kept only when it is the whole template (a single output node in Jinja).
    keepText = before === '' && after === '' && typeof v === 'string' && stringFilterAtTop(c.t.single);
  } else {
    text = renderBlocks(c, body, ctx);
  }
  charge(text.length, 'the text of a template');
  if (native && !keepText) {
    const v = textToData(text);
    if (v !== text) return v;
  }
  const missing = newlines - trailingNewlines(text);
  return missing > 0 ? text + '\n'.repeat(missing) : text;
}

/**
 * Ansible's convert_data: a template's text that reads as a Python list or
 * dict literal, or True/False, becomes that value; any other text stays text.
 * The text was rendered once: the value made from it is data, never rendered again.
 */
function textToData(text: string): unknown {
  if (!(text.startsWith('[') || text.startsWith('{') || text === 'True' || text === 'False')) return text;
  const v = literalEval(text);
  return v === NOT_LITERAL ? text : asData(v);
}

function trailingNewlines(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\n'; i--) n++;
  return n;
}

/** The text around the one mustache of a single-expression template, after whitespace control. */
function around(body: string): [string, string] {
  const start = body.indexOf('{{');
  const end = body.lastIndexOf('}}') + 2;
  const stripBefore = body[start + 2] === '-' || body[start + 2] === '~';
  const stripAfter = body[end - 3] === '-' || body[end - 3] === '~';
  return [stripBefore ? '' : body.slice(0, start), stripAfter ? '' : body.slice(end)];
}

const stringFilterCache = new Map<string, boolean>();

/** Whether the expression's value comes from a string-type filter (`x | to_json`, also behind `| default(...)`). */
function stringFilterAtTop(expr: string): boolean {
  let hit = stringFilterCache.get(expr);
  if (hit === undefined) {
    hit = isStringFilter(parse(expr));
    if (stringFilterCache.size > 5000) stringFilterCache.clear();
    stringFilterCache.set(expr, hit);
  }
  return hit;
}

function isStringFilter(node: Node): boolean {
  if (node.type === 'Group') return isStringFilter(node.expression as Node);
  if (node.type !== 'BinaryExpression' || node.operator !== '|') return false;
  let callee = node.right as Node;
  if (callee.type === 'CallExpression') callee = callee.callee as Node;
  const name = callee.type === 'Identifier' ? (callee.name as string) : callee.type === 'MemberExpression' && !callee.computed ? ((callee.property as Node).name as string) : '';
  if (STRING_FILTERS.has(name)) return true;
  return (name === 'default' || name === 'd') && isStringFilter(node.left as Node);
}

/** A template with text around its expressions, or blocks: Handlebars assembles it. */
function renderBlocks(c: Compiled, src: string, ctx: Ctx): string {
  const evalAt = (self: unknown, idx: number, options: Handlebars.HelperOptions): unknown => {
    const locals = new Map<string, unknown>(ctx.locals ?? []);
    locals.set('this', self);
    const data = options.data as Record<string, unknown> | undefined;
    for (const k of DATA_VARS) if (data && data[k] !== undefined) locals.set(`@${k}`, data[k]);
    for (const [k, v] of Object.entries(options.hash ?? {})) locals.set(k, v);
    return need(evaluateSource(c.t.exprs[idx], { ...ctx, locals }, true));
  };
  const helpers = {
    __e(this: unknown, idx: number, options: Handlebars.HelperOptions) {
      const s = toStr(evalAt(this, idx, options));
      charge(s.length, 'the text of a template');
      return s;
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
  return { vars, stack: [], renderLazy: (s, c) => deep(renderTemplate(s, c, true), c), memo: new Map(), deepMemo: new WeakMap() };
}

// The lookups read variables and render templates through this engine (lookups/index.ts says why it is given here).
provideLookupTemplateEngine({
  value: (v, name, ctx, authored) => deep(lazy(v, name, ctx, authored), ctx),
  render: (text, vars) => toStr(renderTemplate(text, makeCtx(vars), false)),
});
