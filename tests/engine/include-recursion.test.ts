/** An include_tasks that includes itself stops at a depth limit, with the chain of includes in the error. */
import t from 'tap';
import path from 'node:path';
import { MAX_INCLUDE_DEPTH } from '../../lib/engine/include-plan.js';
import { localInventory, project, run } from './helpers.js';

t.test('endless recursion fails the hosts with the include chain, and the run ends', async (t) => {
  const dir = project({
    'inv.ini': localInventory,
    'play.yml': '- hosts: g\n  gather_facts: false\n  tasks:\n    - include_tasks: again.yml\n    - debug: msg=never\n',
    'again.yml': '- debug: msg=level\n- include_tasks: again.yml\n',
  });
  const r = await run({ playbooks: [path.join(dir, 'play.yml')], inventory: [path.join(dir, 'inv.ini')] });
  t.equal(r.exitCode, 2, 'a host failed: exit 2');
  t.equal(r.stats.a.failed, 1);
  t.equal(r.stats.a.ok, MAX_INCLUDE_DEPTH * 2, 'every level ran its debug and its include once');
  const failure = r.events.find((e) => e.type === 'host_result' && e.status === 'failed');
  const msg = failure && failure.type === 'host_result' ? String(failure.result.msg) : '';
  t.match(msg, `include_tasks nested more than ${MAX_INCLUDE_DEPTH} levels deep`);
  t.match(msg, /play\.yml:4:7 -> .*again\.yml:2:3 -> .*again\.yml:2:3 -> \.\.\. \(repeats\)/, 'names the file:line:col of each step');
  t.notOk(r.events.some((e) => e.type === 'host_result' && e.result.msg === 'never'), 'the failed hosts leave the play');
});

t.test('recursion that ends by a condition is fine', async (t) => {
  const dir = project({
    'inv.ini': localInventory,
    'play.yml': '- hosts: a\n  gather_facts: false\n  tasks:\n    - include_tasks: count.yml\n',
    'count.yml': '- set_fact: {n: "{{ (n | default(0) | int) + 1 }}"}\n- include_tasks: count.yml\n  when: n | int < 5\n',
  });
  const r = await run({ playbooks: [path.join(dir, 'play.yml')], inventory: [path.join(dir, 'inv.ini')] });
  t.equal(r.exitCode, 0);
  t.equal(r.stats.a.failed, 0);
});
