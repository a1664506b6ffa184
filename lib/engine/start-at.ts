/**
 * --start-at-task: tasks are passed over until the first one whose name is
 * the given one or matches it as a shell pattern (Python's fnmatch, as
 * Ansible uses); from there on everything runs, in later plays too. A play
 * that holds no match is passed over whole, its fact gathering included.
 */
import { globToRegExp } from '../inventory/patterns.js';
import type { Play, TaskNode } from '../playbook/types.js';

export class StartAt {
  done = false;
  private readonly re: RegExp;

  constructor(readonly name: string) {
    this.re = globToRegExp(name); // Python's fnmatch, as host patterns use it
  }

  private matches(taskName: unknown): boolean {
    return typeof taskName === 'string' && (taskName === this.name || this.re.test(taskName));
  }

  /** Whether a task runs: not before the first match. */
  admit(taskName: unknown): boolean {
    if (!this.done && this.matches(taskName)) this.done = true;
    return this.done;
  }

  /** Whether the play runs at all: the match happened already, or one of its tasks matches. */
  reaches(play: Play): boolean {
    if (this.done) return true;
    const has = (nodes: TaskNode[]): boolean =>
      nodes.some((n) => (n.kind === 'block' ? has(n.block) || has(n.rescue) || has(n.always) : this.matches(n.name)));
    return has([...play.preTasks, ...play.tasks, ...play.postTasks]);
  }
}
