/** Finding and reading the controller files lookups read. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { charge } from '../limits.js';
import { isAbsolute, join } from 'node:path';
import type { LookupEnv } from './types.js';

/**
 * Ansible's find_file_in_search_path, the one search for a controller file
 * that lookups and modules (copy, template, script, …) both use: an
 * absolute name as it is; a relative one as `<dir>/<subdir>/<name>`, then
 * `<dir>/<name>`, for each directory in order. `accept` says what counts as
 * found (a regular file for lookups; a folder too for copy and assemble).
 */
export function searchControllerPath(name: string, subdir: string, dirs: readonly string[], accept: (path: string) => boolean): string | undefined {
  if (isAbsolute(name)) return accept(name) ? name : undefined;
  for (const dir of dirs) for (const p of [join(dir, subdir, name), join(dir, name)]) if (accept(p)) return p;
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Where a lookup's relative file is: a regular file in the evaluation's search path. */
export function findControllerFile(name: string, subdir: string, env: LookupEnv): string | undefined {
  return searchControllerPath(name, subdir, env.searchPath, isFile);
}

/** A file's text, its size charged to the evaluation's memory budget first: a huge file fails the lookup, not the process. */
export function readControllerText(path: string, lookup: string): string {
  charge(statSync(path).size, `lookup('${lookup}', '${path}')`);
  return readFileSync(path, 'utf8');
}
