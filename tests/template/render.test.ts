import t from 'tap';
import { isTemplated, renderString, renderValue } from '../../lib/template/index.js';
import { TsplayError } from '../../lib/errors.js';
import { jinjaTree } from '../../lib/template/jinja/render.js';
import { hostVars } from './fixtures/vars.js';

const vars = hostVars();

t.test('a template gives what Ansible 2.14 gives: data for a list, dict, bool or a lone variable, else text', async (t) => {
  t.strictSame(renderValue('{{ groups.etcd }}', vars), ['master-0', 'master-1']);
  t.strictSame(renderValue("{{ groups['etcd'] }}", vars), ['master-0', 'master-1']);
  t.equal(renderValue('{{ port }}', vars), 2379, 'a lone variable holding a number');
  t.equal(renderValue('{{port}}', vars), 2379);
  t.equal(renderValue('{{ port + 1 }}', vars), '2380', 'a computed number is text');
  t.equal(renderValue('  {{ port + 1 }}\n', vars), '  2380\n', 'whitespace around a value is kept');
  t.equal(renderValue('{{ b }}\n', vars), 'hello\n', 'whitespace kept around text');
  t.equal(renderValue('{{ ansible_check_mode }}', vars), false);
  t.strictSame(renderValue('{{ cluster }}', vars), { name: 'prod', members: [{ name: 'm0', ip: '10.1.0.10' }, { name: 'm1', ip: '10.1.0.11' }] });
  t.equal(renderValue('{{ nothing }}', vars), null);
});

t.test('other strings render to strings', async (t) => {
  t.equal(renderString('port {{ port }}', vars), 'port 2379');
  t.equal(renderString('{{ port }}', vars), '2379');
  t.equal(renderString('{{ cluster.members[0].ip }}:{{ port }}', vars), '10.1.0.10:2379');
  t.equal(renderString("{{ hostvars['master-1'].ansible_host }}", vars), '10.0.0.11');
  t.equal(renderString('{{ hostvars[item].ansible_host }}', vars), '10.0.0.11');
  t.equal(renderString("{{ groups['etcd'][0] }}", vars), 'master-0');
  t.equal(renderString("{{ groups.etcd | join(',') }}", vars), 'master-0,master-1');
  t.equal(renderString('{{ groups.etcd | length }} hosts', vars), '2 hosts');
  t.equal(renderString("{{ x | default('y') }}", vars), 'y');
  t.equal(renderString("{{ 'http://' ~ hostvars[item].ansible_host ~ ':' ~ port }}", vars), 'http://10.0.0.11:2379');
  t.equal(renderString('{{ port * 2 }} {{ port > 2000 }}', vars), '4758 True');
  t.equal(renderString('x {{ groups.etcd }} {{ nothing }}', vars), "x ['master-0', 'master-1'] ", 'lists as Python prints them; None as empty');
  t.equal(renderString('no templates', vars), 'no templates');
  t.equal(renderString('<b>&amp;</b> {{ "<&>" }}', vars), '<b>&amp;</b> <&>', 'nothing is HTML-escaped');
  t.equal(renderString("{{ '}}' }}", vars), '}}', 'braces inside string literals');
  t.equal(renderString("{{ {'a': {'b': 1}}['a']['b'] }}", vars), '1', 'dict literals inside {{ }}');
  t.equal(renderString('a {{- " b " -}} c', vars), 'a b c', "Jinja's whitespace control");
  t.equal(renderString('C:\\{{ b }}', vars), 'C:\\hello', 'a backslash before {{ is literal as in Jinja');
});

t.test('renderValue walks objects and arrays, copying only what changes', async (t) => {
  const input = { name: 'x {{ b }}', loop: '{{ groups.etcd }}', n: 3, flag: true, list: ['{{ port }}', 'plain'], plain: { a: [1, 2] }, '{{ b }}_key': 1 };
  const out = renderValue(input, vars) as Record<string, unknown>;
  t.strictSame(out, { name: 'x hello', loop: ['master-0', 'master-1'], n: 3, flag: true, list: [2379, 'plain'], plain: { a: [1, 2] }, hello_key: 1 });
  t.equal(out.plain, input.plain, 'untemplated parts are shared, not copied');
  t.equal(input.name, 'x {{ b }}', 'input untouched');
  const noTemplates = { a: [1, { b: 'c' }] };
  t.equal(renderValue(noTemplates, vars), noTemplates);
  t.equal(renderValue(5, vars), 5);
  t.equal(renderValue(null, vars), null);
});

