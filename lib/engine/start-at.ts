/**
 * --start-at-task: tasks are passed over until the first one whose name is
 * the given one or matches it as a shell pattern (Python's fnmatch, as
 * Ansible uses); from there on everything runs, in later plays too. A play
 * that holds no match is passed over whole, its fact gathering included.
 */
import type { Play, TaskNode } from '../playbook/types.js';

/** fnmatch's pattern as a regular expression: `*`, `?`, `[seq]`, `[!seq]`. */
function fnmatchRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let set = pattern.slice(i + 1, end);
        if (set.startsWith('!')) set = '^' + set.slice(1);
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

export class StartAt {
  done = false;
  private readonly re: RegExp;

  constructor(readonly name: string) {
    this.re = fnmatchRegex(name);
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
