/**
 * Runs one task on one host: loop items, `when`, templated arguments,
 * argument validation, plan/apply, `until` retries, `changed_when` and
 * `failed_when`, `register`. Errors become results here; the walker
 * decides what a failure means for the play.
 */
import { CommandError, UnreachableError } from '../connection/types.js';
import { isTsplayError, TsplayError, type SourcePos } from '../errors.js';
import type { ModuleContext, ModuleDefinition } from '../module/define.js';
import type { HostStatus } from '../output/events.js';
import type { Task } from '../playbook/types.js';
import { compileArgsSchema, describeSchemaErrors } from '../schema/ajv.js';
import { evaluateCondition, renderValue } from '../template/index.js';
import { resolveBecome, truthy } from './become.js';
import { unreachableMessage } from './local-hint.js';
import type { Engine, Scope } from './task-context.js';
import { OMIT, type Vars } from './vars.js';

export interface TaskOutcome {
  status: HostStatus;
  ignored: boolean;
  result: Record<string, unknown>;
}

export function describePos(pos?: SourcePos): string {
  return pos ? `${pos.file}:${pos.line}:${pos.col}` : '';
}

/** A user error as a task's failure message: what, where (file:line:col), and what to do. */
export function failureMessage(e: TsplayError, fallback?: SourcePos): string {
  const where = describePos(e.pos ?? fallback);
  const hint = e.hint ? ` ${e.hint[0].toUpperCase()}${e.hint.slice(1)}${/[.!?]$/.test(e.hint) ? '' : '.'}` : '';
  return `${e.message}${where ? ` (in ${where})` : ''}.${hint}`;
}

/** A failure message that says where: the task's position and the template or argument at fault. */
function errorResult(e: unknown, task: Task, verbosity: number): { status: HostStatus; result: Record<string, unknown> } {
  if (e instanceof UnreachableError) {
    return { status: 'unreachable', result: { changed: false, unreachable: true, msg: unreachableMessage(e) } };
  }
  if (e instanceof CommandError) {
    return { status: 'failed', result: { changed: false, rc: e.rc, stdout: e.stdout, stderr: e.stderr, msg: e.message } };
  }
  if (isTsplayError(e)) {
    const msg = failureMessage(e, task.pos);
    return { status: 'failed', result: { changed: false, msg } };
  }
  const err = e as Error;
  return {
    status: 'failed',
    result: { changed: false, msg: `MODULE FAILURE: ${err?.message ?? String(e)}`, ...(verbosity >= 3 && err?.stack ? { exception: err.stack } : {}) },
  };
}

function stripOmitted(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== OMIT).map(stripOmitted);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== OMIT) out[k] = stripOmitted(x);
    return out;
  }
  return v;
}

function validateArgs(def: ModuleDefinition, raw: unknown, task: Task): Record<string, unknown> {
  const args = structuredClone(stripOmitted(raw ?? {})) as Record<string, unknown>;
  const validate = compileArgsSchema(def.schema);
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
}

/** One attempt of the module, without retries. */
async function attempt(c: HostRunContext, check: boolean): Promise<{ status: HostStatus; result: Record<string, unknown> }> {
  const { engine, task, scope, host, vars, def } = c;
  const args = validateArgs(def, renderValue(task.args, vars), task);
  const delegate = scope.delegateTo ?? task.delegateTo;
  const target = delegate ? String(renderValue(delegate, vars)) : host;
  const targetVars = target === host ? vars : delegateVars(engine, target);
  const conn = engine.pool.get(target, targetVars);
  const layers = [...scope.become, task];
  const timeoutSec = task.timeout ?? scope.timeout;
  const timeoutMs = timeoutSec !== undefined ? Number(renderValue(timeoutSec, vars)) * 1000 : undefined;
  const ctx: ModuleContext = {
    host,
    vars,
    conn,
    become: resolveBecome(layers, targetVars, { ...engine.options, becomePassword: engine.becomePassword }),
    timeoutMs,
    environment: renderEnvironment(scope, task, vars),
    check,
    diff: !!engine.options.diff,
    log: (message) => engine.events.emit({ type: 'log', host, message }),
    tmpdir: engine.tmpdir,
    task: { name: task.name ?? task.module, pos: task.pos },
  };
  // The connection opens on a module's first use of it: debug, set_fact and
  // assert never touch the host, as in Ansible where they run on the controller.
  const work = async () => {
    const plan = await def.plan(args, ctx);
    if (plan.failed) return { status: 'failed' as HostStatus, result: { changed: false, ...plan.result, msg: plan.failed }, diff: plan.diff };
    if (plan.skipped) return { status: 'skipped' as HostStatus, result: { changed: false, skipped: true, msg: plan.skipped, ...plan.result }, diff: plan.diff };
    const mode = def.checkMode ?? 'plan';
    if (check && mode === 'skip' && plan.changed) {
      return { status: 'skipped' as HostStatus, result: { changed: false, skipped: true, msg: 'Command would have run if not in check mode' }, diff: plan.diff };
    }
    const runApply = def.apply && ((plan.changed && !check) || mode === 'always');
    if (!runApply) {
      return { status: (plan.changed ? 'changed' : 'ok') as HostStatus, result: { changed: plan.changed, ...(plan.msg ? { msg: plan.msg } : {}), ...plan.result }, diff: plan.diff };
    }
    const applied = await def.apply!(args, ctx, plan);
    const result = { changed: applied.changed, ...(applied.msg ? { msg: applied.msg } : {}), ...applied.result };
    if (applied.failed) return { status: 'failed' as HostStatus, result: { ...result, msg: applied.failed }, diff: plan.diff };
    return { status: (applied.changed ? 'changed' : 'ok') as HostStatus, result, diff: plan.diff };
  };
  const outcome = timeoutMs ? await withTimeout(work(), timeoutMs, task) : await work();
  if (outcome.diff?.length) (outcome.result as Record<string, unknown>)._tsplay_diff = outcome.diff;
  if (delegate) (outcome.result as Record<string, unknown>)._tsplay_delegated_to = target;
  return outcome;
}

