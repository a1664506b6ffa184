/** Global functions callable in expressions; lookup()/query()/q() are in ./lookups. */
import type { Ctx, Kwargs } from './context.js';
import { chargeItems } from './limits.js';
import { now } from './filters-more.js';
import { callLookup } from './lookups/index.js';
import { templateError } from './values.js';

export type Fn = (args: unknown[], kw: Kwargs, ctx: Ctx) => unknown;

export const functions: Record<string, Fn> = {
  range(args) {
    const n = args.map((a) => {
      if (typeof a !== 'number' || !Number.isInteger(a)) throw templateError('range() takes integers');
      return a;
    });
    const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
    if (step === 0) throw templateError('range() step must not be zero');
    chargeItems(Math.max(0, Math.ceil((stop - start) / step)), 'range()');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
    return out;
  },
  dict(_args, kw) {
    return { ...kw };
  },
  now: (args, kw) => now(args, kw),
  lookup: ([name, ...terms], kw, ctx) => callLookup(name, terms, kw, ctx, false),
  query: ([name, ...terms], kw, ctx) => callLookup(name, terms, kw, ctx, true),
  q: ([name, ...terms], kw, ctx) => callLookup(name, terms, kw, ctx, true),
};
