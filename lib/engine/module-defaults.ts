/**
 * A task's arguments with the module_defaults of its play, blocks, role and
 * itself beneath them, as Ansible merges them: outer first, each level's
 * entries for the module's short, `ansible.builtin.` and `ansible.legacy.`
 * names, the task's own arguments last.
 */
import type { ModuleDefaults } from '../playbook/module-defaults.js';

export function withModuleDefaults(module: string, args: unknown, levels: (ModuleDefaults | undefined)[]): unknown {
  if (!levels.some((l) => l) || !args || typeof args !== 'object' || Array.isArray(args)) return args;
  const merged: Record<string, unknown> = {};
  for (const level of levels) {
    if (!level) continue;
    for (const name of [module, `ansible.legacy.${module}`, `ansible.builtin.${module}`]) {
      if (Object.hasOwn(level, name)) Object.assign(merged, level[name]);
    }
  }
  return Object.keys(merged).length ? { ...merged, ...(args as Record<string, unknown>) } : args;
}
