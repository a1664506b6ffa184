#!/usr/bin/env node
// The tests' build: the current sources built as `npm run build` builds them
// (tsc, the precompiled schemas, the launcher), but into a folder of its own
// under node_modules/.cache/tsplay-tests/, named by a hash of what goes into
// the build. The shared dist/ is never written: a person may be running it,
// and test files running side by side must not read a build being rewritten.
//
// Prints the built dist folder as its last line. Made once per set of
// sources: a second call with the same sources only prints the folder.
// Callers run it under `flock` (see tests/helpers/build.ts) so that test
// files started together wait for one build instead of each making its own.
//
// Usage: node scripts/test-build.mjs
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = join(REPO, 'node_modules', '.cache', 'tsplay-tests');
/** Builds older than this are removed when a new one is made: the cache stays bounded. */
const KEEP_MS = 24 * 3600 * 1000;

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

/** A hash of every input of the build: sources, build scripts, configuration, the compiler's version. */
export function sourceKey() {
  const inputs = [
    ...['bin', 'lib', 'modules'].flatMap((d) => filesUnder(join(REPO, d))),
    join(REPO, 'tsconfig.json'),
    join(REPO, 'package.json'),
    join(REPO, 'scripts', 'build-schemas.mjs'),
    join(REPO, 'scripts', 'build-launcher.mjs'),
    join(REPO, 'node_modules', 'typescript', 'package.json'),
  ].sort();
  const hash = createHash('sha256');
  for (const f of inputs) hash.update(`${relative(REPO, f)}\0`).update(readFileSync(f)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function pruneOldBuilds(keep) {
  for (const name of existsSync(CACHE) ? readdirSync(CACHE) : []) {
    const p = join(CACHE, name);
    if (name === keep) continue;
    if (Date.now() - statSync(p).mtimeMs > KEEP_MS) rmSync(p, { recursive: true, force: true });
  }
}

function build() {
  const key = `build-${sourceKey()}`;
  const final = join(CACHE, key);
  const dist = join(final, 'dist');
  // The folder appears by a rename once the build is whole: its presence is the mark.
  if (existsSync(join(dist, 'bin', 'tsplay.js'))) return dist;
  const tmp = join(CACHE, `${key}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const tmpDist = join(tmp, 'dist');
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.json'), '--outDir', tmpDist], { cwd: REPO, stdio: 'pipe' });
  } catch (e) {
    // tsc still emits JavaScript when it reports type errors; the tests then say what fails.
    process.stderr.write(`# tsc reported errors:\n${String(e.stdout ?? '').replace(/^/gm, '# ')}\n`);
    if (!existsSync(join(tmpDist, 'bin', 'tsplay.js'))) throw new Error('tsc emitted no dist/bin/tsplay.js');
  }
  for (const step of ['build-schemas.mjs', 'build-launcher.mjs']) {
    execFileSync(process.execPath, [join(REPO, 'scripts', step), tmpDist], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  pruneOldBuilds(key);
  return dist;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(build());
  } catch (e) {
    process.stderr.write(`test build failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
