/**
 * Every module's tester table. The same tables run over the local
 * connection (tables.test.ts) and over SSH against a real sshd
 * (tables-ssh.test.ts). A table is a function of where it runs.
 */
import type { ModuleCase } from '../../../lib/testing/index.js';

export interface TableEnv {
  /** The login user on the host (what commands run as without become). */
  user: string;
}

export type Table = (env: TableEnv) => ModuleCase[];

export const tables: Record<string, () => Promise<{ default: Table }>> = {
  assert: () => import('./assert.js'),
  command: () => import('./command.js'),
  debug: () => import('./debug.js'),
  fail: () => import('./fail.js'),
  meta: () => import('./meta.js'),
  pause: () => import('./pause.js'),
  set_fact: () => import('./set_fact.js'),
  setup: () => import('./setup.js'),
  shell: () => import('./shell.js'),
};
