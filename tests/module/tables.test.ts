/**
 * Every built-in module's tester table over the local connection: check
 * mode predicts and changes nothing, apply does what was predicted, a
 * second run changes nothing.
 */
import t from 'tap';
import { userInfo } from 'node:os';
import { ModuleRegistry } from '../../lib/module/registry.js';
import { testModule } from '../../lib/testing/index.js';
import { tables } from './tables/index.js';

const registry = new ModuleRegistry();

t.test('every built-in module ships a table', async (t) => {
  t.same(Object.keys(tables).sort(), registry.names());
});

for (const [name, load] of Object.entries(tables)) {
  t.test(`${name} (local)`, async (t) => {
    const def = await registry.get(name);
    const cases = (await load()).default({ user: userInfo().username });
    for (const r of await testModule(def, cases)) t.same(r.problems, [], r.name);
  });
}
