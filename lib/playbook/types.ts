/** The loaded, validated shape of a playbook. Templates are kept as written and rendered per host at run time. */
import type { SourcePos } from '../errors.js';
import type { ModuleDefaults } from './module-defaults.js';

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
  /** The `diff` keyword: diff mode on or off for these tasks, whatever --diff says. */
  diff?: unknown;
  noLog?: unknown;
  runOnce?: unknown;
  delegateTo?: string;
  /** delegate_facts: the facts a delegated task sets go to the delegate. */
  delegateFacts?: unknown;
  /** Seconds before the task is failed on a host. */
  timeout?: unknown;
  environment?: Record<string, unknown> | string;
  /** module_defaults: default arguments per module name. */
  moduleDefaults?: ModuleDefaults;
  pos: SourcePos;
}

/**
 * A role as loaded from its directory (lib/playbook/roles.ts): its variable
 * files, its invocation's vars and parameters, its dependencies. One object
 * per name and invocation within a play, as Ansible's role cache: the same
 * object met twice runs once per host unless duplicates are allowed.
 */
export interface LoadedRole {
  name: string;
  path: string;
  /** Identity within the play: name, parameters, when, tags, vars, from-files. */
  key: string;
  allowDuplicates: boolean;
  /** defaults/<defaults_from>. */
  defaults: Record<string, unknown>;
  /** vars/<vars_from>. */
  roleVars: Record<string, unknown>;
  /** The invocation's `vars:`. */
  invocationVars: Record<string, unknown>;
  /** The invocation's parameters (`- role: x` with `p: 1`). */
  params: Record<string, unknown>;
  dependencies: LoadedRole[];
}

/** A role being run, with the roles it runs within (outermost first): what its tasks see of roles. */
export interface RoleFrame {
  role: LoadedRole;
  chain: LoadedRole[];
  /** The role that imported or included this one with import_role/include_role, with its own parents. */
  parentNames: string[];
  parentPaths: string[];
  /** The vars of the import_role/include_role task: include parameters, above set_fact. */
  includeParams: Record<string, unknown>;
}

export interface Task extends TaskCommon {
  kind: 'task';
  module: string;
  /**
   * `module` is a template (`action: "{{ ansible_facts.pkg_mgr }}"`): each
   * host renders it when the task runs, as Ansible does (templated-action.ts).
   */
  moduleTemplate?: boolean;
  /** The module as written, when that is a qualified name (`ansible.builtin.ping`). */
  action?: string;
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
  /** The role the task was loaded from: its name prefixes the task's, its variables are the handler's. */
  role?: RoleFrame;
}

export interface Block extends TaskCommon {
  kind: 'block';
  /** The block is a role's body (its dependencies, then its tasks). */
  role?: RoleFrame;
  /** The block stands for an import_tasks of this file (its tasks, with the import's keywords). */
  importedFrom?: string;
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
}

/** include_tasks: read and run when reached, per host. */
export interface IncludeTasks extends TaskCommon {
  kind: 'include_tasks';
  /** The action as written, when qualified (`ansible.builtin.include_tasks`): the banner of an unnamed include shows it. */
  action?: string;
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
  /** Handlers only: the names it answers to besides its own. */
  listen?: string[];
  /** A role's handler: the role it was loaded from (its name prefixes the handler's, its variables are the handler's). */
  role?: RoleFrame;
}

/** include_role: the role is found, loaded and run when reached. */
export interface IncludeRole extends TaskCommon {
  kind: 'include_role';
  /** The action as written, when qualified. */
  action?: string;
  /** The role's name (may be templated). */
  role: string;
  tasksFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  handlersFrom?: string;
  /** Its defaults and vars are the play's once it has run. */
  public?: unknown;
  allowDuplicates: boolean;
  apply?: TaskCommon;
  /** Where the playbook is: the role search starts there. */
  baseDir: string;
  /** The role whose tasks hold this include_role. */
  parent?: RoleFrame;
  loop?: unknown;
  loopWith?: string;
  loopVar: string;
  loopLabel?: string;
  indexVar?: string;
}

export type TaskNode = Task | Block | IncludeTasks | IncludeRole;

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
  /** Tasks, or include_tasks whose file runs when the handler is notified (Ansible's HandlerTaskInclude). */
  handlers: Handler[];
  /** The roles of `roles:` and import_role: their defaults and vars are the whole play's. */
  roles: LoadedRole[];
  tags: string[];
  checkMode?: unknown;
  /** The `diff` keyword: diff mode on or off for these tasks, whatever --diff says. */
  diff?: unknown;
  ignoreUnreachable?: unknown;
  noLog?: unknown;
  environment?: Record<string, unknown> | string;
  moduleDefaults?: ModuleDefaults;
  /** Directory of the file the play came from: vars_files and includes resolve against it. */
  baseDir: string;
  pos: SourcePos;
}

export interface Playbook {
  file: string;
  plays: Play[];
}

/** A handler: a task, or an include_tasks run when notified. */
export type Handler = Task | IncludeTasks;
