#!/usr/bin/env node
// `npm test`: the whole suite, as fast as a small machine allows.
//
// 1. One build of the current sources for the whole run (scripts/test-build.mjs,
//    passed to every test file in TSPLAY_TEST_DIST), never the shared dist/.
// 2. Two tap runs side by side: the files that use the lab, one at a time
//    (they share one lab and would only wait for its lock while holding a job
//    slot), and every other file in parallel.
// 3. One report: with `--reporter=tap` a single TAP stream in which each group
//    is a subtest (CI counts its points with .ci/count-tap.mjs); otherwise the
//    parallel group's report, then the lab group's. The exit code is non-zero
//    when either group fails.
//
// Files given on the command line (`npm test -- tests/a.test.ts`) run in one
// tap run with the same build. Kept out of the default run, with scripts of
// their own: the lab's self-tests (`npm run test:lab-self`) and the full
// benchmark table (`npm run test:bench`).
//
// Usage: node scripts/test.mjs [tap options] [test files]
//        TSPLAY_TEST_FILES=<regex> node scripts/test.mjs    (the default run, only the matching files)
//        node scripts/test.mjs --list                      (the default run's files, by group; runs nothing)
//        node scripts/test.mjs --procedures                (the procedures under faults, one at a time)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const TAP = join(REPO, 'node_modules', '.bin', 'tap');
const BUILD_LOCK = join(REPO, 'node_modules', '.cache', 'tsplay-tests.lock');

/** Run by their own scripts (package.json), not by `npm test`. */
export const LAB_SELF_TESTS = [
  'tests/lab/lab.test.ts',
  'tests/lab/nodes.test.ts',
  'tests/lab/oc.test.ts',
  'tests/lab/topology-static-pod.test.ts',
  'tests/lab/topology-dedicated.test.ts',
  'tests/lab/topology-like.test.ts',
];
export const FULL_BENCH_TESTS = ['tests/bench/bench-full.test.ts'];
/**
 * The procedures under faults (tests/playbooks/faults-*, procedure-*): each
 * scenario resets the lab, breaks it, brings a host's fault mid-step and runs
 * the playbook twice, minutes each. `npm run test:procedures` runs them one at
 * a time; CI runs them after `npm test` (.ci/run).
 */
export const isProcedureTest = (f) => /^tests\/playbooks\/(faults|procedure)-[\w-]+\.test\.ts$/.test(f);

function testFiles(dir = join(REPO, 'tests')) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []))
    .map((f) => relative(REPO, f))
    .sort();
}

/**
 * A file uses the lab when it imports tests/helpers/lab.ts, directly or
 * through any chain of the project's own relative imports (a scenario file,
 * a helper such as the procedure tester).
 */
function usesLab(file, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  if (file === 'tests/helpers/lab.ts') return true;
  let text;
  try {
    text = readFileSync(join(REPO, file), 'utf8');
  } catch {
    return false; // not a TypeScript source of the project (a package, a .mjs)
  }
  for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
    if (usesLab(relative(REPO, join(REPO, dirname(file), `${m[1]}.ts`)), seen)) return true;
  }
  return false;
}

function build() {
  mkdirSync(dirname(BUILD_LOCK), { recursive: true });
  process.stderr.write('# building the sources once for this run\n');
  const out = execFileSync('flock', ['-w', '1200', BUILD_LOCK, process.execPath, join(REPO, 'scripts', 'test-build.mjs')], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop();
}

// Each tap run is the leader of its own process group, so that a signal to
// this script reaches the test files too (tap itself does not pass SIGTERM on).
const children = new Set();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    for (const c of children) {
      try {
        process.kill(-c.pid, sig);
      } catch {
        // already gone
      }
    }
    process.exitCode = 130;
  });
}

/** Starts tap; its output is handed line by line to `onLine`, or goes straight to this terminal. */
function tap(args, env, onLine) {
  const child = spawn(TAP, args, { cwd: REPO, env, detached: true, stdio: ['ignore', onLine ? 'pipe' : 'inherit', 'inherit'] });
  children.add(child);
  if (onLine) {
    let rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      const lines = (rest + d).split('\n');
      rest = lines.pop();
      for (const l of lines) onLine(l);
    });
    child.stdout.on('end', () => rest && onLine(rest));
  }
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? 128 : 1));
    }),
  );
}

