/**
 * Shared by the security tests: one compiled CLI per test file, playbooks
 * written into a scratch directory, and the same run through the real
 * ansible-playbook 2.14 for comparison.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exec, runAnsible, runTsplay, scratchDir, type Run } from '../compat/helpers.js';

export { buildCli, parseRecap, parseSections, removeBuild } from '../compat/helpers.js';
export type { Run } from '../compat/helpers.js';

/** A local host whose Python is named, so Ansible adds no interpreter-discovery facts to results. */
export const LOCAL_INVENTORY = 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n';

export interface Scratch {
  dir: string;
  write(name: string, content: string): string;
}

export function scratch(prefix: string): Scratch {
  const dir = scratchDir(prefix);
  return {
    dir,
    write(name, content) {
      const p = path.join(dir, name);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
  };
}

/** Runs the playbook with both tools, from the scratch directory. */
export async function both(cli: string, s: Scratch, args: string[]): Promise<{ ansible: Run; tsplay: Run }> {
  const [ansible, tsplay] = await Promise.all([runAnsible(args, s.dir), runTsplay(cli, args, s.dir)]);
  return { ansible, tsplay };
}

/** tsplay's CLI with any arguments (not only `run`), with stdin closed. */
export function tsplayCli(cli: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return exec(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1', ...env } });
}
