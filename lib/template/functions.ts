/** Global functions callable in expressions; lookup()/query()/q() are in ./lookups. */
import type { Ctx, Kwargs } from './context.js';
import { chargeItems } from './limits.js';
import { now } from './filters-more.js';
import { callLookup } from './lookups/index.js';
import { ownValue, pairs } from './methods.js';
import { dictKeys, need, setKey, templateError } from './values.js';

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
  // Python's dict(): from a dict or a list of pairs, then keyword arguments; keys in that order.
  dict(args, kw) {
    if (args.length > 1) throw templateError(`dict expected at most 1 argument, got ${args.length}`);
    const all: [string, unknown][] = [...(args.length ? pairs(need(args[0])) : []), ...dictKeys(kw).map((k): [string, unknown] => [k, kw[k]])];
    chargeItems(all.length, 'dict()');
    const out: Record<string, unknown> = {};
    for (const [k, v] of all) setKey(out, k, v);
    return ownValue(out);
  },
  now: (args, kw) => now(args, kw),
  lookup: ([name, ...terms], kw, ctx) => callLookup(name, terms, kw, ctx, false),
  query: ([name, ...terms], kw, ctx) => callLookup(name, terms, kw, ctx, true),
  q: ([name, ...terms], kw, ctx) => callLookup(name, terms, kw, ctx, true),
};
