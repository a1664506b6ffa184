/**
 * include_role at run time: the role named (its name already rendered for
 * the hosts that share it) is found and read now, with its *_from files
 * rendered too, into the block the walker runs.
 */
import type { ModuleRegistry } from '../module/registry.js';
import { roleTasksParser } from '../playbook/parse-task.js';
import { roleBlock, type RoleLoadContext } from '../playbook/roles.js';
import type { Block, IncludeRole } from '../playbook/types.js';

export async function loadIncludedRole(inc: IncludeRole, name: string, ctx: RoleLoadContext, registry: ModuleRegistry, render: (v: unknown) => unknown): Promise<Block> {
  const from = (v: string | undefined) => (v === undefined ? undefined : String(render(v)));
  return roleBlock(
    {
      entry: { name, keywords: {}, params: {}, vars: inc.vars, pos: inc.pos },
      from: { tasks: from(inc.tasksFrom), vars: from(inc.varsFrom), defaults: from(inc.defaultsFrom), handlers: from(inc.handlersFrom) },
      fromInclude: true,
      allowDuplicates: inc.allowDuplicates,
      parent: inc.parent,
      // The include's own keywords stay with the include (the walker's scope); its vars are the role's include parameters.
      common: { when: [], tags: [], vars: {}, pos: inc.pos },
      includeParams: inc.vars,
    },
    ctx,
    roleTasksParser({ file: inc.pos.file, registry, importStack: [], roles: ctx }),
  );
}
