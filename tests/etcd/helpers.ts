/**
 * Runs a playbook (given as YAML text) against the lab through the engine, as
 * `tsplay run -i inventories/lab` does, and keeps every registered-style
 * result by task name and host, so tests assert what the modules returned.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { plainReporter } from '../../lib/output/plain.js';
import type { RunEvent } from '../../lib/output/events.js';
import { LAB_INVENTORY } from '../helpers/lab.js';

export type Results = Record<string, Record<string, Record<string, any>>>;

const dir = mkdtempSync(join(tmpdir(), 'tsplay-etcd-'));
let n = 0;

export async function playOnLab(yaml: string, opts: { check?: boolean; extraVars?: Record<string, unknown>; onEvent?: (e: RunEvent) => void } = {}) {
  const file = join(dir, `play-${++n}.yml`);
  writeFileSync(file, yaml);
  let out = '';
  const results: Results = {};
  let task = '';
  const r = await runPlaybook({
    playbooks: [file],
    inventory: [LAB_INVENTORY],
    check: opts.check,
    diff: true,
    extraVars: opts.extraVars,
    reporters: [
      plainReporter({ write: (s) => (out += s), verbosity: 0, diff: true, color: false }),
      (e) => {
        if (e.type === 'task_start') task = e.name;
        if (e.type === 'host_result' && !e.loopSummary) (results[task] ??= {})[e.host] = e.result;
        opts.onEvent?.(e);
      },
    ],
  });
  return { exitCode: r.exitCode, stats: r.stats, out, results, file };
}
