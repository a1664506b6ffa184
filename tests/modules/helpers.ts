/**
 * Runs one module task through the real engine (runPlaybook, local
 * connection) on files in a temp directory, and hands back what a user
 * checks: the recap, the task's result, its diff, and the files' bytes.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import type { RunEvent } from '../../lib/output/events.js';

export interface TaskRun {
  exitCode: number;
  status: string;
  changed: boolean;
  result: Record<string, unknown>;
  diff: { before?: string; after?: string; path?: string }[];
  msg: string;
  warnings: string[];
}

export function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-mod-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file under dir (relative name → bytes as text), to prove what a run did or did not touch. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

export async function runTask(task: Record<string, unknown>, opts: { check?: boolean; vars?: Record<string, unknown> } = {}): Promise<TaskRun> {
  const events: RunEvent[] = [];
  const r = await runPlaybook({
    playbook: { plays: [{ hosts: 'localhost', gather_facts: false, vars: opts.vars ?? {}, tasks: [task] }] as never },
    inventory: { all: { hosts: { localhost: { ansible_connection: 'local' } } } } as never,
    check: opts.check ?? false,
    diff: true,
    reporters: [(e: RunEvent) => events.push(e)],
  } as never);
  const res = events.find((e) => e.type === 'host_result') as Extract<RunEvent, { type: 'host_result' }> | undefined;
  return {
    exitCode: r.exitCode,
    status: res?.status ?? 'none',
    changed: res?.status === 'changed',
    result: res?.result ?? {},
    diff: (res?.diff ?? []) as TaskRun['diff'],
    msg: String(res?.result.msg ?? ''),
    warnings: r.warnings,
  };
}

/**
 * The checks every file-editing module must pass: check mode predicts the
 * change and writes nothing, the real run makes exactly that change, a second
 * run changes nothing.
 */
export async function idempotent(
  t: { equal(a: unknown, b: unknown, m?: string): void; same(a: unknown, b: unknown, m?: string): void; strictSame(a: unknown, b: unknown, m?: string): void },
  dir: string,
  task: Record<string, unknown>,
  want: Record<string, string>,
): Promise<TaskRun> {
  const before = snapshot(dir);
  const dry = await runTask(task, { check: true });
  t.equal(dry.status, 'changed', `check mode predicts a change: ${dry.msg}`);
  t.strictSame(snapshot(dir), before, 'check mode writes nothing');
  const real = await runTask(task);
  t.equal(real.status, 'changed', `first run changes: ${real.msg}`);
  t.same(real.warnings, [], 'apply() did what plan() predicted');
  t.strictSame(snapshot(dir), { ...before, ...want }, 'the files hold exactly the expected bytes');
  t.same(real.diff.map((d) => [d.before, d.after]), dry.diff.map((d) => [d.before, d.after]), 'the diff in check mode is the diff of the real run');
  const again = await runTask(task);
  t.equal(again.status, 'ok', 'a second run changes nothing');
  return real;
}
