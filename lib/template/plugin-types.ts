/**
 * The shapes of a filter and a test, shared by the tables (filters.ts,
 * tests.ts) and the files that add entries to them (filters-more.ts,
 * file-tests.ts, uri-tests.ts), so those need not import the tables.
 */
import type { Env, Kwargs } from './context.js';

export interface FilterDef {
  fn: (input: unknown, args: unknown[], kw: Kwargs, env: Env) => unknown;
  /** Receives Undef instead of raising (default, mandatory). */
  undefinedOk?: boolean;
  /** Arguments may be undefined until used (`x | default(omit)` when x is defined). */
  lazyArgs?: boolean;
}

export interface TestDef {
  fn: (input: unknown, args: unknown[], kw: Kwargs, env: Env) => boolean;
  /** Receives Undef instead of raising (defined/undefined). */
  undefinedOk?: boolean;
}
