/**
 * Shared by the security tests: one compiled CLI per test file, playbooks
 * written into a scratch directory, and the same run through the real
 * ansible-playbook 2.14 for comparison.
 */
import type { Test } from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exec, parseRecap, parseSections, runAnsible, runTsplay, scratchDir, type Run } from '../compat/helpers.js';

export { buildCli, parseRecap, parseSections, removeBuild } from '../compat/helpers.js';
export type { Run } from '../compat/helpers.js';

/** A local host whose Python is named, so Ansible adds no interpreter-discovery facts to results. */
export const LOCAL_INVENTORY = 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n';

export interface Scratch {
  dir: string;
  write(name: string, content: string): string;
}

/** A scratch directory, with `files` (name to content) written into it. */
export function scratch(prefix: string, files: Record<string, string> = {}): Scratch {
  const dir = scratchDir(prefix);
  const s: Scratch = {
    dir,
    write(name, content) {
      const p = path.join(dir, name);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
  };
  for (const [name, content] of Object.entries(files)) s.write(name, content);
  return s;
}

/** Runs the playbook with both tools, from the scratch directory. */
export async function both(cli: string, s: Scratch, args: string[]): Promise<{ ansible: Run; tsplay: Run }> {
  const [ansible, tsplay] = await Promise.all([runAnsible(args, s.dir), runTsplay(cli, args, s.dir)]);
  return { ansible, tsplay };
}

/**
 * Asserts tsplay ran the playbook as ansible-playbook did: the same exit code
 * (and that it was `exitCode`, when given), the same recap unless `recap` is
 * false, and the same task lines.
 */
export function sameAsAnsible(t: Test, r: { ansible: Run; tsplay: Run }, opts: { exitCode?: number; recap?: boolean } = {}): void {
  if (opts.exitCode !== undefined) t.equal(r.tsplay.code, opts.exitCode, `tsplay exits ${opts.exitCode}`);
  t.equal(r.tsplay.code, r.ansible.code, 'same exit code');
  if (opts.recap !== false) t.same(parseRecap(r.tsplay.stdout), parseRecap(r.ansible.stdout), 'same recap');
  t.same(parseSections(r.tsplay.stdout), parseSections(r.ansible.stdout), 'same task lines');
}

/** tsplay's CLI with any arguments (not only `run`), with stdin closed. */
export function tsplayCli(cli: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return exec(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1', ...env } });
}
