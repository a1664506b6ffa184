/**
 * A signal that arrives while a template is being evaluated is heard: the
 * run stops with exit 99, at the latest when the evaluation's time budget
 * ends it (a nested loop over a large list, a regular expression that
 * backtracks), whenever the signal comes: before the expensive part starts
 * or in the middle of it.
 */
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { play, project } from './helpers.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = project({
  'loop.yml': play(
    '    - name: spin\n      debug:\n        msg: "{% set r = range(100000) | list %}{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}"\n',
  ),
  'regex.yml': play(
    `    - name: spin\n      debug:\n        msg: "{{ ('a' * 30000 ~ 'b') | regex_replace('^(a+)+\\\\1$', 'x') }}"\n`,
  ),
});

async function interrupt(t: Test, playbook: string, signal: 'SIGTERM' | 'SIGINT') {
  const child = spawn(process.execPath, ['--import', '@tapjs/typescript/import', path.join(root, 'bin', 'tsplay.ts'), 'run', path.join(dir, playbook)], {
    cwd: root,
    env: { ...process.env, CI: '1', TSPLAY_EVAL_TIMEOUT: '30' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
  // The task's banner is printed before its arguments are evaluated: wait (bounded) for it.
  for (let i = 0; i < 1200 && !/TASK \[spin\]/.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  t.match(out, /TASK \[spin\]/, 'the task started');
  child.kill(signal);
  // The hang detector: past the evaluation's 30 s budget and a loaded machine's slowness; a deaf process is killed and fails.
  const hang = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const end = await exited;
  clearTimeout(hang);
  t.same(end, { code: 99, signal: null }, `${signal}: exit 99`, { detail: out });
  t.match(out, signal === 'SIGINT' ? /User interrupted execution/ : /Received SIGTERM, stopping/, 'says why it stopped');
  t.notMatch(out, /^\s+at /m, 'no stack trace');
  return out;
}

t.test('SIGTERM during a nested loop over a large list', async (t) => {
  const out = await interrupt(t, 'loop.yml', 'SIGTERM');
  t.notMatch(out, /past \d+ MB/, 'the loop ran (it builds nothing)');
});

t.test('Ctrl-C during a backtracking regular expression', async (t) => {
  const out = await interrupt(t, 'regex.yml', 'SIGINT');
  t.match(out, /localhost +: ok=0 +changed=0 +unreachable=0 +failed=1/, 'the task that was evaluating fails; nothing runs after it');
});
