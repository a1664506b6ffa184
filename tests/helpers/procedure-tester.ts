/**
 * The procedure tester: one harness for the recovery playbooks on the lab.
 * A scenario sets up its own cluster (a reset lab, then its own breakage),
 * never continuing from another's, and then one of:
 *
 *   checkChangesNothing  --check --diff changes no byte on any host or beside
 *                        the inventory, and says what it would do;
 *   faultThenRerun       the real run with a fault a host brings injected when
 *                        a given task starts (power off, SSH frozen, a full
 *                        file system, a bad etcd.conf): it ends within its
 *                        timeouts, names the host and the step, leaves the
 *                        cluster no worse; the host comes back, the same
 *                        command run again finishes with every key read back,
 *                        and once more changes nothing;
 *   killedThenRerun      the controller killed (SIGKILL to its whole process
 *                        group, as a lost laptop) at a task boundary or inside
 *                        a long task, then the same command finishes.
 *
 * Runs are watched through tsplay's --json event stream; each has a hang
 * detector far above its normal time (a bound, not a speed assertion).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Test } from 'tap';
import { lab, resetLab, verifyData } from './lab.js';
import { assertHostsUnchanged, etcdMemberLists, snapshotHosts } from './check-proof.js';
import { inventoryCopy, parseEvents, tsplayArgs, type Run } from '../playbooks/helpers.js';

export type RunEvent = Record<string, unknown>;

/** Far above a restore's normal time on a loaded machine: only a hang reaches it. */
export const HANG_MS = 600_000;

export interface WatchedRun extends Run {
  /** The hang detector fired: the run was killed, it did not end by itself. */
  hung: boolean;
  /** The controller was killed by the scenario (killAt). */
  killed: boolean;
  /** The event at which the fault or the kill went in, if it did. */
  trigger?: RunEvent;
  /** What the injection printed or threw (a fault that could not be injected fails the scenario). */
  injection?: { ok: boolean; detail: string };
}

export interface WatchOptions {
  /** When this returns true for an event, `inject` runs (once), while the run goes on. */
  at?: (e: RunEvent, seen: RunEvent[]) => boolean;
  inject?: () => Promise<{ ok: boolean; detail: string }>;
  /** SIGKILL to the run's process group at the event `at` matches, instead of `inject`. */
  kill?: boolean;
  hangMs?: number;
}

/**
 * `tsplay run PLAYBOOK -i INVENTORY --json ARGS` in its own process group,
 * watched event by event.
 */
export function runWatched(playbook: string, inventory: string, args: string[], opts: WatchOptions = {}): Promise<WatchedRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('node', tsplayArgs(playbook, inventory, args), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const group = child.pid!;
    let stdout = '';
    let stderr = '';
    let buffered = '';
    let hung = false;
    let killed = false;
    let trigger: RunEvent | undefined;
    let injecting: Promise<void> = Promise.resolve();
    let injection: WatchedRun['injection'];
    const seen: RunEvent[] = [];
    const killGroup = () => {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const hang = setTimeout(() => {
      hung = true;
      killGroup();
    }, opts.hangMs ?? HANG_MS);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        let e: RunEvent;
        try {
          e = JSON.parse(line) as RunEvent;
        } catch {
          continue;
        }
        seen.push(e);
        if (trigger || !opts.at || !opts.at(e, seen)) continue;
        trigger = e;
        if (opts.kill) {
          killed = true;
          killGroup();
        } else if (opts.inject) {
          injecting = opts.inject().then(
            (r) => void (injection = r),
            (err: unknown) => void (injection = { ok: false, detail: String(err) }),
          );
        }
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(hang);
      // The group may hold ssh children of a killed controller: they go too.
      if (killed || hung) killGroup();
      void injecting.then(() =>
        resolvePromise({ rc: code ?? (signal ? 128 : 1), stdout, stderr, hung, killed, trigger, injection, ...parseEvents(stdout) }),
      );
    });
  });
}

