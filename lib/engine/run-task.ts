/**
 * Runs one task on one host: loop items, `when`, templated arguments,
 * argument validation, reads, plan/apply, `until` retries, `changed_when`
 * and `failed_when`, `register`. Errors become results through outcome.ts;
 * the walker decides what a failure means for the play.
 */
import { dictKeys } from '../util/dict-order.js';
import { setMaxListeners } from 'node:events';
import { isTsplayError, TsplayError } from '../errors.js';
import type { ApplyContext, ModuleDefinition, PlanContext } from '../module/define.js';
import { TaskHost } from '../module/host.js';
import type { HostStatus } from '../output/events.js';
import type { Task } from '../playbook/types.js';
import { compileArgsSchema, describeSchemaErrors } from '../schema/ajv.js';
import { coerceAnsibleBooleans } from '../schema/ansible-booleans.js';
import { evaluateCondition, markUnsafe, renderValue } from '../template/index.js';
import { setOwn } from '../util/own.js';
import { resolveBecome } from './become.js';
import { applyInventoryResult, INVENTORY_MODULES } from './dynamic-inventory.js';
import { errorOutcome, type ModuleOutcome } from './outcome.js';
import { withModuleDefaults } from './module-defaults.js';
import { runModule } from './plan-apply.js';
import type { Engine, Scope } from './task-context.js';
import { traceScope } from '../output/trace.js';
import { keywordIsTrue, keywordValue } from './keyword.js';
import { OMIT, type Vars } from './vars.js';

export { describePos, failureMessage, type ModuleOutcome } from './outcome.js';
export { predictionMismatch } from './plan-apply.js';

export interface TaskOutcome extends ModuleOutcome {
  ignored: boolean;
}

function errorResult(e: unknown, c: HostRunContext): ModuleOutcome {
  return errorOutcome(e, {
    pos: c.task.pos,
    verbosity: c.engine.options.verbosity ?? 0,
    module: { name: c.def.name, file: c.engine.registry.fileOf?.(c.def.name) },
  });
}

function stripOmitted(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== OMIT).map(stripOmitted);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of dictKeys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== OMIT) setOwn(out, k, stripOmitted(x));
    }
    return out;
  }
  return v;
}

/** An alias (`dest` for `path`) becomes the argument it names; both at once is an error, naming them. */
function resolveAliases(def: ModuleDefinition, args: Record<string, unknown>, task: Task): void {
  if (!def.aliases || !args || typeof args !== 'object' || Array.isArray(args)) return;
  for (const [alias, name] of Object.entries(def.aliases)) {
    if (!Object.hasOwn(args, alias)) continue;
    if (Object.hasOwn(args, name)) {
      throw new TsplayError('validation', `module '${def.name}': '${alias}' is another name for '${name}': give one of them, not both`, {
        pos: task.argPositions[alias] || task.modulePos,
        hint: `remove '${alias}' or '${name}'`,
      });
    }
    setOwn(args, name, args[alias]);
    delete args[alias];
  }
}

function validateArgs(def: ModuleDefinition, raw: unknown, task: Task): Record<string, unknown> {
  // stripOmitted copies every list and dict (keeping a dict's key order, which structuredClone would drop).
  const args = stripOmitted(raw ?? {}) as Record<string, unknown>;
  resolveAliases(def, args, task);
  const validate = compileArgsSchema(def.schema);
  coerceAnsibleBooleans(def.schema, args);
  if (validate(args)) return args;
  const problems = describeSchemaErrors(validate.errors);
  const first = problems[0];
  const argName = first?.unknownKey ?? first?.path[0];
  const supported = Object.keys((def.schema.properties as object) ?? {});
  const detail = first?.unknownKey ? ` Supported arguments: ${supported.join(', ')}.` : '';
  throw new TsplayError('validation', `module '${def.name}': ${problems.map((p) => p.message).join('; ')}.${detail}`, {
    pos: (argName && task.argPositions[argName]) || task.modulePos,
    hint: `run 'tsplay doc ${def.name}' for its arguments`,
  });
}

/** Environment values must be strings on the wire. */
function renderEnvironment(scope: Scope, task: Task, vars: Vars): Record<string, string> | undefined {
  const all = [...scope.environment, task.environment].filter((e) => e !== undefined);
  if (!all.length) return undefined;
  const env: Record<string, string> = {};
  for (const e of all) {
    const rendered = renderValue(e, vars);
    if (rendered && typeof rendered === 'object') for (const [k, v] of Object.entries(rendered)) env[k] = String(v);
  }
  return env;
}

export interface HostRunContext {
  engine: Engine;
  task: Task;
  scope: Scope;
  host: string;
  vars: Vars;
  def: ModuleDefinition;
  /** Diff mode for this task on this host: --diff, or the task's `diff` keyword (resolveDiff). */
  diff: boolean;
}

