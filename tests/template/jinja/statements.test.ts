// Jinja statements and whitespace rules, each case rendered by the real
// ansible-playbook template module and by tsplay: the bytes must match.
import t from 'tap';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAnsible } from '../../compat/helpers.js';
import { renderString, renderValue } from '../../../lib/template/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const vars = { l: [1, 2, 3], t: true, f: false, d: { b: 1, a: 2 }, s: 'x y' };

const cases: Record<string, string> = {
  loop_vars: '{% for x in l %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.length }}/{{ loop.first }}/{{ loop.last }}/{{ loop.revindex }} {% endfor %}\n',
  lstrip_off: 'a\n  {% if t %}\n  yes\n  {% endif %}\nb\n',
  dash_control: 'start\n  {%- if t -%}  x  {%- endif -%}\n\nend\n',
  comments: '{# comment #}\nline\n{#- c2 -#}   z\n{# multi\nline #}\nlast\n',
  set_in_if: '{% set a = 1 %}{% if t %}{% set a = 2 %}{% endif %}{{ a }}\n',
  set_in_for: '{% set n = 0 %}{% for x in l %}{% set n = x %}[{{ n }}]{% endfor %}{{ n }}\n',
  items: '{% for k, v in d.items() %}{{ k }}={{ v }}\n{% endfor %}',
  dict_keys: '{% for k in d %}{{ k }}{% endfor %}\n',
  for_filter_else: '{% for x in l if x > 1 %}{{ x }}{% else %}none{% endfor %}|{% for x in [] %}{% else %}empty{% endfor %}\n',
  raw: '{% raw %}{{ not }} {% if %}{% endraw %}\n',
  elif_chain: '{% if a is defined %}A{% elif f %}F{% elif t %}T{% else %}E{% endif %}\n\n\n',
  crlf: 'a\r\n{% if t %}\r\nb\r\n{% endif %}\r\nc\r\n',
  blank_after_tag: '{% for x in l %}\n\n{{ x }}\n{% endfor %}\nend\n',
  plus_keeps_newline: '{% if t +%}\nkeep\n{% endif %}\n',
  nested_loops: '{% for a in l %}{% for b in l %}{{ loop.index }}{% endfor %}:{{ loop.index }} {% endfor %}\n',
  no_final_newline: 'x{% if t %}y{% endif %}',
  expr_dash: 'a   {{- s -}}   b\n{{ s }}\n',
  strings_with_tags: '{% if "%}" in "a%}" %}q{% endif %}{{ "{%" }}\n',
  for_string: '{% for c in "ab" %}{{ c }}.{% endfor %}\n',
  // Macros: defaults evaluated at each call (earlier parameters visible), keyword arguments, missing ones undefined.
  macro_defaults: "{% macro m(a, b=a ~ 'x', c=none) %}[{{ a }}|{{ b }}|{{ c }}]{% endmacro %}{{ m(1) }}{{ m(1, 2) }}{{ m(c=3, a=4) }}\n",
  macro_missing_arg: "{% macro m(a, b) %}{{ b is defined }}/{{ b | default('d') }}{% endmacro %}{{ m(1) }}\n",
  macro_varargs_kwargs: "{% macro m(a) %}{{ a }} {{ varargs }} {{ kwargs }} {{ varargs | length }}{% endmacro %}{{ m(1, 2, 3, k='v') }}|{{ m(0) }}\n",
  // The body sees the template's variables and top-level sets (at call time), not the caller's loop variables; its sets stay inside.
  macro_scope: "{% set g = 'G' %}{% macro m() %}{{ g }}{{ x is defined }}{% set g = 'inner' %}{{ g }}{{ late }}{% endmacro %}{% set late = 'L' %}{% for x in l %}{{ m() }} {% endfor %}{{ g }}\n",
  macro_whitespace: '{% macro m(x) -%}\n  <{{ x }}>\n{%- endmacro %}\nA {{ m(1) }} B\n{{ m(2) | length }} {{ m(3) ~ "!" }}\n',
  macro_recursive: '{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n }}*{{ fact(n - 1) }}{% endif %}{% endmacro %}{{ fact(5) }}\n',
  macro_in_for_body: '{% for x in l %}{% macro sq(v) %}{{ v * v }}{% endmacro %}{{ sq(x) }},{% endfor %}\n',
  call_caller: "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% for x in l %}{% call wrap('b') %}{{ x }}{% endcall %}{% endfor %}\n",
  call_args: '{% macro each(items) %}{% for i in items %}{{ caller(i, loop.index) }}{% endfor %}{% endmacro %}{% call(item, n) each(l) %}{{ n }}:{{ item }} {% endcall %}\n',
  // In-place methods on values the template built, as the {% if d.update(...) %} idiom uses them; they return None.
  mutation: "{% set d = {'a': 1} %}{% set l2 = [] %}{% if d.update({'b': 2}) %}no{% endif %}{% set _ = d.update(c=3) %}"
    + '{% set _ = l2.append(1) %}{% set _ = l2.extend([2, 3]) %}{% set _ = l2.insert(0, 0) %}{{ d }} {{ l2 }} {{ l2.pop() }} {{ l2.pop(0) }} '
    + "{{ d.pop('a') }} {{ d.pop('zz', 'dflt') }} {{ d.setdefault('e', 5) }} {{ d.setdefault('b') }} {% set _ = l2.remove(2) %}{{ d }} {{ l2 }} {{ l2.append(9) }}|\n",
  mutation_proto: "{% set d = {} %}{% set _ = d.update({'__proto__': 1}) %}{% set _ = d.setdefault('constructor', 2) %}{{ d }} {{ d | length }}\n",
  mutation_copy: '{% set c = d.copy() %}{% set _ = c.update({"z": 0}) %}{{ c }} {{ d }}\n',
};

