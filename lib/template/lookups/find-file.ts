/** Where a lookup finds a relative controller file: Ansible's find_file_in_search_path (`<dir>/<subdir>/<name>`, then `<dir>/<name>`). */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LookupEnv } from './types.js';

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
