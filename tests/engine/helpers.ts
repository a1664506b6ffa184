/** Runs playbooks in-process through runPlaybook and keeps every event, for tests of what a user would check. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPlaybook, type RunResult } from '../../lib/engine/run.js';
import type { RunOptions } from '../../lib/engine/options.js';
import type { RunEvent } from '../../lib/output/events.js';

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'tsplay-engine-'));
}

/** Writes files (name → content) into a new temp dir and returns it. */
export function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

export const localInventory = 'a ansible_connection=local\nb ansible_connection=local\n\n[g]\na\nb\n';

export async function run(opts: Omit<RunOptions, 'reporters'>): Promise<RunResult & { events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const result = await runPlaybook({ ...opts, reporters: [(e) => events.push(e)] });
  return { ...result, events };
}

/** The debug messages of a run, per host, in order. */
export function messages(events: RunEvent[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const e of events) if (e.type === 'host_result' && e.status === 'ok' && 'msg' in e.result && e.result._ansible_verbose_always) (out[e.host] ??= []).push(e.result.msg);
  return out;
}
