/**
 * `when`, `changed_when`, `failed_when`, `until`: bare expressions, booleans,
 * or lists of them (all must hold), as Ansible evaluates them.
 */
import { TsplayError } from '../errors.js';
import type { Ctx } from './context.js';
import { evaluateSource } from './evaluator.js';
import { renderTemplate } from './render.js';
import { templateError, pythonTruthy } from './values.js';

export interface ConditionOptions {
  /** Called when a condition is wrapped in `{{ }}`, which Ansible accepts with a warning. */
  warn?: (message: string) => void;
}

export function condition(expr: unknown, ctx: Ctx, opts: ConditionOptions): boolean {
  if (Array.isArray(expr)) return expr.every((e) => condition(e, ctx, opts));
  // Ansible treats a missing or empty conditional as true.
  if (expr === null || expr === undefined || expr === '') return true;
  if (typeof expr === 'boolean') return expr;
  if (typeof expr === 'number') return expr !== 0;
  if (typeof expr !== 'string') throw templateError(`a condition must be an expression, a boolean or a list of them, not ${typeof expr}`, 'write e.g. `when: x is defined`');
  if (expr.includes('{{') || expr.includes('{%')) {
    opts.warn?.(`conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${expr}`);
    // As Ansible: render (a value, or text), then evaluate the text as an expression.
    const r = renderTemplate(expr, ctx, true);
    if (typeof r !== 'string' || r === '') return pythonTruthy(r);
    return pythonTruthy(evaluateSource(r, ctx));
  }
  return pythonTruthy(evaluateSource(expr, ctx));
}

export function locate(e: unknown, src: string): unknown {
  if (e instanceof TsplayError) return e;
  return templateError(`cannot evaluate "${src}": ${e instanceof Error ? e.message : String(e)}`);
}