t.test('lazy variables render when used', async (t) => {
  t.equal(renderString('{{ a }}', vars), 'hello-x');
  t.strictSame(renderValue('{{ peers }}', { ...vars, hostvars: { 'master-0': { etcd_ip: '1' }, 'master-1': { etcd_ip: '2' } } }), ['1', '2']);
  t.strictSame(renderValue('{{ wrap }}', { wrap: ['{{ b }}', { k: '{{ a }}' }], a: '{{ b }}-x', b: 'hello' }), ['hello', { k: 'hello-x' }]);
  t.equal(renderString('{{ uses_missing | default("fallback") }}', vars), 'fallback');
  t.throws(() => renderString('{{ uses_missing }}', vars), /'missing_var' is undefined/);
});

t.test('cycles are reported', async (t) => {
  t.throws(() => renderString('{{ self_ref }}', vars), { kind: 'template', message: /recursive loop detected in template: self_ref -> self_ref/ });
  t.throws(() => renderString('{{ ping }}', vars), { message: /recursive loop detected in template: ping -> pong -> ping/ });
});

t.test('undefined variables name the full path', async (t) => {
  const err = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e as TsplayError;
    }
    throw new Error('no error');
  };
  const e = err(() => renderString('{{ foo }}', vars));
  t.ok(e instanceof TsplayError);
  t.equal(e.kind, 'template');
  t.equal(e.message, "'foo' is undefined");
  t.match(e.hint, /default/);
  t.equal(err(() => renderString("{{ hostvars['master-9'].etcd_ip }}", vars)).message, "'hostvars['master-9'].etcd_ip' is undefined");
  t.equal(err(() => renderString("{{ hostvars['master-2'].etcd_ip }}", vars)).message, "'hostvars['master-2'].etcd_ip' is undefined");
  t.equal(err(() => renderString('{{ hostvars[h].etcd_ip }}', { ...vars, h: 'master-2' })).message, "'hostvars['master-2'].etcd_ip' is undefined");
  t.equal(err(() => renderString('{{ cluster.nope.deeper }}', vars)).message, "'cluster.nope.deeper' is undefined");
  t.equal(renderString('{{ foo is defined }}/{{ foo is not defined }}/{{ foo | default(1) }}', vars), 'False/True/1');
});

t.test('every string is Jinja: no Handlebars blocks, names or data variables', async (t) => {
  t.equal(renderString('{% for this in groups.etcd %}{{ this }}{% if not loop.last %},{% endif %}{% endfor %}', vars), 'master-0,master-1', '`this` is an ordinary loop variable');
  t.equal(
    renderString('{% for m in cluster.members %}{{ name }}:{{ m.name }} {% endfor %}', { ...vars, name: 'top' }),
    'top:m0 top:m1 ',
    "a bare name is the variable, never the loop item's key",
  );
  t.equal(renderString('a{# a comment #}b{{ b }}', vars), 'abhello');
  t.throws(() => renderString('{{#each groups.etcd}}x{{/each}}', vars), { kind: 'template' }, 'a Handlebars block is a syntax error');
  t.throws(() => renderString('{{ @index }}', vars), { kind: 'template' }, '`@` is no character of a Jinja expression');
  t.throws(() => renderString('{% for h in groups.etcd %}{{ @index }}{% endfor %}', vars), { kind: 'template' });
  t.equal(renderString("{{ {'a': {'b': 1}} }}", vars), "{'a': {'b': 1}}", "a dict literal's braces do not close the expression");
  t.equal(renderString('{% raw %}{{ b }}{% endraw %} {{ b }}', vars), '{{ b }} hello', 'raw blocks');
  t.equal(renderString("{{ 'a\\nb' }}|{% set s = 'a\\nb' %}{{ s }}", vars), 'a\\nb|a\nb', 'a backslash is literal inside {{ }} only, as in Ansible');
});

t.test('Jinja statements render (tests/template/jinja has the full set)', async (t) => {
  t.throws(() => renderString('{% if x %}a{% endif %}', vars), { kind: 'template', message: /'x' is undefined/ });
  t.strictSame(renderValue({ a: ['{% for h in groups.etcd %}{{ h }} {% endfor %}'] }, vars), { a: ['master-0 master-1 '] });
});

t.test('template syntax errors', async (t) => {
  t.throws(() => renderString('{{ b ', vars), { kind: 'template', message: /never closed/ });
  t.throws(() => renderString('{{ }}', vars), { kind: 'template' });
  t.throws(() => renderString('{{ (b }}', vars), { kind: 'template', message: /syntax error/ });
});

t.test('isTemplated', async (t) => {
  t.ok(isTemplated('{{ x }}'));
  t.ok(isTemplated('a {% if %}'));
  t.notOk(isTemplated('plain { x }'));
});

t.test('templates are parsed once per source', async (t) => {
  const src = 'cached {{ port }} {{ b | upper }}';
  t.equal(renderString(src, vars), 'cached 2379 HELLO');
  const tree = jinjaTree(src);
  t.equal(renderString(src, { ...vars, port: 1 }), 'cached 1 HELLO', 'the cached tree renders with the new variables');
  t.equal(jinjaTree(src), tree, 'the same parsed tree, not a new parse');
});
