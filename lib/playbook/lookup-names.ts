/**
 * Load-time check of the lookups a task names: `lookup('nope', ...)`,
 * `query(...)`, `q(...)` with a literal name that no plugin has fails the
 * playbook when it is read (and so --syntax-check), pointing at the value
 * that names it, instead of failing the task mid-run. Names computed by an
 * expression are checked when they run.
 */
import { TsplayError, type SourcePos } from '../errors.js';
import { isKnownLookupName, notFound } from '../template/lookups/index.js';
import { isUnsafeText } from '../template/unsafe.js';
import { valuePos } from './yaml-source.js';

/** The keys whose value is a bare expression, where a lookup needs no braces. */
const CONDITION_KEYS = new Set(['when', 'changed_when', 'failed_when', 'until']);
/**
 * Not walked: child task lists (their tasks are checked on their own, with
 * their own positions) and `vars` (data, templated only when a variable is
 * used: an unused value, however large its aliases make it, stays unread).
 */
const NOT_WALKED = new Set(['block', 'rescue', 'always', 'vars']);
const LOOKUP_CALL = /\b(?:lookup|query|q)\s*\(\s*(['"])([A-Za-z0-9_.]+)\1/g;

const RAW_BLOCK = /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/g;
const EXPRESSION = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;

/** The code of a template: what is inside `{{ }}` and `{% %}`, outside `{% raw %}` (text around it may say `lookup('x')` freely). */
function codeOf(template: string): string[] {
  return [...template.replace(RAW_BLOCK, '').matchAll(EXPRESSION)].map((m) => m[1] ?? m[2]);
}

function unknownIn(code: string): string | undefined {
  for (const m of code.matchAll(LOOKUP_CALL)) if (!isKnownLookupName(m[2])) return m[2];
  return undefined;
}

function walk(v: unknown, bare: boolean, pos: SourcePos | undefined, depth: number, seen: WeakSet<object>): void {
  if (depth > 100) return;
  if (typeof v === 'string') {
    if (isUnsafeText(v, true)) return; // `!unsafe` text is data, never evaluated
    const templated = v.includes('{{') || v.includes('{%');
    if (!bare && !templated) return;
    const name = (templated ? codeOf(v) : [v]).map(unknownIn).find((n) => n !== undefined);
    if (name !== undefined) {
      const e = notFound(name);
      throw new TsplayError('validation', e.message, { pos, hint: e.hint });
    }
    return;
  }
  if (v === null || typeof v !== 'object') return;
  // An alias shares its anchor's value: each node is read once, whatever refers to it.
  if (seen.has(v)) return;
  seen.add(v);
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  for (const [k, x] of entries) walk(x, bare, valuePos(v, k) ?? pos, depth + 1, seen);
}

/** Throws a validation error at the value naming an unknown lookup in this task's own keys. */
export function checkLookupNames(task: Record<string, unknown>, pos: SourcePos): void {
  const seen = new WeakSet<object>();
  for (const [key, value] of Object.entries(task)) {
    if (NOT_WALKED.has(key)) continue;
    walk(value, CONDITION_KEYS.has(key), valuePos(task, key) ?? pos, 0, seen);
  }
}
