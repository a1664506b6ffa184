/**
 * The items of a task's or include's loop: `loop:` takes a list as it is;
 * `with_<lookup>:` goes through the lookup of that name (lib/template/lookups/with-lookups.ts)
 * after its terms are rendered as Ansible's listify renders them. And what one
 * iteration leaves for the next: set_fact's facts and the registered item
 * result, so `acc: "{{ acc | default([]) + [item] }}"` accumulates.
 */
import { dirname } from 'node:path';
import { TsplayError, type SourcePos } from '../errors.js';
import type { HostStatus } from '../output/events.js';
import { evaluateCondition, extendVars, renderValue } from '../template/index.js';
import { UndefinedVariableError } from '../template/values.js';
import { keywordIsTrue } from './keyword.js';
import type { Engine, Scope } from './task-context.js';
import type { Vars } from './vars.js';
import { runLookup } from '../template/lookups/with-lookups.js';

export interface LoopSpec {
  loop?: unknown;
  /** The lookup of a `with_<name>` loop; undefined for `loop:`. */
  loopWith?: string;
  pos: SourcePos;
}

function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** first_found tolerates undefined variables: such a name stays a template and is dropped. */
function renderTolerant(term: unknown, vars: Vars): unknown {
  if (Array.isArray(term)) return term.map((t) => renderTolerant(t, vars));
  try {
    return renderValue(term, vars);
  } catch {
    return term;
  }
}

export function loopItems(spec: LoopSpec, vars: Vars): unknown[] {
  if (spec.loopWith === undefined) {
    const raw = renderValue(spec.loop, vars);
    if (!Array.isArray(raw)) {
      throw new TsplayError(
        'template',
        `Invalid data passed to 'loop', it requires a list, got this instead: ${pyStr(raw)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`,
      );
    }
    return raw;
  }
  const tolerant = spec.loopWith === 'first_found';
  let terms = tolerant
    ? renderTolerant(spec.loop, vars)
    : renderValue(typeof spec.loop === 'string' ? spec.loop.trim() : spec.loop, vars);
  // Ansible's listify: a string or a scalar becomes a list of one; lists and mappings stay.
  if (terms === null || typeof terms !== 'object') terms = [terms];
  if (tolerant && Array.isArray(terms)) terms = terms.filter((t) => !(typeof t === 'string' && t.includes('{{')));
  // The task's ansible_search_path (its role's folder, its file's, the playbook's), as Ansible's with_ lookups search.
  const taskPath = Object.hasOwn(vars, 'ansible_search_path') && Array.isArray(vars.ansible_search_path) ? (vars.ansible_search_path as string[]) : undefined;
  const searchPath = taskPath ?? [...new Set([dirname(spec.pos.file), String(vars.playbook_dir ?? dirname(spec.pos.file))])];
  return runLookup(spec.loopWith, terms, { searchPath, render: (name) => renderValue(name, vars), vars });
}

/**
 * The loop's items, or the `when` condition that was false when the items
 * could not be built for an undefined variable. Ansible defers such an error
 * until it has evaluated `when` without an item: `loop: "{{ pkgs }}"` with
 * `when: pkgs is defined` skips instead of failing; a `when` that holds (or
 * needs the item) fails with the undefined variable.
 */
export function loopItemsUnlessSkipped(spec: LoopSpec, vars: Vars, conditions: unknown[]): { items: unknown[] } | { falseCondition: unknown } {
  try {
    return { items: loopItems(spec, vars) };
  } catch (e) {
    if (!(e instanceof UndefinedVariableError)) throw e;
    for (const c of conditions) {
      let holds: boolean;
      try {
        holds = evaluateCondition(c, vars);
      } catch {
        throw e;
      }
      if (!holds) return { falseCondition: c };
    }
    throw e;
  }
}

/**
 * The variables the next iteration sees. Ansible runs every item with the
 * same variables and updates them after each one: set_fact's facts (and
 * setup's) and, with `register`, the item's result. Facts are also stored at
 * once, so the last item's value is the one that stays. Extra vars still win.
 */
export function nextIterationVars(
  engine: Engine,
  host: string,
  task: { register?: string; module: string },
  vars: Vars,
  status: HostStatus,
  itemResult: Record<string, unknown>,
): Vars {
  if (status === 'skipped' || status === 'unreachable') return vars;
  const added: Vars = {};
  if (task.register) added[task.register] = itemResult;
  const facts = setsFacts(task.module) ? itemResult.ansible_facts : undefined;
  if (facts && typeof facts === 'object' && !Array.isArray(facts)) {
    engine.vars.setFacts(host, facts as Vars);
    Object.assign(added, facts);
    return extendVars(vars, added, engine.options.extraVars ?? {});
  }
  return extendVars(vars, added);
}

/** Whether the task's (or its blocks') ignore_errors holds, for a failure that happened before its variables were complete. */
export function ignoresErrors(engine: Engine, task: { ignoreErrors?: unknown; vars: Vars }, scope: Scope, host: string): boolean {
  const ignore = task.ignoreErrors ?? scope.ignoreErrors;
  if (ignore === undefined) return false;
  try {
    return keywordIsTrue(ignore, engine.vars.forHost(host, [...scope.layers, scope.hostLayer?.get(host) ?? {}, task.vars], scope.hostLayer?.get(host)));
  } catch {
    return false;
  }
}

/**
 * Whether a module's `ansible_facts` become facts. debug's do not: it only
 * prints them (`debug: var=ansible_facts`), as Ansible excludes debug.
 */
export function setsFacts(module: string): boolean {
  return module !== 'debug';
}

/** The facts a result sets: its own `ansible_facts`, or a loop's, item by item (the last item's value wins). */
export function resultFacts(module: string, result: Record<string, unknown>): Vars | undefined {
  if (!setsFacts(module)) return undefined;
  const items = Array.isArray(result.results) ? (result.results as Record<string, unknown>[]) : [result];
  let out: Vars | undefined;
  for (const r of items) {
    const f = r?.ansible_facts;
    if (f && typeof f === 'object' && !Array.isArray(f) && r.skipped !== true && r.failed !== true) out = { ...out, ...(f as Vars) };
  }
  return out;
}
