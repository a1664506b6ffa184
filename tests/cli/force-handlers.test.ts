/**
 * --force-handlers, the play keyword force_handlers and ansible.cfg's
 * force_handlers: a handler notified before a host fails still runs on that
 * host, as in ansible-playbook (its test target `handlers`,
 * test_force_handlers). Checked by the handler's marker file and the exit
 * code, with the real ansible-playbook beside tsplay.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../lib/cli/main.js';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-force-handlers-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'hosts'), 'web1 ansible_connection=local\n');

function playbook(name: string, keyword: string): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    `- hosts: all
  gather_facts: no${keyword}
  tasks:
    - command: "true"
      changed_when: true
      notify: mark
    - fail: msg=broken
  handlers:
    - name: mark
      copy:
        content: ran
        dest: "{{ marker }}"
`,
  );
  return file;
}

function ansible(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    execFile('ansible-playbook', args, { cwd: dir, env: { ...hermeticAnsibleEnv().env, ...env } }, (err) => resolve(err ? Number(err.code) : 0));
  });
}

async function tsplay(args: string[]): Promise<number> {
  return main(['run', ...args], { out: () => {}, err: () => {}, isTTY: false });
}

const plain = playbook('plain.yml', '');
const keyword = playbook('keyword.yml', '\n  force_handlers: true');

for (const [title, pb, extra, ran] of [
  ['without force_handlers the failed host runs no handler', plain, [], false],
  ['--force-handlers runs it', plain, ['--force-handlers'], true],
  ['the play keyword force_handlers runs it', keyword, [], true],
] as const) {
  t.test(title, async (t) => {
    const ours = path.join(dir, `ours-${extra.length}-${path.basename(pb)}`);
    const theirs = path.join(dir, `theirs-${extra.length}-${path.basename(pb)}`);
    const args = (marker: string) => ['-i', path.join(dir, 'hosts'), pb, '-e', `marker=${marker}`, ...extra];
    const [code, ansibleCode] = await Promise.all([tsplay(args(ours)), ansible(args(theirs))]);
    t.equal(code, 2, 'the host failed');
    t.equal(ansibleCode, 2);
    t.equal(existsSync(ours), ran, 'tsplay ran the handler');
    t.equal(existsSync(theirs), ran, 'ansible-playbook ran the handler');
  });
}

t.test('force_handlers = True in ansible.cfg runs it', async (t) => {
  const cfg = path.join(dir, 'ansible.cfg');
  writeFileSync(cfg, '[defaults]\nforce_handlers = True\n');
  const before = process.env.ANSIBLE_CONFIG;
  process.env.ANSIBLE_CONFIG = cfg;
  t.teardown(() => {
    process.env.ANSIBLE_CONFIG = before;
  });
  const marker = path.join(dir, 'ours-cfg');
  t.equal(await tsplay(['-i', path.join(dir, 'hosts'), plain, '-e', `marker=${marker}`]), 2);
  t.ok(existsSync(marker));
});
