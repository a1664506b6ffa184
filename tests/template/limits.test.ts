/**
 * Any way to build a huge value ends as a template error of its task, within
 * a memory budget, never as V8's heap-out-of-memory (issue 8, item 9).
 */
import t from 'tap';
import { renderValue, evaluateCondition, renderString } from '../../lib/template/index.js';
import { TsplayError } from '../../lib/errors.js';
import { BUDGET } from '../../lib/template/limits.js';

const huge = [
  '([1] * 10**9) | length',
  '(10**9 * [1]) | length',
  "'x' * 10**9",
  "('x' * 10**8) * 10",
  '[1] * 2**64',
  'range(10**9) | length',
  'range(0, 10**12, 2) | list | length',
  '([[1] * 1000000] * 1000) | flatten | length',
  '([[1] * 1000000] * 1000) | sum(start=[]) | length',
  '([[1] * 1000000] * 1000) | to_json | length',
  '([[1] * 1000000] * 1000) | to_nice_json | length',
  '([[1] * 1000000] * 1000) | to_yaml | length',
  '([[1] * 1000000] * 1000) | string | length',
  "(([('x' * 10**6)] * 1000) | join) | length",
  "','.join([('x' * 10**6)] * 1000) | length",
  "([('x' * 10**6)] * 1000) | map('upper') | list | length",
  "('x' * 10**8) | list | length",
  "('x' * 10**8) | reverse | length",
  "('a,' * 10**8).split(',') | length",
  "('a ' * 10**8) | split | length",
  "('x' * 10**7) | replace('x', 'y' * 100) | length",
  "('x' * 10**6) | regex_replace('x', 'y' * 1000) | length",
  "('x' * 10**7) | regex_findall('x') | length",
  "'x' | indent(10**9)",
  "'x'.zfill(10**9)",
  '[[1] * 1000000] * 1000',
  "[1, 2] | zip_longest([0] * 10**8) | list | length",
  "(('x' * 10**8) ~ ('x' * 10**8) ~ ('x' * 10**8)) | length",
];

t.test('huge values are a template error naming the operation', async (t) => {
  for (const e of huge) {
    let err: unknown;
    try {
      renderValue(`{{ ${e} }}`, {});
    } catch (x) {
      err = x;
    }
    t.ok(err instanceof TsplayError && err.kind === 'template', e);
    t.match((err as Error)?.message, /would take the values this template builds past \d+ MB/, `${e}: says why`);
  }
  t.throws(() => evaluateCondition('([1] * 10**9) | length > 0', {}), /past \d+ MB/, 'in conditions too');
});

t.test('the budget is per evaluation: large but reasonable values work, again and again', async (t) => {
  t.ok(BUDGET >= 64 * 2 ** 20, `budget ${BUDGET / 2 ** 20} MB`);
  for (let i = 0; i < 5; i++) {
    t.equal(renderValue("{{ ('x' * 10**7) | length }}", {}), '10000000');
    t.equal(renderValue('{{ range(10**6) | sum }}', {}), String((10 ** 6 * (10 ** 6 - 1)) / 2));
    t.equal(renderString('{{ ([1] * 10**6) | length }}', {}), '1000000');
  }
  const big = { lines: Array.from({ length: 200000 }, (_, i) => `line ${i}`) };
  t.equal(renderValue("{{ lines | join('\\n') | length > 0 }}", big), true, 'a large registered output can be joined');
});
