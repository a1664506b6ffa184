/**
 * Templating and conditions: Jinja templates in strings (text, `{{ expr }}`,
 * `{% %}` statements, rendered by one interpreter), a safe expression
 * language for `when` and friends. See docs/expressions.md.
 */
import { dictKeys } from '../util/dict-order.js';
import { condition, locate, type ConditionOptions } from './condition.js';
import { evaluateSource } from './evaluator.js';
import { withBudget } from './limits.js';
import { plainData } from './numbers.js';
import { makeCtx, renderTemplate } from './render.js';
import { need, setKey, toStr, type Vars } from './values.js';
import type { Ctx } from './context.js';

export type { Vars } from './values.js';
export type { ConditionOptions } from './condition.js';
export { filters, type FilterDef } from './filters.js';
export { tests, type TestDef } from './tests.js';

/**
 * Renders every string inside value (objects, arrays, nested) as Ansible
 * 2.14 does (jinja2_native off): a template's result is text, turned back
 * into data when the text is a Python list or dict literal or True/False,
 * so `loop: "{{ groups.etcd }}"` gets a list and `"{{ 8000 + 1 }}"` the
 * string '8001'; a template that is one variable holding a number, bool or
 * None returns it as it is. Non-strings are returned as they are (copied only
 * where they contain templates).
 */
export function renderValue(value: unknown, vars: Vars): unknown {
  return withBudget(() => renderIn(value, makeCtx(vars)));
}

function renderIn(value: unknown, ctx: Ctx): unknown {
  if (typeof value === 'string') return guarded(value, () => plainData(renderTemplate(value, ctx, true)));
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((x, i) => {
      const r = renderIn(x, ctx);
      if (r !== x) (out ??= value.slice())[i] = r;
    });
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    // A rendered key keeps its place: the dict is rebuilt in its order, as Ansible's templar builds a new one.
    const entries = dictKeys(obj).map((k): [string, string, unknown] => [k, isTemplated(k) ? toStr(renderIn(k, ctx)) : k, renderIn(obj[k], ctx)]);
    if (entries.every(([k, rk, rv]) => rk === k && rv === obj[k])) return value;
    const out: Record<string, unknown> = {};
    for (const [, rk, rv] of entries) setKey(out, rk, rv);
    return out;
  }
  return value;
}

export function renderString(template: string, vars: Vars): string {
  return guarded(template, () => toStr(renderTemplate(template, makeCtx(vars), false)));
}

/**
 * `when`, `changed_when`, `failed_when`, `until`: a bare expression (no
 * braces), a boolean, or a list of them (all must hold). A `{{ }}`-wrapped
 * expression is tolerated, as Ansible does, with a warning through `opts.warn`.
 * Truthiness is Python's: '', 0, [], {}, None are false; the string 'false'
 * is true unless filtered with `| bool`.
 */
export function evaluateCondition(expr: unknown, vars: Vars, opts: ConditionOptions = {}): boolean {
  return guarded(String(expr), () => condition(expr, makeCtx(vars), opts));
}

/** The value of a bare expression (`groups['etcd'] | length`), untyped by templating: a number stays a number. */
export function evaluateExpression(expr: string, vars: Vars): unknown {
  return guarded(expr, () => {
    const ctx = makeCtx(vars);
    return plainData(need(evaluateSource(expr, ctx)));
  });
}

/**
 * What `debug: var=` shows, as Ansible's debug action computes it: the
 * expression templated as `{{ expr }}` (or the template itself when it has
 * braces), with a template's result types. Throws the undefined-variable
 * error when a name is missing.
 */
export function renderVar(expr: string, vars: Vars): unknown {
  return guarded(expr, () => plainData(renderTemplate(isTemplated(expr) ? expr : `{{${expr}}}`, makeCtx(vars), true)));
}

/** True when the string contains template syntax. */
export function isTemplated(s: string): boolean {
  return s.includes('{{') || s.includes('{%');
}

function guarded<T>(src: string, fn: () => T): T {
  try {
    return withBudget(fn);
  } catch (e) {
    throw locate(e, src);
  }
}
export { COMPUTED_MAPPING, markUnsafe, pyStr } from './values.js';
export { extendVars, markAuthored, setAuthoredNames } from './unsafe.js';
