/**
 * --start-at-task: tasks before the first match (its name, or a shell
 * pattern) are passed over, across blocks and plays; a play without the
 * match is passed over whole, fact gathering included; no match at all is
 * said. The banners tsplay prints are compared with ansible-playbook's.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../lib/cli/main.js';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-start-at-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const hosts = path.join(dir, 'hosts');
const play = path.join(dir, 'play.yml');
writeFileSync(hosts, 'web1 ansible_connection=local\n');
writeFileSync(
  play,
  `- hosts: all
  tasks:
    - name: one
      debug: msg=1
    - block:
        - name: two-a
          debug: msg=2
        - name: three
          debug: msg=3
- hosts: all
  tasks:
    - name: four
      debug: msg=4
`,
);

const banners = (out: string) => out.split('\n').filter((l) => /^(PLAY|TASK) \[/.test(l)).map((l) => l.replace(/ \*+$/, ''));

function ansible(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('ansible-playbook', args, { cwd: dir, env: hermeticAnsibleEnv().env }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }));
  });
}

async function tsplay(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['run', ...args], { out: (s) => (stdout += s), err: (s) => (stderr += s), isTTY: false });
  return { code, stdout: stdout, stderr };
}

for (const start of ['two*', 'three', 'four', 't[wx]o-?']) {
  t.test(`--start-at-task '${start}'`, async (t) => {
    const args = ['-i', hosts, play, '--start-at-task', start];
    const [ours, theirs] = await Promise.all([tsplay(args), ansible(args)]);
    t.equal(ours.code, 0, ours.stdout);
    t.equal(theirs.code, 0);
    t.same(banners(ours.stdout), banners(theirs.stdout));
    t.notMatch(ours.stdout, /TASK \[one\]/);
  });
}

t.test('no task matches: nothing runs, and the run says so', async (t) => {
  const args = ['-i', hosts, play, '--start-at-task', 'nothing like it'];
  const [ours, theirs] = await Promise.all([tsplay(args), ansible(args)]);
  t.equal(ours.code, theirs.code);
  t.same(banners(ours.stdout), banners(theirs.stdout));
  t.match(ours.stdout + ours.stderr, 'No matching task "nothing like it" found');
  t.match(theirs.stderr, 'No matching task "nothing like it" found');
});
