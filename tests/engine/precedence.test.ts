/**
 * The documented variable precedence, lowest first: inventory all < parent
 * group < child group < host < play vars < vars_files < task vars <
 * set_fact/register < extra vars (-e).
 */
import t from 'tap';
import path from 'node:path';
import { messages, project, run } from './helpers.js';

const inventory = `
h ansible_connection=local

[child]
h

[parent:children]
child

[all:vars]
v1=all
v2=all
v3=all
v4=all
v5=all
v6=all
v7=all
v8=all

[parent:vars]
v2=parent
v3=parent
v4=parent
v5=parent
v6=parent
v7=parent
v8=parent

[child:vars]
v3=child
v4=child
v5=child
v6=child
v7=child
v8=child
`;

const playbook = `
- hosts: all
  gather_facts: false
  vars:
    v6: play
    v7: play
    v8: play
    v9: play
    v10: play
    v11: play
  vars_files:
    - vars.yml
  tasks:
    - name: before set_fact
      debug:
        msg: "{{ v1 }} {{ v2 }} {{ v3 }} {{ v4 }} {{ v5 }} {{ v6 }} {{ v7 }} {{ v8 }} {{ v9 }} {{ v10 }} {{ v11 }}"
    - name: task vars
      debug:
        msg: "{{ v10 }} {{ v11 }}"
      vars:
        v10: task
        v11: task
    - set_fact:
        v10: fact
        v11: fact
    - name: after set_fact
      debug:
        msg: "{{ v10 }} {{ v11 }}"
      vars:
        v10: task
`;

t.test('each level overrides the ones below it', async (t) => {
  const dir = project({ 'site.yml': playbook, hosts: inventory, 'vars.yml': 'v7: file\nv8: file\nv9: file\n' });
  await import('node:fs').then((fs) => {
    fs.mkdirSync(path.join(dir, 'host_vars'));
    fs.writeFileSync(path.join(dir, 'host_vars', 'h.yml'), 'v4: host\nv5: host\nv6: host\nv7: host\nv8: host\n');
  });
  const r = await run({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'hosts')], extraVars: { v8: 'extra', v11: 'extra' } });
  t.equal(r.exitCode, 0);
  t.same(messages(r.events).h, [
    // all, parent, child, host, host (host beats group), play beats host, vars_files beats play, -e beats all, vars_files, play, -e
    'all parent child host host play file extra file play extra',
    // task vars beat play vars; -e still wins
    'task extra',
    // set_fact beats task vars; -e still wins
    'fact extra',
  ]);
});
