/**
 * Random and hostile expressions through the evaluator and the template
 * renderer: a value or a template error, within the time bound, no
 * prototype reached or changed, the secret never in an error message.
 */
import t from 'tap';
import fc from 'fast-check';
import { evaluateCondition, evaluateExpression, renderString } from '../../lib/template/index.js';
import { expression } from './arbitraries.js';
import { holds, SECRET } from './invariants.js';

const vars = () => ({ x: 1, y: 'two', l: [1, 2, 3], d: { a: 1, b: [1] }, secret_name: 'name', ansible_become_password: SECRET });

t.test('expressions', async (t) => {
  await fc.assert(
    fc.asyncProperty(expression, async (e) => {
      await holds(`evaluateExpression(${e})`, () => void evaluateExpression(e, vars()));
      await holds(`evaluateCondition(${e})`, () => void evaluateCondition(e, vars()));
      await holds(`renderString({{ ${e} }})`, () => void renderString(`{{ ${e} }}`, vars()));
    }),
    { seed: 4242, numRuns: 400 },
  );
  t.pass('400 generated expressions');
});
