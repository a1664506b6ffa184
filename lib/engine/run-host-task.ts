/**
 * A task on one host from start to finish: variables, `when`, loop items,
 * events for each item and the task, `register`, facts, `ignore_errors`.
 */
import type { HostStatus } from '../output/events.js';
import { dirname } from 'node:path';
import type { SourcePos } from '../errors.js';
import type { Task } from '../playbook/types.js';
import { evaluateCondition, extendVars, markUnsafe, renderValue } from '../template/index.js';
import { keywordIsTrue } from './keyword.js';
import { itemLabel } from './item-label.js';
import { errorOutcome } from './outcome.js';
import { ignoresErrors, loopItemsUnlessSkipped, nextIterationVars, setsFacts } from './loop-items.js';
import { emitHostResult } from './report.js';
import { conditionalSkip } from './skip.js';
import { finishResult, hostData, resolveCheck, resolveDiff, runUntil, type HostRunContext, type ModuleOutcome, type TaskOutcome } from './run-task.js';
import type { Engine, Scope } from './task-context.js';
import type { Vars } from './vars.js';
import { frameVars } from './role-vars.js';
import { loopInfo, loopNames } from './loop-info.js';
import { resolveTemplatedAction } from './templated-action.js';

export function taskVars(engine: Engine, host: string, scope: Scope, task: { vars: Vars; pos?: SourcePos }): Vars {
  const vars = engine.vars.forHost(host, [...scope.layers, scope.hostLayer?.get(host) ?? {}, task.vars], scope.hostLayer?.get(host), scope.role ? frameVars(scope.role) : undefined);
  if (task.pos) vars.ansible_search_path = searchPath(vars, task.pos.file);
  return vars;
}

/** Ansible's ansible_search_path of a task: the role's folder when in a role, the task file's folder, then the playbook's. */
function searchPath(vars: Vars, taskFile: string): string[] {
  const own = (name: string) => (Object.hasOwn(vars, name) && typeof vars[name] === 'string' ? [vars[name] as string] : []);
  return [...new Set([...own('role_path'), dirname(taskFile), ...own('playbook_dir')])];
}

/** Evaluates `when` conditions; an error in one is the task's failure, reported with its position. */
function conditionsHold(conditions: unknown[], vars: Vars): { ok: boolean; failedCondition?: unknown } {
  for (const c of conditions) if (!evaluateCondition(c, vars)) return { ok: false, failedCondition: c };
  return { ok: true };
}

function failure(e: unknown, task: Task): TaskOutcome {
  const o = errorOutcome(e, { pos: task.pos });
  return { ...o, ignored: false, result: { ...o.result, failed: o.status === 'failed' } };
}

function label(task: Task, item: unknown, vars: Vars): string {
  if (task.loopLabel !== undefined) {
    try {
      return String(renderValue(task.loopLabel, vars));
    } catch {
      return task.loopLabel;
    }
  }
  return itemLabel(item);
}

export { itemLabel } from './item-label.js';

export async function runTaskForHost(engine: Engine, task: Task, host: string, scope: Scope): Promise<TaskOutcome> {
  const written = task;
  // The module this host runs, where the task names it by a template.
  let resolvedModule: string | undefined;
  let vars: Vars;
  let outcome: TaskOutcome;
  const noLogRaw = task.noLog ?? scope.noLog;
  let noLog = false;
  // Whether this host's result is a prediction (check mode) or what really happened.
  let check = !!engine.options.check;
  // Whether its file changes are shown and returned (diff mode).
  let diff = !!engine.options.diff;
  try {
    vars = taskVars(engine, host, scope, task);
    noLog = noLogRaw !== undefined && keywordIsTrue(noLogRaw, vars);
    task = resolveTemplatedAction(engine, task, vars);
    if (task.module !== written.module) resolvedModule = task.module;
    const def = await engine.registry.get(task.module);
    const conditions = [...scope.when, ...task.when];
    check = resolveCheck(task, scope, engine, vars);
    diff = resolveDiff(task, scope, engine, vars);
    const ctx = (v: Vars): HostRunContext => ({ engine, task, scope, host, vars: v, def, diff });
    if (task.loop === undefined) {
      const cond = conditionsHold(conditions, vars);
      if (!cond.ok) {
        outcome = { status: 'skipped', ignored: false, result: conditionalSkip(cond.failedCondition) };
      } else {
        outcome = { ...(await runUntil(ctx(vars), check)), ignored: false };
      }
    } else {
      outcome = await runLoop(engine, task, host, vars, conditions, (v) => runUntil(ctx(v), check), noLog, check, diff, resolvedModule);
    }
    if (outcome.status === 'failed') {
      const ignore = task.ignoreErrors ?? scope.ignoreErrors;
      if (ignore !== undefined && keywordIsTrue(ignore, vars)) outcome.ignored = true;
    }
  } catch (e) {
    outcome = failure(e, task);
    // A loop that cannot be expanded, or a condition that cannot be evaluated, is a failure ignore_errors covers, as in Ansible.
    if (ignoresErrors(engine, task, scope, host)) outcome.ignored = true;
  }
  const visible = outcome.result;
  if (!outcome.result.results || task.loop === undefined) {
    emitHostResult(engine.events, {
      host,
      status: outcome.status,
      ignored: outcome.ignored,
      ...(resolvedModule !== undefined ? { module: resolvedModule } : {}),
      delegatedTo: outcome.delegatedTo,
      result: visible,
      diff: outcome.diff,
      showDiff: diff,
      verbose: !!outcome.result._ansible_verbose_always || outcome.status === 'failed' || outcome.status === 'unreachable',
      noLog,
      check,
    });
  } else {
    emitHostResult(engine.events, { host, status: outcome.status, ignored: outcome.ignored, ...(resolvedModule !== undefined ? { module: resolvedModule } : {}), result: visible, loopSummary: true, verbose: false, noLog, check, showDiff: diff });
  }
  const finished = finishResult(outcome.status, visible);
  const registered = hostData(task.module, finished);
  if (task.register) engine.vars.setFacts(host, { [task.register]: registered });
  const facts = setsFacts(task.module) ? (visible.ansible_facts as Vars | undefined) : undefined;
  if (facts && outcome.status !== 'failed' && outcome.status !== 'skipped') {
    // delegate_facts: the facts belong to the host the task was delegated to.
    const factsHost = outcome.delegatedTo !== undefined && task.delegateFacts !== undefined && keywordIsTrue(task.delegateFacts, vars!) ? outcome.delegatedTo : host;
    if (factsHost !== host) {
      engine.vars.setFacts(factsHost, facts);
      return outcome;
    }
    engine.vars.setFacts(host, facts);
    if (FACT_MODULES.has(task.module)) {
      // Gathered facts are also in `ansible_facts`, without their prefix (ansible_facts.os_family), as in Ansible;
      // so are the facts modules' (ansible_facts.packages, ansible_facts.services).
      const dict = { ...((engine.vars.hostFacts(host).ansible_facts as Vars | undefined) ?? {}) };
      // ansible_local keeps its name there, as in Ansible (vars/clean.py namespace_facts).
      for (const [k, v] of Object.entries(facts)) dict[k === 'ansible_local' ? k : k.replace(/^ansible_/, '')] = v;
      engine.vars.setFacts(host, { ansible_facts: dict });
    }
  }
  return outcome;
}

