/**
 * runPlaybook: the library entry point the CLI also uses. Loads everything
 * first (so a syntax error stops the run before any host is touched), then
 * runs the plays, then reports the recap and the exit code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ExitCode } from '../errors.js';
import { loadInventory } from '../inventory/index.js';
import { ModuleRegistry } from '../module/registry.js';
import { EventStream, type HostStats } from '../output/events.js';
import { loadPlaybook } from '../playbook/load.js';
import type { Playbook } from '../playbook/types.js';
import { ConnectionPool } from './connections.js';
import type { RunOptions } from './options.js';
import { learnSecrets } from './known-secrets.js';
import { runPlay, type RunState } from './play.js';
import { RunStats } from './stats.js';
import type { Engine } from './task-context.js';
import { VarsManager } from './vars.js';

export interface RunResult {
  exitCode: number;
  stats: Record<string, HostStats>;
}

export async function loadPlaybooks(files: string[], registry: ModuleRegistry): Promise<Playbook[]> {
  const out: Playbook[] = [];
  for (const f of files) out.push(await loadPlaybook(f, { registry }));
  return out;
}

export async function runPlaybook(options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const registry = new ModuleRegistry();
  const playbooks = await loadPlaybooks(options.playbooks, registry);
  const inventory = await loadInventory(options.inventory);
  const events = new EventStream();
  for (const r of options.reporters ?? []) events.subscribe(r);
  const stats = new RunStats();
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
  };
  const scratch = await mkdtemp(join(tmpdir(), 'tsplay-'));
  const engine: Engine = {
    options,
    inventory,
    registry,
    vars: new VarsManager(inventory, options.extraVars ?? {}, magic),
    pool: new ConnectionPool(options.connection ?? {}, options.connectionFactory, { remoteUser: options.remoteUser, connectionType: options.connectionType }),
    events,
    stats,
    tags: { only: options.tags ?? [], skip: options.skipTags ?? [] },
    tmpdir: scratch,
    becomePassword: options.connection?.becomePassword,
  };
  learnSecrets(engine);
  const onAbort = () => {
    events.silence();
    void engine.pool.closeAll();
  };
  options.signal?.addEventListener('abort', onAbort);
  const state: RunState = { failed: new Set(), unreachable: new Set(), aborted: false };
  try {
    for (const pb of playbooks) {
      events.emit({ type: 'playbook_start', file: pb.file, check: !!options.check });
      for (const play of pb.plays) {
        if (state.aborted || options.signal?.aborted) break;
        await runPlay(engine, play, state);
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await engine.pool.closeAll();
    await rm(scratch, { recursive: true, force: true });
  }
  const snapshot = stats.snapshot();
  events.emit({ type: 'recap', stats: snapshot });
  const exitCode = options.signal?.aborted ? ExitCode.interrupted : stats.exitCode();
  events.emit({ type: 'playbook_end', exitCode, durationMs: Date.now() - started });
  return { exitCode, stats: snapshot };
}
