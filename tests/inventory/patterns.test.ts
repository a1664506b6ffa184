/**
 * Host patterns against the real `ansible PATTERN --list-hosts` (2.14):
 * same hosts in the same order, same "could not match" warnings.
 */
import path from 'node:path';
import t from 'tap';
import { loadInventory, selectHosts } from '../../lib/inventory/index.js';
import { ansibleListHosts, fixtures, pool } from './helpers/ansible.js';

const inventory = [path.join(fixtures, 'patterns.ini')];

/**
 * anyOrder: the pattern reaches hosts two or more levels below a matched group.
 * Ansible orders those by iterating a Python set of groups keyed by object id,
 * so its own order changes from run to run; only the set of hosts is compared.
 */
const matrix: { pattern: string; limit?: string; anyOrder?: boolean }[] = [
  { pattern: 'all', anyOrder: true },
  { pattern: '*', anyOrder: true },
  { pattern: 'web' },
  { pattern: 'web-*' },
  { pattern: 'web-?.example.com' },
  { pattern: 'web-[12].example.com' },
  { pattern: 'web-[!12].example.com' },
  { pattern: 'web:db' },
  { pattern: 'web,db' },
  { pattern: 'db,web' },
  { pattern: 'web:&db' },
  { pattern: 'prod:!db' },
  { pattern: '!db', anyOrder: true },
  { pattern: '&web' },
  { pattern: 'web:!web-2*:&prod' },
  { pattern: 'web[0]' },
  { pattern: 'web[-1]' },
  { pattern: 'web[1:2]' },
  { pattern: 'web[2:]' },
  { pattern: 'masters' },
  { pattern: 'masters[3]' },
  { pattern: 'masters:!etcd' },
  { pattern: '~web-[13]\\..*' },
  { pattern: '~(db|stg)' },
  { pattern: 'solo' },
  { pattern: 'ungrouped' },
  { pattern: 'ungr*' },
  { pattern: 'nosuchgroup' },
  { pattern: 'web,nosuchgroup,alsonot' },
  { pattern: 'nosuch*' },
  { pattern: 'localhost' },
  { pattern: '127.0.0.1' },
  { pattern: 'localhost,web' },
  { pattern: 'etcd-0,etcd-0,etcd' },
  { pattern: 'all', limit: 'db' },
  { pattern: 'web', limit: 'prod:!db' },
  { pattern: 'all', limit: 'web[0],staging' },
  { pattern: 'web', limit: 'nosuch' },
  { pattern: 'localhost', limit: 'localhost' },
];

t.test('selectHosts agrees with ansible --list-hosts', async (t) => {
  const inv = await loadInventory(inventory);
  const theirs = await pool(matrix, 6, (m) => ansibleListHosts(inventory, m.pattern, m.limit));
  for (const [i, m] of matrix.entries()) {
    const a = theirs[i];
    const label = `${m.pattern}${m.limit !== undefined ? ` --limit ${m.limit}` : ''}`;
    if (a.code !== 0 && /No hosts matched the subscripted pattern/.test(a.stderr)) {
      t.throws(() => selectHosts(inv, m.pattern, { limit: m.limit }), { name: 'TsplayError' }, `${label}: error like ansible`);
      continue;
    }
    const ours = selectHosts(inv, m.pattern, { limit: m.limit });
    // ansible exits 1 when a --limit leaves no hosts; the selection itself is then empty.
    const want = a.code === 0 ? a.hosts : [];
    if (m.anyOrder) t.same([...ours.hosts].sort(), [...want].sort(), `${label}: hosts (any order)`);
    else t.same(ours.hosts, want, `${label}: hosts`);
    t.same([...ours.warnings].sort(), [...a.warnings].sort(), `${label}: warnings`);
  }
});

t.test('an array of patterns is a union', async (t) => {
  const inv = await loadInventory(inventory);
  t.same(selectHosts(inv, ['staging', 'solo']).hosts, ['stg-1', 'solo']);
});