/** Modules whose facts are also kept in `ansible_facts` (set_fact's and include_vars' are variables). */
const FACT_MODULES = new Set(['setup', 'package_facts', 'service_facts']);

async function runLoop(
  engine: Engine,
  task: Task,
  host: string,
  vars: Vars,
  conditions: unknown[],
  run: (v: Vars) => Promise<ModuleOutcome>,
  noLog: boolean,
  check: boolean,
  showDiff: boolean,
  resolvedModule: string | undefined,
): Promise<TaskOutcome> {
  // Loop items are rendered once here; whatever template text is left in them is data.
  const planned = loopItemsUnlessSkipped(task, vars, conditions);
  if ('falseCondition' in planned) return { status: 'skipped', ignored: false, result: conditionalSkip(planned.falseCondition) };
  const items = markUnsafe(planned.items);
  const results: Record<string, unknown>[] = [];
  const statuses: HostStatus[] = [];
  const pause = task.loopPause !== undefined ? Number(renderValue(task.loopPause, vars)) : 0;
  const { loopVar, indexVar } = loopNames(task, vars);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemVars: Vars = extendVars(vars, {
      [loopVar]: item,
      ansible_loop_var: loopVar,
      ansible_loop: loopInfo(items, i),
      ...(indexVar ? { [indexVar]: i, ansible_index_var: indexVar } : {}),
    });
    const cond = conditionsHold(conditions, itemVars);
    let r: ModuleOutcome;
    if (!cond.ok) r = { status: 'skipped', result: conditionalSkip(cond.failedCondition) };
    else r = await run(itemVars);
    const visible = r.result;
    const itemResult = { ...finishResult(r.status, visible), item, ansible_loop_var: loopVar };
    results.push(itemResult);
    statuses.push(r.status);
    vars = nextIterationVars(engine, host, task, vars, r.status, itemResult);
    emitHostResult(engine.events, {
      host,
      status: r.status,
      item: label(task, item, itemVars),
      loop: { index: i + 1, length: items.length },
      ...(resolvedModule !== undefined ? { module: resolvedModule } : {}),
      delegatedTo: r.delegatedTo,
      result: itemResult,
      diff: r.diff,
      showDiff,
      verbose: !!r.result._ansible_verbose_always || r.status === 'failed',
      noLog,
      check,
    });
    if (r.status === 'unreachable') return { status: 'unreachable', ignored: false, result: { ...visible, results } };
    if (pause && i < items.length - 1) await new Promise((res) => setTimeout(res, pause * 1000));
  }
  const failed = statuses.includes('failed');
  const allSkipped = statuses.length > 0 && statuses.every((s) => s === 'skipped');
  const changed = statuses.includes('changed') || results.some((r) => r.changed === true);
  const status: HostStatus = failed ? 'failed' : allSkipped || statuses.length === 0 ? 'skipped' : changed ? 'changed' : 'ok';
  const result: Record<string, unknown> = { changed, results, msg: failed ? 'One or more items failed' : 'All items completed' };
  if (status === 'skipped') {
    result.skipped = true;
    result.msg = statuses.length === 0 ? 'No items in the list' : 'All items skipped';
    if (statuses.length === 0) result.skipped_reason = 'No items in the list';
  }
  return { status, ignored: false, result };
}
