/**
 * What an include_tasks means for each host, before anything is loaded:
 * its `when` per host (and per item, for a looped include, as Ansible
 * evaluates it), the file name rendered with the item, and the hosts that
 * share one file and item, in the order Ansible announces them.
 */
import { loopInfo, loopNames } from './loop-info.js';
import { relative, resolve } from 'node:path';
import type { SourcePos } from '../errors.js';
import type { IncludeRole, IncludeTasks } from '../playbook/types.js';
import { evaluateCondition, extendVars, renderValue } from '../template/index.js';
import { loopItemsUnlessSkipped } from './loop-items.js';
import { itemLabel } from './item-label.js';
import { taskVars } from './run-host-task.js';
import type { Engine, Scope } from './task-context.js';
import type { Vars } from './vars.js';

/** A scope that remembers the includes it is inside, to stop endless recursion. */
export type WalkScope = Scope & { includeChain?: SourcePos[] };

/** Deeper than any real tasks tree; an include that includes itself without an end reaches it at once. */
export const MAX_INCLUDE_DEPTH = 64;

export interface Inclusion {
  file: string;
  looped: boolean;
  /** The loop variables of this item (empty without a loop). */
  itemVars: Vars;
  label?: string;
  hosts: string[];
}

export interface PlanCallbacks {
  /** One item's `when` was false on this host. */
  skipped(host: string, label: string): void;
  /** Nothing is included on this host: the include's `when` was false, or every item's. */
  allSkipped(host: string): void;
  error(host: string, e: unknown): void;
}

/**
 * What an included file's tasks see of their iteration, as Ansible's
 * IncludedFile gives it: the item and the index under their names, and
 * ansible_loop; not ansible_loop_var or ansible_index_var (those are the
 * include's own result's).
 */
function loopVars(names: { loopVar: string; indexVar?: string }, items: unknown[], i: number): Vars {
  return {
    [names.loopVar]: items[i],
    ansible_loop: loopInfo(items, i),
    ...(names.indexVar ? { [names.indexVar]: i } : {}),
  };
}

export function planInclusions(engine: Engine, inc: IncludeTasks | IncludeRole, hosts: string[], scope: Scope, on: PlanCallbacks): Inclusion[] {
  const inclusions: Inclusion[] = [];
  const byKey = new Map<string, Inclusion>();
  const add = (host: string, file: string, looped: boolean, item: unknown, itemVars: Vars, label?: string) => {
    // The same file and item again for a host that has it already is included again, after the others (Ansible's IncludedFile.add_host).
    let key = `${file}\0${looped ? JSON.stringify(item) : ''}`;
    let found = byKey.get(key);
    for (let n = 1; found?.hosts.includes(host); n++) found = byKey.get((key = `${key}\0${n}`));
    if (!found) {
      found = { file, looped, itemVars, label, hosts: [] };
      byKey.set(key, found);
      inclusions.push(found);
    }
    found.hosts.push(host);
  };
  const conditions = [...scope.when, ...inc.when];
  for (const host of hosts) {
    try {
      const vars = taskVars(engine, host, scope, inc);
      // A tasks file's path, or (include_role) the role's name.
      const fileFor = (v: Vars) => (inc.kind === 'include_tasks' ? resolve(inc.baseDir, String(renderValue(inc.file, v))) : String(renderValue(inc.role, v)));
      if (inc.loop === undefined) {
        if (conditions.every((c) => evaluateCondition(c, vars))) add(host, fileFor(vars), false, undefined, {});
        else on.allSkipped(host);
        continue;
      }
      const planned = loopItemsUnlessSkipped(inc, vars, conditions);
      if ('falseCondition' in planned) {
        on.allSkipped(host);
        continue;
      }
      const items = planned.items;
      const names = loopNames(inc, vars);
      let kept = 0;
      items.forEach((item, i) => {
        const itemVars = loopVars(names, items, i);
        const v = extendVars(vars, itemVars);
        const label = inc.loopLabel !== undefined ? String(renderValue(inc.loopLabel, v)) : itemLabel(item);
        if (!conditions.every((c) => evaluateCondition(c, v))) {
          on.skipped(host, label);
          return;
        }
        kept++;
        add(host, fileFor(v), true, item, itemVars, label);
      });
      if (!kept) on.allSkipped(host);
    } catch (e) {
      on.error(host, e);
    }
  }
  return inclusions;
}

function where(p: SourcePos): string {
  const rel = relative(process.cwd(), p.file);
  return `${rel && !rel.startsWith('..') ? rel : p.file}:${p.line}:${p.col}`;
}

/** Names the chain of includes up to where it starts repeating, so the loop is plain to see. */
export function includeDepthMessage(chain: SourcePos[]): string {
  const steps: string[] = [];
  for (const p of chain) {
    const w = where(p);
    if (steps.includes(w)) {
      steps.push(`${w} -> ... (repeats)`);
      break;
    }
    steps.push(w);
  }
  return (
    `include_tasks nested more than ${MAX_INCLUDE_DEPTH} levels deep: ${steps.join(' -> ')}. ` +
    'An include that includes itself (directly or through other files) needs a condition that ends it: add a when: that becomes false, or loop over the items instead'
  );
}
