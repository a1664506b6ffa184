/** --check must predict without touching the host; a second real run of an idempotent play changes nothing. */
import t from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { localInventory, project, run, tempDir } from './helpers.js';

const playbook = `
- hosts: all
  gather_facts: false
  tasks:
    - name: a directory per host
      command: "mkdir -p {{ workdir }}/{{ inventory_hostname }}"
      args:
        creates: "{{ workdir }}/{{ inventory_hostname }}"
    - name: a file, once
      shell: "echo hello > {{ workdir }}/{{ inventory_hostname }}/file"
      args:
        creates: "{{ workdir }}/{{ inventory_hostname }}/file"
    - name: a command without creates
      shell: "touch {{ workdir }}/{{ inventory_hostname }}.touched"
      when: touch | default(false)
`;

t.test('--check leaves no file behind', async (t) => {
  const dir = project({ 'site.yml': playbook, hosts: localInventory });
  const workdir = tempDir();
  const r = await run({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'hosts')], check: true, extraVars: { workdir, touch: true } });
  t.equal(r.exitCode, 0);
  for (const h of ['a', 'b']) {
    t.notOk(existsSync(path.join(workdir, h)), `no directory for ${h}`);
    t.notOk(existsSync(path.join(workdir, `${h}.touched`)), `no touched file for ${h}`);
    // Two commands with creates are predicted as changes; the one without creates cannot be, and is skipped.
    t.same(r.stats[h], { ok: 2, changed: 2, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 }, `recap of ${h}`);
  }
});

t.test('a second run of an idempotent play reports changed=0', async (t) => {
  const dir = project({ 'site.yml': playbook, hosts: localInventory });
  const workdir = tempDir();
  const opts = { playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'hosts')], extraVars: { workdir } };
  const first = await run(opts);
  t.equal(first.exitCode, 0);
  t.equal(first.stats.a.changed, 2, 'the first run changes');
  t.ok(existsSync(path.join(workdir, 'a', 'file')), 'and creates the file');
  const second = await run(opts);
  t.equal(second.exitCode, 0);
  for (const h of ['a', 'b']) t.equal(second.stats[h].changed, 0, `second run: ${h} changed=0`);
  const check = await run({ ...opts, check: true });
  for (const h of ['a', 'b']) t.equal(check.stats[h].changed, 0, `--check after it predicts no change on ${h}`);
});
