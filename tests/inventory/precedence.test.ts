/**
 * Variable precedence and magic vars against the real Ansible 2.14:
 * `ansible-inventory --host H` for merged vars, `ansible -m debug` for
 * inventory_hostname, group_names, inventory_file/dir, groups and the
 * implicit localhost.
 */
import path from 'node:path';
import t from 'tap';
import { loadInventory } from '../../lib/inventory/index.js';
import { fixtures, inventoryArgs, pool, run } from './helpers/ansible.js';

const MAGIC = ['inventory_dir', 'inventory_file', 'inventory_hostname', 'inventory_hostname_short', 'group_names', 'groups'];
const strip = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).filter(([k]) => !MAGIC.includes(k)));

const sets: string[][] = [
  [path.join(fixtures, 'gv', 'hosts')],
  [path.join(fixtures, 'priority.ini')],
  [path.join(fixtures, 'children-order.ini')],
  [path.join(fixtures, 'invdir')],
  [path.join(fixtures, 'multi', 'first.ini'), path.join(fixtures, 'multi', 'second.yml'), path.join(fixtures, 'multi', 'third')],
  ['db1.example.com,10.1.2.3:2222'],
];

/** Parses `host | SUCCESS => {json}` blocks from ansible's ad-hoc output. */
function adhoc(stdout: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const m of stdout.matchAll(/^(\S+) \| SUCCESS => (\{[\s\S]*?\n\})$/gm)) out[m[1]] = JSON.parse(m[2]);
  return out;
}

for (const sources of sets) {
  t.test(`merged vars: ${sources.map((s) => path.relative(fixtures, s) || s).join(' + ')}`, async (t) => {
    const inv = await loadInventory(sources);
    const hosts = [...inv.hosts.keys()];
    const theirs = await pool(hosts, 6, (h) => run('ansible-inventory', [...inventoryArgs(sources), '--host', h]));
    for (const [i, h] of hosts.entries()) {
      t.equal(theirs[i].code, 0, `${h}: ansible-inventory --host ran`);
      t.same(strip(inv.hostVars(h)), JSON.parse(theirs[i].stdout), `${h}: merged vars`);
    }
  });

  t.test(`magic vars: ${sources.map((s) => path.relative(fixtures, s) || s).join(' + ')}`, async (t) => {
    const inv = await loadInventory(sources);
    const expr =
      'msg={{ {"ih": inventory_hostname, "ihs": inventory_hostname_short, "gn": group_names, "if": inventory_file, "id": inventory_dir, "groups": groups} }}';
    const r = await run('ansible', [...inventoryArgs(sources), 'all', '-m', 'debug', '-a', expr]);
    t.equal(r.code, 0, 'ansible ran');
    const got = adhoc(r.stdout);
    const groupsVar = inv.groupsVar();
    for (const h of inv.hosts.keys()) {
      const msg = got[h]?.msg as Record<string, unknown>;
      const v = inv.hostVars(h);
      t.equal(v.inventory_hostname, msg.ih, `${h}: inventory_hostname`);
      t.equal(v.inventory_hostname_short, msg.ihs, `${h}: inventory_hostname_short`);
      t.same(v.group_names, msg.gn, `${h}: group_names`);
      t.same(inv.groupNames(h), msg.gn, `${h}: groupNames()`);
      t.equal(v.inventory_file, msg.if, `${h}: inventory_file`);
      // Ansible prints "None" for hosts from an inline list, which have no directory; tsplay gives null.
      t.equal(v.inventory_dir, msg.id === 'None' ? null : msg.id, `${h}: inventory_dir`);
      const theirGroups = msg.groups as Record<string, string[]>;
      t.same(Object.keys(groupsVar).sort(), Object.keys(theirGroups).sort(), `${h}: groups keys`);
      for (const [g, members] of Object.entries(theirGroups)) {
        // Hosts two levels below a group come in run-dependent order in Ansible (a set of groups is iterated).
        t.same([...groupsVar[g]].sort(), [...members].sort(), `${h}: groups['${g}']`);
      }
    }
  });
}

t.test('implicit localhost', async (t) => {
  const sources = [path.join(fixtures, 'gv', 'hosts')];
  const inv = await loadInventory(sources);
  t.notOk(inv.hosts.has('localhost'), 'not part of the inventory');
  const r = await run('ansible', [...inventoryArgs(sources), 'localhost', '-m', 'debug', '-a', 'var=hostvars[inventory_hostname]']);
  t.equal(r.code, 0, 'ansible ran');
  const theirs = adhoc(r.stdout).localhost['hostvars[inventory_hostname]'] as Record<string, unknown>;
  const ours = inv.hostVars('localhost');
  for (const k of ['ansible_connection', 'inventory_hostname', 'inventory_hostname_short', 'group_names', 'layer', 'only_inline_all', 'from_all_file']) {
    t.same(ours[k], theirs[k], k);
  }
  t.notOk('inventory_file' in theirs, 'Ansible gives the implicit localhost no inventory_file');
  t.equal(ours.inventory_file, undefined);
  t.same(inv.groupNames('localhost'), []);
  t.notOk(inv.groupsVar().all.includes('localhost'), "not in groups['all']");
});
