// How users pass arguments: the one-line k=v form with Ansible's yes/no
// booleans, the ansible.builtin.* names, and an unsupported argument named
// with the task's file:line:col from a playbook file.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import type { RunEvent } from '../../lib/output/events.js';
import { runTask, tempDir } from './helpers.js';

t.test('k=v with yes/no booleans', async (t) => {
  const dir = tempDir(t);
  const f = path.join(dir, 'f');
  t.equal((await runTask({ lineinfile: `path=${f} line=hi create=yes` })).status, 'changed');
  t.equal(readFileSync(f, 'utf8'), 'hi\n');
  const r = await runTask({ 'ansible.builtin.copy': `content=bye dest=${f} backup=yes force=on` });
  t.equal(r.status, 'changed');
  t.equal(readFileSync(String(r.result.backup_file), 'utf8'), 'hi\n');
  t.equal((await runTask({ copy: `content=new dest=${f} force=no` })).status, 'ok', 'force=no leaves the file');
  t.match((await runTask({ copy: `content=x dest=${f} backup=maybe` })).msg, /'backup' must be a boolean/);
});

t.test('an unsupported argument names the task in the playbook file', async (t) => {
  const dir = tempDir(t);
  const pb = path.join(dir, 'site.yml');
  writeFileSync(pb, `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: copy it\n      ansible.builtin.copy:\n        content: x\n        dest: ${dir}/x\n        directory_mode: '0755'\n`);
  const events: RunEvent[] = [];
  const r = await runPlaybook({ playbooks: [pb], inventory: { all: { hosts: { localhost: { ansible_connection: 'local' } } } } as never, reporters: [(e: RunEvent) => events.push(e)] });
  const res = events.find((e) => e.type === 'host_result') as Extract<RunEvent, { type: 'host_result' }>;
  t.equal(r.exitCode, 2);
  t.match(String(res.result.msg), new RegExp(`module 'copy': unsupported argument 'directory_mode'.*\\(in ${pb.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:8:\\d+\\)`));
});
