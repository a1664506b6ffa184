/** Runs one play: selects its hosts, loads vars_files, splits batches, gathers facts, runs the sections and their handlers. */
import { resolve } from 'node:path';
import { TsplayError } from '../errors.js';
import { selectHosts } from '../inventory/index.js';
import type { Play, Task } from '../playbook/types.js';
import { loadYamlFile } from '../playbook/yaml-source.js';
import { renderValue } from '../template/index.js';
import { assignOwn } from '../util/own.js';
import { limitImplicitLocalhost } from './limit.js';
import { keywordIsTrue, keywordValue, playKeywordVars } from './keyword.js';
import { batches } from './serial.js';
import type { Engine, PlayRun, Scope } from './task-context.js';
import type { Vars } from './vars.js';
import { PlayAborted, rootScope, Walker } from './walk.js';

export interface RunState {
  /** Hosts that failed or could not be reached: later plays leave them out, as Ansible does. */
  failed: Set<string>;
  unreachable: Set<string>;
  aborted: boolean;
}

function gatherFactsTask(play: Play): Task {
  return {
    kind: 'task',
    name: 'Gathering Facts',
    module: 'setup',
    args: { ...play.gatherArgs },
    modulePos: play.pos,
    argPositions: {},
    when: [],
    tags: ['always'],
    vars: {},
    notify: [],
    listen: [],
    loopVar: 'item',
    pos: play.pos,
  };
}

function playScope(play: Play): Scope {
  return {
    ...rootScope(),
    tags: play.tags,
    become: [play],
    checkMode: play.checkMode,
    diff: play.diff,
    ignoreUnreachable: play.ignoreUnreachable,
    noLog: play.noLog,
    environment: play.environment !== undefined ? [play.environment] : [],
    moduleDefaults: play.moduleDefaults ? [play.moduleDefaults] : undefined,
  };
}

function loadVarsFiles(engine: Engine, play: Play, host: string, cache: Map<string, Vars>): Vars {
  const out: Vars = {};
  play.varsFiles.forEach((spec, i) => {
    const base = engine.vars.forHost(host);
    const path = resolve(play.baseDir, String(renderValue(spec, base)));
    let data = cache.get(path);
    if (!data) {
      let raw: unknown;
      try {
        raw = loadYamlFile(path, 'vars file', `check the path in vars_files (relative to ${play.baseDir})`);
      } catch (e) {
        // Point at the vars_files entry in the playbook: the missing file has no position of its own.
        throw e instanceof TsplayError && e.kind === 'missing-file' ? e.at(play.varsFilesPos?.[i]) : e;
      }
      if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
        throw new TsplayError('validation', `the vars file ${path} must contain a mapping of variable names to values`, { pos: { file: path, line: 1, col: 1 } });
      }
      data = (raw ?? {}) as Vars;
      cache.set(path, data);
    }
    assignOwn(out, data);
  });
  return out;
}

/** A templated strategy is known only now; tsplay runs the linear one (docs/differences.md). */
function checkStrategy(play: Play, keywordVars: Vars): void {
  const strategy = keywordValue(play.strategy, keywordVars) ?? 'linear';
  if (strategy === 'linear') return;
  throw new TsplayError('runtime', `Invalid play strategy specified: ${String(strategy)}`, {
    pos: play.pos,
    hint: "tsplay runs plays with the 'linear' strategy only: make the strategy's template render to 'linear', or remove it",
  });
}

export async function runPlay(engine: Engine, play: Play, state: RunState): Promise<void> {
  const { events, options } = engine;
  const extra = options.extraVars ?? {};
  const keywordVars = playKeywordVars(play.vars, extra);
  const pattern = String(renderValue(play.hosts, keywordVars));
  const name = String(renderValue(play.name, keywordVars));
  checkStrategy(play, keywordVars);
  const selected = limitImplicitLocalhost(engine.inventory, selectHosts(engine.inventory, pattern, { limit: options.limit }), options.limit);
  for (const w of selected.warnings) events.emit({ type: 'warning', message: w });
  const hosts = selected.hosts.filter((h) => !state.failed.has(h) && !state.unreachable.has(h));
  events.emit({ type: 'play_start', name, hosts, pos: play.pos });
  if (!hosts.length) {
    events.emit({ type: 'no_hosts_matched', play: name });
    return;
  }
  const defaults: Vars = {};
  if (play.remoteUser) defaults.ansible_user = play.remoteUser;
  if (play.connection) defaults.ansible_connection = play.connection;
  const varsFiles = new Map<string, Vars>();
  const runs: PlayRun[] = [];
  engine.vars.play = {
    vars: play.vars,
    varsFiles,
    // Ansible's ansible_play_hosts_all keeps hosts that failed in earlier plays; ansible_play_hosts does not.
    hostsAll: selected.hosts,
    batch: hosts,
    name,
    defaults,
    // A copy: a public include_role adds to it for this run only.
    roles: [...play.roles],
    active: () => {
      const out = new Set<string>();
      for (const r of runs) for (const h of r.batch) if (!r.failed.has(h) && !r.unreachable.has(h) && !r.ended.has(h)) out.add(h);
      return hosts.filter((h) => out.has(h) || !runs.some((r) => r.batch.includes(h)));
    },
  };
  const cache = new Map<string, Vars>();
  for (const h of hosts) varsFiles.set(h, loadVarsFiles(engine, play, h, cache));

  const scope = playScope(play);
  const forceHandlers = !!options.forceHandlers || keywordIsTrue(play.forceHandlers ?? false, keywordVars);
  let first = true;
  for (const batch of batches(hosts, keywordValue(play.serial, keywordVars))) {
    // Ansible prints the play's banner again for every serial batch.
    if (!first) events.emit({ type: 'play_start', name, hosts: batch, pos: play.pos });
    first = false;
    const run: PlayRun = { play, failed: new Set(), unreachable: new Set(), ended: new Set(), notified: new Map(), batch, endPlay: false, endBatch: false };
    runs.push(run);
    engine.vars.play.batch = batch;
    const walker = new Walker(engine, run);
    const batchEnded = engine.playTimes.start(name, batch);
    try {
      if (keywordIsTrue(play.gatherFacts, keywordVars, true) && (engine.startAt?.reaches(play) ?? true)) await walker.runTask(gatherFactsTask(play), batch, scope, 'setup');
      for (const section of [play.preTasks, play.tasks, play.postTasks]) {
        await walker.runList(section, batch, scope);
        if (run.endPlay || run.endBatch) break;
        await walker.flushHandlers(forceHandlers);
      }
    } catch (e) {
      if (!(e instanceof PlayAborted)) throw e;
      if (forceHandlers) await walker.flushHandlers(true);
      state.aborted = true;
      events.emit({ type: 'no_more_hosts' });
    } finally {
      batchEnded();
    }
    for (const h of run.failed) state.failed.add(h);
    for (const h of run.unreachable) state.unreachable.add(h);
    if (state.aborted || batch.every((h) => run.failed.has(h) || run.unreachable.has(h))) {
      // Ansible ends the whole playbook when a failure is fatal or a batch has no host left.
      state.aborted = true;
      return;
    }
    if (run.endPlay || options.signal?.aborted) return;
  }
}
