/**
 * Files shipped beside the code: package.json and the event schema. The code
 * runs from lib/ (sources, in tests) or dist/lib/ (the package), one folder
 * deeper, so the package root is found by looking for tsplay's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The package's root folder, with a trailing slash: the nearest folder above
 * this file whose package.json is tsplay's (a test's build elsewhere finds the checkout).
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    try {
      if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'tsplay') return (root = dir + sep);
    } catch {
      /* not this one */
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return (root = fileURLToPath(new URL('../../', import.meta.url)));
}

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(packageRoot() + 'package.json', 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The JSON Schema of the run record (docs/events.md). */
export const EVENTS_SCHEMA = 'schema/events.schema.json';

export function eventsSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(packageRoot() + EVENTS_SCHEMA, 'utf8')) as Record<string, unknown>;
}
