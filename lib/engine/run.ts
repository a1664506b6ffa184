/**
 * runPlaybook: the library entry point the CLI also uses. Loads everything
 * first (so a syntax error stops the run before any host is touched), then
 * runs the plays, then reports the recap and the exit code.
 */
import { controllerPython } from './controller-python.js';
import { PlayTimes } from './play-times.js';
import { StartAt } from './start-at.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import YAML from 'yaml';
import { ExitCode, TsplayError } from '../errors.js';
import { loadInventory } from '../inventory/index.js';
import { ModuleRegistry } from '../module/registry.js';
import { EventStream } from '../output/event-stream.js';
import type { HostStats } from '../output/events.js';
import { loadPlaybook } from '../playbook/load.js';
import type { Playbook } from '../playbook/types.js';
import { ConnectionPool } from './connections.js';
import type { PlaybookRunOptions, RunOptions } from './options.js';
import { learnSecrets } from './known-secrets.js';
import { runPlay, type RunState } from './play.js';
import { RunStats } from './stats.js';
import type { Engine } from './task-context.js';
import { VarsManager } from './vars.js';

/** A host's failure in a run (failed or unreachable, not ignored). */
export interface RunFailure {
  host: string;
  /** The task's name (or its module when it has none). */
  task: string;
  status: 'failed' | 'unreachable';
  msg: string;
  /** The loop item, for one item of a loop. */
  item?: string;
  result: Record<string, unknown>;
}

export interface RunResult {
  /** ansible-playbook's exit code: 0 ok, 2 a host failed, 4 a host unreachable, 99 interrupted. */
  exitCode: number;
  /** The recap: per host ok, changed, unreachable, failed, skipped, rescued, ignored. */
  stats: Record<string, HostStats>;
  /** Every failure, in the order they happened. */
  failures: RunFailure[];
  /** Warnings of the run (e.g. a module whose outcome did not match its prediction). */
  warnings: string[];
}

export async function loadPlaybooks(files: string[], registry: ModuleRegistry, rolesPath?: string[]): Promise<Playbook[]> {
  const out: Playbook[] = [];
  for (const f of files) out.push(await loadPlaybook(f, { registry, rolesPath }));
  return out;
}

/**
 * Runs playbooks. The CLI passes files; a library caller may also pass a
 * playbook and an inventory as data, and modules of its own:
 *
 *   const r = await runPlaybook({
 *     modules: [myModule],
 *     inventory: { all: { hosts: { web1: { ansible_host: '10.0.0.5' } } } },
 *     playbook: { plays: [{ hosts: 'all', tasks: [{ my_module: { x: 1 } }] }] },
 *   });
 *   r.exitCode; r.stats.web1.changed; r.failures;
 */