t.test('statements and whitespace: the same bytes as ansible-playbook', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-jinja-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const src = path.join(dir, 'src');
  const out = path.join(dir, 'out');
  mkdirSync(src);
  mkdirSync(out);
  for (const [name, text] of Object.entries(cases)) writeFileSync(path.join(src, name), text);
  const run = await runAnsible(
    ['-i', path.join(here, 'hosts'), path.join(here, 'render-compat.yml'),
      '-e', JSON.stringify({ ...vars, j2_dir: src, out_dir: out, templates: Object.keys(cases) })],
    here,
  );
  t.equal(run.code, 0, run.stdout.slice(-2000));
  for (const [name, text] of Object.entries(cases)) {
    t.equal(renderString(text, vars), readFileSync(path.join(out, name), 'utf8'), name);
  }
});

t.test('errors name the line and column', async (t) => {
  const err = (src: string) => {
    try {
      renderString(src, vars);
      return 'rendered';
    } catch (e) {
      return (e as Error).message;
    }
  };
  t.match(err('a\n{% if t %}b'), /'\{% if %\}' at line 2, column 1 has no '\{% endif %\}'/);
  t.match(err('a\n  {% endfor %}'), /'\{% endfor %\}' at line 2, column 3 has no matching opening statement/);
  t.match(err('{% include "x" %}'), /'\{% include "x" %\}' at line 1, column 1 is not supported/);
  t.match(err('{% set a, b = 1, 2 %}'), /only '\{% set name = expression %\}'/);
  t.match(err('x\n{% if nope %}y{% endif %}'), /'nope' is undefined.*line 2, column 1/);
  t.match(err('{% for x in 5 %}{% endfor %}'), /not iterable.*line 1, column 1/);
  t.match(err('{% if t %}ok\n{{ a'), /'\{\{' opened at line 2, column 1 is never closed/);
  t.match(err('{% for x in l %}{{ loop.nope }}{% endfor %}'), /nope/);
  t.match(err('x\n{% macro m() %}y'), /'\{% macro m %\}' at line 2, column 1 has no '\{% endmacro %\}'/);
  t.match(err('{% macro m %}{% endmacro %}'), /expected 'macro name\(parameters\)'/);
  t.match(err('{% macro m(a=1, b) %}{% endmacro %}'), /non-default argument 'b' follows default argument/);
  t.match(err('{% macro m(a, a) %}{% endmacro %}'), /duplicate parameter 'a'/);
  t.match(err('{% macro m(a) %}{% endmacro %}\n{{ m(1, 2) }}'), /macro 'm' takes not more than 1 argument\(s\).*line 2, column 1/);
  t.match(err('{% macro m(a) %}{% endmacro %}{{ m(b=2) }}'), /macro 'm' takes no keyword argument 'b'/);
  t.match(err('{% macro m(a) %}{{ a }}{% endmacro %}{{ m() }}'), /'a' is undefined|parameter 'a' was not provided/);
  t.match(err('{% endmacro %}'), /'\{% endmacro %\}' at line 1, column 1 has no matching opening statement/);
  t.match(err('{% call nope %}{% endcall %}'), /expected 'call macro_name\(arguments\)'/);
  t.match(err('{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}'), /No caller defined|caller/);
});

