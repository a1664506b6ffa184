/**
 * A memory budget for one evaluation. `([1] * 10**9) | length`, `'x' * 10**9`,
 * a flatten of a list repeated by reference, a join or to_json of such a list:
 * each would end the process with V8's heap-out-of-memory, which nothing can
 * catch. Every operation that builds a value whose size it does not inherit
 * from its input charges the budget first (or as it goes), and an evaluation
 * that would exceed it fails as a template error of its task instead.
 *
 * The budget is counted in approximate bytes: a character is 1, a list slot 16.
 * It is shared by everything one top-level call (a task's arguments, one
 * condition) builds, and reset at the next.
 */
import v8 from 'node:v8';
import { TsplayError } from '../errors.js';

/** Approximate bytes per list element (the slot and, often, a boxed value). */
export const SLOT = 16;

/** An eighth of the heap, at most 256 MB: the rest stays for the engine and the temporaries of one operation. */
export const BUDGET = Math.min(256 * 2 ** 20, Math.floor(v8.getHeapStatistics().heap_size_limit / 8));

let used = 0;
let depth = 0;

function mb(n: number): string {
  return `${Math.round(n / 2 ** 20)} MB`;
}

/** Charges `bytes` to the current evaluation; throws a template error when the budget is exceeded. */
export function charge(bytes: number, what: string): void {
  if (!(bytes >= 0)) bytes = Infinity; // NaN: an unknown size is too large
  // Outside an evaluation (a helper called by the engine) nothing accumulates: only this one value counts.
  if (depth === 0) used = 0;
  used += bytes;
  if (used > BUDGET) {
    used = BUDGET; // later charges in a catch-all path fail too, without overflowing
    throw new TsplayError('template', `${what} would take the values this template builds past ${mb(BUDGET)}`, {
      hint: 'a list or string this large is almost certainly a mistake (a repetition such as [x] * n, a huge range, a list repeated by reference); build less, or process the data in a task',
    });
  }
}

/** Charges a list of n elements. */
export function chargeItems(n: number, what: string): void {
  charge(n * SLOT, what);
}

/** Charges the shallow size of a value just built: a string's characters, a list's slots, a dict's entries. */
export function chargeValue(v: unknown, what: string): void {
  if (typeof v === 'string') charge(v.length, what);
  else if (Array.isArray(v)) charge(v.length * SLOT, what);
}

/** Runs a top-level evaluation; nested calls share the budget of the outermost. */
export function withBudget<T>(fn: () => T): T {
  if (depth === 0) used = 0;
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}