function delegateVars(engine: Engine, target: string): Vars {
  if (engine.inventory.hosts.has(target)) return engine.vars.forHost(target);
  if (target === 'localhost' || target === '127.0.0.1') return { ...engine.vars.forHost(target), ansible_connection: 'local' };
  return { ansible_host: target };
}

async function withTimeout<T>(p: Promise<T>, ms: number, task: Task): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TsplayError('runtime', `the task '${task.name ?? task.module}' timed out after ${ms / 1000} s and was stopped`, { pos: task.pos })), ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the task once (or until `until` holds), then applies changed_when / failed_when. */
export async function runOnce(c: HostRunContext, check: boolean): Promise<{ status: HostStatus; result: Record<string, unknown> }> {
  const { task, engine, host } = c;
  // Ansible 2.14: `retries` attempts after the first one (0 or less: a single attempt).
  const retries = task.until ? Math.max(0, Number(renderValue(task.retries ?? 3, c.vars))) : 0;
  const delay = task.until ? Number(renderValue(task.delay ?? 5, c.vars)) : 0;
  let out: { status: HostStatus; result: Record<string, unknown> };
  for (let n = 1; ; n++) {
    try {
      out = await attempt(c, check);
    } catch (e) {
      out = errorResult(e, task, engine.options.verbosity ?? 0);
      // A template or argument error means the module never ran: failed_when cannot excuse it.
      if (isTsplayError(e)) return out;
    }
    if (out.status === 'unreachable' || out.status === 'skipped') return out;
    out = applyResultConditions(c, out);
    if (!task.until) return out;
    out.result.attempts = n;
    let done = false;
    try {
      done = evaluateCondition(task.until, withRegistered(c, out.result));
    } catch (e) {
      return errorResult(e, task, engine.options.verbosity ?? 0);
    }
    if (done) return out;
    if (n > retries) {
      // The last attempt's result, marked failed, without a message of Ansible's own; 2.14 reports
      // `attempts` as the retries setting, one less than the attempts made.
      out.status = 'failed';
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

function applyResultConditions(c: HostRunContext, out: { status: HostStatus; result: Record<string, unknown> }) {
  const { task } = c;
  try {
    if (task.changedWhen) {
      const changed = evaluateCondition(task.changedWhen, withRegistered(c, out.result));
      out.result.changed = changed;
      if (out.status !== 'failed') out.status = changed ? 'changed' : 'ok';
    }
    if (task.failedWhen) {
      const failed = evaluateCondition(task.failedWhen, withRegistered(c, { ...out.result, failed: out.status === 'failed' }));
      out.result.failed_when_result = failed;
      if (failed) out.status = 'failed';
      else if (out.status === 'failed') out.status = out.result.changed ? 'changed' : 'ok';
    }
  } catch (e) {
    return errorResult(e, task, c.engine.options.verbosity ?? 0);
  }
  return out;
}

/** Ansible's registered result shape: always `changed` and `failed`; `skipped` and `skip_reason` when skipped. */
export function finishResult(status: HostStatus, result: Record<string, unknown>): Record<string, unknown> {
  const r: Record<string, unknown> = { ...result, changed: !!result.changed && status !== 'skipped', failed: status === 'failed' };
  if (status === 'skipped') r.skipped = true;
  if (status === 'unreachable') r.unreachable = true;
  return r;
}

export function resolveCheck(task: Task, scope: Scope, engine: Engine, vars: Vars): boolean {
  const flag = task.checkMode ?? scope.checkMode;
  if (flag === undefined) return !!engine.options.check;
  return truthy(flag, vars);
}
