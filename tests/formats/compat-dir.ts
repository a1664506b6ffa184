// The shared real-world samples sit beside the repository clone
// (<repo>/../shared/compat); a clone kept one level deeper finds them by
// looking further up.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function compatDir(): string {
  for (let dir = path.resolve(repoRoot, '..'); ; dir = path.dirname(dir)) {
    const c = path.join(dir, 'shared', 'compat');
    if (existsSync(c)) return c;
    if (dir === path.dirname(dir)) return path.resolve(repoRoot, '..', 'shared', 'compat');
  }
}
