/**
 * tsplay's inventory against the real `ansible-inventory --list` (2.14), on
 * the shared corpus of real-world inventories and on edge cases in fixtures/.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { inventoryToAnsibleList, loadInventory } from '../../lib/inventory/index.js';
import { corpusDir, fixtures, inventoryArgs, pool, run } from './helpers/ansible.js';

interface Case {
  name: string;
  sources: string[];
}

const corpus: Case[] = readdirSync(corpusDir)
  .filter((f) => f !== 'SOURCES.md')
  .sort()
  .map((f) => ({ name: `corpus/${f}`, sources: [path.join(corpusDir, f)] }));

const fx = (...p: string[]) => path.join(fixtures, ...p);
const edge: Case[] = [
  { name: 'ranges', sources: [fx('ranges.ini')] },
  { name: 'literals and quoting', sources: [fx('literals.ini')] },
  { name: 'host:port', sources: [fx('hostport.ini')] },
  { name: 'children before definition, all/ungrouped sections', sources: [fx('children-order.ini')] },
  { name: 'ansible_group_priority', sources: [fx('priority.ini')] },
  { name: 'YAML inventory', sources: [fx('inventory.yml')] },
  { name: 'YAML flow style', sources: [fx('flow.yaml')] },
  { name: 'YAML without extension', sources: [fx('noext-yaml')] },
  { name: 'group_vars and host_vars files and dirs', sources: [fx('gv', 'hosts')] },
  { name: 'group_vars beside a directory inventory', sources: [fx('gv')] },
  { name: 'directory inventory', sources: [fx('invdir')] },
  { name: 'several -i in order', sources: [fx('multi', 'first.ini'), fx('multi', 'second.yml'), fx('multi', 'third')] },
  { name: 'several -i, other order', sources: [fx('multi', 'second.yml'), fx('multi', 'first.ini')] },
  { name: 'INI and YAML together', sources: [fx('ranges.ini'), fx('inventory.yml'), fx('gv', 'hosts')] },
  { name: 'inline list localhost,', sources: ['localhost,'] },
  { name: 'inline list of two', sources: ['a.example,b.example'] },
  { name: 'inline list with ports and spaces', sources: [' web1:2222 , 10.0.0.9:22,[::1]:2200,host[1:3],'] },
  { name: 'inline list plus a file', sources: [fx('priority.ini'), 'h1,newhost'] },
];

const cases = [...corpus, ...edge];

t.test('ansible-inventory --list agrees', async (t) => {
  const results = await pool(cases, 6, (c) => run('ansible-inventory', [...inventoryArgs(c.sources), '--list']));
  for (const [i, c] of cases.entries()) {
    const r = results[i];
    await t.test(c.name, async (t) => {
      if (r.code !== 0) {
        // Ansible could not parse it: tsplay must refuse it too.
        await t.rejects(loadInventory(c.sources), { name: 'TsplayError' }, `ansible failed: ${r.stderr.trim().split('\n')[0]}`);
        return;
      }
      const theirs = JSON.parse(r.stdout);
      const ours = inventoryToAnsibleList(await loadInventory(c.sources));
      t.same(ours, theirs);
    });
  }
  t.equal(corpus.length, 16, 'the whole corpus is checked');
});
