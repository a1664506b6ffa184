/**
 * The value model keeps Python's dict order for integer-like keys, which
 * JavaScript objects would move to the front: every way a dict is made
 * (YAML, from_json, literals, dict(), combine, items2dict, in-place methods)
 * and every way one is read in order (printing, loops, items(), dict2items,
 * to_json, to_yaml without sorting). Compared with ansible-playbook in
 * tests/compat/parity-jinja.test.ts; these are the unit-level cases.
 */
import t from 'tap';
import { renderString, renderValue } from '../../lib/template/index.js';
import { parseYaml } from '../../lib/playbook/yaml-source.js';
import { dictKeys, forgetKey, noteNewKey } from '../../lib/util/dict-order.js';
import { parseJsonOrdered } from '../../lib/util/json-ordered.js';
import { assignOwn, setOwn } from '../../lib/util/own.js';

const vars = parseYaml("clusters:\n  '10': [a]\n  '2': [b]\n  name: n\n  '1': [c]\n", 'vars.yml') as Record<string, unknown>;

t.test('a dict read from YAML keeps its order everywhere it is read in order', async (t) => {
  t.equal(renderString('{{ clusters }}', vars), "{'10': ['a'], '2': ['b'], 'name': 'n', '1': ['c']}");
  t.equal(renderString('{% for k in clusters %}{{ k }} {% endfor %}', vars), '10 2 name 1 ');
  t.equal(renderString('{% for k, v in clusters.items() %}{{ k }}={{ v[0] }} {% endfor %}', vars), '10=a 2=b name=n 1=c ');
  t.equal(renderString("{{ clusters | dict2items | map(attribute='key') | join(',') }}", vars), '10,2,name,1');
  t.equal(renderString('{{ clusters.keys() | list }} {{ clusters.values() | list | length }}', vars), "['10', '2', 'name', '1'] 4");
  t.equal(renderString('{{ clusters | to_json }}', vars), '{"10": ["a"], "2": ["b"], "name": "n", "1": ["c"]}');
  t.equal(renderString('{{ clusters | to_nice_json(indent=0) }}', vars), '{\n"1": [\n"c"\n],\n"10": [\n"a"\n],\n"2": [\n"b"\n],\n"name": "n"\n}', 'sorted as text, as Python sorts');
  t.equal(renderString('{{ clusters | to_yaml(sort_keys=false) }}', vars), "'10': [a]\n'2': [b]\nname: n\n'1': [c]\n");
});

t.test('dicts a template builds keep their order', async (t) => {
  t.equal(renderString("{{ {'3': 1, '1': 2, 'x': 3, '2': 4} }}", {}), "{'3': 1, '1': 2, 'x': 3, '2': 4}");
  t.equal(renderString("{{ {'10': 1, '2': 2} | combine({'1': 3, '10': 4}) }}", {}), "{'10': 4, '2': 2, '1': 3}");
  t.equal(renderString("{{ dict([['5', 1], ['4', 2]], k=3) }} {{ dict(b=1, a=2) }}", {}), "{'5': 1, '4': 2, 'k': 3} {'b': 1, 'a': 2}");
  t.equal(renderString("{{ [{'key': 9, 'value': 'x'}, {'key': 8, 'value': 'y'}] | items2dict }}", {}), "{'9': 'x', '8': 'y'}");
  t.equal(
    renderString("{% set d = {} %}{% for i in [10, 2, 1] %}{% set _ = d.setdefault(i | string, []).append(i) %}{% endfor %}{{ d }}", {}),
    "{'10': [10], '2': [2], '1': [1]}",
    'grouping by a numbered key',
  );
  t.equal(renderString("{% set d = {'2': 0, '1': 0} %}{% set _ = d.pop('2') %}{% set _ = d.update({'2': 1}) %}{{ d }}", {}), "{'1': 0, '2': 1}", 'a key deleted and set again comes last');
});

t.test('a template result read back as data keeps its order', async (t) => {
  const v = renderValue("{{ {'10': 1, '2': 2} }}", {}) as Record<string, unknown>;
  t.same(dictKeys(v), ['10', '2']);
  const task = parseYaml("d: x\n'{{ k }}': {'9': 1, '8': '{{ k }}'}\n", 'task.yml');
  const copied = renderValue(task, { k: 'key' }) as Record<string, Record<string, unknown>>;
  t.same(dictKeys(copied), ['d', 'key']);
  t.same(dictKeys(copied.key!), ['9', '8'], 'a dict rebuilt because a value rendered keeps its order');
  t.equal(copied.key!['8'], 'key');
});

t.test('from_json keeps the order of the text, at every depth', async (t) => {
  const text = '{"10": 1, "2": {"3": 1, "b": 2, "1": 3}, "x": [{"9": 0, "8": 1}], "s": "a\\"b\\\\", "1": null}';
  t.equal(renderString('{{ j | from_json }}', { j: text }), "{'10': 1, '2': {'3': 1, 'b': 2, '1': 3}, 'x': [{'9': 0, '8': 1}], 's': 'a\"b\\\\', '1': None}");
  const dup = parseJsonOrdered('{"2": 1, "1": 2, "2": 3}') as Record<string, unknown>;
  t.same(dictKeys(dup), ['2', '1'], 'a repeated key keeps its first place, with its last value (as Python)');
  t.equal(dup['2'], 3);
  const deep = '['.repeat(2000) + '{"2": 1, "1": 2}' + ']'.repeat(2000);
  let inner: unknown = parseJsonOrdered(deep);
  for (let i = 0; i < 2000; i++) inner = (inner as unknown[])[0];
  t.same(inner, { '1': 2, '2': 1 }, 'nested past the order pass depth: the value is whole (its order is JavaScript\'s)');
});

t.test('the helpers: order notes survive assignOwn, deletion, and a plain assignment after them', async (t) => {
  const o: Record<string, unknown> = {};
  setOwn(o, 'b', 1);
  setOwn(o, '2', 2);
  setOwn(o, '1', 3);
  t.same(dictKeys(assignOwn({}, o)), ['b', '2', '1']);
  delete o['2'];
  forgetKey(o, '2');
  setOwn(o, '2', 5);
  t.same(dictKeys(o), ['b', '1', '2']);
  o.late = 4; // set without a note: after the noted keys
  t.same(dictKeys(o), ['b', '1', '2', 'late']);
  const frozen = Object.freeze({ '2': 1, '1': 2 });
  noteNewKey(frozen, '3');
  t.same(dictKeys(frozen), ['1', '2'], 'a frozen object is read in its own order');
  t.same(dictKeys({ a: 1, '01': 2, '-1': 3 }), ['a', '01', '-1'], 'keys JavaScript does not move need no note');
});
