/**
 * A memory and a time budget for one evaluation. `([1] * 10**9) | length`, `'x' * 10**9`,
 * a flatten of a list repeated by reference, a join or to_json of such a list:
 * each would end the process with V8's heap-out-of-memory, which nothing can
 * catch. Every operation that builds a value whose size it does not inherit
 * from its input charges the budget first (or as it goes), and an evaluation
 * that would exceed it fails as a template error of its task instead.
 *
 * The budget is counted in approximate bytes: a character is 1, a list slot 16.
 * It is shared by everything one top-level call (a task's arguments, one
 * condition) builds, and reset at the next.
 *
 * The time budget (TSPLAY_EVAL_TIMEOUT seconds, default 10) bounds how long
 * one top-level evaluation keeps the event loop: a nested loop over a large
 * registered list, or a filter over host data, fails as a template error of
 * its task when it runs out, and a signal (Ctrl-C, SIGTERM), which Node can
 * only act on between turns of the event loop, is heard then at the latest.
 * Every node the evaluator computes, every loop iteration and every filter
 * that loops calls tick(): a counter, and a clock read every 1024 ticks.
 */
import v8 from 'node:v8';
import { TsplayError } from '../errors.js';

/** Approximate bytes per list element (the slot and, often, a boxed value). */
export const SLOT = 16;

/** An eighth of the heap, at most 256 MB: the rest stays for the engine and the temporaries of one operation. */
export const BUDGET = Math.min(256 * 2 ** 20, Math.floor(v8.getHeapStatistics().heap_size_limit / 8));

let used = 0;
let depth = 0;

/** Seconds one evaluation may take: TSPLAY_EVAL_TIMEOUT, default 10. */
export function timeBudgetMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.TSPLAY_EVAL_TIMEOUT);
  return env.TSPLAY_EVAL_TIMEOUT && Number.isFinite(v) && v > 0 ? v * 1000 : 10_000;
}

let budgetMs = timeBudgetMs();
let deadline = Infinity;
let ticks = 0;

/** Counts one step of work; every 1024 steps, fails the evaluation when its time is up. */
export function tick(what = 'the template'): void {
  if ((++ticks & 1023) !== 0) return;
  if (performance.now() > deadline) timeUp(what);
}

/** Counts n steps at once (a filter that walks a list natively). */
export function tickN(n: number, what = 'the template'): void {
  ticks += n;
  if (n >= 1024 || (ticks & 1023) < n) {
    if (performance.now() > deadline) timeUp(what);
  }
}

/** Milliseconds left to the current evaluation (Infinity outside one). */
export function remainingMs(): number {
  return deadline === Infinity ? Infinity : Math.max(1, deadline - performance.now());
}

export function timeUp(what: string): never {
  deadline = -Infinity; // everything still running in this evaluation fails at its next check
  throw new TsplayError('template', `${what} took more than ${budgetMs / 1000} s, the time one evaluation may take`, {
    hint: 'a loop over a large list, a nested loop, or a regular expression that backtracks on host data; do less in the template (filter the data first, or process it in a task), or raise TSPLAY_EVAL_TIMEOUT',
  });
}

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
  if (depth === 0) {
    used = 0;
    budgetMs = timeBudgetMs();
    deadline = performance.now() + budgetMs;
  }
  depth++;
  try {
    return fn();
  } finally {
    depth--;
    if (depth === 0) deadline = Infinity;
  }
}

/**
 * What parsing YAML text costs in memory, estimated before parsing: the
 * yaml library keeps about 1 KB per node (key, value, list item) while it
 * builds the document, and a node needs at least one newline, ',' or ':'
 * around it; long strings cost about twice their length. Measured on block
 * and flow documents of 1-2 MB (288 MB and 206 MB of heap).
 */
export function yamlParseCost(text: string): number {
  let separators = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 44 || c === 58) separators++;
  }
  return separators * 1024 + text.length * 2;
}

/** JSON.parse keeps about 5 bytes of values per character of text (measured). */
export function jsonParseCost(text: string): number {
  return text.length * 6;
}

/** Refuses, before it starts, a parse that would take more than the budget. */
export function chargeParse(cost: number, what: string, hint: string): void {
  if (used + cost > BUDGET || (depth === 0 && cost > BUDGET)) {
    throw new TsplayError('template', `${what} would take about ${mb(cost)} of memory to parse, past the ${mb(BUDGET)} one evaluation may use`, { hint });
  }
  charge(cost, what);
}