const widened = new WeakSet<AbortSignal>();
const TASK_ENDED = Object.assign(new Error('the task ended'), { name: 'AbortError' });

/** One attempt of the module, without retries: each step below, in the order Ansible evaluates a task's keywords. */
async function attempt(c: HostRunContext, check: boolean): Promise<ModuleOutcome> {
  const { engine, task, scope, vars, def } = c;
  const args = renderArgs(c);
  const { delegated, target, targetVars } = chooseTarget(c);
  const { timeoutMs, become, environment } = connectionSettings(c, targetVars);
  const { abort, release } = taskAbort(engine.options.signal);
  // The connection opens on a module's first use of the host: debug, set_fact and
  // assert never touch it, as in Ansible where they run on the controller.
  const taskHost = new TaskHost({
    // From the pool at each use: after ctx.reconnect() the next command opens a new connection.
    get conn() {
      return engine.pool.get(target, targetVars);
    },
    name: target,
    become,
    environment,
    timeoutMs,
    signal: abort.signal,
    cache: engine.pool.cache(target),
    module: def.name,
  });
  const warnings: string[] = [];
  const { planCtx, applyCtx } = moduleContexts(c, check, taskHost, abort.signal, () => engine.pool.reset(target), warnings);
  const work = () => runModule({ engine, def, args, check, target, taskHost, planCtx, applyCtx });
  let outcome: ModuleOutcome;
  // The commands of a no_log task stay out of the -vvv trace. The scope lives in an
  // AsyncLocalStorage, which costs every promise of the process a hook: only when traced.
  const noLogFlag = task.noLog ?? scope.noLog;
  const traced = engine.pool.traced ? () => traceScope({ noLog: noLogFlag !== undefined && keywordIsTrue(noLogFlag, vars) }, work) : work;
  try {
    outcome = timeoutMs ? await withTimeout(traced(), timeoutMs, task, abort) : await traced();
  } catch (e) {
    taskHost.forget();
    // A user's error (a template, a timeout, a write from plan()) is reported as it is, and failed_when cannot excuse it.
    if (isTsplayError(e)) throw e;
    outcome = errorResult(e, c);
  } finally {
    release();
  }
  forgetStaleReads(taskHost, outcome);
  // As in Ansible, the module's warnings are in its result too (`register` sees them), beside the [WARNING] lines.
  if (warnings.length) outcome.result = { ...outcome.result, warnings: [...(Array.isArray(outcome.result.warnings) ? outcome.result.warnings : []), ...warnings] };
  if (delegated !== undefined) outcome.delegatedTo = target;
  return withResultDiff(outcome, c.diff);
}

/** module_defaults, then templates, then the schema: a module only ever sees arguments it declared, of the right types. */
function renderArgs({ task, scope, vars, def }: HostRunContext): Record<string, unknown> {
  return validateArgs(def, renderValue(withModuleDefaults(task.module, task.args, [...(scope.moduleDefaults ?? []), task.moduleDefaults]), vars), task);
}

/** delegate_to: the host the module runs on, and the variables its connection is made with (the delegate's own, as in Ansible). */
function chooseTarget({ engine, task, scope, host, vars }: HostRunContext): { delegated: unknown; target: string; targetVars: Vars } {
  const delegate = scope.delegateTo ?? task.delegateTo;
  const delegated = delegate ? keywordValue(delegate, vars) : undefined;
  const target = delegated === undefined ? host : String(delegated);
  const targetVars = target === host ? vars : delegateVars(engine, target);
  return { delegated, target, targetVars };
}

/** The task's time limit, become and environment: what the connection to the target needs beyond its address. */
function connectionSettings({ engine, task, scope, vars }: HostRunContext, targetVars: Vars): { timeoutMs?: number; become: ReturnType<typeof resolveBecome>; environment?: Record<string, string> } {
  const timeout = keywordValue(task.timeout ?? scope.timeout, vars);
  const timeoutMs = timeout !== undefined ? Number(timeout) * 1000 : undefined;
  const become = resolveBecome([...scope.become, task], targetVars, { ...engine.options, becomePassword: engine.becomePassword }, vars);
  const environment = renderEnvironment(scope, task, vars);
  return { timeoutMs, become, environment };
}

/**
 * The task's own abort signal, aborted by Ctrl-C (the run's signal) or when
 * its time is up, so commands still running on the host are stopped.
 * `release` ends it once the attempt is over.
 */
