/**
 * The name a task's banner shows. As Ansible does, a name is templated with
 * the first host's variables, leniently: a name whose template fails (an
 * undefined variable, a loop `item` not set yet) is shown as written.
 */
import type { Task } from '../playbook/types.js';
import { renderValue } from '../template/index.js';
import { pyStr } from '../template/values.js';
import type { Scope } from './task-context.js';
import type { Vars } from './vars.js';

/** `role : name` inside a role, the module's name for a task without one. */
export function bannerName(task: Task, scope: Scope, firstHostVars?: () => Vars): string {
  const base = task.name !== undefined && firstHostVars && /{{|{%/.test(task.name) ? rendered(task.name, firstHostVars) : (task.name ?? task.action ?? task.module);
  const role = task.role ?? scope.role;
  return role ? `${role.role.name} : ${base}` : base;
}

function rendered(name: string, vars: () => Vars): string {
  try {
    const value = renderValue(name, vars());
    return pyStr(value);
  } catch {
    return name;
  }
}
