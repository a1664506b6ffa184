/**
 * Ctrl-C during a run: tsplay stops at once with exit code 99, says so, and
 * leaves no command of its own running behind.
 */
import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, removeBuild } from '../compat/helpers.js';
import { tempDir } from './helpers.js';

const cli = buildCli('interrupt');
t.teardown(() => removeBuild(cli));

function stillRunning(marker: string): boolean {
  try {
    execFileSync('pgrep', ['-f', marker]);
    return true;
  } catch {
    return false;
  }
}

/** Polls `ready` every 50 ms; false when it is still not true after `boundMs`. */
async function until(ready: () => boolean, boundMs: number): Promise<boolean> {
  for (const deadline = Date.now() + boundMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    if (ready()) return true;
  }
  return ready();
}

t.test('SIGINT in the middle of a long command', async (t) => {
  const dir = tempDir();
  // A sleep length no other process uses, so pgrep finds only ours.
  const marker = `sleep 37.${process.pid}`;
  const pb = join(dir, 'slow.yml');
  writeFileSync(pb, `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: wait a long time\n      shell: ${marker}; echo done\n`);
  const child = spawn(process.execPath, [cli, 'run', pb], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  // Until the command runs (or tsplay ends before it: a crash fails here, not by a hang).
  let exited = false;
  child.on('exit', () => (exited = true));
  const started = await until(() => exited || (out.includes('TASK [wait a long time]') && stillRunning(marker)), 120_000);
  t.ok(started && !exited, `the command started under tsplay${exited ? `, but tsplay ended first:\n${out}${err}` : ''}`);
  if (exited || !started) {
    child.kill('SIGKILL');
    return;
  }
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (c) => resolve(c))));
  t.equal(code, 99, 'exit code 99, as ansible-playbook when interrupted');
  t.notMatch(out, /changed: \[localhost\]|PLAY RECAP/, 'it stopped without waiting for the command to end');
  t.match(err, 'User interrupted execution');
  t.ok(await until(() => !stillRunning(marker), 30_000), 'the command it started was stopped too');
});