function taskAbort(runSignal: AbortSignal | undefined): { abort: AbortController; release: () => void } {
  const abort = new AbortController();
  const onRunAbort = () => abort.abort(runSignal?.reason);
  if (runSignal?.aborted) abort.abort(runSignal.reason);
  else if (runSignal) {
    // Every host's task listens to the run's signal at once: 100 hosts are not a leak.
    if (!widened.has(runSignal)) {
      setMaxListeners(0, runSignal);
      widened.add(runSignal);
    }
    runSignal.addEventListener('abort', onRunAbort, { once: true });
  }
  const release = () => {
    runSignal?.removeEventListener('abort', onRunAbort);
    if (!abort.signal.aborted) abort.abort(TASK_ENDED); // a reason of our own: no DOMException (and its stack) per host-task
  };
  return { abort, release };
}

/** What plan() and apply() are given: the same settings, a read-only host for plan(), a writable one for apply(). */
function moduleContexts({ engine, task, host, vars, diff }: HostRunContext, check: boolean, taskHost: TaskHost, signal: AbortSignal, reconnect: () => Promise<void>, warnings: string[]): { planCtx: PlanContext; applyCtx: ApplyContext } {
  const base = {
    vars,
    check,
    diff,
    log: (message: string) => engine.events.emit({ type: 'log', host, message }),
    warn: (message: string) => {
      warnings.push(message);
      engine.events.emit({ type: 'warning', message: `${host}: ${message}` });
    },
    tmpdir: engine.tmpdir,
    task: { name: task.name ?? task.module, pos: task.pos },
    signal,
    reconnect,
  };
  return { planCtx: { ...base, host: taskHost.view() }, applyCtx: { ...base, host: taskHost } };
}

/**
 * A change, or a failure halfway, may have changed what was read: read again next time
 * (but for the files the task itself just wrote, whose bytes and stat are known).
 */
function forgetStaleReads(taskHost: TaskHost, outcome: ModuleOutcome): void {
  if (outcome.status === 'changed') taskHost.forgetAllButWritten();
  else if (outcome.status !== 'ok' && outcome.status !== 'skipped') taskHost.forget();
}

function delegateVars(engine: Engine, target: string): Vars {
  if (engine.inventory.hosts.has(target)) return engine.vars.forHost(target);
  if (target === 'localhost' || target === '127.0.0.1') return { ...engine.vars.forHost(target), ansible_connection: 'local' };
  return { ansible_host: target };
}

async function withTimeout<T>(p: Promise<T>, ms: number, task: Task, abort: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new TsplayError('runtime', `the task '${task.name ?? task.module}' timed out after ${ms / 1000} s and was stopped`, { pos: task.pos });
      abort.abort(e);
      reject(e);
    }, ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** The `until` loop: runs the task once, or again until `until` holds or retries run out, then applies changed_when / failed_when. */
export async function runUntil(c: HostRunContext, check: boolean): Promise<ModuleOutcome> {
  const { task, engine, host } = c;
  // Ansible 2.14: `retries` attempts after the first one (0 or less: a single attempt).
  const retries = task.until ? Math.max(0, Number(renderValue(task.retries ?? 3, c.vars))) : 0;
  const delay = task.until ? Number(renderValue(task.delay ?? 5, c.vars)) : 0;
  let out: ModuleOutcome;
  for (let n = 1; ; n++) {
    try {
      out = await attempt(c, check);
    } catch (e) {
      // A template or argument error means the module never ran: failed_when cannot excuse it.
      return errorResult(e, c);
    }
    // What the host sent back is data from here on: never rendered as a template (changed_when, register, facts).
    hostData(c.def.name, out.result);
    if (out.status === 'unreachable' || out.status === 'skipped') return out;
    if (out.status !== 'failed' && INVENTORY_MODULES.has(c.def.name)) {
      // add_host and group_by: the inventory changes now, and `changed` says whether anything was new.
      try {
        out.status = (await applyInventoryResult(engine, c.def.name, host, out.result, task.pos)) ? 'changed' : 'ok';
      } catch (e) {
        return errorResult(e, c);
      }
    }
    // Ansible sets `attempts` before changed_when / failed_when, so they can read it.
    if (task.until) out.result.attempts = n;
    out = applyResultConditions(c, out);
    if (!task.until) return out;
    let done = false;
    try {
      // `until` sees the result as it is registered: with `failed` and `changed` as changed_when / failed_when left them.
      done = evaluateCondition(task.until, withRegistered(c, finishResult(out.status, out.result)));
    } catch (e) {
      return errorResult(e, c);
    }
    if (done) return out;
    if (n > retries) {
      // The last attempt's result, marked failed, without a message of Ansible's own; 2.14 reports
      // `attempts` as the retries setting, one less than the attempts made. Where failed_when
      // held false, it still decides the task's status (Ansible's TaskResult.is_failed), while
      // the registered `failed` is true.
      if (out.result.failed_when_result !== false) out.status = 'failed';
      out.result.failed = true;
      if (retries > 0) out.result.attempts = retries;
      return out;
    }
    engine.events.emit({ type: 'retrying', host, task: task.name ?? task.module, attempt: n, retries: retries + 1 });
    await new Promise((r) => setTimeout(r, delay * 1000));
  }
}

