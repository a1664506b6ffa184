// What a loop's iterations are told: ansible_loop, and the names loop_control gives them.
import { TsplayError } from '../errors.js';
import { renderValue } from '../template/index.js';
import type { Vars } from './vars.js';

/**
 * `ansible_loop` of one iteration, with the fields of Ansible's
 * `loop_control: extended: true` (tsplay always gives them): previtem and
 * nextitem where there is one, allitems the whole list.
 */
export function loopInfo(items: unknown[], i: number): Record<string, unknown> {
  const n = items.length;
  return {
    allitems: items,
    index: i + 1,
    index0: i,
    first: i === 0,
    last: i === n - 1,
    length: n,
    revindex: n - i,
    revindex0: n - i - 1,
    ...(i > 0 ? { previtem: items[i - 1] } : {}),
    ...(i < n - 1 ? { nextitem: items[i + 1] } : {}),
  };
}

/**
 * The names `loop_control` gives the item and its index: templates, as
 * Ansible templates them before the loop (`loop_var: "{{ name }}"`). A name
 * that renders to no text is an error naming the keyword.
 */
export function loopNames(spec: { loopVar: string; indexVar?: string }, vars: Vars): { loopVar: string; indexVar?: string } {
  const name = (v: string, keyword: string) => {
    if (!v.includes('{{') && !v.includes('{%')) return v;
    const out = String(renderValue(v, vars) ?? '').trim();
    if (!out) throw new TsplayError('template', `loop_control.${keyword} rendered to no name: ${v}`, { hint: `give ${keyword} a variable name` });
    return out;
  };
  return { loopVar: name(spec.loopVar, 'loop_var'), ...(spec.indexVar ? { indexVar: name(spec.indexVar, 'index_var') } : {}) };
}