/** A lab verb as a fault: `lab kill master-1`, `lab freeze master-0`, ... */
export function labFault(...verb: string[]): () => Promise<{ ok: boolean; detail: string }> {
  return async () => {
    const r = await lab(...verb);
    return { ok: r.rc === 0, detail: `lab ${verb.join(' ')}: rc ${r.rc} ${r.stderr.trim()}` };
  };
}

/** Matches the start of the task with this exact name (the n-th time it starts, default the first). */
export function atTask(name: string, nth = 1): (e: RunEvent, seen: RunEvent[]) => boolean {
  return (e, seen) => e.type === 'task_start' && e.name === name && seen.filter((x) => x.type === 'task_start' && x.name === name).length === nth;
}

/** Matches the first result of HOST for the task with this name: the step boundary after it. */
export function afterTask(name: string, host: string): (e: RunEvent, seen: RunEvent[]) => boolean {
  let task = '';
  return (e) => {
    if (e.type === 'task_start') task = String(e.name);
    return e.type === 'host_result' && task === name && e.host === host && !e.loopSummary;
  };
}

export interface Scenario {
  /** What the lab holds when the procedure starts (after a reset to `masters`). */
  setup: () => Promise<void>;
  masters?: number;
  playbook: string;
  args?: string[];
  /** The lab hosts whose state check mode must leave alone (default: labHosts(masters)). */
  hosts?: string[];
}

/** Resets the lab, runs the scenario's setup and gives it a fresh inventory copy. */
export async function prepare(s: Scenario): Promise<string> {
  const masters = s.masters ?? 3;
  if (masters === 3) await resetLab();
  else {
    const r = await lab('reset', '--masters', String(masters));
    if (r.rc !== 0) throw new Error(`lab reset --masters ${masters} failed: ${r.stderr}`);
  }
  await s.setup();
  return inventoryCopy(masters);
}

/** Hosts of a lab of n masters. */
export function labHosts(masters: number): string[] {
  return [...Array.from({ length: masters }, (_, i) => `master-${i}`), 'lb'];
}

/** The inventory's folder on the controller: the inventory and every file beside it, by content. */
export function controllerFiles(inventory: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dirname(inventory))) out.set(f, readFileSync(`${dirname(inventory)}/${f}`, 'utf8'));
  return out;
}

/**
 * --check --diff: exit 0, and nothing changed on any host that is up nor
 * beside the inventory: every file hashed, every running unit's
 * InvocationID, the list of files under /tmp, /run, /var/tmp
 * (tests/helpers/check-proof.ts).
 */
export async function checkChangesNothing(t: Test, s: Scenario, inventory: string): Promise<WatchedRun> {
  const before = await snapshotHosts(s.hosts ?? labHosts(s.masters ?? 3));
  const controller = controllerFiles(inventory);
  const check = await runWatched(s.playbook, inventory, ['--check', '--diff', ...(s.args ?? [])]);
  t.notOk(check.hung, 'check mode ends by itself');
  t.equal(check.rc, 0, 'check mode exits 0');
  if (check.rc !== 0) t.comment(check.stdout.slice(-4000), check.stderr);
  await assertHostsUnchanged(t, before, 'after --check');
  t.same(controllerFiles(inventory), controller, 'the inventory and its folder are unchanged');
  return check;
}

/** Every known key reads back through the cluster, with the right checksum. */
export async function assertDataReadBack(t: Test, what: string) {
  const data = await verifyData();
  t.equal(data.matching, 1000, `${what}: every known key reads back with its value`);
  t.ok(data.checksumOk, `${what}: the checksum of the known data matches`);
}

/** Every failed or unreachable result (not those ignore_errors let pass): host, task, status and message. */
export function failures(run: Run): { host: string; task: string; status: string; msg: string }[] {
  const out: { host: string; task: string; status: string; msg: string }[] = [];
  let task = '';
  for (const e of run.events) {
    if (e.type === 'task_start') task = String(e.name);
    if (e.type === 'host_result' && (e.status === 'failed' || e.status === 'unreachable') && !e.ignored) {
      const r = (e.result ?? {}) as { msg?: unknown };
      out.push({ host: String(e.host), task, status: String(e.status), msg: String(r.msg ?? '') });
    }
  }
  return out;
}

