/** What every part of a running play shares: options, variables, connections, modules, the event stream. */
import type { PlayTimes } from './play-times.js';
import type { Inventory } from '../inventory/index.js';
import type { ModuleRegistry } from '../module/registry.js';
import type { EventStream } from '../output/event-stream.js';
import type { Handler, Play, RoleFrame, Task } from '../playbook/types.js';
import type { ModuleDefaults } from '../playbook/module-defaults.js';
import type { ConnectionPool } from './connections.js';
import type { RunOptions } from './options.js';
import type { RunStats } from './stats.js';
import type { TagFilter } from './tags.js';
import type { StartAt } from './start-at.js';
import type { BecomeLayer } from './become.js';
import type { Vars, VarsManager } from './vars.js';

export interface Engine {
  options: RunOptions;
  inventory: Inventory;
  registry: ModuleRegistry;
  vars: VarsManager;
  pool: ConnectionPool;
  events: EventStream;
  stats: RunStats;
  tags: TagFilter;
  tmpdir: string;
  becomePassword?: string;
  /** --start-at-task: which tasks are passed over. */
  startAt?: StartAt;
  /** When each play's batch started and ended: the variable tsplay_play_times. */
  playTimes: PlayTimes;
}

/** Keywords a block passes down to the tasks inside it. */
export interface Scope {
  /** Conditions of enclosing blocks and imports, each evaluated per task. */
  when: unknown[];
  tags: string[];
  /** Variable layers, outermost first. */
  layers: Vars[];
  /** Per-host variables of an include loop's current item. */
  hostLayer?: Map<string, Vars>;
  become: BecomeLayer[];
  ignoreErrors?: unknown;
  ignoreUnreachable?: unknown;
  checkMode?: unknown;
  diff?: unknown;
  noLog?: unknown;
  delegateTo?: string;
  runOnce?: unknown;
  anyErrorsFatal?: unknown;
  environment: unknown[];
  timeout?: unknown;
  /** module_defaults of the play and the enclosing blocks, outermost first. */
  moduleDefaults?: ModuleDefaults[];
  /** The role whose tasks these are. */
  role?: RoleFrame;
  /** A failure here will be handled by an enclosing block's rescue. */
  rescuable: boolean;
  /** A block with `always` encloses the task: a failure goes there, so any_errors_fatal does not stop the play (as Ansible's rescue/always states). */
  cleanup?: boolean;
  /** Running a notified handler's tasks (an include_tasks handler's file): shown as handlers. */
  handler?: boolean;
}

export interface PlayRun {
  play: Play;
  /** Hosts out of the play: failed, unreachable, or ended with meta: end_host. */
  failed: Set<string>;
  unreachable: Set<string>;
  ended: Set<string>;
  /** Handlers waiting to run, per handler, with the hosts that notified them. */
  notified: Map<Handler, Set<string>>;
  batch: string[];
  /** The last failure of each host, for ansible_failed_task / ansible_failed_result in rescue. */
  lastFailure?: Map<string, { task: Task; result: Record<string, unknown> }>;
  endPlay: boolean;
  endBatch: boolean;
  /** Handlers of roles include_role loaded during this run. */
  dynamicHandlers?: Handler[];
  /** Per role (by key): hosts that ran one of its tasks, and hosts for which it has run to its end. */
  roleRan?: Map<string, Set<string>>;
  roleCompleted?: Map<string, Set<string>>;
}
