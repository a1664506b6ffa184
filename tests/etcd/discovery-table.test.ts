/** The discovery and plan modules' tester tables over the local connection, on their own (tables.test.ts runs every table). */
import t from 'tap';
import { userInfo } from 'node:os';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule } from '../../lib/testing/index.js';
import { tables } from '../module/tables/index.js';

const registry = new ModuleRegistry();
for (const name of ['openshift_etcd_facts', 'etcd_restore_plan', 'etcd_decommission_plan', 'etcd_add_member_plan']) {
  t.test(name, async (t) => {
    const cases = (await tables[name]!()).default({ user: userInfo().username });
    for (const r of await testModule(await registry.get(name), cases)) t.same(r.problems, [], r.name);
  });
}
