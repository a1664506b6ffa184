/**
 * Renders template strings: every string a user writes (task arguments,
 * variables, conditions in `{{ }}`) is Jinja, rendered by the one Jinja
 * interpreter (jinja/render.ts) that also renders `template` files.
 *
 * The result is typed as Ansible 2.14 types it (jinja2_native off): text,
 * turned back into data only when the text is a Python list or dict literal
 * or exactly True/False (`ansible_eval_concat`). See docs/expressions.md.
 */
import type { Ctx } from './context.js';
import { deep, evaluateSource, isTemplatedString, lazy } from './evaluator.js';
import { charge } from './limits.js';
import { ANSIBLE_CONCAT, literalEval, NOT_LITERAL, type LiteralOptions } from './literal.js';
import { isNumeric } from './numbers.js';
import { parse, type Node } from './parser.js';
import { evaluateExpressionNode, jinjaTree, renderTree, trailingNewlines } from './jinja/render.js';
import { DEFAULT_LEX, type LexOptions } from './jinja/lexer.js';
import { provideLookupTemplateEngine } from './lookups/index.js';
import { asData, getProp, toStr, type Vars } from './values.js';

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
export function renderTemplate(src: string, ctx: Ctx, native: boolean, options: Readonly<LexOptions> = DEFAULT_LEX): unknown {
  // Ansible's is_possibly_template: a comment opener alone makes a template too.
  if (options === DEFAULT_LEX && !src.includes('{#') && !isTemplatedString(src)) return src;
  if (native) {
    const m = SINGLE_VAR.exec(src);
    if (m && m[1] && !ctx.locals?.has(m[1])) {
      const v = getProp(ctx.vars, m[1]);
      if (v === null || isNumeric(v)) return v;
    }
  }
  const tree = jinjaTree(src, options);
  let text: string;
  let keepText = false;
  const only = tree.length === 1 ? tree[0] : undefined;
  if (only?.kind === 'expr') {
    // One output node: Jinja hands its value to the concat function as it is (a string filter's text stays text).
    const v = evaluateExpressionNode(only, ctx);
    text = toStr(v);
    keepText = typeof v === 'string' && stringFilterAtTop(only.src);
  } else {
    text = renderTree(tree, ctx, true);
  }
  charge(text.length, 'the text of a template');
  if (native && !keepText) {
    const v = textToData(text);
    if (v !== text) return v;
  }
  // Jinja drops one trailing newline of the source; Ansible puts back as many as the source had.
  const missing = trailingNewlines(src.replace(/\r\n?/g, '\n')) - trailingNewlines(text);
  return missing > 0 ? text + options.newlineSequence.repeat(missing) : text;
}

/**
 * How a template's text is read back as data. Ansible reads it with
 * literal_eval, so `('a', 1)` inside a list is a tuple; but every use of a
 * variable goes through its templar again (AnsibleJ2Vars), which rebuilds
 * each tuple as a list. A template's value only ever reaches a task as a
 * variable (an argument, a fact, a loop item), so tuples in the text are
 * read as lists here: a loop over `zip(a, b) | list` gets `['a', 1]`.
 */
const TEMPLATE_RESULT: LiteralOptions = { ...ANSIBLE_CONCAT, tuple: (items) => items };

/**
 * Ansible's convert_data: a template's text that reads as a Python list or
 * dict literal, or True/False, becomes that value; any other text stays text
 * (a lone tuple's text `('a', 1)` too). The text was rendered once: the value
 * made from it is data, never rendered again.
 */
function textToData(text: string): unknown {
  if (!(text.startsWith('[') || text.startsWith('{') || text === 'True' || text === 'False')) return text;
  const v = literalEval(text, TEMPLATE_RESULT);
  return v === NOT_LITERAL ? text : asData(v);
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

export function makeCtx(vars: Vars): Ctx {
  return { vars, stack: [], renderLazy: (s, c) => deep(renderTemplate(s, c, true), c), memo: new Map(), deepMemo: new WeakMap() };
}

// The lookups read variables and render templates through this engine (lookups/index.ts says why it is given here).
provideLookupTemplateEngine({
  value: (v, name, ctx, authored) => deep(lazy(v, name, ctx, authored), ctx),
  render: (text, vars, options) => toStr(renderTemplate(text, makeCtx(vars), false, options)),
  context: (vars) => makeCtx(vars),
});