/** A run as a person skims it: each task, then each host's status and message (for a failing test's comment). */
export function digest(run: Run, max = 12_000): string {
  const lines: string[] = [];
  for (const e of run.events) {
    if (e.type === 'task_start') lines.push(`TASK ${String(e.name)}`);
    if (e.type === 'host_result' && !e.loopSummary) {
      const r = (e.result ?? {}) as { msg?: unknown };
      const to = e.delegatedTo ? ` -> ${String(e.delegatedTo)}` : '';
      lines.push(`  ${String(e.host)}${to}: ${String(e.status)}${r.msg ? ` ${String(r.msg).slice(0, 400)}` : ''}`);
    }
  }
  const text = lines.join('\n');
  return text.length > max ? `...${text.slice(-max)}` : text;
}

/**
 * The controller lost (SIGKILL to the run's whole process group, as a laptop
 * closed mid-run) at `at`, then the same command run again: it must end by
 * itself with exit 0. Returns both runs; the caller checks the cluster.
 */
export async function killedThenRerun(t: Test, s: Scenario, inventory: string, at: (e: RunEvent, seen: RunEvent[]) => boolean, what: string) {
  const first = await runWatched(s.playbook, inventory, s.args ?? [], { at, kill: true });
  t.ok(first.killed, `the controller was killed ${what}`);
  t.notOk(first.hung, 'the killed run did not hang first');
  const second = await runWatched(s.playbook, inventory, s.args ?? []);
  t.notOk(second.hung, 'the re-run ends by itself');
  t.equal(second.rc, 0, 'the same command run again exits 0');
  if (second.rc !== 0) t.comment(digest(second), second.stderr);
  return { first, second };
}

/** A refusal as an operator reads it: the exit code, the task that refuses and its message, word for word. */
export interface Refusal {
  rc: number;
  task: string;
  msg: string;
}

/**
 * The scenario's command, expected to refuse in its preflight: the exact exit
 * code, exactly one failure (the refusing task on the controller, with its
 * message word for word), changed=0, no host touched, and nothing changed:
 * every etcd host's member list, the state of every lab host (check-proof:
 * files, running units' InvocationIDs, /tmp, /run, /var/tmp) and the
 * inventory's folder.
 */
export async function refusesChangingNothing(t: Test, s: Scenario, inventory: string, refusal: Refusal): Promise<WatchedRun> {
  const hosts = s.hosts ?? labHosts(s.masters ?? 3);
  const before = await snapshotHosts(hosts);
  const members = await etcdMemberLists(hosts);
  const controller = controllerFiles(inventory);
  const run = await runWatched(s.playbook, inventory, s.args ?? []);
  t.notOk(run.hung, 'the run ends by itself');
  t.equal(run.rc, refusal.rc, `exit code ${refusal.rc}`);
  const failed = failures(run);
  t.same(failed.map((f) => `${f.host}: ${f.task}`), [`localhost: ${refusal.task}`], 'the preflight refuses, and nothing else fails');
  t.equal(failed[0]?.msg, refusal.msg, 'the refusal, word for word, with its numbers');
  if (run.rc !== refusal.rc || failed.length !== 1) t.comment(digest(run), run.stderr.slice(-2000));
  t.same(run.changed, [], 'changed=0');
  t.same(Object.keys(run.recap), ['localhost'], 'no host has a result of its own: the run ended in the preflight');
  await assertHostsUnchanged(t, before, 'after the refusal');
  t.same(await etcdMemberLists(hosts), members, 'every etcd host lists the same members as before');
  t.same(controllerFiles(inventory), controller, 'the inventory and its folder are unchanged');
  return run;
}
