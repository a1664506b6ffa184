/**
 * Random and hostile YAML, INI and -e values through the loaders: every
 * input loads or is refused as a user error, quickly, leaving
 * Object.prototype alone. Fixed seeds, so a failure replays exactly.
 */
import t from 'tap';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseExtraVars } from '../../lib/cli/extra-vars.js';
import { loadInventory } from '../../lib/inventory/index.js';
import { parseYaml } from '../../lib/playbook/yaml-source.js';
import { collectLoadWarnings } from '../../lib/yaml/warnings.js';
import { project } from '../hostile/helpers.js';
import { extraVar, iniText, yamlText } from './arbitraries.js';
import { holds } from './invariants.js';

const dir = project({});
const quiet = <T>(fn: () => T): T => collectLoadWarnings(() => {}, fn);

t.test('YAML text', async (t) => {
  await fc.assert(
    fc.asyncProperty(yamlText, async (text) => {
      await holds('parseYaml', () => quiet(() => parseYaml(text, 'fuzz.yml')));
      const file = path.join(dir, 'inv.yml');
      writeFileSync(file, text);
      await holds('YAML inventory', () => quiet(() => loadInventory([file])));
    }),
    { seed: 20261130, numRuns: 300 },
  );
  t.pass('300 generated YAML documents');
});

t.test('INI inventories', async (t) => {
  await fc.assert(
    fc.asyncProperty(iniText, async (text) => {
      const file = path.join(dir, 'hosts.ini');
      writeFileSync(file, text);
      await holds('INI inventory', () => loadInventory([file]));
    }),
    { seed: 8, numRuns: 300 },
  );
  t.pass('300 generated INI inventories');
});

t.test('-e values', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(extraVar, { minLength: 1, maxLength: 3 }), async (values) => {
      await holds('-e', () => quiet(() => parseExtraVars(values)));
    }),
    { seed: 14, numRuns: 300 },
  );
  t.pass('300 generated -e lists');
});

t.test('inputs reported as crashes stay as cases', async (t) => {
  const cases = ['a: &a {k: *a}\n', 'a: &a [*a]\n', 'x: *a\ny: &a 1\n', `a: ${'['.repeat(3000)}\n`, 'a: &a {polluted: 1}\nb: {__proto__: *a}\n', 'm: {<<: [*x]}\n'];
  for (const c of cases) await holds(`parseYaml ${JSON.stringify(c.slice(0, 40))}`, () => quiet(() => parseYaml(c, 'case.yml')));
  t.pass(`${cases.length} cases`);
});
