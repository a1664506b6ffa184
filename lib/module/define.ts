/**
 * The module contract. A module is one file that default-exports
 * defineModule({...}); built-in and third-party modules use the same shape.
 *
 *   reads() declares what the module needs to read from the host; the
 *           engine reads it all in one round trip, with the task's become,
 *           before plan() runs, and serves it from a per-host cache.
 *   plan()  is read-only: it looks at the host (a HostView, which cannot
 *           write) and says what would change. --check runs only this, so a
 *           dry run predicts the real run.
 *   apply() makes the change (a Host, which can write); the engine calls it
 *           only when the plan says something changes and the run is not in
 *           check mode, then checks the outcome matches the prediction.
 *   direct() optional: looks, decides and changes on the host in one round
 *           trip, as an Ansible module does there, for a run that neither
 *           checks nor shows diffs (a plain run's second round trip per task
 *           is most of its time on many hosts). Check mode and --diff always
 *           take plan(); returning undefined takes it too.
 *
 * Expected failures are returned (`failed: 'why'`) or thrown as ModuleError;
 * anything else thrown is a bug in the module and reported as one.
 */
import type { SourcePos } from '../errors.js';
import type { Read } from '../connection/batch-read.js';
import type { FileDiff } from '../output/diff-text.js';
import type { Host, HostView } from './host.js';

export type { FileDiff } from '../output/diff-text.js';

/** A JSON Schema object for a module's arguments (validated with ajv). */
export type ArgumentSchema = Record<string, unknown>;

/** What every phase of a module gets besides the host. */
export interface BaseContext {
  /** All variables visible to the task (read-only). `inventory_hostname` is the host the task is for. */
  vars: Readonly<Record<string, unknown>>;
  /** The run is in check mode: plan() only, nothing changes. */
  check: boolean;
  /** --diff: the module should fill `diff` in its plan. */
  diff: boolean;
  /** Extra lines for -v output. */
  log: (message: string) => void;
  /** A warning shown in the run's output (and in the tester's report). */
  warn: (message: string) => void;
  /** A directory on the controller for the module's scratch files. */
  tmpdir: string;
  task: { name: string; pos?: SourcePos };
  /** Aborted when the run is interrupted or the task's time is up; commands on the host stop with it. */
  signal: AbortSignal;
  /**
   * Closes the connection to the host (the delegate with delegate_to) and
   * makes the next command open a new one, as `meta: reset_connection` does:
   * for a module that waits for a host to come back (wait_for_connection).
   * Given by the engine; absent where no engine runs the module (the module tester).
   */
  reconnect?: () => Promise<void>;
}

/** What plan() gets: the host, read-only. */
export interface PlanContext extends BaseContext {
  host: HostView;
}

/** What apply() gets: the host, writable. */
export interface ApplyContext extends BaseContext {
  host: Host;
}

/** Either phase's context; helpers shared by plan() and apply() take this. */
export type ModuleContext = PlanContext;

/** What reads() gets: no host, only what decides the reads. */
export interface ReadContext {
  vars: Readonly<Record<string, unknown>>;
  check: boolean;
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
  /** The files that would change; give each its `path` so the engine can check apply() writes exactly those. */
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

/**
 * How the module behaves under --check:
 *   'plan' (default): only plan() runs.
 *   'skip': the task is reported skipped after plan(), for a module whose
 *           effect cannot be predicted.
 *   'always': apply() runs in check mode too, because it changes nothing
 *             on any host (debug, set_fact, assert, fail, pause).
 */
export type CheckMode = 'plan' | 'skip' | 'always';

export interface ModuleDefinition<A = any, P = any> {
  /** The name tasks use; a local module's file must be named after it (`<name>.js`). */
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
   * Other names of arguments, as Ansible's argument specs give them
   * (`dest: 'path'`): a task may use either; giving both is an error.
   */
  aliases?: Record<string, string>;
  checkMode?: CheckMode;
  /** What plan() will read: read in one round trip before plan() runs (see `reads`). */
  reads?(args: A, ctx: ReadContext): readonly Read<unknown>[];
  plan(args: A, ctx: PlanContext): Promise<Plan<P>>;
  apply?(args: A, ctx: ApplyContext, plan: Plan<P>): Promise<ApplyResult>;
  /**
   * The change in one round trip, without plan(), for a run that neither
   * checks nor shows diffs; it must reach the same end state and report the
   * same `changed` and result as plan() then apply(). Undefined: take the
   * plan() way (arguments the shortcut does not cover). The module tester
   * runs every case both ways.
   */
  direct?(args: A, ctx: ApplyContext): Promise<ApplyResult | undefined>;
}

/** Declares a module; the identity, for types. */
export function defineModule<A = any, P = any>(def: ModuleDefinition<A, P>): ModuleDefinition<A, P> {
  return def;
}

/**
 * An expected failure, thrown from plan() or apply(): the task fails with
 * this message (and `result` in the registered value), not as a module bug.
 */
export class ModuleError extends Error {
  readonly result?: ResultData;
  constructor(message: string, opts: { result?: ResultData; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'ModuleError';
    this.result = opts.result;
  }
}
