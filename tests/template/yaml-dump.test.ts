/** to_yaml and to_nice_yaml against what PyYAML (libyaml) printed for the same values: fixtures/pyyaml-dump.json. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { renderValue } from '../../lib/template/index.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/pyyaml-dump.json', import.meta.url), 'utf8')) as { cases: Record<string, unknown>[] };

t.test('the same text as PyYAML, in both styles', async (t) => {
  for (const c of fixture.cases) {
    const vars = { v: c.value };
    t.equal(renderValue('{{ v | to_nice_yaml }}', vars), c.to_nice_yaml, `to_nice_yaml of ${JSON.stringify(c.value).slice(0, 60)}`);
    t.equal(renderValue('{{ v | to_yaml }}', vars), c.to_yaml, `to_yaml of ${JSON.stringify(c.value).slice(0, 60)}`);
    t.equal(renderValue('{{ v | to_nice_yaml(indent=2, width=40) }}', vars), c['to_nice_yaml(indent=2, width=40)'], `to_nice_yaml(indent=2, width=40) of ${JSON.stringify(c.value).slice(0, 60)}`);
  }
});

t.test('floats, options', async (t) => {
  t.equal(renderValue('{{ {"f": 10 / 2, "g": 1e20 / 1, "i": 3} | to_yaml }}', {}), '{f: 5.0, g: 1.0e+20, i: 3}\n');
  t.equal(renderValue('{{ {"b": 1, "a": 2} | to_yaml(sort_keys=false) }}', {}), '{b: 1, a: 2}\n');
  t.equal(renderValue('{{ [1] | to_yaml(explicit_start=true) }}', {}), '--- [1]\n');
  t.equal(renderValue('{{ {"a": [1]} | to_yaml(default_flow_style=false) }}', {}), 'a:\n- 1\n');
});
