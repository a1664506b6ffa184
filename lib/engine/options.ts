/** What a run is asked to do: the CLI's flags, or a library caller's options. */
import type { ConnectionFactory, ConnectionOptions } from '../connection/factory.js';
import type { ModuleDefinition } from '../module/define.js';
import type { Reporter } from '../output/events.js';

export interface RunOptions {
  /** Playbook file(s), run in order. */
  playbooks: string[];
  /** Inventory sources (files, directories, or `a,b,` host lists). Empty: the implicit localhost only. */
  inventory: string[];
  /** -e values, already parsed: later ones win. */
  extraVars?: Record<string, unknown>;
  check?: boolean;
  diff?: boolean;
  /** --limit: a host pattern intersected with every play's hosts. */
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  /** Hosts worked on at once (default 20: tasks wait on the network, not on the CPU). */
  forks?: number;
  verbosity?: number;
  /** Report each connection and command as a `log` event of verbosity 3, as -vvv does, at any verbosity (the live view shows them). */
  trace?: boolean;
  /** Receives every event of the run. */
  reporters?: Reporter[];
  /**
   * The run keeps a record (--json, --log): every file a task changes is
   * read first, so its result names the file with its checksums before and
   * after. Without it (and without check or diff), a module with direct()
   * makes its change in one round trip and reports only that it changed.
   */
  record?: boolean;
  connection?: ConnectionOptions;
  /** Replaces how connections are made (tests of error paths). */
  connectionFactory?: ConnectionFactory;
  /** --step: asked before each task (`TASK: name`); false passes the task over. */
  step?: (what: string) => boolean | Promise<boolean>;
  /** --start-at-task: pass over tasks until the first one with this name (or matching it as a shell pattern). */
  startAtTask?: string;
  /** --force-handlers: notified handlers run on hosts that failed afterwards (the play keyword force_handlers, for every play). */
  forceHandlers?: boolean;
  /** Force become for every play, as -b does. */
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: 'sudo' | 'su';
  /** -u: the remote user when the inventory names none. */
  remoteUser?: string;
  /** -c: the connection type when the inventory names none. */
  connectionType?: string;
  /**
   * Connection variables for hosts that set none of their own, as ansible.cfg
   * and the CLI give them (ansible_ssh_private_key_file from --private-key or
   * private_key_file, ansible_ssh_common_args, ansible_ssh_args).
   */
  connectionVars?: Record<string, string>;
  /**
   * When apply() does not do what plan() predicted (changed or not, the same
   * files): 'warn' (default) reports a warning, 'fail' fails the task (the
   * module tester).
   */
  predictions?: 'warn' | 'fail';
  /** The roles_path setting: folders searched for roles after roles/ beside the playbook. */
  rolesPath?: string[];
  /** Modules registered for this run, by their `name`; they win over local and built-in modules of that name. */
  modules?: ModuleDefinition[];
  /** Aborts the run (Ctrl-C): connections close, exit code 99. */
  signal?: AbortSignal;
}

/** A group of an inventory given as data: Ansible's YAML inventory shape. */
export interface InventoryGroupSpec {
  /** Host name → its variables (or null). */
  hosts?: Record<string, Record<string, unknown> | null>;
  vars?: Record<string, unknown>;
  children?: Record<string, InventoryGroupSpec | null>;
}

/** An inventory as data, as a YAML inventory file would hold it: `{ all: { hosts: {...}, children: {...} } }`. */
export type InventorySpec = Record<string, InventoryGroupSpec | null>;

/** A playbook as data: the list of plays a playbook file would hold. */
export interface PlaybookSpec {
  plays: Record<string, unknown>[];
  /** Where relative paths (vars_files, include_tasks, local modules/) are found; default the current directory. */
  dir?: string;
}

/** What a library caller gives runPlaybook: files or data, and modules of its own. */
export interface PlaybookRunOptions extends Omit<RunOptions, 'playbooks' | 'inventory'> {
  /** Playbook files, run in order (after `playbook`, when both are given). */
  playbooks?: string[];
  /** A playbook given as data. */
  playbook?: PlaybookSpec;
  /** Inventory sources (files, directories, `a,b,` host lists), or one inventory as data. Default: the implicit localhost only. */
  inventory?: string[] | InventorySpec;
}