export async function runPlaybook(given: PlaybookRunOptions): Promise<RunResult> {
  const started = Date.now();
  const registry = new ModuleRegistry();
  for (const m of given.modules ?? []) registry.register(m);
  const scratch = await mkdtemp(join(tmpdir(), 'tsplay-'));
  let playbooks: Playbook[];
  let inventory: Awaited<ReturnType<typeof loadInventory>>;
  let options: RunOptions;
  try {
    const files = given.playbooks ?? [];
    if (!files.length && !given.playbook) throw new TsplayError('option', 'no playbook given', { hint: 'pass playbooks (files) or playbook (data)' });
    playbooks = [];
    if (given.playbook) {
      const dir = resolve(given.playbook.dir ?? process.cwd());
      playbooks.push(await loadPlaybook(join(dir, '(playbook given as data)'), { registry, data: given.playbook.plays, rolesPath: given.rolesPath }));
    }
    playbooks.push(...(await loadPlaybooks(files, registry, given.rolesPath)));
    let sources: string[];
    if (Array.isArray(given.inventory) || given.inventory === undefined) sources = (given.inventory as string[] | undefined) ?? [];
    else {
      const file = join(scratch, 'inventory.yml');
      await writeFile(file, YAML.stringify(given.inventory));
      sources = [file];
    }
    inventory = await loadInventory(sources);
    options = { ...given, playbooks: playbooks.map((p) => p.file), inventory: sources };
  } catch (e) {
    await rm(scratch, { recursive: true, force: true });
    throw e;
  }
  const events = new EventStream();
  const failures: RunFailure[] = [];
  const warnings: string[] = [];
  let taskName = '';
  events.subscribe((e) => {
    if (e.type === 'task_start') taskName = e.name;
    else if (e.type === 'warning') warnings.push(e.message);
    else if (e.type === 'host_result' && !e.loopSummary && !e.ignored && (e.status === 'failed' || e.status === 'unreachable')) {
      failures.push({ host: e.host, task: taskName, status: e.status, msg: String(e.result.msg ?? ''), ...(e.item !== undefined ? { item: e.item } : {}), result: e.result });
    }
  });
  for (const r of options.reporters ?? []) events.subscribe(r);
  const stats = new RunStats();
  const python = controllerPython();
  const playTimes = new PlayTimes();
  const magic = {
    ansible_check_mode: !!options.check,
    ansible_diff_mode: !!options.diff,
    ansible_verbosity: options.verbosity ?? 0,
    ansible_run_tags: options.tags?.length ? options.tags : ['all'],
    ansible_skip_tags: options.skipTags ?? [],
    ansible_forks: options.forks ?? 20,
    playbook_dir: dirname(playbooks[0]?.file ?? process.cwd()),
    ansible_version: { full: '2.14.0', major: 2, minor: 14, revision: 0, string: '2.14.0' },
    tsplay_version: '0.1.0',
    ...(python ? { ansible_playbook_python: python } : {}),
    // Read-only and live: the plays of this run so far (docs/expressions.md).
    tsplay_play_times: playTimes.list,
  };
  const engine: Engine = {
    options,
    inventory,
    registry,
    vars: new VarsManager(inventory, options.extraVars ?? {}, magic),
    pool: new ConnectionPool(options.connection ?? {}, options.connectionFactory, {
      remoteUser: options.remoteUser,
      vars: options.connectionVars,
      connectionType: options.connectionType,
      // -vvv shows the connection and every command, as Ansible's does; the live view shows the command a host runs.
      trace: (options.verbosity ?? 0) >= 3 || options.trace ? (host, message) => events.emit({ type: 'log', host, message, verbosity: 3 }) : undefined,
    }),
    events,
    stats,
    tags: { only: options.tags ?? [], skip: options.skipTags ?? [] },
    tmpdir: scratch,
    becomePassword: options.connection?.becomePassword,
    playTimes,
    ...(options.startAtTask !== undefined ? { startAt: new StartAt(options.startAtTask) } : {}),
  };
  learnSecrets(engine);
  const onAbort = () => {
    events.silence();
    void engine.pool.closeAll();
  };
  options.signal?.addEventListener('abort', onAbort);
  const state: RunState = { failed: new Set(), unreachable: new Set(), aborted: false };
  events.emit({
    type: 'run_start',
    playbooks: playbooks.map((p) => p.file),
    inventory: options.inventory,
    check: !!options.check,
    diff: !!options.diff,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    tags: options.tags ?? [],
    skipTags: options.skipTags ?? [],
    forks: options.forks ?? 20,
    verbosity: options.verbosity ?? 0,
    ...(options.become !== undefined ? { become: options.become } : {}),
    // Only the names: a value given with -e may be a secret.
    extraVars: Object.keys(options.extraVars ?? {}),
  });
  try {
    for (const [index, pb] of playbooks.entries()) {
      const begun = Date.now();
      events.emit({ type: 'playbook_start', file: pb.file, check: !!options.check, index });
      for (const play of pb.plays) {
        if (state.aborted || options.signal?.aborted) break;
        await runPlay(engine, play, state);
      }
      events.emit({ type: 'playbook_end', file: pb.file, index, durationMs: Date.now() - begun });
    }
    if (engine.startAt && !engine.startAt.done) {
      events.emit({ type: 'warning', message: `No matching task "${engine.startAt.name}" found. Note: --start-at-task can only follow static includes.` });
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await engine.pool.closeAll();
    await rm(scratch, { recursive: true, force: true });
  }
  const snapshot = stats.snapshot();
  events.emit({ type: 'recap', stats: snapshot });
  const exitCode = options.signal?.aborted ? ExitCode.interrupted : stats.exitCode();
  events.emit({ type: 'run_end', exitCode, durationMs: Date.now() - started });
  return { exitCode, stats: snapshot, failures, warnings };
}
