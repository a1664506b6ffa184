/**
 * The module contract. A module is one file that default-exports
 * defineModule({...}); built-in and third-party modules use the same shape.
 *
 *   plan()  is read-only: it looks at the host and says what would change.
 *           --check runs only this, so a dry run predicts the real run.
 *   apply() makes the change; the engine calls it only when the plan says
 *           something changes and the run is not in check mode.
 */
import type { BecomeOptions, Connection } from '../connection/types.js';
import type { SourcePos } from '../errors.js';

/** A JSON Schema object for a module's arguments (validated with ajv). */
export type ArgumentSchema = Record<string, unknown>;

export interface FileDiff {
  /** Shown in the diff header, e.g. the path. */
  label: string;
  before: string;
  after: string;
}

export interface ModuleContext {
  /** Inventory name of the host the task runs for. */
  host: string;
  /** All variables visible to the task (read-only). */
  vars: Readonly<Record<string, unknown>>;
  conn: Connection;
  /** Pass this to every conn call: the task's become settings, if any. */
  become?: BecomeOptions;
  /** Milliseconds a single command may take (the task's `timeout:`). */
  timeoutMs?: number;
  /** Extra environment for commands (the task's `environment:`). */
  environment?: Record<string, string>;
  check: boolean;
  diff: boolean;
  /** Extra lines for -v output. */
  log: (message: string) => void;
  /** A directory on the controller for the module's scratch files. */
  tmpdir: string;
  task: { name: string; pos?: SourcePos };
}

/** Values a task may register, besides the engine's own keys. */
export type ResultData = Record<string, unknown>;

export interface Plan<P = unknown> {
  /** Whether apply() would change anything. */
  changed: boolean;
  /**
   * Report the task as skipped with this reason (e.g. a command in check
   * mode, or `creates` already present) instead of ok/changed.
   */
  skipped?: string;
  /** Fail the task with this message (e.g. assert, fail). */
  failed?: string;
  /** Human text for the result line (-v) and `msg` in the registered result. */
  msg?: string;
  diff?: FileDiff[];
  /** Result values when apply() does not run (no change, or check mode). */
  result?: ResultData;
  /** Private to the module: anything plan() found that apply() needs. */
  state?: P;
}

export interface ApplyResult {
  changed: boolean;
  failed?: string;
  msg?: string;
  result?: ResultData;
}

export interface ModuleDefinition<A = any, P = any> {
  name: string;
  description: string;
  /** YAML task snippets shown by `tsplay doc <module>`. */
  examples: string[];
  schema: ArgumentSchema;
  /**
   * When the task is given a bare string (`command: ls -l`), the argument it
   * fills. Ansible calls this the free form.
   */
  freeForm?: string;
  /**
   * How the module behaves under --check:
   *   'plan' (default): only plan() runs.
   *   'skip': the task is reported skipped after plan(), for a module whose
   *           effect cannot be predicted.
   *   'always': apply() runs in check mode too, because it changes nothing
   *             on any host (debug, set_fact, assert, fail, pause).
   */
  checkMode?: 'plan' | 'skip' | 'always';
  plan(args: A, ctx: ModuleContext): Promise<Plan<P>>;
  apply?(args: A, ctx: ModuleContext, plan: Plan<P>): Promise<ApplyResult>;
}

export function defineModule<A = any, P = any>(def: ModuleDefinition<A, P>): ModuleDefinition<A, P> {
  return def;
}
