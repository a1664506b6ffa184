/**
 * --step: before each task the question ansible-playbook asks; `n` (or
 * anything else, or no answer) passes the task over, `y` runs it, `c` runs
 * it and every task after it without asking. What a user checks: the marker
 * files of the tasks that ran, and the questions asked.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCli, removeBuild } from '../compat/helpers.js';

const cli = buildCli('step');
const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-step-'));
t.teardown(() => {
  removeBuild(cli);
  rmSync(dir, { recursive: true, force: true });
});
writeFileSync(path.join(dir, 'hosts'), 'web1 ansible_connection=local\n');
const task = (name: string) => `    - name: ${name}\n      copy:\n        content: ran\n        dest: "{{ playbook_dir }}/${name}.ran"\n`;
writeFileSync(path.join(dir, 'play.yml'), `- hosts: all\n  gather_facts: no\n  tasks:\n${['a', 'b', 'c', 'd'].map(task).join('')}`);

function run(input: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, 'run', '-i', 'hosts', 'play.yml', '--step'], { cwd: dir, env: { ...process.env, CI: '1', NO_COLOR: '1' }, timeout: 120_000 }, (err, stdout) =>
      resolve({ code: err ? Number(err.code) : 0, stdout }),
    );
    child.stdin!.end(input);
  });
}

const ran = () => ['a', 'b', 'c', 'd'].filter((n) => existsSync(path.join(dir, `${n}.ran`)));

t.test('n passes over, y runs, c runs the rest without asking', async (t) => {
  const r = await run('n\ny\nc\n');
  t.equal(r.code, 0, r.stdout);
  t.same(ran(), ['b', 'c', 'd']);
  const asked = r.stdout.match(/^Perform task: TASK: \w \(N\)o\/\(y\)es\/\(c\)ontinue: (?!\*)/gm) ?? [];
  t.equal(asked.length, 3, 'no question after continue');
  t.match(r.stdout, /\nPerform task: TASK: a \(N\)o\/\(y\)es\/\(c\)ontinue: \*+\n/);
  t.match(r.stdout, /web1\s+: ok=3\s+changed=3/);
});

t.test('the end of the input answers no', async (t) => {
  for (const n of ['a', 'b', 'c', 'd']) rmSync(path.join(dir, `${n}.ran`), { force: true });
  const r = await run('y\n');
  t.equal(r.code, 0);
  t.same(ran(), ['a']);
});