/** Holds a group's lines until it is that group's turn to print, then prints as they come. */
function turnTaker(print) {
  let held = [];
  let live = false;
  return {
    line: (l) => (live ? print(l) : held.push(l)),
    start: () => {
      live = true;
      for (const l of held) print(l);
      held = [];
    },
  };
}

async function main() {
  const args = process.argv.slice(2);
  const procedures = args.includes('--procedures');
  const files = procedures ? testFiles().filter(isProcedureTest) : args.filter((a) => a.endsWith('.ts') && !a.startsWith('-'));
  const options = args.filter((a) => !files.includes(a) && a !== '--list' && a !== '--procedures');
  if (procedures) options.push('--jobs=1');
  const groups = () => {
    const excluded = new Set([...LAB_SELF_TESTS, ...FULL_BENCH_TESTS]);
    // TSPLAY_TEST_FILES=<regex>: only the default run's files whose path matches (grouped the same way).
    const only = process.env.TSPLAY_TEST_FILES ? new RegExp(process.env.TSPLAY_TEST_FILES) : undefined;
    const all = testFiles().filter((f) => !excluded.has(f) && !isProcedureTest(f) && (!only || only.test(f)));
    const lab = all.filter((f) => usesLab(f));
    return { lab, parallel: all.filter((f) => !lab.includes(f)) };
  };
  if (args.includes('--list')) {
    const { lab, parallel } = groups();
    process.stdout.write(`# in parallel (${parallel.length})\n${parallel.join('\n')}\n# one at a time, using the lab (${lab.length})\n${lab.join('\n')}\n`);
    return 0;
  }
  const dist = build();
  const env = { ...process.env, TSPLAY_TEST_DIST: dist };

  if (files.length) return tap([...options, ...files], env);

  const { lab, parallel } = groups();
  if (!lab.length) return tap([...options, ...parallel], env);
  const tapStream = options.some((o, i) => o === '--reporter=tap' || o === '-Rtap' || ((o === '--reporter' || o === '-R') && options[i + 1] === 'tap'));
  process.stderr.write(`# ${parallel.length} test files in parallel, ${lab.length} that use the lab one at a time\n`);

  if (!tapStream) {
    // A person's terminal: the parallel report as tap draws it, then the lab group's.
    const labOut = turnTaker((l) => process.stdout.write(`${l}\n`));
    const labRun = tap([...options, '--jobs=1', ...lab], env, labOut.line);
    const parallelCode = await tap([...options, ...parallel], env);
    process.stdout.write(`\n# the files that use the lab (${lab.length}), one at a time:\n`);
    labOut.start();
    const labCode = await labRun;
    process.stdout.write(`# parallel files: exit ${parallelCode}; lab files: exit ${labCode}\n`);
    return parallelCode || labCode;
  }

  // One TAP 14 stream: each group a subtest, its lines indented under it.
  const print = (l) => process.stdout.write(l ? `    ${l}\n` : '\n');
  const groupLine = (l) => !/^TAP version/.test(l) && print(l);
  process.stdout.write('TAP version 14\n# Subtest: test files in parallel\n');
  const labOut = turnTaker(groupLine);
  const labRun = tap([...options, '--jobs=1', ...lab], env, labOut.line);
  const parallelCode = await tap([...options, ...parallel], env, groupLine);
  process.stdout.write(`${parallelCode ? 'not ok' : 'ok'} 1 - test files in parallel${parallelCode ? ` # exit code ${parallelCode}` : ''}\n`);
  process.stdout.write('# Subtest: test files that use the lab, one at a time\n');
  labOut.start();
  const labCode = await labRun;
  process.stdout.write(`${labCode ? 'not ok' : 'ok'} 2 - test files that use the lab, one at a time${labCode ? ` # exit code ${labCode}` : ''}\n1..2\n`);
  return parallelCode || labCode;
}

main().then(
  (code) => process.exit(process.exitCode || code),
  (e) => {
    process.stderr.write(`npm test: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
