/** The loaded, validated shape of a playbook. Templates are kept as written and rendered per host at run time. */
import type { SourcePos } from '../errors.js';

/** Keywords every task-like node (task, block, include) may carry. */
export interface TaskCommon {
  name?: string;
  when: unknown[];
  tags: string[];
  vars: Record<string, unknown>;
  // Keywords that may be templated ("{{ x }}") stay raw until run time.
  become?: unknown;
  becomeUser?: string;
  becomeMethod?: string;
  ignoreErrors?: unknown;
  ignoreUnreachable?: unknown;
  anyErrorsFatal?: unknown;
  checkMode?: unknown;
  noLog?: unknown;
  runOnce?: unknown;
  delegateTo?: string;
  /** delegate_facts: the facts a delegated task sets go to the delegate. */
  delegateFacts?: unknown;
  /** Seconds before the task is failed on a host. */
  timeout?: unknown;
  environment?: Record<string, unknown> | string;
  pos: SourcePos;
}

export interface Task extends TaskCommon {
  kind: 'task';
  module: string;
  /** Arguments as written (after free-form and `args:` merging), not yet templated. */
  args: unknown;
  /** Position of the module key, for argument errors. */
  modulePos: SourcePos;
  /** Position of each argument's value, where it was written as a mapping. */
  argPositions: Record<string, SourcePos>;
  loop?: unknown;
  /** The lookup of a `with_<name>` loop (items, dict, sequence, ...); undefined for `loop:`. */
  loopWith?: string;
  /** with_items flattens one level, as Ansible does; loop and with_list do not. */
  loopFlatten?: boolean;
  loopVar: string;
  loopLabel?: string;
  indexVar?: string;
  loopPause?: unknown;
  register?: string;
  notify: string[];
  changedWhen?: unknown[];
  failedWhen?: unknown[];
  until?: unknown[];
  retries?: number | string;
  delay?: number | string;
  /** Handlers only: the names it answers to besides its own. */
  listen: string[];
}

export interface Block extends TaskCommon {
  kind: 'block';
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
}

/** include_tasks: read and run when reached, per host. */
export interface IncludeTasks extends TaskCommon {
  kind: 'include_tasks';
  file: string;
  /** `apply:` keywords, given to the included tasks as a block's are. */
  apply?: TaskCommon;
  /** Directory that relative paths resolve against. */
  baseDir: string;
  loop?: unknown;
  /** The lookup of a `with_<name>` loop; undefined for `loop:`. */
  loopWith?: string;
  loopVar: string;
  loopLabel?: string;
  indexVar?: string;
}

export type TaskNode = Task | Block | IncludeTasks;

export interface Play {
  name: string;
  hosts: string;
  vars: Record<string, unknown>;
  varsFiles: string[];
  /** Where each vars_files entry was written, for a "not found" error. */
  varsFilesPos?: (SourcePos | undefined)[];
  serial?: unknown;
  anyErrorsFatal: unknown;
  /** force_handlers: notified handlers run on hosts that failed after notifying them. */
  forceHandlers?: unknown;
  maxFailPercentage?: unknown;
  become?: unknown;
  becomeUser?: string;
  becomeMethod?: string;
  remoteUser?: string;
  connection?: string;
  gatherFacts: unknown;
  /** gather_subset, gather_timeout and fact_path: the arguments of the setup gather_facts runs. */
  gatherArgs?: Record<string, unknown>;
  /** 'linear', or a template that must render to it. */
  strategy?: unknown;
  preTasks: TaskNode[];
  tasks: TaskNode[];
  postTasks: TaskNode[];
  handlers: Task[];
  tags: string[];
  checkMode?: unknown;
  ignoreUnreachable?: unknown;
  noLog?: unknown;
  environment?: Record<string, unknown> | string;
  /** Directory of the file the play came from: vars_files and includes resolve against it. */
  baseDir: string;
  pos: SourcePos;
}

export interface Playbook {
  file: string;
  plays: Play[];
}
