/**
 * `action: "{{ ansible_facts.pkg_mgr }}"`: a task whose module name is a
 * template. As in Ansible, each host renders the name with its own variables
 * when the task runs; the task then runs as if that module had been written.
 * A name that renders to no module fails the host's task (ignore_errors
 * covers it), with Ansible's words first.
 */
import { ModuleError } from '../module/define.js';
import { canonicalModuleName } from '../module/registry.js';
import type { Task } from '../playbook/types.js';
import { didYouMean } from '../suggest.js';
import { renderValue } from '../template/index.js';
import { describePos } from './outcome.js';
import type { Engine } from './task-context.js';
import type { Vars } from './vars.js';

export function resolveTemplatedAction(engine: Engine, task: Task, vars: Vars): Task {
  if (!task.moduleTemplate) return task;
  const name = String(renderValue(task.module, vars) ?? '').trim();
  if (!engine.registry.has(name)) {
    const where = describePos(task.modulePos);
    throw new ModuleError(
      `The module ${name} was not found in configured module paths (the action ${task.module} rendered to '${name}'${where ? `, in ${where}` : ''}).${didYouMean(canonicalModuleName(name), engine.registry.names())} Check the variables the action's name is made of; modules: ${engine.registry.names().join(', ')}.`,
      // Ansible's failure has no `changed`.
      { result: { changed: undefined } },
    );
  }
  // The banner keeps the name as written, as Ansible's shows the template.
  return { ...task, module: canonicalModuleName(name), moduleTemplate: false, action: task.action ?? task.module };
}
