/**
 * Runs the real Ansible 2.14 command-line tools, so tests compare tsplay with
 * what Ansible does rather than with expectations written by hand.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hermeticAnsibleEnv } from '../../helpers/ansible-env.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const fixtures = path.resolve(here, '..', 'fixtures');
/** The shared corpus lives beside the repository clone. */
export const corpusDir = path.resolve(repoRoot, '..', 'shared', 'compat', 'inventories');

// A private HOME and an empty working directory: no ansible.cfg, no stray group_vars.
const { env: hermetic, home: scratch } = hermeticAnsibleEnv();

const env = {
  ...hermetic,
  ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
  // Makes Ansible fail where it would otherwise go on with a partial inventory, which tsplay refuses to do.
  ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: 'True',
};

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, cwd: scratch, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export { pool } from '../../helpers/pool.js';

export function inventoryArgs(sources: string[]): string[] {
  return sources.flatMap((s) => ['-i', s]);
}

/** `ansible -i ... PATTERN --list-hosts`: the hosts, and the "could not match" warnings. */
export async function ansibleListHosts(sources: string[], pattern: string, limit?: string) {
  const args = [...inventoryArgs(sources), pattern, '--list-hosts'];
  if (limit !== undefined) args.push('--limit', limit);
  const r = await run('ansible', args);
  const hosts = r.stdout
    .split('\n')
    .filter((l) => /^ {4}\S/.test(l))
    .map((l) => l.trim());
  const warnings = [...r.stderr.matchAll(/\[WARNING\]: (Could not match supplied host pattern, ignoring: .*)/g)].map((m) => m[1]);
  return { ...r, hosts, warnings: [...new Set(warnings)] };
}
