/**
 * Walks a play's task tree with the linear strategy: every host finishes a
 * task before the next begins. Blocks send failed hosts to `rescue`, then
 * everyone to `always`; include_tasks reads its file per host when reached;
 * meta tasks steer the play; handlers run when flushed.
 */
import PQueue from 'p-queue';
import { TsplayError } from '../errors.js';
import { loadTasksFile } from '../playbook/load.js';
import type { Block, Handler, IncludeRole, IncludeTasks, Task, TaskNode } from '../playbook/types.js';
import { newRoleLoadContext, type RoleLoadContext } from '../playbook/roles.js';
import { loadIncludedRole } from './role-include.js';
import { evaluateCondition, extendVars, renderValue } from '../template/index.js';
import { keywordIsTrue } from './keyword.js';
import { bannerName } from './banner-name.js';
import { warnTemplatedConditions } from './condition-warnings.js';
import { resultFacts } from './loop-items.js';
import { metaHosts } from './meta-hosts.js';
import { includeDepthMessage, MAX_INCLUDE_DEPTH, planInclusions, type Inclusion, type WalkScope } from './include-plan.js';
import { runTaskForHost, taskVars } from './run-host-task.js';
import { errorOutcome } from './outcome.js';
import { emitHostResult } from './report.js';
import { finishResult, type TaskOutcome } from './run-task.js';
import { conditionalSkip } from './skip.js';
import { renderTags, shouldRun } from './tags.js';
import type { Engine, PlayRun, Scope } from './task-context.js';
import type { Vars } from './vars.js';

/** Modules that run once for the play's batch, whatever its hosts (Ansible's BYPASS_HOST_LOOP action plugins). */
const BYPASS_HOST_LOOP = new Set(['add_host']);

/** Thrown to stop the play (any_errors_fatal, max_fail_percentage, every host failed). */
export class PlayAborted extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function rootScope(): Scope {
  return { when: [], tags: [], layers: [], become: [], environment: [], rescuable: false };
}

function childScope(scope: Scope, node: Block | IncludeTasks | IncludeRole): Scope {
  return {
    ...scope,
    when: [...scope.when, ...node.when],
    tags: [...scope.tags, ...node.tags],
    layers: Object.keys(node.vars).length ? [...scope.layers, node.vars] : scope.layers,
    become: [...scope.become, node],
    ignoreErrors: node.ignoreErrors ?? scope.ignoreErrors,
    ignoreUnreachable: node.ignoreUnreachable ?? scope.ignoreUnreachable,
    checkMode: node.checkMode ?? scope.checkMode,
    diff: node.diff ?? scope.diff,
    noLog: node.noLog ?? scope.noLog,
    delegateTo: node.delegateTo ?? scope.delegateTo,
    runOnce: node.runOnce ?? scope.runOnce,
    anyErrorsFatal: node.anyErrorsFatal ?? scope.anyErrorsFatal,
    environment: node.environment !== undefined ? [...scope.environment, node.environment] : scope.environment,
    timeout: node.timeout ?? scope.timeout,
    moduleDefaults: node.moduleDefaults ? [...(scope.moduleDefaults ?? []), node.moduleDefaults] : scope.moduleDefaults,
  };
}

