/**
 * The built CLI for tests that run tsplay as users do: one build of the
 * current sources per test run, shared by every test file (scripts/test-build.mjs).
 *
 *   const cli = builtCli();          // .../dist/bin/tsplay.js
 *   const dist = builtDist();        // the whole dist folder, e.g. to pack it
 *
 * `npm test` makes the build before any test file starts and passes it in
 * TSPLAY_TEST_DIST. A test file run on its own (`npx tap tests/x.test.ts`)
 * makes or reuses it here, under a lock, so files started together wait for
 * one build. The shared dist/ is never written; a test that needs a build of
 * its own copies this one into its own temp folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD_SCRIPT = join(REPO, 'scripts', 'test-build.mjs');
/** Inside node_modules, so it is private to this checkout and gone with it. */
const BUILD_LOCK = join(REPO, 'node_modules', '.cache', 'tsplay-tests.lock');
/** Far above a loaded 2-core machine's build (about 30 s alone, a few minutes under load). */
const BUILD_WAIT_S = 1200;

let dist: string | undefined;

export function builtDist(): string {
  if (dist) return dist;
  const given = process.env.TSPLAY_TEST_DIST;
  if (given && existsSync(join(given, 'bin', 'tsplay.js'))) return (dist = given);
  execFileSync('mkdir', ['-p', dirname(BUILD_LOCK)]);
  let out: string;
  try {
    out = execFileSync('flock', ['-w', String(BUILD_WAIT_S), BUILD_LOCK, process.execPath, BUILD_SCRIPT], {
      cwd: REPO,
      encoding: 'utf8',
      // Its stderr (tsc's type errors, a failed step) goes to the test's.
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const status = (e as { status?: number }).status ?? '?';
    throw new Error(`the test build failed (exit ${status}, its errors above; flock's exit 1 after ${BUILD_WAIT_S} s means another build held ${BUILD_LOCK})`);
  }
  const last = out.trim().split('\n').pop() ?? '';
  if (!existsSync(join(last, 'bin', 'tsplay.js'))) throw new Error(`the test build printed no dist folder:\n${out}`);
  return (dist = last);
}

/** The CLI's entry point in the test build (`node <it> run ...`). */
export function builtCli(): string {
  return join(builtDist(), 'bin', 'tsplay.js');
}
