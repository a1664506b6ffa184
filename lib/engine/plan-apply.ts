/**
 * What one attempt asks of a module, once its arguments are checked and its
 * host is ready: the direct path when nothing needs a prediction, otherwise
 * reads, plan(), the check-mode decision, apply(), and the comparison of what
 * plan() predicted with what apply() did.
 */
import type { ApplyContext, ModuleDefinition, Plan, PlanContext } from '../module/define.js';
import type { TaskHost } from '../module/host.js';
import type { ModuleOutcome } from './outcome.js';
import type { Engine } from './task-context.js';

export interface ModuleRun {
  engine: Engine;
  def: ModuleDefinition;
  args: Record<string, unknown>;
  check: boolean;
  /** The host the module runs on: the task's host or the one it is delegated to. */
  target: string;
  taskHost: TaskHost;
  planCtx: PlanContext;
  applyCtx: ApplyContext;
}

export async function runModule(m: ModuleRun): Promise<ModuleOutcome> {
  const direct = await runDirect(m);
  if (direct) return direct;
  const { def, args, check, taskHost, planCtx } = m;
  // A direct path that declines has changed nothing (its contract, e.g. a write refused because dest is a
  // directory): what it tried is not held against plan()'s prediction.
  taskHost.changedPaths.length = 0;
  if (def.reads) await taskHost.prefetch(def.reads(args, { vars: planCtx.vars, check }));
  const plan = await def.plan(args, planCtx);
  const settled = planOnlyOutcome(m, plan);
  if (settled) return settled;
  return applyPlan(m, plan);
}

/**
 * A module's one-round-trip path, when no prediction is wanted: not in check
 * mode, not showing a diff, not keeping a record (which needs each file's
 * checksums before and after, which only plan() reads). Undefined when the
 * module has none or declines.
 */
async function runDirect({ engine, def, args, check, applyCtx }: ModuleRun): Promise<ModuleOutcome | undefined> {
  if (!def.direct || check || applyCtx.diff || engine.options.record) return undefined;
  const done = await def.direct(args, applyCtx);
  if (!done) return undefined;
  const result = { changed: done.changed, ...(done.msg ? { msg: done.msg } : {}), ...done.result };
  if (done.failed) return { status: 'failed', result: { ...result, msg: done.failed } };
  return { status: done.changed ? 'changed' : 'ok', result };
}

/**
 * The outcome when plan() is the end of it: it failed or skipped, check mode
 * skips the module (its checkMode 'skip'), or there is nothing to apply (no
 * change, check mode, or no apply()). Undefined when apply() must run.
 */
function planOnlyOutcome({ def, check }: ModuleRun, plan: Plan): ModuleOutcome | undefined {
  if (plan.failed) return { status: 'failed', result: { changed: false, ...plan.result, msg: plan.failed }, diff: plan.diff };
  if (plan.skipped) return { status: 'skipped', result: { changed: false, skipped: true, msg: plan.skipped, ...plan.result }, diff: plan.diff };
  const mode = def.checkMode ?? 'plan';
  if (check && mode === 'skip' && plan.changed) {
    // The module's own words, if any (Ansible's raw says nothing).
    return { status: 'skipped', result: { changed: false, skipped: true, ...(plan.msg ? { msg: plan.msg } : {}) }, diff: plan.diff };
  }
  const runApply = def.apply && ((plan.changed && !check) || mode === 'always');
  if (runApply) return undefined;
  return { status: plan.changed ? 'changed' : 'ok', result: { changed: plan.changed, ...(plan.msg ? { msg: plan.msg } : {}), ...plan.result }, diff: plan.diff };
}

/** Runs apply() and holds it to plan()'s prediction, which --check relies on: a mismatch warns, or fails with --predictions fail. */
async function applyPlan({ engine, def, args, target, taskHost, applyCtx }: ModuleRun, plan: Plan): Promise<ModuleOutcome> {
  const applied = await def.apply!(args, applyCtx, plan);
  const result = { changed: applied.changed, ...(applied.msg ? { msg: applied.msg } : {}), ...applied.result };
  if (applied.failed) return { status: 'failed', result: { ...result, msg: applied.failed }, diff: plan.diff };
  const mismatch = predictionMismatch(plan, applied.changed, taskHost.changedPaths);
  if (mismatch) {
    const message = `module '${def.name}' on ${target}: ${mismatch}; check mode cannot be trusted for this task`;
    if (engine.options.predictions === 'fail') return { status: 'failed', result: { ...result, msg: message }, diff: plan.diff };
    engine.events.emit({ type: 'warning', message });
  }
  return { status: applied.changed ? 'changed' : 'ok', result, diff: plan.diff };
}

/** What differs between plan()'s prediction and apply()'s outcome, or undefined when they agree. */
export function predictionMismatch(plan: Plan, changed: boolean, written: string[]): string | undefined {
  if (plan.changed !== changed) return `plan() predicted changed=${plan.changed} but apply() reported changed=${changed}`;
  const predicted = new Set((plan.diff ?? []).map((d) => d.path).filter((p): p is string => !!p));
  const actual = new Set(written);
  if (!predicted.size && !actual.size) return undefined;
  const missing = [...predicted].filter((p) => !actual.has(p));
  const extra = [...actual].filter((p) => !predicted.has(p));
  if (!missing.length && !extra.length) return undefined;
  const parts = [];
  if (extra.length) parts.push(`apply() changed ${extra.join(', ')} which plan() did not predict`);
  if (missing.length) parts.push(`plan() predicted changes to ${missing.join(', ')} which apply() did not make`);
  return parts.join('; ');
}
