/**
 * `import_tasks` among a play's handlers. Ansible rewrites a static import
 * into the handlers it holds before the play runs: each imported task is a
 * handler of its own, notified by its name or `listen`, and carries the
 * import's keywords as a block's child would. The import itself has no name
 * to notify.
 */
import { TsplayError } from '../errors.js';
import type { Block, Handler, TaskCommon, TaskNode } from './types.js';

export function handlersOf(nodes: TaskNode[]): Handler[] {
  const out: Handler[] = [];
  for (const node of nodes) {
    if (node.kind === 'block' && node.importedFrom) {
      out.push(...handlersOf(node.block).map((h) => withParentKeywords(h, node)));
    } else if (node.kind === 'block' || node.kind === 'include_role') {
      throw new TsplayError('validation', 'handlers must be tasks, include_tasks or import_tasks (no block or role)', {
        pos: node.pos,
        hint: 'give each handler its own task, or put the tasks in a file and import or include it',
      });
    } else {
      out.push(node);
    }
  }
  return out;
}

/** The child's own keywords win; lists and mappings that Ansible extends are joined, the parent's first. */
function withParentKeywords<H extends Handler>(child: H, parent: Block): H {
  const merged: H = { ...child };
  const keys = Object.keys(parent) as (keyof TaskCommon)[];
  for (const key of keys) {
    if (key === 'name' || key === 'pos') continue;
    if (key === 'when') merged.when = [...parent.when, ...child.when];
    else if (key === 'tags') merged.tags = [...new Set([...parent.tags, ...child.tags])];
    else if (key === 'vars') merged.vars = { ...parent.vars, ...child.vars };
    else if (key === 'environment') merged.environment = joinEnvironment(parent.environment, child.environment);
    else if (child[key] === undefined && parent[key] !== undefined) (merged as unknown as Record<string, unknown>)[key] = parent[key];
  }
  return merged;
}

function joinEnvironment(parent: TaskCommon['environment'], child: TaskCommon['environment']): TaskCommon['environment'] {
  if (parent && child && typeof parent === 'object' && typeof child === 'object') return { ...parent, ...child };
  return child ?? parent;
}
