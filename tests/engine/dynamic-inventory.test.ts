/**
 * The run-time inventory changes of add_host and group_by reconcile only
 * what they touched. Property: after any sequence of them, Ansible's whole
 * reconcile (InventoryData.reconcile) finds nothing left to do, and every
 * group has 'all' above it. Also `changed`: a repeat changes nothing.
 */
import t from 'tap';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyInventoryResult } from '../../lib/engine/dynamic-inventory.js';
import type { Engine } from '../../lib/engine/task-context.js';
import { VarsManager } from '../../lib/engine/vars.js';
import { loadInventory } from '../../lib/inventory/index.js';
import type { InventoryData } from '../../lib/inventory/data.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-dyninv-'));
const source = join(dir, 'hosts');
writeFileSync(source, 'lone\n[web]\nw1\nw2\n[db]\nd1\n[servers:children]\nweb\ndb\n');

/** An engine with what the inventory changes use: the inventory, variables and warnings. */
async function engineFor(): Promise<{ engine: Engine; warnings: string[] }> {
  const inventory = await loadInventory([source]);
  const warnings: string[] = [];
  const engine = {
    inventory,
    options: {},
    vars: new VarsManager(inventory, {}, {}),
    events: { emit: (e: { type: string; message?: string }) => e.type === 'warning' && warnings.push(e.message!) },
  } as unknown as Engine;
  return { engine, warnings };
}

/** What a user of the inventory sees: `groups`, each host's group_names, each group's parents. */
function snapshot(inv: InventoryData): unknown {
  return {
    groups: inv.groupsVar(),
    names: [...inv.hosts.keys()].map((h) => [h, inv.groupNames(h)]),
    parents: [...inv.groups.values()].map((g) => [g.name, g.parentGroups.map((p) => p.name)]),
  };
}

const hostName = fc.constantFrom('lone', 'w1', 'd1', 'n1', 'n2', 'n3');
// Not 'ungrouped': putting a host or group in it by hand flips with every reconcile, in Ansible too.
const groupName = fc.constantFrom('web', 'db', 'servers', 'g1', 'g2', 'g3', 'all');
const op = fc.oneof(
  fc.record({ kind: fc.constant('add_host' as const), host: hostName, groups: fc.array(groupName, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('group_by' as const), host: hostName, key: groupName, parents: fc.array(groupName, { minLength: 1, maxLength: 2 }) }),
);

async function apply(engine: Engine, o: fc.Infer<typeof op>): Promise<boolean | 'error'> {
  const inv = engine.inventory as InventoryData;
  try {
    if (o.kind === 'add_host') return await applyInventoryResult(engine, 'add_host', 'w1', { add_host: { host_name: o.host, groups: o.groups, host_vars: {} } }, undefined);
    if (!inv.hosts.has(o.host)) return 'error';
    return await applyInventoryResult(engine, 'group_by', o.host, { add_group: o.key, parent_groups: o.parents }, undefined);
  } catch {
    // A group made its own parent, or a loop: refused, as Ansible refuses it.
    return 'error';
  }
}

t.test('after any add_host/group_by sequence, a whole reconcile has nothing left to do', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
      const { engine } = await engineFor();
      const inv = engine.inventory as InventoryData;
      for (const o of ops) await apply(engine, o);
      const before = JSON.stringify(snapshot(inv));
      inv.reconcile();
      if (JSON.stringify(snapshot(inv)) !== before) return false;
      // Every group but 'all' has 'all' above it; 'ungrouped' holds exactly the hosts in no other group.
      const all = inv.groups.get('all')!;
      for (const g of inv.groups.values()) if (g !== all && !g.ancestors().has(all)) return false;
      for (const h of inv.hosts.values()) {
        const others = [...inv.groupsOf(h)].filter((g) => g.name !== 'all' && g.name !== 'ungrouped');
        if (inv.groups.get('ungrouped')!.members.includes(h) === others.length > 0) return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
});

t.test('the same request again changes nothing', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 6 }), op, async (ops, last) => {
      const { engine } = await engineFor();
      for (const o of ops) await apply(engine, o);
      const first = await apply(engine, last);
      const second = await apply(engine, last);
      return first === 'error' || second === false;
    }),
    { numRuns: 300 },
  );
});

t.test('a host variable given again with the same value is not a change; a new value is', async (t) => {
  const { engine } = await engineFor();
  const add = (vars: Record<string, unknown>) => applyInventoryResult(engine, 'add_host', 'w1', { add_host: { host_name: 'n1', groups: [], host_vars: vars } }, undefined);
  t.equal(await add({ port: [1, 2] }), true, 'a new host');
  t.equal(await add({ port: [1, 2] }), false, 'the same value, compared by value');
  t.equal(await add({ port: [1, 3] }), true, 'a new value');
  t.same(engine.vars.forHost('n1').port, [1, 3], 'the host sees it');
  t.same(engine.vars.forHost('n1').group_names, ['ungrouped'], 'a host in no group is in ungrouped, as in Ansible');
});

t.test('one warning per run for odd group names and for a name that is both host and group', async (t) => {
  const { engine, warnings } = await engineFor();
  await applyInventoryResult(engine, 'add_host', 'w1', { add_host: { host_name: 'n1', groups: ['a-b', 'c d'], host_vars: {} } }, undefined);
  await applyInventoryResult(engine, 'group_by', 'w1', { add_group: 'e-f', parent_groups: ['all'] }, undefined);
  await applyInventoryResult(engine, 'group_by', 'w1', { add_group: 'n1', parent_groups: ['all'] }, undefined);
  t.same(warnings, ['Invalid characters were found in group names but not replaced, use -vvvv to see details', 'Found both group and host with same name: n1']);
});

t.test('hostile names stay names: no prototype is touched', async (t) => {
  const { engine } = await engineFor();
  const hostVars = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as Record<string, unknown>;
  await applyInventoryResult(engine, 'add_host', 'w1', { add_host: { host_name: '__proto__', groups: ['__proto__', 'constructor'], host_vars: hostVars } }, undefined);
  await applyInventoryResult(engine, 'group_by', 'w1', { add_group: 'hasOwnProperty', parent_groups: ['__proto__'] }, undefined);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  const groups = engine.vars.forHost('w1').groups as Record<string, string[]>;
  t.same(Object.hasOwn(groups, '__proto__') && groups.__proto__, ['__proto__', 'w1'], "'__proto__' is a group like any other");
  t.same(groups.hasOwnProperty, ['w1']);
  t.same((engine.vars.forHost('__proto__') as Record<string, unknown>).group_names, ['__proto__', 'constructor']);
});
