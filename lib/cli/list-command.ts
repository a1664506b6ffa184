/** --syntax-check, --list-hosts and --list-tasks: load everything, run nothing, print what would happen. */
import { ExitCode } from '../errors.js';
import type { RunOptions } from '../engine/options.js';
import { loadPlaybooks } from '../engine/run.js';
import { shouldRun } from '../engine/tags.js';
import { loadInventory, selectHosts } from '../inventory/index.js';
import { ModuleRegistry } from '../module/registry.js';
import type { TaskNode } from '../playbook/types.js';
import { renderValue } from '../template/index.js';
import type { Io } from './io.js';
import { visibleText } from '../output/visible-text.js';

export async function describePlaybooks(opts: RunOptions, what: { listHosts: boolean; listTasks: boolean; listTags?: boolean }, io: Io): Promise<number> {
  const playbooks = await loadPlaybooks(opts.playbooks, new ModuleRegistry(), opts.rolesPath);
  if (!what.listHosts && !what.listTasks && !what.listTags) {
    io.out(`\nplaybook: ${opts.playbooks.join(', ')}\n`);
    return ExitCode.ok;
  }
  const inventory = await loadInventory(opts.inventory);
  const filter = { only: opts.tags ?? [], skip: opts.skipTags ?? [] };
  for (const pb of playbooks) {
    io.out(`\nplaybook: ${pb.file}\n`);
    pb.plays.forEach((play, i) => {
      const extra = { ...play.vars, ...opts.extraVars };
      const pattern = String(renderValue(play.hosts, extra));
      const { hosts, warnings } = selectHosts(inventory, pattern, { limit: opts.limit });
      for (const w of warnings) io.err(`[WARNING]: ${w}\n`);
      io.out(`\n  play #${i + 1} (${pattern}): ${play.name}\tTAGS: [${play.tags.join(',')}]\n`);
      if (what.listHosts) {
        io.out(`    pattern: ['${pattern}']\n    hosts (${hosts.length}):\n`);
        for (const h of hosts) io.out(`      ${visibleText(h, { oneLine: true })}\n`);
      }
      // --list-tags: the tags of the tasks the tag filter keeps, sorted, and the play's own
      // always (Ansible's implicit handler-flushing tasks carry them and are never filtered out).
      const taskTags = new Set<string>(play.tags);
      if (what.listTasks) io.out('    tasks:\n');
      {
        const walk = (nodes: TaskNode[], tags: string[], role?: string) => {
          for (const n of nodes) {
            const t = [...tags, ...n.tags];
            if (n.kind === 'block') {
              const r = n.role?.role.name ?? role;
              walk(n.block, t, r);
              walk(n.rescue, t, r);
              walk(n.always, t, r);
            } else if (n.kind === 'include_tasks') {
              if (what.listTasks) io.out(`      include_tasks: ${n.file}\tTAGS: [${t.join(',')}]\n`);
            } else if (n.kind === 'include_role') {
              if (what.listTasks) io.out(`      ${n.name ?? n.action ?? 'include_role'}\tTAGS: [${t.join(',')}]\n`);
            } else if (shouldRun(t, filter)) {
              // As ansible-playbook lists them: a named task of a role as `role : name`, an unnamed one by its action alone.
              if (what.listTasks) io.out(`      ${n.name !== undefined ? `${role ? `${role} : ` : ''}${n.name}` : n.action ?? n.module}\tTAGS: [${t.join(',')}]\n`);
              for (const tag of t) taskTags.add(tag);
            }
          }
        };
        walk([...play.preTasks, ...play.tasks, ...play.postTasks], play.tags);
      }
      if (what.listTags) io.out(`      TASK TAGS: [${[...taskTags].sort().join(', ')}]\n`);
    });
  }
  return ExitCode.ok;
}