t.test('a macro that calls itself forever stops with an error, not a stack overflow', async (t) => {
  const err = (src: string) => {
    try {
      renderString(src, vars);
      return 'rendered';
    } catch (e) {
      return (e as Error).message;
    }
  };
  t.match(err('{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}\n{{ m(0) }}'), /macro 'm' nests deeper than 64 calls \(line 1, column 17\)/);
  t.match(err('{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}{% endmacro %}{{ a() }}'), /nests deeper than 64 calls/);
  // 64 levels are fine, and the depth counts again from zero after an error.
  t.equal(renderString('{% macro m(n) %}{% if n > 0 %}{{ m(n - 1) }}{% else %}done{% endif %}{% endmacro %}{{ m(63) }}', vars), 'done');
});

t.test('in-place methods never change the variables they are given', async (t) => {
  const mine = { d: { a: 1 }, l: [1], nested: { inner: [1] } };
  const before = JSON.stringify(mine);
  const err = (src: string) => {
    try {
      renderString(src, mine);
      return 'rendered';
    } catch (e) {
      return (e as Error).message;
    }
  };
  const refused = /would change a variable in place; only a list or dict built in this template/;
  t.match(err("{% if d.update({'b': 2}) %}{% endif %}"), refused);
  t.match(err('{% set x = d %}{% set _ = x.setdefault("b", 1) %}'), refused);
  t.match(err("{% set _ = d.pop('a') %}"), refused);
  t.match(err('{% set _ = l.append(2) %}'), refused);
  t.match(err('{% set _ = l.extend([2]) %}'), refused);
  t.match(err('{% set _ = l.pop() %}'), refused);
  // A copy is the template's own, but what it holds is still the variable's.
  t.match(err('{% set c = nested.copy() %}{% set _ = c.inner.append(2) %}'), refused);
  t.equal(renderString('{% set c = nested.copy() %}{% set _ = c.update({"x": 1}) %}{{ c | length }}', mine), '2');
  t.match(err('{% set t = (1, 2) %}{{ t.append(3) }}'), /'tuple' object has no attribute 'append'/);
  t.equal(JSON.stringify(mine), before);
  // A value one evaluation built and handed back (a fact) is a variable for the next one.
  const kept = renderValue("{{ {'a': 1} }}", {}) as Record<string, unknown>;
  t.throws(() => renderString("{% set _ = k.update({'b': 2}) %}", { k: kept }), refused);
  t.same(kept, { a: 1 });
  // A list a template keeps growing is charged to the template value budget.
  t.match(err('{% set x = [1] %}{% for i in range(64) %}{% set _ = x.extend(x) %}{% endfor %}'), /would take the values this template builds past/);
});
