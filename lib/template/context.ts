/**
 * What an evaluation carries: the variables, names bound locally (loop
 * variables, `{% set %}` names, macro parameters), and the lazy
 * variables being rendered, for cycle detection.
 */
import { type Vars } from './values.js';

export interface Ctx {
  readonly vars: Vars;
  readonly locals?: ReadonlyMap<string, unknown>;
  /** Templates of lazy variables being rendered, outermost first, with the name that led to each. */
  readonly stack: { source: string; name: string }[];
  /** Renders a templated variable value (native result for a single `{{ }}`); injected to avoid an import cycle. */
  readonly renderLazy: (source: string, ctx: Ctx) => unknown;
  /**
   * Lazy variables already rendered in this evaluation, by template source:
   * a chain of variables each using the previous twice renders each once
   * (Jinja resolves a name once per template). Valid for `vars` only: a
   * context with other variables needs a new map.
   */
  readonly memo?: Map<string, LazyResult>;
  /** Containers whose nested templates deep() already rendered, and the result. */
  readonly deepMemo?: WeakMap<object, unknown>;
}

export type Kwargs = Record<string, unknown>;

/** What filters and tests may use: each other, and the evaluation context. */
export interface Env {
  ctx: Ctx;
  filter(name: string, input: unknown, args?: unknown[], kw?: Kwargs): unknown;
  test(name: string, input: unknown, args?: unknown[], kw?: Kwargs): boolean;
  /** Reads an attribute path such as `a.b` from a value (for map/selectattr/sort attribute=). */
  attr(obj: unknown, path: string): unknown;
}

/** A memoised lazy variable: its value, or why it is undefined. */
export type LazyResult = { value: unknown; undef?: undefined } | { value?: undefined; undef: string };