export class Walker {
  /**
   * Hosts whose failure is counted failed, not rescued, even when a rescue
   * runs, as Ansible 2.14 counts them: a missing include file, a handler that
   * failed in `meta: flush_handlers`.
   */
  private readonly countedFailed = new Map<string, 'include' | 'handler'>();
  /** Hosts a `meta: clear_host_errors` brought back since the innermost `always` began. */
  private cleared = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly run: PlayRun,
  ) {}

  /** Hosts of this list still in the play. */
  private live(hosts: string[]): string[] {
    const r = this.run;
    return hosts.filter((h) => !r.failed.has(h) && !r.unreachable.has(h) && !r.ended.has(h));
  }

  private stopped(): boolean {
    return this.run.endPlay || this.run.endBatch || !!this.engine.options.signal?.aborted;
  }

  /** Runs a list of nodes; returns the hosts that failed in it and were not rescued. */
  async runList(nodes: TaskNode[], hosts: string[], scope: Scope): Promise<Set<string>> {
    const failed = new Set<string>();
    let live = this.live(hosts);
    for (const node of nodes) {
      live = live.filter((h) => !failed.has(h) && this.live([h]).length);
      if (!live.length || this.stopped()) break;
      const f = await this.runNode(node, live, scope);
      for (const h of f) failed.add(h);
    }
    return failed;
  }

  private async runNode(node: TaskNode, hosts: string[], scope: Scope): Promise<Set<string>> {
    if (node.kind === 'block') return this.runBlock(node, hosts, scope);
    if (node.kind === 'include_tasks') return this.runInclude(node, hosts, scope);
    if (node.kind === 'include_role') return this.runIncludeRole(node, hosts, scope);
    return this.runTask(node, hosts, scope, scope.handler ? 'handler' : 'task');
  }

  private roleLoad?: RoleLoadContext;
  /** Loading roles at run time (include_role, import_role in an included file), with this play's search path. */
  private roleContext(): RoleLoadContext {
    this.roleLoad ??= newRoleLoadContext(this.run.play.baseDir, this.engine.options.rolesPath ?? []);
    return this.roleLoad;
  }

  /** The handlers notify and flush look at: the play's and those of roles included so far. */
  private handlers(): Handler[] {
    return this.run.dynamicHandlers?.length ? [...this.run.play.handlers, ...this.run.dynamicHandlers] : this.run.play.handlers;
  }

  private async runBlock(block: Block, hosts: string[], scope: Scope): Promise<Set<string>> {
    if (block.role) return this.runRole(block, hosts, scope);
    return this.runPlainBlock(block, hosts, scope);
  }

  /**
   * A role's block: hosts for which this role (same name and invocation) has
   * already run to its end pass it over, unless it allows duplicates, as in
   * Ansible; a host that ran one of its tasks has now run it.
   */
  private async runRole(block: Block, hosts: string[], scope: Scope): Promise<Set<string>> {
    const role = block.role!.role;
    const ran = (this.run.roleRan ??= new Map()).get(role.key) ?? new Set<string>();
    this.run.roleRan.set(role.key, ran);
    const completed = (this.run.roleCompleted ??= new Map()).get(role.key) ?? new Set<string>();
    this.run.roleCompleted.set(role.key, completed);
    const todo = role.allowDuplicates ? hosts : hosts.filter((h) => !completed.has(h));
    if (!todo.length) return new Set();
    const failed = await this.runPlainBlock(block, todo, { ...scope, role: block.role });
    for (const h of todo) if (ran.has(h)) completed.add(h);
    return failed;
  }

  private async runPlainBlock(block: Block, hosts: string[], scope: Scope): Promise<Set<string>> {
    const inner = childScope(scope, block);
    const cleanup = block.always.length > 0 || !!scope.cleanup;
    const failedInBlock = await this.runList(block.block, hosts, { ...inner, rescuable: block.rescue.length > 0 || scope.rescuable, cleanup });
    let stillFailed = failedInBlock;
    if (block.rescue.length && failedInBlock.size) {
      const rescueHosts = [...failedInBlock].filter((h) => !this.run.unreachable.has(h));
      const hostLayer = new Map(scope.hostLayer ?? []);
      for (const h of rescueHosts) {
        this.run.failed.delete(h);
        const counted = this.countedFailed.get(h);
        this.countedFailed.delete(h);
        if (!counted) this.engine.stats.bump(h, 'rescued');
        // A rescued handler failure stays in the recap but, as in Ansible, does not fail the run.
        else if (counted === 'handler') this.engine.stats.forgive(h);
        const last = this.run.lastFailure?.get(h);
        if (last) {
          const t = last.task;
          hostLayer.set(h, {
            ...(scope.hostLayer?.get(h) ?? {}),
            ansible_failed_task: { name: t.name ?? '', action: t.module, args: t.args, tags: t.tags, when: t.when },
            ansible_failed_result: finishResult('failed', last.result),
          });
        }
      }
      stillFailed = await this.runList(block.rescue, rescueHosts, { ...inner, hostLayer, cleanup });
    }
    if (block.always.length) {
      // `always` runs for the block's hosts whatever happened, except those that cannot be reached.
      const alwaysHosts = hosts.filter((h) => !this.run.unreachable.has(h) && !this.run.ended.has(h));
      const saved = new Set([...stillFailed].filter((h) => this.run.failed.delete(h)));
      const outer = this.cleared;
      this.cleared = new Set();
      const failedInAlways = await this.runList(block.always, alwaysHosts, inner);
      for (const h of saved) {
        // clear_host_errors in always brings the failed host back for the tasks after the block.
        if (!this.cleared.has(h)) this.run.failed.add(h);
        else stillFailed.delete(h);
      }
      for (const h of this.cleared) outer.add(h);
      this.cleared = outer;
      for (const h of failedInAlways) stillFailed.add(h);
    }
    return stillFailed;
  }

  private async runInclude(inc: IncludeTasks, hosts: string[], scope: Scope): Promise<Set<string>> {
    if (!this.selectedByTags([...scope.tags, ...inc.tags], hosts)) return new Set();
    // An include's tags and `when` decide whether the include runs; unlike an
    // import's, they do not pass to the included tasks (Ansible's dynamic include).
    const inner: WalkScope = { ...childScope(scope, inc), tags: scope.tags, when: scope.when };
    const chain = [...((scope as WalkScope).includeChain ?? []), inc.pos];
    inner.includeChain = chain;
    // Ansible shows an include as a task of its own: its banner, then "included: ..." or "skipping: ...".
    const incName = inc.name ?? inc.action ?? 'include_tasks';
    this.engine.events.emit({ type: 'task_start', name: scope.role ? `${scope.role.role.name} : ${incName}` : incName, kind: scope.handler ? 'handler' : 'task', module: 'include_tasks', pos: inc.pos, hosts });
    warnTemplatedConditions(this.engine, [...scope.when, ...inc.when]);
    const failed = new Set<string>();
    if (chain.length > MAX_INCLUDE_DEPTH) {
      const msg = includeDepthMessage(chain);
      for (const host of hosts) {
        failed.add(host);
        this.report(host, { status: 'failed', ignored: false, result: { changed: false, msg } });
      }
      return failed;
    }
    const inclusions = planInclusions(this.engine, inc, hosts, scope, {
      skipped: (host, item) =>
        emitHostResult(this.engine.events, { host, status: 'skipped', item, result: conditionalSkip(), verbose: false }),
      allSkipped: (host) => this.report(host, { status: 'skipped', ignored: false, result: conditionalSkip() }),
      error: (host, e) => {
        failed.add(host);
        this.report(host, { ...errorOutcome(e), ignored: false });
      },
    });
    // Each distinct file (and item) is loaded and announced once for the hosts that share it, then their tasks run in that order.
    const loaded: { inclusion: Inclusion; tasks: TaskNode[] }[] = [];
    const cache = new Map<string, TaskNode[]>();
    for (const inclusion of inclusions) {
      let tasks = cache.get(inclusion.file);
      if (!tasks) {
        try {
          tasks = await loadTasksFile(inclusion.file, this.engine.registry, inc.pos, this.roleContext(), scope.role);
        } catch (e) {
          if (!(e instanceof TsplayError && e.kind === 'missing-file')) throw e;
          // Ansible 2.14 fails each host of a missing file and counts it failed even when a rescue follows.
          for (const h of inclusion.hosts) {
            failed.add(h);
            this.run.failed.add(h);
            this.countedFailed.set(h, 'include');
            this.engine.stats.bump(h, 'failed');
            emitHostResult(this.engine.events, { host: h, status: 'failed', result: { reason: `Could not find or access '${inclusion.file}' on the Ansible Controller.` }, verbose: true });
          }
          continue;
        }
          cache.set(inclusion.file, tasks);
      }
      const noLog = inc.noLog ?? scope.noLog;
      const hidden = noLog !== undefined && keywordIsTrue(noLog, taskVars(this.engine, inclusion.hosts[0], scope, inc));
      this.engine.events.emit({ type: 'included', file: inclusion.file, hosts: inclusion.hosts, item: inclusion.label, noLog: hidden });
      for (const h of inclusion.hosts) this.engine.stats.bump(h, 'ok');
      loaded.push({ inclusion, tasks });
    }
    for (const { inclusion, tasks } of loaded) {
      const itemHosts = this.live(inclusion.hosts.filter((h) => !failed.has(h)));
      if (!itemHosts.length) continue;
      let hostLayer = scope.hostLayer;
      if (inclusion.looped) {
        hostLayer = new Map<string, Vars>();
        for (const h of itemHosts) hostLayer.set(h, { ...(scope.hostLayer?.get(h) ?? {}), ...inclusion.itemVars });
      }
      const body: TaskNode[] = inc.apply ? [{ kind: 'block', ...inc.apply, block: tasks, rescue: [], always: [] }] : tasks;
      const sub = await this.runList(body, itemHosts, { ...inner, hostLayer });
      for (const h of sub) failed.add(h);
    }
    return failed;
  }

  /**
   * include_role: its banner (no host line, not counted, as in Ansible), then
   * per distinct role name (and loop item) the role loaded and run for the
   * hosts that include it. Its `when` and tags decide whether it runs; `apply`
   * gives keywords to the role's tasks.
   */
  private async runIncludeRole(inc: IncludeRole, hosts: string[], scope: Scope): Promise<Set<string>> {
    if (!this.selectedByTags([...scope.tags, ...inc.tags], hosts)) return new Set();
    const inner: WalkScope = { ...childScope(scope, inc), tags: scope.tags, when: scope.when, layers: scope.layers };
    const chain = [...((scope as WalkScope).includeChain ?? []), inc.pos];
    inner.includeChain = chain;
    this.engine.events.emit({ type: 'task_start', name: inc.name ?? `${inc.action ?? 'include_role'} : ${inc.role}`, kind: 'task', module: 'include_role', pos: inc.pos, hosts });
    warnTemplatedConditions(this.engine, [...scope.when, ...inc.when]);
    const failed = new Set<string>();
    if (chain.length > MAX_INCLUDE_DEPTH) {
      const msg = includeDepthMessage(chain).replace('include_tasks', 'include_role');
      for (const host of hosts) {
        failed.add(host);
        this.report(host, { status: 'failed', ignored: false, result: { changed: false, msg } });
      }
      return failed;
    }
    const inclusions = planInclusions(this.engine, inc, hosts, scope, {
      skipped: (host, item) => emitHostResult(this.engine.events, { host, status: 'skipped', item, result: conditionalSkip(), verbose: false }),
      allSkipped: (host) => this.report(host, { status: 'skipped', ignored: false, result: conditionalSkip() }),
      error: (host, e) => {
        failed.add(host);
        this.report(host, { ...errorOutcome(e), ignored: false });
      },
    });
    for (const inclusion of inclusions) {
      const itemHosts = this.live(inclusion.hosts.filter((h) => !failed.has(h)));
      if (!itemHosts.length) continue;
      let block: Block;
      try {
        const vars = taskVars(this.engine, itemHosts[0], scope, inc);
        block = await loadIncludedRole(inc, inclusion.file, this.roleContext(), this.engine.registry, (v) => renderValue(v, extendVars(vars, inclusion.itemVars)));
      } catch (e) {
        if (!(e instanceof TsplayError) || e.kind === 'runtime') throw e;
        // A role that cannot be found or read fails the hosts that include it, as Ansible's include_role does.
        for (const h of itemHosts) {
          failed.add(h);
          this.report(h, { ...errorOutcome(e), ignored: false });
        }
        continue;
      }
      const loaded = this.roleContext().handlers.splice(0);
      if (loaded.length) (this.run.dynamicHandlers ??= []).push(...loaded);
      const vars = taskVars(this.engine, itemHosts[0], scope, inc);
      if (inc.public !== undefined && keywordIsTrue(inc.public, vars)) {
        const roles = this.engine.vars.play?.roles;
        if (roles && !roles.includes(block.role!.role)) roles.push(block.role!.role);
      }
      let hostLayer = scope.hostLayer;
      if (inclusion.looped) {
        hostLayer = new Map<string, Vars>();
        for (const h of itemHosts) hostLayer.set(h, { ...(scope.hostLayer?.get(h) ?? {}), ...inclusion.itemVars });
      }
      const body: TaskNode[] = inc.apply ? [{ kind: 'block', ...inc.apply, block: [block], rescue: [], always: [] }] : [block];
      const sub = await this.runList(body, itemHosts, { ...inner, hostLayer });
      for (const h of sub) failed.add(h);
    }
    return failed;
  }

  /** --tags and --skip-tags; templated tags are rendered with the play's variables (those of its first host). */
  private selectedByTags(tags: string[], hosts: string[]): boolean {
    return shouldRun(
      renderTags(tags, (t) => renderValue(t, this.engine.vars.forHost(hosts[0]))),
      this.engine.tags,
    );
  }

  /** Emits and counts a result that did not come from runTaskForHost (include skips and errors). */
  private report(host: string, o: TaskOutcome): void {
    emitHostResult(this.engine.events, { host, status: o.status, result: o.result, verbose: o.status === 'failed' });
    this.count(host, o, false);
  }

  private count(host: string, o: TaskOutcome, rescuable: boolean): 'failed' | 'unreachable' | undefined {
    const stats = this.engine.stats;
    switch (o.status) {
      case 'ok':
      case 'changed':
        stats.bump(host, 'ok');
        if (o.status === 'changed') stats.bump(host, 'changed');
        return undefined;
      case 'skipped':
        stats.bump(host, 'skipped');
        return undefined;
      case 'unreachable':
        stats.bump(host, 'unreachable');
        this.run.unreachable.add(host);
        return 'unreachable';
      case 'failed':
        if (o.ignored) {
          stats.bump(host, 'ok');
          if (o.result.changed) stats.bump(host, 'changed');
          stats.bump(host, 'ignored');
          return undefined;
        }
        if (!rescuable) stats.bump(host, 'failed');
        this.run.failed.add(host);
        return 'failed';
    }
  }

  async runTask(task: Task, hosts: string[], scope: Scope, kind: 'task' | 'handler' | 'setup'): Promise<Set<string>> {
    const failed = new Set<string>();
    if (kind === 'task' && !this.selectedByTags([...scope.tags, ...task.tags], hosts)) return failed;
    if (kind === 'task' && this.engine.startAt && !this.engine.startAt.admit(task.name)) return failed;
    if (this.engine.options.step && task.module !== 'meta' && !(await this.engine.options.step(`TASK: ${task.name ?? task.module}`))) return failed;
    const engine = this.engine;
    const runOnceRaw = task.runOnce ?? scope.runOnce;
    // Ansible reads run_once before it resets omitted keywords: the placeholder is a non-empty string, so true.
    const runOnce = task.module !== 'meta' && runOnceRaw !== undefined && keywordIsTrue(runOnceRaw, taskVars(engine, hosts[0], scope, task), true);
    // add_host bypasses the host loop, as Ansible's BYPASS_HOST_LOOP: it runs for the first host only
    // (its `when` too), registers only there, and a failure not ignored ends the play.
    const bypass = BYPASS_HOST_LOOP.has(task.module);
    const targets = runOnce || bypass ? hosts.slice(0, 1) : hosts;
    engine.events.emit({ type: 'task_start', name: bannerName(task, scope, targets.length ? () => taskVars(engine, targets[0], scope, task) : undefined), kind, module: task.module, pos: task.pos, hosts: targets });
    warnTemplatedConditions(engine, [...scope.when, ...task.when, ...(task.changedWhen ?? []), ...(task.failedWhen ?? []), ...(task.until ?? [])]);
    if (task.module === 'meta') return this.runMeta(task, hosts, scope);
    const queue = new PQueue({ concurrency: Math.max(1, engine.options.forks ?? 20) });
    const outcomes = new Map<string, TaskOutcome>();
    await Promise.all(targets.map((h) => queue.add(async () => outcomes.set(h, await runTaskForHost(engine, task, h, scope)))));
    if (runOnce && outcomes.size) {
      // run_once results and facts belong to every host of the batch, as in Ansible.
      const first = outcomes.get(targets[0])!;
      const facts = engine.vars.hostFacts(targets[0]);
      for (const h of hosts.slice(1)) {
        if (task.register) engine.vars.setFacts(h, { [task.register]: facts[task.register] });
        const af = resultFacts(task.module, first.result);
        if (af && first.status !== 'failed') engine.vars.setFacts(h, af);
      }
    }
    const roleRan = scope.role && this.run.roleRan?.get(scope.role.role.key);
    for (const [host, o] of outcomes) {
      // A task that ran (not skipped, host reachable) means the role has run on the host.
      if (roleRan && (o.status === 'ok' || o.status === 'changed' || o.status === 'failed')) roleRan.add(host);
      const what = this.count(host, o, scope.rescuable);
      if (what === 'failed') {
        failed.add(host);
        (this.run.lastFailure ??= new Map()).set(host, { task, result: o.result });
      }
      if (what === 'failed' && runOnce) for (const h of hosts) failed.add(h);
      if ((o.status === 'changed' || (o.status === 'failed' && o.ignored && o.result.changed)) && task.notify.length) {
        // Ansible 2.14 notifies only the host that ran a run_once task, not the whole batch.
        this.notify(task, [host]);
      }
    }
    if (runOnce && failed.size) for (const h of hosts) this.run.failed.add(h);
    this.checkFailureLimits(task, scope, failed, bypass);
    return failed;
  }

  private notify(task: Task, hosts: string[]): void {
    for (const name of task.notify) {
      // By name (a role's handler also by `role : name`) the last handler loaded wins, as in Ansible 2.14; every listener answers.
      const all = this.handlers();
      const byName = [...all].reverse().find((h) => h.name === name || (h.role && h.name !== undefined && `${h.role.role.name} : ${h.name}` === name));
      const matches = all.filter((h) => h === byName || h.listen?.includes(name));
      if (!matches.length) {
        // A run-time error, as in Ansible (exit 1): the tasks before it have run.
        throw new TsplayError('runtime', `the handler '${name}' notified by task '${task.name ?? task.module}' was not found among the play's handlers (by name or listen)`, {
          pos: task.pos,
          hint: `define a handler named '${name}', or fix the name in notify`,
        });
      }
      for (const h of matches) {
        const set = this.run.notified.get(h) ?? new Set<string>();
        for (const host of hosts) set.add(host);
        this.run.notified.set(h, set);
      }
    }
  }

  /** any_errors_fatal and max_fail_percentage stop the whole play. */
  private checkFailureLimits(task: Task, scope: Scope, failedNow: Set<string>, fatal = false): void {
    const play = this.run.play;
    const failedHere = [...failedNow].filter((h) => !scope.rescuable && !scope.cleanup);
    const fatalRaw = task.anyErrorsFatal ?? scope.anyErrorsFatal ?? play.anyErrorsFatal;
    // Both keywords may be templated from play vars or -e.
    const vars = this.engine.vars.forHost(this.run.batch[0]);
    if (failedHere.length && (fatal || (fatalRaw !== undefined && keywordIsTrue(fatalRaw, vars)))) throw new PlayAborted('any_errors_fatal');
    if (play.maxFailPercentage !== undefined) {
      const pct = Number(renderValue(play.maxFailPercentage, vars));
      const batch = this.run.batch;
      const failedInBatch = batch.filter((h) => this.run.failed.has(h) || this.run.unreachable.has(h)).length;
      if ((failedInBatch / batch.length) * 100 > pct) throw new PlayAborted('max_fail_percentage');
    }
  }

  private async runMeta(task: Task, hosts: string[], scope: Scope): Promise<Set<string>> {
    const action = String((task.args as Record<string, unknown>).free_form);
    const decision = metaHosts(action, hosts, (h) => [...scope.when, ...task.when].every((c) => evaluateCondition(c, taskVars(this.engine, h, scope, task))));
    if (decision.warning) this.engine.events.emit({ type: 'warning', message: decision.warning });
    for (const h of decision.skipped) {
      emitHostResult(this.engine.events, { host: h, status: 'skipped', result: conditionalSkip(), verbose: false });
    }
    const applies = decision.applies;
    if (!applies.length) return new Set();
    switch (action) {
      case 'flush_handlers': {
        // A handler that fails here fails its host in the enclosing block: its rescue and always run for it.
        const failed = await this.flushHandlers();
        for (const h of failed) this.countedFailed.set(h, 'handler');
        return failed;
      }
      case 'end_play':
        this.run.endPlay = true;
        break;
      case 'end_batch':
        this.run.endBatch = true;
        break;
      case 'end_host':
        for (const h of applies) this.run.ended.add(h);
        break;
      case 'clear_host_errors':
        // Failures stay in the recap but no longer fail the run, as in Ansible.
        for (const h of new Set([...this.run.failed, ...hosts])) {
          this.cleared.add(h);
          this.engine.stats.forgiveAll(h);
        }
        this.run.failed.clear();
        break;
      case 'clear_facts':
        for (const h of applies) this.engine.vars.facts.delete(h);
        break;
      case 'reset_connection':
        for (const h of applies) await this.engine.pool.reset(h);
        break;
      default:
        break; // noop, refresh_inventory: nothing to do
    }
    return new Set();
  }

  /**
   * Runs notified handlers in the order they are defined, for the hosts that notified them and are
   * still in the play; `force` (force_handlers) keeps the hosts that failed since, as Ansible does.
   * Returns the hosts whose handler failed.
   */
  async flushHandlers(force = false): Promise<Set<string>> {
    const failed = new Set<string>();
    for (const handler of this.handlers()) {
      const hosts = this.run.notified.get(handler);
      if (!hosts?.size) continue;
      this.run.notified.delete(handler);
      const r = this.run;
      const live = force ? [...hosts].filter((h) => !r.unreachable.has(h) && !r.ended.has(h)) : this.live([...hosts]);
      if (!live.length || this.stopped()) continue;
      // A handler has the play's module_defaults and, from a role, its role's variables.
      const play = this.run.play;
      const scope: Scope = { ...rootScope(), ...(play.moduleDefaults ? { moduleDefaults: [play.moduleDefaults] } : {}), ...(handler.role ? { role: handler.role } : {}) };
      const done = handler.kind === 'include_tasks' ? await this.runInclude(handler, live, { ...scope, handler: true }) : await this.runTask(handler, live, scope, 'handler');
      for (const h of done) failed.add(h);
    }
    return failed;
  }
}
