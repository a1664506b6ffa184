/**
 * `map('extract', hostvars, 'etcd_ip')` over hosts of which one lacks the
 * variable says which host and which variable, as an operator needs to fix
 * the inventory.
 */
import t from 'tap';
import path from 'node:path';
import { messages, project, run } from './helpers.js';

const inventory = `
master-0.example.com ansible_connection=local etcd_ip=10.0.0.1
master-1.example.com ansible_connection=local

[etcd]
master-0.example.com
master-1.example.com
`;

function failures(events: Awaited<ReturnType<typeof run>>['events']): string[] {
  return events.flatMap((e) => (e.type === 'host_result' && e.status === 'failed' ? [String(e.result.msg)] : []));
}

async function runDebug(expr: string) {
  const dir = project({
    inventory,
    'site.yml': `- hosts: master-0.example.com\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: "{{ ${expr} }}"\n`,
  });
  return run({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'inventory')] });
}

t.test('a host without the variable is named with the variable', async (t) => {
  const r = await runDebug("groups.etcd | map('extract', hostvars, 'etcd_ip') | list");
  const [msg] = failures(r.events);
  t.match(msg, "hostvars['master-1.example.com'] has no variable 'etcd_ip'");
  t.match(msg, "'hostvars['master-1.example.com'].etcd_ip' is undefined");
  t.notMatch(msg, 'no such key');
});

t.test('a host that is not in the inventory is named as such', async (t) => {
  const r = await runDebug("['master-9.example.com'] | map('extract', hostvars, 'etcd_ip') | list");
  t.match(failures(r.events)[0], "hostvars has no host 'master-9.example.com' (not in the inventory)");
});

t.test('a host with the variable gives its value', async (t) => {
  const one = await runDebug("['master-0.example.com'] | map('extract', hostvars, 'etcd_ip') | list");
  t.strictSame(failures(one.events), []);
  t.strictSame(messages(one.events)['master-0.example.com'], [['10.0.0.1']]);
});

t.test('over a plain dict, the missing key of a nested lookup is named with its path', async (t) => {
  const r = await runDebug("['a'] | map('extract', {'a': {'b': 1}}, 'c') | list");
  t.match(failures(r.events)[0], "['a'].c' is undefined: ['a'] has no key 'c'");
});