function withRegistered(c: HostRunContext, result: Record<string, unknown>): Vars {
  return c.task.register ? { ...c.vars, [c.task.register]: result } : c.vars;
}

/**
 * Evaluates changed_when or failed_when. One that cannot be evaluated fails
 * the task but keeps the module's result, with the reason in
 * `<keyword>_result`, as Ansible does: the output is still there to register.
 */
function resultCondition(c: HostRunContext, out: ModuleOutcome, keyword: 'changed_when' | 'failed_when', conditions: unknown[], result: Record<string, unknown>): boolean | undefined {
  const vars = withRegistered(c, result);
  for (const condition of conditions) {
    try {
      if (!evaluateCondition(condition, vars)) return false;
    } catch (e) {
      out.status = 'failed';
      out.result[`${keyword}_result`] = `The conditional check '${String(condition)}' failed. The error was: ${(e as Error).message}`;
      return undefined;
    }
  }
  return true;
}

function applyResultConditions(c: HostRunContext, out: ModuleOutcome): ModuleOutcome {
  const { task } = c;
  if (task.changedWhen) {
    const changed = resultCondition(c, out, 'changed_when', task.changedWhen, out.result);
    if (changed === undefined) return out;
    out.result.changed = changed;
    if (out.status !== 'failed') out.status = changed ? 'changed' : 'ok';
  }
  if (task.failedWhen) {
    const failed = resultCondition(c, out, 'failed_when', task.failedWhen, { ...out.result, failed: out.status === 'failed' });
    if (failed === undefined) return out;
    out.result.failed_when_result = failed;
    out.result.failed = failed;
    if (failed) out.status = 'failed';
    else if (out.status === 'failed') out.status = out.result.changed ? 'changed' : 'ok';
  }
  return out;
}

/** Ansible's registered result shape: always `changed` and `failed`; `skipped` and `skip_reason` when skipped. */
export function finishResult(status: HostStatus, result: Record<string, unknown>): Record<string, unknown> {
  // `failed` is the status's, but where until's retries ran out while failed_when held false: true, status not failed (runUntil).
  const outOfRetries = result.failed === true && result.failed_when_result === false;
  const r: Record<string, unknown> = { ...result, changed: !!result.changed && status !== 'skipped', failed: status === 'failed' || outOfRetries };
  if (status === 'skipped') r.skipped = true;
  if (status === 'unreachable') r.unreachable = true;
  return r;
}

/**
 * In diff mode a module's predicted file changes are also in its result, as
 * `diff`: a list of Ansible's before/after dicts (copy's and template's shape).
 * A module that returns `diff` itself (lineinfile, blockinfile, replace, as
 * Ansible's do) keeps its own.
 */
function withResultDiff(outcome: ModuleOutcome, diff: boolean): ModuleOutcome {
  if (!diff || !outcome.diff?.length || Object.hasOwn(outcome.result, 'diff')) return outcome;
  const ansibleDiff = outcome.diff.map((d) => ({ before: d.before, after: d.after, before_header: d.beforeLabel ?? d.label, after_header: d.afterLabel ?? d.label }));
  return { ...outcome, result: { ...outcome.result, diff: ansibleDiff } };
}

/** Diff mode for a task: its (or an enclosing block's, role's or play's) `diff` keyword, else --diff. */
export function resolveDiff(task: Task, scope: Scope, engine: Engine, vars: Vars): boolean {
  const flag = task.diff ?? scope.diff;
  if (flag === undefined) return !!engine.options.diff;
  return keywordIsTrue(flag, vars, !!engine.options.diff);
}

/**
 * Modules whose result is the operator's own variables files read on the
 * controller, not data from a host: their values stay templates, rendered
 * when used, as Ansible leaves include_vars' result unwrapped. A `!unsafe`
 * value in such a file keeps its mark.
 */
const OPERATOR_DATA = new Set(['include_vars']);

/** A module's result marked as data that is never rendered, unless it is the operator's own (OPERATOR_DATA). */
export function hostData<T>(module: string, result: T): T {
  return OPERATOR_DATA.has(module) ? result : markUnsafe(result);
}

export function resolveCheck(task: Task, scope: Scope, engine: Engine, vars: Vars): boolean {
  const flag = task.checkMode ?? scope.checkMode;
  if (flag === undefined) return !!engine.options.check;
  return keywordIsTrue(flag, vars, !!engine.options.check);
}
