/**
 * `tsplay run --list-tags` prints what `ansible-playbook --list-tags` prints:
 * each play's tags and the sorted tags of the tasks the tag filter keeps.
 * Compared with the real ansible-playbook, with and without -t/--skip-tags.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../lib/cli/main.js';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-list-tags-'));
writeFileSync(path.join(dir, 'hosts'), 'web1 ansible_connection=local\n');
writeFileSync(
  path.join(dir, 'play.yml'),
  `- name: first
  hosts: all
  gather_facts: no
  tags: [p1]
  tasks:
    - debug: msg=a
      tags: [b, a]
    - block:
        - debug: msg=c
          tags: [c]
      tags: [blk]
    - debug: msg=none
- hosts: localhost
  gather_facts: no
  tasks:
    - debug: msg=x
      tags: always
`,
);

function ansible(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('ansible-playbook', args, { cwd: dir, env: hermeticAnsibleEnv().env }, (err, stdout) => resolve({ code: err ? Number(err.code) : 0, stdout }));
  });
}

async function tsplay(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await main(['run', ...args], { out: (s) => (stdout += s), err: () => {}, isTTY: false });
  return { code, stdout };
}

// Ansible names the playbook as given; tsplay by its full path.
const body = (s: string) => s.replace(/^\nplaybook: .*\n/, '');

for (const extra of [[], ['-t', 'c'], ['--skip-tags', 'b'], ['-t', 'nothing']]) {
  t.test(`--list-tags ${extra.join(' ')}`, async (t) => {
    const args = ['-i', path.join(dir, 'hosts'), path.join(dir, 'play.yml'), '--list-tags', ...extra];
    const [ours, theirs] = await Promise.all([tsplay(args), ansible(args)]);
    t.equal(ours.code, theirs.code);
    t.match(ours.stdout, /TASK TAGS: \[/);
    t.equal(body(ours.stdout), body(theirs.stdout));
  });
}

t.test('--flush-cache is accepted: tsplay keeps no fact cache, the run goes on', async (t) => {
  const r = await tsplay(['-i', path.join(dir, 'hosts'), path.join(dir, 'play.yml'), '--flush-cache', '-t', 'c']);
  t.equal(r.code, 0);
  t.match(r.stdout, /web1\s+: ok=1 /);
});
