/** Finding and reading the controller files lookups read. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { charge } from '../limits.js';
import { isAbsolute, join } from 'node:path';
import type { LookupEnv } from './types.js';

/** Where a relative file is: Ansible's find_file_in_search_path (`<dir>/<subdir>/<name>`, then `<dir>/<name>`, for each directory). */
export function findControllerFile(name: string, subdir: string, env: LookupEnv): string | undefined {
  const isFile = (p: string) => {
    try {
      return existsSync(p) && statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (isAbsolute(name)) return isFile(name) ? name : undefined;
  for (const dir of env.searchPath) for (const p of [join(dir, subdir, name), join(dir, name)]) if (isFile(p)) return p;
  return undefined;
}

/** A file's text, its size charged to the evaluation's memory budget first: a huge file fails the lookup, not the process. */
export function readControllerText(path: string, lookup: string): string {
  charge(statSync(path).size, `lookup('${lookup}', '${path}')`);
  return readFileSync(path, 'utf8');
}
